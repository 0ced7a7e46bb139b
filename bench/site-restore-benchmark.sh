#!/usr/bin/env bash
# The site restore benchmark of docs/benchmarks.md (section 7): Scenario 3's data restore onto a docker-provider
# server (download + SHA-256 against the manifest + every entry checked + copy in) vs the seed's own
# `docker cp` + `docker exec tar xzf` of the same archive into the same server. Alternating order, medians.
# Prints a markdown block and writes it to bench-out/site-restore.md.
#
# Usage: bench/site-restore-benchmark.sh [MIB] [ROUNDS]   (defaults: 256 MiB, 3 rounds)
# Needs: Java 17, a running Docker engine, busybox-static (for the sandbox image), Maven (offline).
set -euo pipefail
cd "$(dirname "$0")/.."

mib=${1:-256}
rounds=${2:-3}

cp=$(bench/classpath.sh)

mkdir -p bench-out
java -cp "$cp" io.romadr.activities.site.SiteRestoreBenchmark "$mib" "$rounds" | tee bench-out/site-restore.md.tmp
echo >> bench-out/site-restore.md.tmp
echo "Command: \`bench/site-restore-benchmark.sh $mib $rounds\`" | tee -a bench-out/site-restore.md.tmp
mv bench-out/site-restore.md.tmp bench-out/site-restore.md
