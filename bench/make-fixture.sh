#!/usr/bin/env bash
# Copied from the team's shared fixture (../shared/bench/make-fixture.sh); local fix: a SIGPIPE from
# `find | head` under pipefail aborted the busybox fallback.
# make-fixture.sh - build a realistic Docker storage fixture on a dockerd, for
# measuring storage-migration tools (export -> reset -> import) against baselines.
#
# Usage:
#   DOCKER_HOST=unix:///path/docker.sock SCALE=1 ./make-fixture.sh          # create (idempotent)
#   DOCKER_HOST=... ./make-fixture.sh clean                                 # remove everything it made
#   DOCKER_HOST=... ./make-fixture.sh list                                  # show what exists
#
# Environment (all optional except a reachable DOCKER_HOST / default socket):
#   SCALE           size multiplier, default 1 (1 => ~1 GiB big layer, ~512 MiB big volume file,
#                   50,000 small files). 0.1 makes a quick ~10x smaller fixture.
#   BIG_LAYER_MB    override big image layer size       (default 1024*SCALE)
#   BIG_VOL_MB      override big volume file size       (default 512*SCALE)
#   SMALL_FILES     override small-file count           (default 50000*SCALE)
#   SPARSE_MB       apparent size of the sparse file    (default 256*SCALE, min 16)
#   WRITABLE_MB     bytes written to a container's writable layer (default 64*SCALE)
#   PREFIX          name prefix for images/containers/volumes (default "mig")
#   FIXTURE_WORK    scratch dir on the machine running this script (default /tmp/mig-fixture-work)
#   BASE_ROOTFS     an existing root filesystem dir to `docker import` as the base image
#                   (default: $FIXTURE_WORK/rootfs, made by `debootstrap --variant=minbase bookworm`;
#                   if debootstrap is missing or fails, a busybox + /usr-files fallback is used)
#   DEBIAN_MIRROR   mirror for debootstrap (default: first URI in the apt sources, else deb.debian.org)
#   HOST_PORT_BASE  first host port for port bindings (default 18081; bound to 127.0.0.1 only)
#
# What it creates (names with PREFIX=mig):
#   images : mig/base:bookworm (+ :12, :latest)            docker import of a Debian minbase rootfs
#            mig/tools:1.0 (+latest)   FROM base    busybox-static, setfattr/setfacl, small files
#            mig/web:2.3.1 (+2.3, latest) FROM tools  (two-level sharing)  ENV/EXPOSE/CMD/WORKDIR
#            mig/worker:1.0 (+latest)  FROM base    RUN-generated 16 MiB data, ENTRYPOINT
#            mig/db:5.7 (+latest)      FROM base    USER, VOLUME, chown'd dirs
#            mig/cli:0.9 (+latest, localhost:5000/mig/cli:0.9)  FROM base  RUN rm (whiteouts)
#            mig/bigdata:1 (+latest)   FROM base    one layer of BIG_LAYER_MB random bytes
#            one dangling (untagged) image, label mig.fixture.role=dangling
#   volumes: mig-smallfiles (SMALL_FILES files in 500 nested dirs, varied modes/owners,
#            symlinks, hardlinks, a sparse file, xattrs, ACLs, fifo, odd names)
#            mig-bigfile (one BIG_VOL_MB random file)
#   containers: mig-web    running, restart=unless-stopped, ports, env, labels, bind mount, volume
#               mig-worker exited (0), writable-layer changes (WRITABLE_MB file, deletions, edits)
#               mig-db     created (never started), restart=on-failure:3, ports tcp+udp, volumes
# Every object carries the label mig.fixture=1 (images via LABEL, except the imported base which
# gets it through `docker import --change`).
set -euo pipefail

PREFIX=${PREFIX:-mig}
SCALE=${SCALE:-1}
FIXTURE_WORK=${FIXTURE_WORK:-/tmp/mig-fixture-work}
HOST_PORT_BASE=${HOST_PORT_BASE:-18081}
export DOCKER_BUILDKIT=0   # legacy builder: works on every daemon, no buildx plugin needed

sc() { awk -v s="$SCALE" -v b="$1" -v m="${2:-1}" 'BEGIN{v=int(s*b+0.5); if(v<m)v=m; print v}'; }
BIG_LAYER_MB=${BIG_LAYER_MB:-$(sc 1024 8)}
BIG_VOL_MB=${BIG_VOL_MB:-$(sc 512 4)}
SMALL_FILES=${SMALL_FILES:-$(sc 50000 500)}
SPARSE_MB=${SPARSE_MB:-$(sc 256 16)}
WRITABLE_MB=${WRITABLE_MB:-$(sc 64 2)}

