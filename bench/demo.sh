#!/usr/bin/env bash
# The main job, on a throwaway engine: a dockerd configured through its own daemon.json (overlay2),
# seeded with images, containers (running and exited), a volume and a user network, is migrated by
# `stowage storage migrate` to another driver (vfs) and a new data-root, then verified. Nothing
# outside $STOWAGE_WORK is touched; everything is removed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
stowage="$here/../target/stowage"
[ -x "$stowage" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }
export STOWAGE_WORK=${STOWAGE_WORK:-/var/tmp/stowage-demo}
. "$here/lib/dockerd.sh"
. "$here/lib/host.sh"
trap 'host_destroy demo; rm -rf "$STOWAGE_WORK"' EXIT
export DOCKER_BUILDKIT=0
port=$((20000 + RANDOM % 20000))

echo "== a throwaway engine: overlay2 on $STOWAGE_WORK/old-root (settings in its daemon.json)"
host_create demo overlay2 "$STOWAGE_WORK/old-root"
export DOCKER_HOST=$demo_HOST
busybox_import demo/busybox:base
printf 'FROM demo/busybox:base\nRUN echo "hello from a migrated host" > /index.html\n' \
    | docker build -q --network none -t demo/web:1.0 - >/dev/null
printf 'FROM demo/web:1.0\nRUN head -c 33554432 /dev/urandom > /payload && sha256sum /payload > /payload.sha256\n' \
    | docker build -q --network none -t demo/payload:1 - >/dev/null
docker network create --subnet "10.$((RANDOM % 200 + 20)).$((RANDOM % 250)).0/24" demo-net >/dev/null
docker volume create demo-data >/dev/null
docker run -d --name web --restart unless-stopped -p "127.0.0.1:$port:80" -v demo-data:/data \
    --network demo-net --network-alias www demo/web:1.0 sh -c 'date > /data/started; exec httpd -f -p 80 -h /' >/dev/null
docker run --name job -v demo-data:/data demo/payload:1 sh -c 'sha256sum -c /payload.sha256 > /data/check; rm /bin/vi' >/dev/null
docker ps -a --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}\t{{.Ports}}'
for i in $(seq 1 20); do answer=$(curl -s "http://127.0.0.1:$port/index.html" || true); [ -n "$answer" ] && break; sleep 0.5; done
echo "web answers: $answer"
unset DOCKER_HOST

echo
echo "== stowage storage migrate --driver vfs --data-root $STOWAGE_WORK/new-root"
"$stowage" storage migrate --host "$demo_HOST" --dir "$STOWAGE_WORK/migrate" \
    --driver vfs --data-root "$STOWAGE_WORK/new-root" --config-file "$demo_DIR/daemon.json" \
    --stop-command "$demo_DIR/stop.sh" --start-command "$demo_DIR/start.sh" --daemon-log "$demo_DIR/dockerd.log" --yes

echo
echo "== verification"
"$stowage" storage verify --host "$demo_HOST" --dir "$STOWAGE_WORK/migrate"
export DOCKER_HOST=$demo_HOST
echo "the engine now runs: $(docker info --format '{{.Driver}} on {{.DockerRootDir}}')"
docker ps -a --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}\t{{.Ports}}'
for i in $(seq 1 20); do answer=$(curl -s "http://127.0.0.1:$port/index.html" || true); [ -n "$answer" ] && break; sleep 0.5; done
echo "web answers again: $answer"
[ -n "$answer" ] || { echo "the web container does not answer after the migration" >&2; exit 1; }
docker run --rm -v demo-data:/data demo/busybox:base cat /data/check
