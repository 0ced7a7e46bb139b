#!/usr/bin/env bash
# The worker capacity benchmark of docs/benchmarks.md: for each N, N killed sandbox services and N Scenario 1
# recoveries started at once against ONE worker JVM (the worker jar, its default tuning, -Xmx) on the Temporal
# server built from its Go module with PostgreSQL. Prints a markdown block to stdout and writes it to
# bench-out/worker-capacity.md.
#
# Usage: bench/worker-capacity-benchmark.sh [COUNTS] [more WorkerCapacityBenchmark options]
#   COUNTS: comma-separated N values (default 1,10,50,100,250,500; keep 1 first: it is the baseline)
#   e.g.    bench/worker-capacity-benchmark.sh 1,10 --xmx 256m --watch 30s --docker-threads 4
# Needs: a reachable Docker engine, Java 17, the Go tools of scripts/tools (ROMA_DR_TOOLS, default
# ~/.cache/roma-dr/tools) and PostgreSQL with the role roma_dr_test (scripts/test starts both; ROMA_DR_POSTGRES,
# ROMA_DR_POSTGRES_USER, ROMA_DR_POSTGRES_PASSWORD to use another). Builds the worker jar and the classes it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

counts=${1:-1,10,50,100,250,500}
shift || true

for tool in java docker; do
  command -v "$tool" >/dev/null || { echo "worker-capacity-benchmark: $tool not found on PATH" >&2; exit 2; }
done
if ! docker info >/dev/null 2>&1; then
  echo "worker-capacity-benchmark: Docker engine not reachable (docker info failed); start dockerd first" >&2
  exit 2
fi
tools=${ROMA_DR_TOOLS:-$HOME/.cache/roma-dr/tools}
if [ ! -x "$tools/bin/temporal-server" ]; then
  echo "worker-capacity-benchmark: $tools/bin/temporal-server missing; build it with scripts/tools" >&2
  exit 2
fi

./mvnw -q -B -o -pl worker -am package -DskipTests >&2
cp=$(bench/classpath.sh)

mkdir -p bench-out
export ROMA_BENCH_COMMAND="bench/worker-capacity-benchmark.sh $counts${*:+ $*}"
set +e
java -Xmx512m -cp "$cp" io.romadr.bench.WorkerCapacityBenchmark --counts "$counts" \
  --worker-jar worker/target/roma-dr-worker.jar "$@" | tee bench-out/worker-capacity.md.tmp
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  rm -f bench-out/worker-capacity.md.tmp
  echo "worker-capacity-benchmark: the benchmark failed (exit $status)" >&2
  exit "$status"
fi
mv bench-out/worker-capacity.md.tmp bench-out/worker-capacity.md
