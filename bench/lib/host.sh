# A throwaway "host" dockerd whose storage settings live in its own daemon.json, as on a real host,
# with start/stop scripts that stowage's --start-command/--stop-command can drive. Source this file.
#
#   host_create NAME DRIVER DATA_ROOT   writes NAME's daemon.json, start.sh and stop.sh and starts it;
#                                       sets ${NAME}_HOST, ${NAME}_DIR
#   host_destroy NAME                   stops it, unmounts, removes its dirs and bridge

STOWAGE_WORK=${STOWAGE_WORK:-/var/tmp/stowage-work}

host_create() {
    local name=$1 driver=$2 root=$3 dir="$STOWAGE_WORK/$1"
    local bridge="stw$(printf '%s' "$name" | md5sum | cut -c1-8)"
    host_destroy "$name" 2>/dev/null || true
    mkdir -p "$dir/exec"
    printf '{\n  "storage-driver": "%s",\n  "data-root": "%s"\n}\n' "$driver" "$root" >"$dir/daemon.json"
    ip link add "$bridge" type bridge
    ip addr add "10.$((RANDOM % 200 + 20)).$((RANDOM % 250)).1/24" dev "$bridge"
    ip link set "$bridge" up
    echo "$bridge" >"$dir/bridge"
    cat >"$dir/start.sh" <<SCRIPT
#!/bin/sh
setsid dockerd --config-file $dir/daemon.json --exec-root $dir/exec --pidfile $dir/dockerd.pid \\
    --host unix://$dir/docker.sock --bridge $bridge --iptables=false --ip-masq=false --ip6tables=false \\
    >>$dir/dockerd.log 2>&1 </dev/null &
SCRIPT
    cat >"$dir/stop.sh" <<SCRIPT
#!/bin/sh
[ -f $dir/dockerd.pid ] || exit 0
pid=\$(cat $dir/dockerd.pid)
kill \$pid 2>/dev/null || exit 0
for i in \$(seq 1 300); do kill -0 \$pid 2>/dev/null || exit 0; sleep 0.2; done
kill -9 \$pid
SCRIPT
    chmod +x "$dir/start.sh" "$dir/stop.sh"
    "$dir/start.sh"
    local i
    for i in $(seq 1 150); do
        if DOCKER_HOST="unix://$dir/docker.sock" docker version >/dev/null 2>&1; then
            eval "${name}_HOST=unix://$dir/docker.sock"
            eval "${name}_DIR=$dir"
            return 0
        fi
        sleep 0.2
    done
    cat "$dir/dockerd.log" >&2
    return 1
}

host_destroy() {
    local name=$1 dir="$STOWAGE_WORK/$1" root
    [ -d "$dir" ] || return 0
    # dockerd leaves the bridges of user-defined networks behind when it stops: note them first
    local bridges
    bridges=$(DOCKER_HOST="unix://$dir/docker.sock" docker network ls -q --no-trunc --filter driver=bridge 2>/dev/null \
        | cut -c1-12 | sed 's/^/br-/' || true)
    [ -x "$dir/stop.sh" ] && "$dir/stop.sh"
    for b in $bridges; do ip link del "$b" 2>/dev/null || true; done
    for root in "$dir" $(sed -n 's/.*"data-root": "\(.*\)".*/\1/p' "$dir/daemon.json" 2>/dev/null); do
        { grep -o " $root[^ ]*" /proc/self/mounts || true; } | sort -r | while read -r m; do
            umount -l "$m" 2>/dev/null || true
        done
    done
    if [ -f "$dir/bridge" ]; then ip link del "$(cat "$dir/bridge")" 2>/dev/null || true; fi
    rm -rf --one-file-system "$dir"
}