T0=$(date +%s)
log() { printf '[fixture %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
have_ctr() { docker container inspect "$1" >/dev/null 2>&1; }
img_label() { docker image inspect -f "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null || true; }

B="$PREFIX/base:bookworm"

cmd_list() {
  docker images -a --filter label=mig.fixture=1
  docker images --filter dangling=true
  docker ps -a --filter label=mig.fixture=1 --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}\t{{.Ports}}'
  docker volume ls --filter label=mig.fixture=1
}

cmd_clean() {
  log "removing containers, volumes and images labelled mig.fixture=1"
  ids=$(docker ps -aq --filter label=mig.fixture=1); [ -n "$ids" ] && docker rm -f $ids >/dev/null
  vols=$(docker volume ls -q --filter label=mig.fixture=1); [ -n "$vols" ] && docker volume rm $vols >/dev/null
  imgs=$(docker images -q --filter label=mig.fixture=1 | sort -u); [ -n "$imgs" ] && docker rmi -f $imgs >/dev/null || true
  for r in base tools web worker db cli bigdata dangling; do
    for t in $(docker images --format '{{.Repository}}:{{.Tag}}' "$PREFIX/$r"); do docker rmi -f "$t" >/dev/null || true; done
  done
  docker rmi -f "localhost:5000/$PREFIX/cli:0.9" >/dev/null 2>&1 || true
  d=$(docker images -q --filter dangling=true --filter label=mig.fixture=1); [ -n "$d" ] && docker rmi -f $d >/dev/null || true
  log "clean done"
}

case "${1:-create}" in
  clean) cmd_clean; exit 0 ;;
  list)  cmd_list; exit 0 ;;
  create) ;;
  *) echo "usage: $0 [create|clean|list]" >&2; exit 2 ;;
esac

docker version --format 'client {{.Client.Version}} / server {{.Server.Version}}' >&2
log "SCALE=$SCALE BIG_LAYER_MB=$BIG_LAYER_MB BIG_VOL_MB=$BIG_VOL_MB SMALL_FILES=$SMALL_FILES SPARSE_MB=$SPARSE_MB WRITABLE_MB=$WRITABLE_MB"
mkdir -p "$FIXTURE_WORK"

# ---------------------------------------------------------------- base image
make_rootfs() {
  local dir=$1
  if [ -x "$dir/bin/bash" ] && [ -f "$dir/etc/debian_version" ]; then return 0; fi
  if command -v debootstrap >/dev/null 2>&1; then
    local mirror=${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)}
    mirror=${mirror:-http://deb.debian.org/debian}
    log "debootstrap --variant=minbase bookworm $dir $mirror"
    rm -rf "$dir.tmp"
    if debootstrap --variant=minbase bookworm "$dir.tmp" "$mirror" >"$FIXTURE_WORK/debootstrap.log" 2>&1; then
      rm -rf "$dir"; mv "$dir.tmp" "$dir"; return 0
    fi
    log "debootstrap failed (see $FIXTURE_WORK/debootstrap.log); using busybox fallback"
  fi
  # Fallback: busybox-static userland + ~150 MiB of real files copied from /usr.
  rm -rf "$dir"; mkdir -p "$dir"/{bin,sbin,etc,tmp,root,var/tmp,usr/bin,usr/share,usr/lib}
  chmod 1777 "$dir/tmp" "$dir/var/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for a in $("$dir/bin/busybox" --list); do [ -e "$dir/bin/$a" ] || ln -s busybox "$dir/bin/$a"; done
  ln -sf busybox "$dir/bin/bash"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$dir/etc/passwd"; printf 'root:x:0:\n' >"$dir/etc/group"
  echo fallback >"$dir/etc/debian_version"
  (cd / && tar -cf - usr/share/doc usr/share/locale usr/share/zoneinfo usr/lib/x86_64-linux-gnu 2>/dev/null) \
    | (cd "$dir" && tar -xf - 2>/dev/null) || true
  # cap the size at ~200 MiB
  while [ "$(du -sm "$dir" | cut -f1)" -gt 200 ]; do
    f=$(find "$dir/usr/lib" -type f -size +1M | head -n 20 || true); [ -z "$f" ] && break; rm -f $f
  done
}

