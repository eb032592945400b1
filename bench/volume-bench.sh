#!/usr/bin/env bash
# volume-bench.sh - Stowage's volume archive (TreeWriter / TreeExtractor) against GNU tar on the
# same data, in one run, interleaved (A B A B), so that the shared machine's drift hits both sides.
#
# Usage:  mvn -B package -DskipTests && SCALE=1 bench/volume-bench.sh
#
# Environment (all optional):
#   SCALE       size multiplier (default 1: 50,000 small files in 500 dirs, a 512 MiB random file,
#               a 1 GiB sparse file with three small data islands). 0.1 gives a quick run.
#   ROUNDS      interleaved rounds per case (default 5; this machine is shared, so one round is noise)
#   BENCH_DIR   scratch directory on the disk to measure (default /var/tmp/stowage-volume-bench).
#               The fixture, the archives and the extractions live on a new ext4 filesystem made for
#               each run on a loop device (BENCH_DIR/fs, sparse image of FS_SIZE, default 16G), so no
#               timed step pays for inodes an earlier step or run freed (see fresh_fs in lib/dockerd.sh)
#   JAR         stowage jar (default target/stowage.jar next to this script's repo)
#   JAVA_OPTS   JVM options for the stowage side (default: the launcher's, packaging/stowage)
#   STOWAGE_CDS 0 runs the stowage side without a class-data archive; by default, as the installed
#               launcher does after a host's first run, it uses one (recorded here by an untimed run
#               per operation before the timed rounds)
#
# Cases: archive a directory to a file, and extract that file into a fresh directory, without and
# with zstd. Stowage runs `java ... dev.stowage.archive.TreeTool` with the launcher's JVM flags
# (JVM start-up included); tar runs `tar --xattrs --xattrs-include='*' --acls --sparse -p
# --numeric-owner` (and `-I 'zstd -T0 -3'`). Both extractions end with a sync of the target
# filesystem (Stowage's extractor does syncfs itself; tar is followed by `sync -f`), and every
# timed step starts after a `sync`, so neither side pays the other's write-back. Each extraction
# goes into a new sibling directory: refilling a just-emptied directory is 2-4x slower on ext4.
#
# Prints per case: median and best (minimum) seconds, MB/s (median) over the allocated fixture size,
# peak RSS (/usr/bin/time %M), archive bytes; then the throughput ratio stowage/tar (target >= 0.9)
# as the median of the per-round paired ratios and as the ratio of the best runs, the byte ratio
# (target <= 1.0 with zstd), and whether each extraction reproduced the fixture's tree digest.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
SCALE=${SCALE:-1}
ROUNDS=${ROUNDS:-5}
BENCH_DIR=${BENCH_DIR:-/var/tmp/stowage-volume-bench}
JAR=${JAR:-$here/../target/stowage.jar}
read -r -a JAVA_OPTS_ARRAY <<< "${JAVA_OPTS:--XX:+UseSerialGC -Xmx192m -XX:CompileThresholdScaling=5 -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr}"
JAVA=(java "${JAVA_OPTS_ARRAY[@]}" -cp "$JAR")
TAR_OPTS=(--xattrs "--xattrs-include=*" --acls --sparse -p --numeric-owner)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ -f "$JAR" ] || die "no $JAR: run 'mvn -B package -DskipTests' first"
[ "$(id -u)" = 0 ] || die "run as root (owners, devices and trusted.* xattrs need it)"
if [ ! -x /usr/bin/time ]; then
    log "installing GNU time for peak-RSS figures"
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
for tool in tar zstd setfattr setfacl python3; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install tar zstd attr acl python3)"
done

scaled() { python3 -c "import sys; print(max(int($1 * float(sys.argv[1])), $2))" "$SCALE"; }
SMALL_FILES=$(scaled 50000 500)
BIG_MB=$(scaled 512 8)
SPARSE_MB=$(scaled 1024 16)
FS=$BENCH_DIR/fs
FS_SIZE=${FS_SIZE:-16G}
FIXTURE=$FS/fixture
OUT=$FS/out
SIG="files=$SMALL_FILES big=$BIG_MB sparse=$SPARSE_MB"

