#!/usr/bin/env bash
# The secrets benchmark of docs/benchmarks.md (section 12, "secret change -> exported"): a value changed in Vault
# (OpenBao dev server) or Secrets Manager (moto) until an encrypted export holding it is committed, with the plan's
# secrets watch polling every 10 s vs the same export started at once by a client, alternating, in one JVM.
# Prints a markdown block to stdout and writes it to bench-out/secrets-watch.md.
#
# Usage: bench/secrets-watch-benchmark.sh [CHANGES]   (default 50 changes per side)
# Needs: bao (OpenBao) and moto_server as the tests find them, gpg, Java 17; builds drills/target/roma-dr-drills.jar
# if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

changes=${1:-50}
jar=drills/target/roma-dr-drills.jar
if [ ! -f "$jar" ]; then
  echo "secrets-watch-benchmark: $jar missing, building it" >&2
  ./mvnw -q -B package -DskipTests >&2
fi
mkdir -p bench-out
export ROMA_BENCH_COMMAND="bench/secrets-watch-benchmark.sh $changes"
set +e
java -cp "$jar" io.romadr.bench.SecretsWatchBenchmark --changes "$changes" | tee bench-out/secrets-watch.md.tmp
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  rm -f bench-out/secrets-watch.md.tmp
  echo "secrets-watch-benchmark: the benchmark failed (exit $status)" >&2
  exit "$status"
fi
mv bench-out/secrets-watch.md.tmp bench-out/secrets-watch.md