if ! have_image "$B"; then
  ROOTFS=${BASE_ROOTFS:-$FIXTURE_WORK/rootfs}
  make_rootfs "$ROOTFS"
  log "docker import $ROOTFS -> $B ($(du -sm "$ROOTFS" | cut -f1) MiB)"
  tar -C "$ROOTFS" --numeric-owner --xattrs -cf - . | docker import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'CMD ["bash"]' -c 'LABEL mig.fixture=1 mig.fixture.role=base' \
      -m "mig fixture base (debian minbase bookworm)" - "$B" >/dev/null
fi
docker tag "$B" "$PREFIX/base:12"; docker tag "$B" "$PREFIX/base:latest"

# ---------------------------------------------------------------- derived images
ctx() { local d="$FIXTURE_WORK/ctx/$1"; rm -rf "$d"; mkdir -p "$d"; echo "$d"; }
build() { # build NAME CTXDIR TAG...
  local name=$1 dir=$2; shift 2
  log "docker build $name"
  docker build -q -t "$1" "$dir" >/dev/null
  local t; for t in "${@:2}"; do docker tag "$1" "$t"; done
}

if ! have_image "$PREFIX/tools:1.0"; then
  d=$(ctx tools)
  cp /bin/busybox "$d/busybox" 2>/dev/null || cp "$(command -v busybox)" "$d/busybox"
  for b in setfattr getfattr setfacl getfacl; do
    if p=$(command -v $b); then cp "$p" "$d/$b"; else printf '#!/bin/sh\nexit 0\n' >"$d/$b"; fi
  done
  mkdir -p "$d/etc-tools"; for i in $(seq 1 20); do head -c $((i * 700)) /dev/urandom | base64 >"$d/etc-tools/conf-$i.txt"; done
  cat >"$d/Dockerfile" <<EOF