make_fixture() {
    log "building fixture ($SIG) in $FIXTURE"
    mkdir -p "$FIXTURE"
    ( cd "$FIXTURE" && NFILES=$SMALL_FILES python3 - <<'EOF'
import os, random
random.seed(42)
n = int(os.environ["NFILES"])
per = max(n // 500, 1)
sizes = [100, 512, 1024, 2048, 4096, 8192]
words = b"volume data log entry record index page row column value user order item payment status ".split()
owners = [(0, 0), (1000, 1000), (33, 33), (65534, 65534), (999, 100)]
made = 0
for a in range(50):
    for b in range(10):
        d = f"d{a:02d}/s{b}"
        os.makedirs(d, exist_ok=True)
        for k in range(per):
            size = sizes[(made + k) % 6]
            if (a * 10 + b) % 2 == 0:
                data = os.urandom(size)
            else:
                data = b" ".join(random.choice(words) for _ in range(size // 5))[:size]
            p = f"{d}/f_{k:04d}"
            with open(p, "wb") as f:
                f.write(data)
            uid, gid = owners[a % 5]
            os.chown(p, uid, gid)
        made += per
    os.chmod(f"d{a:02d}", [0o755, 0o750, 0o700, 0o775][a % 4])
EOF
    )
    cd "$FIXTURE"
    head -c "$((BIG_MB << 20))" /dev/urandom > big.bin
    truncate -s "${SPARSE_MB}M" sparse.img
    for at in 0 $((SPARSE_MB << 19)) $(((SPARSE_MB << 20) - 4096)); do
        head -c 4096 /dev/urandom | dd of=sparse.img bs=4096 seek=$((at / 4096)) conv=notrunc status=none
    done
    mkdir -p special
    ln -s ../d00/s0/f_0000 special/rel-symlink; ln -s /etc/passwd special/abs-symlink
    ln d10/s0/f_0000 special/hardlink-a; mkfifo special/fifo
    chmod 4755 d04/s4/f_0000; chmod 1777 d06/s6
    for f in d0*/s0/f_000*; do setfattr -n user.bench.note -v "xattr on $f" "$f"; done
    setfacl -m u:1000:rwx,g:33:r-x d11 && setfacl -d -m u:1000:rwx d11
    touch -d '2001-02-03 04:05:06.123456789' d08/s8/f_0000
    cd - >/dev/null
}

run=0
# timed NAME CMD... : runs CMD after a sync, records "seconds peak_kb user sys" into $BENCH_DIR/times/NAME
timed() {
    local name=$1; shift
    sync
    /usr/bin/time -f '%e %M %U %S' -o "$BENCH_DIR/times/.last" "$@" >/dev/null 2>"$BENCH_DIR/times/.err" \
        || { cat "$BENCH_DIR/times/.err" >&2; die "$name failed"; }
    cat "$BENCH_DIR/times/.last" >> "$BENCH_DIR/times/$name"
}

# cds OP: the JVM option that maps the class-data archive recorded for OP, if there is one
cds() { [ -f "$BENCH_DIR/cds-$1.jsa" ] && echo "-XX:SharedArchiveFile=$BENCH_DIR/cds-$1.jsa" || echo "-Xshare:auto"; }
stowage_archive() {
    timed "$1" java "${JAVA_OPTS_ARRAY[@]}" "$(cds archive)" -cp "$JAR" dev.stowage.archive.TreeTool archive \
        "$FIXTURE" "$2" "$3"
}
stowage_extract() {
    timed "$1" java "${JAVA_OPTS_ARRAY[@]}" "$(cds extract)" -cp "$JAR" dev.stowage.archive.TreeTool extract "$2" "$3"
}
tar_archive() {
    if [ "$3" = zstd ]; then
        timed "$1" tar "${TAR_OPTS[@]}" -I 'zstd -T0 -3' -C "$FIXTURE" -cf "$2" .
    else
        timed "$1" tar "${TAR_OPTS[@]}" -C "$FIXTURE" -cf "$2" .
    fi
}
tar_extract() {
    local zopt=""
    [ "$4" = zstd ] && zopt="-I 'zstd -T0 -3'"
    timed "$1" sh -c "tar ${TAR_OPTS[*]@Q} $zopt -C '$3' -xf '$2' && sync -f '$3'"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$BENCH_DIR/times/$1"; }

. "$here/lib/dockerd.sh"
mkdir -p "$BENCH_DIR"
trap 'fresh_fs_remove "$FS"' EXIT
fresh_fs "$FS" "$FS_SIZE"
make_fixture
rm -rf "$BENCH_DIR/times" "$BENCH_DIR/fixture" "$BENCH_DIR/out" "$BENCH_DIR/w"
mkdir -p "$BENCH_DIR/times" "$OUT"
rm -f "$BENCH_DIR"/cds-*.jsa
if [ "${STOWAGE_CDS:-1}" != 0 ]; then
    log "recording class-data archives (untimed), as the launcher does on a host's first run"
    java "${JAVA_OPTS_ARRAY[@]}" -XX:ArchiveClassesAtExit="$BENCH_DIR/cds-archive.jsa" -cp "$JAR" \
        dev.stowage.archive.TreeTool archive "$FIXTURE" "$OUT/cds.tar.zst" zstd >/dev/null 2>&1
    mkdir "$OUT/x-cds"
    java "${JAVA_OPTS_ARRAY[@]}" -XX:ArchiveClassesAtExit="$BENCH_DIR/cds-extract.jsa" -cp "$JAR" \
        dev.stowage.archive.TreeTool extract "$OUT/cds.tar.zst" "$OUT/x-cds" >/dev/null 2>&1
    rm -rf "$OUT/cds.tar.zst" "$OUT/x-cds"
fi
ALLOC=$(du -sB1 "$FIXTURE" | cut -f1)
want=$("${JAVA[@]}" dev.stowage.archive.TreeTool digest "$FIXTURE")
log "fixture: $(find "$FIXTURE" | wc -l) entries, $((ALLOC >> 20)) MiB allocated, digest $want"

declare -A digests
for round in $(seq 1 "$ROUNDS"); do
    for mode in none zstd; do
        ext=tar; [ "$mode" = zstd ] && ext=tar.zst
        log "round $round, $mode: archive (stowage, tar)"
        stowage_archive "stowage-archive-$mode" "$OUT/stowage.$ext" "$mode"
        tar_archive "tar-archive-$mode" "$OUT/gnutar.$ext" "$mode"
        stat -c %s "$OUT/stowage.$ext" > "$BENCH_DIR/times/stowage-bytes-$mode"
        stat -c %s "$OUT/gnutar.$ext" > "$BENCH_DIR/times/tar-bytes-$mode"
        log "round $round, $mode: extract (stowage, tar)"
        run=$((run + 1)); a="$OUT/x-stowage-$run"; mkdir "$a"
        stowage_extract "stowage-extract-$mode" "$OUT/stowage.$ext" "$a"
        run=$((run + 1)); b="$OUT/x-tar-$run"; mkdir "$b"
        tar_extract "tar-extract-$mode" "$OUT/gnutar.$ext" "$b" "$mode"
        digests[stowage-$mode]=$("${JAVA[@]}" dev.stowage.archive.TreeTool digest "$a")
        digests[tar-$mode]=$("${JAVA[@]}" dev.stowage.archive.TreeTool digest "$b")
        rm -rf "$a" "$b"
    done
done

printf '\n%-13s %-8s %8s %8s %8s %8s %9s %14s   %s\n' case side median best MB/s cpu_s peak_MiB archive_bytes digest
for mode in none zstd; do
    for op in archive extract; do
        for side in stowage tar; do
            secs=$(col "$side-$op-$mode" 1 | median); best=$(col "$side-$op-$mode" 1 | sort -n | head -1)
            rss=$(col "$side-$op-$mode" 2 | sort -n | tail -1)
            match="-"; [ "$op" = extract ] && { [ "${digests[$side-$mode]}" = "$want" ] && match=equal || match=DIFFERENT; }
            cpu=$(awk '{print $3 + $4}' "$BENCH_DIR/times/$side-$op-$mode" | median)
            printf '%-13s %-8s %8.2f %8.2f %8.1f %8.2f %9.1f %14s   %s\n' "$op/$mode" "$side" "$secs" "$best" \
                "$(awk -v b="$ALLOC" -v s="$secs" 'BEGIN {print b / 1048576 / s}')" "$cpu" \
                "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$(cat "$BENCH_DIR/times/$side-bytes-$mode")" "$match"
        done
        paired=$(paste -d' ' <(col "tar-$op-$mode" 1) <(col "stowage-$op-$mode" 1) | awk '{print $1 / $2}' | median)
        bestratio=$(awk -v t="$(col "tar-$op-$mode" 1 | sort -n | head -1)" \
            -v s="$(col "stowage-$op-$mode" 1 | sort -n | head -1)" 'BEGIN {printf "%.2f", t / s}')
        printf '%-13s throughput stowage/tar: median of paired rounds %.2fx, best vs best %sx\n' \
            "$op/$mode" "$paired" "$bestratio"
    done
    sb=$(cat "$BENCH_DIR/times/stowage-bytes-$mode"); tb=$(cat "$BENCH_DIR/times/tar-bytes-$mode")
    printf '%-13s bytes stowage/tar = %s\n' "$mode" "$(awk -v a="$sb" -v b="$tb" 'BEGIN {printf "%.4f", a / b}')"
done
echo "targets: throughput ratio >= 0.90; zstd bytes ratio <= 1.0; digest: tree digest of each extraction vs the fixture"
echo "cpu_s: median user+sys seconds; each stowage run includes a cold JVM (start-up and JIT, ~1.5 s of CPU)"
echo "class-data archive: $([ -f "$BENCH_DIR/cds-archive.jsa" ] && echo used || echo "not used (STOWAGE_CDS=0)")"

# Warm: the export and import phases archive every volume in one JVM, so start-up and JIT are paid
# once per run, not per volume. Here stowage repeats each operation 3 times in one JVM (the last two
# count), next to two tar runs.
log "warm runs (one JVM, 3 repetitions; tar twice)"
for mode in none zstd; do
    ext=tar; [ "$mode" = zstd ] && ext=tar.zst
    STOWAGE_TREE_REPEAT=3 "${JAVA[@]}" dev.stowage.archive.TreeTool archive "$FIXTURE" "$OUT/warm.$ext" "$mode" \
        2> "$BENCH_DIR/times/warm-archive-$mode.log" >/dev/null
    rm -f "$OUT/warm.$ext".[12]
    tar_archive "warmtar-archive-$mode" "$OUT/gnutar2.$ext" "$mode"
    tar_archive "warmtar-archive-$mode" "$OUT/gnutar2.$ext" "$mode"
    sync
    STOWAGE_TREE_REPEAT=3 "${JAVA[@]}" dev.stowage.archive.TreeTool extract "$OUT/warm.$ext.3" \
        "$OUT/x-warm-$mode" 2> "$BENCH_DIR/times/warm-extract-$mode.log" >/dev/null
    for k in 1 2; do
        run=$((run + 1)); b="$OUT/x-tar-$run"; mkdir "$b"
        tar_extract "warmtar-extract-$mode" "$OUT/gnutar2.$ext" "$b" "$mode"
    done
    for op in archive extract; do
        s=$(grep -E '^run [23]:' "$BENCH_DIR/times/warm-$op-$mode.log" | awk '{print $3}' | median)
        t=$(col "warmtar-$op-$mode" 1 | median)
        printf 'warm %-13s stowage %6.2f s  tar %6.2f s  throughput stowage/tar %sx\n' "$op/$mode" "$s" "$t" \
            "$(awk -v s="$s" -v t="$t" 'BEGIN {printf "%.2f", t / s}')"
    done
    rm -rf "$OUT"/x-*
done
echo "per-round seconds: $BENCH_DIR/times"
