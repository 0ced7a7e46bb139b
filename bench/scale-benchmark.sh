#!/usr/bin/env bash
# The scale benchmark of docs/benchmarks.md (section 9): for each N, N killed sandbox services and N Scenario 1
# recoveries started at once against ONE worker JVM (the worker jar, its default tuning, -Xmx) on the Temporal
# server built from its Go module with PostgreSQL; per N the time from each start call to the first step and to
# healthy, the RTO actual as the reports state it, the worker's RSS, threads and CPU. Prints a markdown block to
# stdout and writes it to bench-out/scale.md.
#
# Usage: bench/scale-benchmark.sh [COUNTS] [more ScaleBenchmark options]
#   COUNTS: comma-separated N values (default 1,10,100,250,500,1000)
#   e.g.    bench/scale-benchmark.sh 1,10 --xmx 256m --watch 30s --docker-threads 4 --client-threads 32
# Needs: a reachable Docker engine, Java 17, the Go tools of scripts/tools (ROMA_DR_TOOLS, default
# ~/.cache/roma-dr/tools) and PostgreSQL with the role roma_dr_test (scripts/test starts both; ROMA_DR_POSTGRES,
# ROMA_DR_POSTGRES_USER, ROMA_DR_POSTGRES_PASSWORD to use another). Builds the worker jar and the classes it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

counts=${1:-1,10,100,250,500,1000}
shift || true

for tool in java docker; do
  command -v "$tool" >/dev/null || { echo "scale-benchmark: $tool not found on PATH" >&2; exit 2; }
done
if ! docker info >/dev/null 2>&1; then
  echo "scale-benchmark: Docker engine not reachable (docker info failed); start dockerd first" >&2
  exit 2
fi
tools=${ROMA_DR_TOOLS:-$HOME/.cache/roma-dr/tools}
if [ ! -x "$tools/bin/temporal-server" ]; then
  echo "scale-benchmark: $tools/bin/temporal-server missing; build it with scripts/tools" >&2
  exit 2
fi

./mvnw -q -B -o -pl worker -am package -DskipTests >&2
cp=$(bench/classpath.sh)

mkdir -p bench-out
export ROMA_BENCH_COMMAND="bench/scale-benchmark.sh $counts${*:+ $*}"
set +e
java -Xmx512m -cp "$cp" io.romadr.bench.ScaleBenchmark --counts "$counts" \
  --worker-jar worker/target/roma-dr-worker.jar "$@" | tee bench-out/scale.md.tmp
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  rm -f bench-out/scale.md.tmp
  echo "scale-benchmark: the benchmark failed (exit $status)" >&2
  exit "$status"
fi
mv bench-out/scale.md.tmp bench-out/scale.md
