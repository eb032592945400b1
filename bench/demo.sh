#!/usr/bin/env bash
# The main job, on throwaway engines: seed an overlay2 dockerd with sample images, export them
# with stowage, import them into a second, empty dockerd that uses the vfs driver, and print the
# verification. Nothing outside $STOWAGE_WORK is touched; everything is removed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
stowage="$here/../target/stowage"
[ -x "$stowage" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }
export STOWAGE_WORK=${STOWAGE_WORK:-/var/tmp/stowage-demo}
. "$here/lib/dockerd.sh"
trap 'dockerd_stop_all; rm -rf "$STOWAGE_WORK"' EXIT
export DOCKER_BUILDKIT=0

echo "== starting two throwaway engines under $STOWAGE_WORK"
dockerd_start source overlay2
dockerd_start target vfs

echo "== seeding the source engine with sample images"
export DOCKER_HOST=$source_HOST
busybox_import demo/busybox:base
docker tag demo/busybox:base demo/busybox:latest
printf 'FROM demo/busybox:base\nRUN echo "hello from a migrated image" > /hello\nCMD ["cat", "/hello"]\n' \
    | docker build -q --network none -t demo/hello:1.0 - >/dev/null
docker tag demo/hello:1.0 demo/hello:latest
printf 'FROM demo/hello:1.0\nRUN head -c 33554432 /dev/urandom > /payload && sha256sum /payload > /payload.sha256\n' \
    | docker build -q --network none -t demo/payload:1 - >/dev/null
printf 'FROM demo/busybox:base\nRUN echo dangling > /x\n' | docker build -q --network none - >/dev/null
docker images
unset DOCKER_HOST

mig="$STOWAGE_WORK/migrate"
echo
echo "== stowage storage export (overlay2 engine -> $mig)"
"$stowage" storage export --host "$source_HOST" --dir "$mig"
echo
echo "== stowage storage import ($mig -> vfs engine)"
"$stowage" storage import --host "$target_HOST" --dir "$mig"

echo
echo "== verification"
table() { DOCKER_HOST=$1 docker images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}' | sort; }
if diff <(table "$source_HOST") <(table "$target_HOST"); then
    echo "source and target list the same tags on the same image IDs:"
    table "$target_HOST" | sed 's/^/  /'
else
    echo "MISMATCH between source and target (diff above)" >&2
    exit 1
fi
echo "target driver: $(DOCKER_HOST=$target_HOST docker info --format '{{.Driver}}')"
echo "running an imported image on the target: $(DOCKER_HOST=$target_HOST docker run --rm --network none demo/hello:1.0)"
DOCKER_HOST=$target_HOST docker run --rm --network none demo/payload:1 sha256sum -c /payload.sha256
