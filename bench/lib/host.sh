# A throwaway "host" dockerd whose storage settings live in its own daemon.json, as on a real host,
# with start/stop scripts that stowage's --start-command/--stop-command can drive. Source
# bench/lib/dockerd.sh first, then this file.
#
#   host_create NAME DRIVER DATA_ROOT   writes NAME's daemon.json, start.sh and stop.sh and starts it;
#                                       sets ${NAME}_HOST, ${NAME}_DIR
#   host_destroy NAME                   stops it, unmounts, removes its dirs and bridges

host_create() {
    local name=$1 driver=$2 root=$3 dir="$STOWAGE_WORK/$1" bridge
    host_destroy "$name" 2>/dev/null || true
    mkdir -p "$dir/exec"
    printf '{\n  "storage-driver": "%s",\n  "data-root": "%s"\n}\n' "$driver" "$root" >"$dir/daemon.json"
    bridge=$(_bridge_create "$dir" "$name")
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
    _await_api "$name" "$dir"
}

host_destroy() {
    local name=$1 dir="$STOWAGE_WORK/$1" bridges
    [ -d "$dir" ] || return 0
    bridges=$(_network_bridges "$dir")
    [ -x "$dir/stop.sh" ] && "$dir/stop.sh"
    _teardown "$dir" "$bridges" $(sed -n 's/.*"data-root": "\(.*\)".*/\1/p' "$dir/daemon.json" 2>/dev/null)
}
