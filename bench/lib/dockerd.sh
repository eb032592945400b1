# Throwaway dockerd instances for the demo and the benchmarks. Source this file.
#
#   dockerd_start NAME DRIVER [DATA_ROOT]   starts a private dockerd; sets ${NAME}_HOST
#   dockerd_stop NAME                       stops it by pid, unmounts, removes its dir and bridges
#   dockerd_stop_all                        stops every daemon this shell started (use in a trap)
#   fresh_fs DIR SIZE                       mounts a new ext4 filesystem of SIZE (sparse) at DIR
#   fresh_fs_remove DIR                     unmounts it and frees its loop device and image
#
# Each daemon has its own data-root, exec-root, pidfile, socket, config file and bridge under
# ${STOWAGE_WORK:-/var/tmp/stowage-work}/NAME, so the host's own daemon is never touched.

STOWAGE_WORK=${STOWAGE_WORK:-/var/tmp/stowage-work}
_DOCKERD_NAMES=""

# _bridge_create DIR NAME: a bridge of the daemon's own, on a random 10.x.y.0/24; echoes its name.
# Named after DIR, not NAME: two runs with other STOWAGE_WORK dirs may both have a daemon "src".
_bridge_create() {
    local bridge="stw$(printf '%s' "$1" | md5sum | cut -c1-8)"
    ip link del "$bridge" 2>/dev/null || true
    ip link add "$bridge" type bridge
    ip addr add "10.$((RANDOM % 200 + 20)).$((RANDOM % 250)).1/24" dev "$bridge"
    ip link set "$bridge" up
    echo "$bridge" >"$1/bridge"
    echo "$bridge"
}

# _await_api NAME DIR: waits for the daemon's socket to answer; sets ${NAME}_HOST and ${NAME}_DIR
_await_api() {
    local i
    for i in $(seq 1 150); do
        if DOCKER_HOST="unix://$2/docker.sock" docker version >/dev/null 2>&1; then
            eval "${1}_HOST=unix://$2/docker.sock"
            eval "${1}_DIR=$2"
            return 0
        fi
        sleep 0.2
    done
    echo "dockerd $1 did not start; its log:" >&2
    cat "$2/dockerd.log" >&2
    return 1
}

# _network_bridges DIR: the br-* bridges of the daemon's user networks, which it leaves behind on stop
_network_bridges() {
    DOCKER_HOST="unix://$1/docker.sock" docker network ls -q --no-trunc --filter driver=bridge 2>/dev/null \
        | cut -c1-12 | sed 's/^/br-/' || true
}

# _teardown DIR BRIDGES ROOTS...: unmounts below DIR and ROOTS, removes the bridges and DIR
_teardown() {
    local dir=$1 bridges=$2 root m b
    shift 2
    for root in "$dir" "$@"; do
        { grep -o " $root[^ ]*" /proc/self/mounts || true; } | sort -r | while read -r m; do
            umount -l "$m" 2>/dev/null || true
        done
    done
    if [ -f "$dir/bridge" ]; then ip link del "$(cat "$dir/bridge")" 2>/dev/null || true; fi
    for b in $bridges; do ip link del "$b" 2>/dev/null || true; done
    rm -rf --one-file-system "$dir"
}

# fresh_fs DIR SIZE: a new, empty ext4 (journaled, as a host's /var/lib/docker is) on a loop device
# backed by the sparse file DIR.img, mounted at DIR. Benchmarks time their writes on one, so that
# no run pays for inodes an earlier run freed: on an ext4 without a journal (as this project's
# build machines have) allocating inodes right after a large `rm -rf` scans the freed ones, which
# made one extraction take 2-6x as long as the same extraction a minute later.
fresh_fs() {
    local dir=$1 size=$2 loop
    fresh_fs_remove "$dir"
    mkdir -p "$dir"
    truncate -s "$size" "$dir.img"
    mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$dir.img"
    loop=$(losetup --direct-io=on -f --show "$dir.img")
    mount "$loop" "$dir"
}

fresh_fs_remove() {
    local dir=$1 loop
    if mountpoint -q "$dir" 2>/dev/null; then
        umount "$dir" 2>/dev/null || umount -l "$dir"
    fi
    for loop in $(losetup -j "$dir.img" -O NAME -n 2>/dev/null); do losetup -d "$loop" 2>/dev/null || true; done
    rm -f "$dir.img"
}

dockerd_start() {
    local name=$1 driver=$2 dir="$STOWAGE_WORK/$1"
    local data=${3:-$dir/data}
    dockerd_stop "$name" 2>/dev/null || true
    mkdir -p "$dir/exec" "$data"
    echo '{}' >"$dir/daemon.json"
    local bridge
    bridge=$(_bridge_create "$dir" "$name")
    dockerd --data-root "$data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
        --host "unix://$dir/docker.sock" --config-file "$dir/daemon.json" --bridge "$bridge" \
        --iptables=false --ip-masq=false --ip6tables=false --storage-driver "$driver" \
        >"$dir/dockerd.log" 2>&1 &
    _await_api "$name" "$dir" && _DOCKERD_NAMES="$_DOCKERD_NAMES $name"
}

dockerd_stop() {
    local name=$1 dir="$STOWAGE_WORK/$1" pid bridges
    [ -d "$dir" ] || return 0
    bridges=$(_network_bridges "$dir")
    if [ -f "$dir/dockerd.pid" ]; then
        pid=$(cat "$dir/dockerd.pid")
        if kill "$pid" 2>/dev/null; then
            for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    _teardown "$dir" "$bridges"
}

dockerd_stop_all() {
    local name
    for name in $_DOCKERD_NAMES; do dockerd_stop "$name"; done
}

# A busybox base image from `docker import`: the static binary plus relative applet links.
busybox_import() { # busybox_import TAG
    local root
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/tmp" "$root/etc"
    cp /bin/busybox "$root/bin/busybox"
    for a in $("$root/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"; done
    echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
    tar -C "$root" -cf - . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - "$1" >/dev/null
    rm -rf "$root"
}