FROM $B
LABEL mig.fixture=1 mig.fixture.role=tools org.opencontainers.image.title=tools
COPY busybox setfattr getfattr setfacl getfacl /usr/local/bin/
COPY etc-tools/ /etc/tools/
RUN chmod 755 /usr/local/bin/* && /usr/local/bin/busybox mkdir -p /opt/tools/bin \\
 && for a in httpd nc vi; do /usr/local/bin/busybox ln -s /usr/local/bin/busybox /opt/tools/bin/\$a; done
ENV TOOLS_HOME=/opt/tools PATH=/opt/tools/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EOF
  build tools "$d" "$PREFIX/tools:1.0" "$PREFIX/tools:latest"
fi

if ! have_image "$PREFIX/web:2.3.1"; then
  d=$(ctx web); mkdir -p "$d/www"
  for i in $(seq 1 50); do printf '<html><body><h1>page %s</h1>%s</body></html>\n' "$i" "$(head -c 2000 /dev/urandom | base64 -w0)" >"$d/www/p$i.html"; done
  cat >"$d/Dockerfile" <<EOF
FROM $PREFIX/tools:1.0
LABEL mig.fixture=1 mig.fixture.role=web maintainer="fixture@example.invalid"
ENV WEB_PORT=8080 WEB_ROOT=/srv/www
COPY www/ /srv/www/
RUN echo 'H:/srv/www' > /etc/httpd.conf && chmod -R a+rX /srv/www
WORKDIR /srv/www
EXPOSE 8080/tcp
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s CMD ["busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/p1.html"]
CMD ["busybox", "httpd", "-f", "-p", "8080", "-h", "/srv/www"]
EOF
  build web "$d" "$PREFIX/web:2.3.1" "$PREFIX/web:2.3" "$PREFIX/web:latest"
fi

if ! have_image "$PREFIX/worker:1.0"; then
  d=$(ctx worker)
  printf '#!/bin/sh\nset -e\necho "worker start $(date)"\nexec "$@"\n' >"$d/entry.sh"
  cat >"$d/Dockerfile" <<EOF
FROM $B
LABEL mig.fixture=1 mig.fixture.role=worker
COPY entry.sh /usr/local/bin/entry.sh
RUN chmod 755 /usr/local/bin/entry.sh && mkdir -p /var/lib/worker /opt/worker \\
 && head -c 16777216 /dev/urandom > /opt/worker/model.bin \\
 && (cd /usr/share && ls -R > /opt/worker/index.txt)
ENV WORKER_THREADS=4 WORKER_MODE=batch
ENTRYPOINT ["/usr/local/bin/entry.sh"]
CMD ["sleep", "infinity"]
EOF
  build worker "$d" "$PREFIX/worker:1.0" "$PREFIX/worker:latest"
fi

if ! have_image "$PREFIX/db:5.7"; then
  d=$(ctx db); printf '[mysqld]\ndatadir=/var/lib/db/data\n' >"$d/my.cnf"
  cat >"$d/Dockerfile" <<EOF
FROM $B
LABEL mig.fixture=1 mig.fixture.role=db
RUN if command -v groupadd >/dev/null; then groupadd -r -g 999 dbuser && useradd -r -u 999 -g 999 -d /var/lib/db dbuser; \\
 else echo 'dbuser:x:999:' >>/etc/group && echo 'dbuser:x:999:999::/var/lib/db:/bin/false' >>/etc/passwd; fi \\
 && mkdir -p /var/lib/db/data /run/db && chown -R 999:999 /var/lib/db /run/db && chmod 700 /var/lib/db/data
COPY --chown=999:999 my.cnf /etc/db/my.cnf
VOLUME ["/var/lib/db/data"]
USER 999:999
EXPOSE 5432/tcp 5432/udp
CMD ["sleep", "infinity"]
EOF
  build db "$d" "$PREFIX/db:5.7" "$PREFIX/db:latest"
fi

if ! have_image "$PREFIX/cli:0.9"; then
  d=$(ctx cli); mkdir -p "$d/share"; for i in $(seq 1 200); do echo "doc $i" >"$d/share/doc$i.txt"; done
  cat >"$d/Dockerfile" <<EOF
FROM $B
LABEL mig.fixture=1 mig.fixture.role=cli
RUN rm -rf /usr/share/doc /usr/share/man /var/log/* && mkdir -p /usr/share/doc
COPY share/ /usr/share/doc/cli/
RUN ln -s /usr/share/doc/cli/doc1.txt /README && echo 'cli 0.9' > /etc/cli-release
ENTRYPOINT ["/bin/bash", "-c"]
CMD ["cat /etc/cli-release"]
EOF
  build cli "$d" "$PREFIX/cli:0.9" "$PREFIX/cli:latest" "localhost:5000/$PREFIX/cli:0.9"
fi

if ! have_image "$PREFIX/bigdata:1" || [ "$(img_label "$PREFIX/bigdata:1" mig.fixture.size_mb)" != "$BIG_LAYER_MB" ]; then
  d=$(ctx bigdata)
  cat >"$d/Dockerfile" <<EOF
FROM $B
LABEL mig.fixture=1 mig.fixture.role=bigdata mig.fixture.size_mb=$BIG_LAYER_MB
RUN mkdir -p /data && dd if=/dev/urandom of=/data/blob.bin bs=1M count=$BIG_LAYER_MB status=none
CMD ["ls", "-l", "/data"]
EOF
  build bigdata "$d" "$PREFIX/bigdata:1" "$PREFIX/bigdata:latest"
fi

if [ -z "$(docker images -q --filter dangling=true --filter label=mig.fixture.role=dangling)" ]; then
  d=$(ctx dangling)
  for v in 1 2; do
    cat >"$d/Dockerfile" <<EOF
FROM $B
LABEL mig.fixture=1 mig.fixture.role=dangling mig.fixture.version=$v
RUN echo "dangling v$v $(date +%s%N)" > /dangling.txt && head -c 2097152 /dev/urandom > /dangling.bin
EOF
    build dangling-v$v "$d" "$PREFIX/dangling:tmp"
  done
  docker rmi "$PREFIX/dangling:tmp" >/dev/null   # v2 removed, v1 stays untagged (dangling)
fi

# ---------------------------------------------------------------- volumes
vol_done() { docker run --rm -v "$1:/vol:ro" --entrypoint /bin/sh "$B" -c 'cat /vol/.mig-fixture-done 2>/dev/null' 2>/dev/null || true; }
mkvol() { docker volume inspect "$1" >/dev/null 2>&1 || docker volume create --label mig.fixture=1 --label "mig.fixture.role=$2" "$1" >/dev/null; }

SMALL_SIG="files=$SMALL_FILES sparse=$SPARSE_MB"
mkvol "$PREFIX-smallfiles" smallfiles
if [ "$(vol_done "$PREFIX-smallfiles")" != "$SMALL_SIG" ]; then
  log "populating volume $PREFIX-smallfiles ($SMALL_SIG)"
  docker run --rm -i -v "$PREFIX-smallfiles:/vol" --entrypoint /bin/bash -e "NFILES=$SMALL_FILES" \
     -e "SPARSE_MB=$SPARSE_MB" -e "SIG=$SMALL_SIG" "$PREFIX/tools:1.0" -s <<'EOS'
set -eu
cd /vol && find . -mindepth 1 -delete
PATH=/usr/local/bin:$PATH
# compressible corpus (real binaries/text from the image), 8 MiB
tar -cf - /usr/share /usr/lib 2>/dev/null | head -c 8388608 > /tmp/corpus || true
per=$(( NFILES / 500 )); [ "$per" -ge 1 ] || per=1
sizes="100 512 1024 2048 4096 8192"
modes="755 750 700 775"; owners="0:0 1000:1000 33:33 65534:65534 999:100"
i=0
for a in $(seq -w 0 49); do
  for b in $(seq 0 9); do
    dir="d$a/s$b"; mkdir -p "$dir"
    sz=$(echo $sizes | cut -d' ' -f$(( i % 6 + 1 )))
    bytes=$(( per * sz ))
    if [ $(( i % 2 )) -eq 0 ]; then head -c $bytes /dev/urandom; else tail -c +$(( (i * 4099) % 4000000 + 1 )) /tmp/corpus | head -c $bytes; fi \
      | (cd "$dir" && split -b "$sz" -a 4 -d - f_)
    n=$(ls "$dir" | wc -l); while [ "$n" -lt "$per" ]; do : >"$dir/f_pad$n"; n=$((n+1)); done
    i=$(( i + 1 ))
  done
  m=$(echo $modes | cut -d' ' -f$(( 10#$a % 4 + 1 ))); o=$(echo $owners | cut -d' ' -f$(( 10#$a % 5 + 1 )))
  chown -R "$o" "d$a"; find "d$a" -type f -exec chmod 644 {} +; chmod "$m" "d$a"
done
chmod 600 d01/s1/f_0000 d02/s2/f_0000; chmod 755 d03/s3/f_0000; chmod 4755 d04/s4/f_0000; chmod 2755 d05/s5/f_0000
chmod 1777 d06/s6; chmod 000 d07/s7/f_0000
touch -d '2001-02-03 04:05:06' d08/s8/f_0000; touch -d '1999-12-31 23:59:59' d08
mkdir -p special/empty-dir "special/name with spaces" "special/ünïcødé-目录"
echo hi >"special/name with spaces/file (1).txt"; echo hi >"special/ünïcødé-目录/файл.txt"
long=$(printf 'L%.0s' $(seq 1 250)); echo long >"special/$long"
ln -s ../d00/s0/f_0000 special/rel-symlink; ln -s /etc/passwd special/abs-symlink; ln -s does/not/exist special/dangling-symlink
ln -s ../d09 special/dir-symlink
ln d10/s0/f_0000 special/hardlink-a; ln d10/s0/f_0000 special/hardlink-b
mkfifo special/fifo
truncate -s "${SPARSE_MB}M" special/sparse.img
printf 'HEAD' | dd of=special/sparse.img conv=notrunc status=none
printf 'MID!' | dd of=special/sparse.img bs=1 seek=$(( SPARSE_MB * 524288 )) conv=notrunc status=none
printf 'TAIL' | dd of=special/sparse.img bs=1 seek=$(( SPARSE_MB * 1048576 - 4 )) conv=notrunc status=none
if setfattr -n user.mig.note -v "fixture xattr" special/rel-symlink 2>/dev/null || true; then :; fi
setfattr -n user.mig.note -v "hello xattr" d00/s0/f_0000 2>/dev/null && setfattr -n user.mig.dir -v "dir xattr" d00 2>/dev/null \
  && echo xattr=yes >special/xattr.status || echo xattr=no >special/xattr.status
setfacl -m u:1000:rwx,g:33:r-x d11 2>/dev/null && setfacl -d -m u:1000:rwx d11 2>/dev/null \
  && echo acl=yes >special/acl.status || echo acl=no >special/acl.status
echo "$SIG" > .mig-fixture-done
echo "smallfiles: $(find . | wc -l) entries, $(du -sm . | cut -f1) MiB allocated, $(cat special/xattr.status special/acl.status | tr '\n' ' ')"
EOS
fi

BIG_SIG="big=$BIG_VOL_MB"
mkvol "$PREFIX-bigfile" bigfile
if [ "$(vol_done "$PREFIX-bigfile")" != "$BIG_SIG" ]; then
  log "populating volume $PREFIX-bigfile ($BIG_SIG)"
  docker run --rm -v "$PREFIX-bigfile:/vol" --entrypoint /bin/sh -e "MB=$BIG_VOL_MB" -e "SIG=$BIG_SIG" "$B" -c \
    'set -e; rm -f /vol/big.bin; dd if=/dev/urandom of=/vol/big.bin bs=1M count=$MB status=none; echo "$SIG" > /vol/.mig-fixture-done'
fi

# ---------------------------------------------------------------- containers
BIND_DIR="$FIXTURE_WORK/bind"
mkdir -p "$BIND_DIR"; [ -f "$BIND_DIR/app.conf" ] || printf 'bind-mounted config\nkey=value\n' >"$BIND_DIR/app.conf"
P1=$HOST_PORT_BASE; P2=$((HOST_PORT_BASE + 1)); P3=$((HOST_PORT_BASE + 2))

if ! have_ctr "$PREFIX-web"; then
  log "container $PREFIX-web (running)"
  docker run -d --name "$PREFIX-web" --hostname web01 \
    --label mig.fixture=1 --label com.example.tier=frontend --label "com.example.owner=team a" \
    -e APP_ENV=production -e "GREETING=hello world" -e SECRET_REF=vault:kv/web \
    -p "127.0.0.1:$P1:8080/tcp" --restart unless-stopped \
    -v "$BIND_DIR:/srv/bind:ro" -v "$PREFIX-smallfiles:/data:ro" \
    --memory 256m --cpu-shares 512 --log-opt max-size=10m --log-opt max-file=3 \
    "$PREFIX/web:2.3.1" >/dev/null
  docker exec "$PREFIX-web" sh -c 'mkdir -p /var/run/web && echo $$ > /var/run/web/started && echo tweak >> /etc/httpd.conf'
fi
[ "$(docker inspect -f '{{.State.Running}}' "$PREFIX-web")" = true ] || docker start "$PREFIX-web" >/dev/null

if ! have_ctr "$PREFIX-worker"; then
  log "container $PREFIX-worker (exited, ${WRITABLE_MB} MiB writable-layer changes)"
  docker run --name "$PREFIX-worker" --hostname worker01 \
    --label mig.fixture=1 --label com.example.tier=batch -e WORKER_MODE=oneshot -e "JOB_ID=42" \
    -p "127.0.0.1:$P2:9090/tcp" --restart no \
    -v "$PREFIX-bigfile:/big" -v "$BIND_DIR:/mnt/conf" --tmpfs /scratch:size=64m \
    -e "WMB=$WRITABLE_MB" "$PREFIX/worker:1.0" \
    sh -c 'set -e; dd if=/dev/urandom of=/var/lib/worker/out.bin bs=1M count=$WMB status=none;
           mkdir -p /var/lib/worker/results; for i in $(seq 1 500); do echo "result $i" > /var/lib/worker/results/r$i.txt; done;
           rm -rf /usr/share/doc /usr/share/zoneinfo/America; echo "edited" >> /etc/issue; chmod 600 /etc/issue;
           rm -f /opt/worker/index.txt; ln -s /var/lib/worker/out.bin /opt/worker/latest; echo done' >/dev/null
fi

if ! have_ctr "$PREFIX-db"; then
  log "container $PREFIX-db (created)"
  docker create --name "$PREFIX-db" --hostname db01 \
    --label mig.fixture=1 --label com.example.tier=data -e DB_USER=app -e DB_PASSWORD_FILE=/run/secrets/db \
    -p "127.0.0.1:$P3:5432/tcp" -p "127.0.0.1:$P3:5432/udp" --restart on-failure:3 \
    -v "$PREFIX-smallfiles:/var/lib/db/data" -v "$PREFIX-bigfile:/backup:ro" -v "$BIND_DIR:/etc/db/conf.d:ro" \
    --ulimit nofile=4096:8192 --shm-size 128m \
    "$PREFIX/db:5.7" >/dev/null
fi

log "fixture ready"
cmd_list >&2
docker system df >&2
