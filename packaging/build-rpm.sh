#!/bin/sh
# Builds the stowage RPM from what `mvn package` left in target/ (jar, launcher, man pages,
# completion), with rpmbuild in a private top directory. Works on RHEL and on Debian (`rpm` package).
#
#   packaging/build-rpm.sh [OUTPUT_DIR]      default OUTPUT_DIR: target/rpm
#
# Prints the path of the RPM it wrote.
set -eu

root=$(cd "$(dirname -- "$0")/.." && pwd)
target=$root/target
out=${1:-$target/rpm}

for file in "$target/stowage.jar" "$target/stowage" "$target/completion/stowage" \
        "$target/classes/dev/stowage/version.properties" "$root/README.md" "$root/LICENSE" \
        "$root/docs/json-output.md"; do
    if [ ! -f "$file" ]; then
        echo "build-rpm: $file is missing; run \`mvn package\` first" >&2
        exit 1
    fi
done
if ! ls "$target"/man/*.8 >/dev/null 2>&1; then
    echo "build-rpm: no man pages in $target/man; run \`mvn package\` first" >&2
    exit 1
fi
command -v rpmbuild >/dev/null 2>&1 || { echo "build-rpm: rpmbuild not found (Debian: apt-get install rpm)" >&2; exit 1; }

# RPM versions cannot hold '-': 0.2.0-SNAPSHOT becomes 0.2.0~SNAPSHOT, which sorts before 0.2.0.
version=$(sed -n 's/^version=//p' "$target/classes/dev/stowage/version.properties" | tr '-' '~')

top=$(mktemp -d "${TMPDIR:-/tmp}/stowage-rpmbuild.XXXXXX")
trap 'rm -rf "$top"' EXIT
stage=$top/stage/stowage-$version
mkdir -p "$stage/man" "$stage/completion" "$top/SOURCES"
cp "$target/stowage.jar" "$target/stowage" "$root/README.md" "$root/LICENSE" "$root/docs/json-output.md" "$stage/"
cp "$target"/man/*.8 "$stage/man/"
cp "$target/completion/stowage" "$stage/completion/"
cp -r "$root/packaging/ansible" "$stage/ansible"
tar -C "$top/stage" -czf "$top/SOURCES/stowage-$version.tar.gz" "stowage-$version"

# gzip payload: readable by every rpm still in use (zstd needs rpm >= 4.14).
rpmbuild -bb --quiet \
    --define "_topdir $top" \
    --define "stowage_version $version" \
    --define "_binary_payload w9.gzdio" \
    "$root/rpm/stowage.spec" >&2

mkdir -p "$out"
for rpm in "$top"/RPMS/noarch/*.rpm; do
    cp "$rpm" "$out/"
    echo "$out/$(basename -- "$rpm")"
done
