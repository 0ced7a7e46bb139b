#!/usr/bin/env bash
# The backup benchmarks of docs/benchmarks.md, sections 3 and 4, measured by one script in one run: the snapshot
# benchmark (bench/snapshot-benchmark.sh), then the OpenPGP benchmark (bench/pgp-benchmark.sh). Each writes its own
# block (bench-out/snapshot.md, bench-out/pgp.md); both are concatenated into bench-out/backup.md.
#
# Usage: bench/backup-benchmarks.sh [SNAPSHOT_MIB] [PGP_MIB] [ROUNDS] [HEAP]   (defaults: 1024, 200, 3, 256m)
set -euo pipefail
cd "$(dirname "$0")/.."

snapshot_mib=${1:-1024}
pgp_mib=${2:-200}
rounds=${3:-3}
heap=${4:-256m}

bench/snapshot-benchmark.sh "$snapshot_mib" "$rounds" "$heap"
bench/pgp-benchmark.sh "$pgp_mib" "$rounds" "$heap"
{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/backup-benchmarks.sh $snapshot_mib $pgp_mib $rounds $heap\`"
  echo
  cat bench-out/snapshot.md
  echo
  cat bench-out/pgp.md
} > bench-out/backup.md
echo "backup-benchmarks: both results in bench-out/backup.md" >&2
