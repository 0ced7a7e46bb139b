#!/usr/bin/env bash
# The snapshot benchmark of docs/benchmarks.md (section 3): roma-dr's ArchiveWriter (tar -> parallel gzip -> SHA-256)
# vs `tar czf - DIR > /dev/null` on the same generated directory, alternating rounds, with a small fixed heap to show
# memory does not grow with the data. Prints a markdown block and writes it to bench-out/snapshot.md.
#
# Usage: bench/snapshot-benchmark.sh [SIZE_MIB] [ROUNDS] [HEAP]   (defaults: 1024 MiB, 3 rounds, 256m)
# Needs: Java 17, tar, gzip, Maven (offline repository is enough). Data goes to a temp dir (removed afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=${1:-1024}
rounds=${2:-3}
heap=${3:-256m}

cp=$(bench/classpath.sh)

data=$(mktemp -d "${TMPDIR:-/tmp}/roma-snapshot-bench.XXXXXX")
trap 'rm -rf "$data"' EXIT
# 8 MiB files, cycling: random bytes (incompressible), base64 text (~75 %), numbered log lines (very compressible)
files=$(( (size_mib + 7) / 8 ))
echo "snapshot-benchmark: generating $files x 8 MiB files in $data" >&2
set +o pipefail # head closes the generators early on purpose
for i in $(seq 1 "$files"); do
  d="$data/dir$(( i % 16 ))"
  mkdir -p "$d"
  case $(( i % 3 )) in
    0) head -c 8M /dev/urandom > "$d/random-$i.bin" ;;
    1) head -c 6M /dev/urandom | base64 | head -c 8M > "$d/text-$i.txt" ;;
    2) seq -f "%g 2026-11-26T22:00:00Z roma state line with some repeated payload" 1 1000000 | head -c 8M > "$d/log-$i.log" ;;
  esac
done
set -o pipefail
sync

mkdir -p bench-out
java -Xmx"$heap" -cp "$cp" io.romadr.activities.archive.ArchiveBenchmark "$data" "$rounds" | tee bench-out/snapshot.md.tmp
echo >> bench-out/snapshot.md.tmp
echo "Command: \`bench/snapshot-benchmark.sh $size_mib $rounds $heap\`" | tee -a bench-out/snapshot.md.tmp
mv bench-out/snapshot.md.tmp bench-out/snapshot.md
