#!/usr/bin/env bash
# The notification benchmark of docs/benchmarks.md: a Scenario 1 recovery (restart of a killed container) with a plan
# that tells nobody and with one whose events go to four channels (one of them down), alternating, in one JVM.
# Prints a markdown block to stdout and writes it to bench-out/notifications.md.
#
# Usage: bench/notification-benchmark.sh [RUNS]   (default 10 runs per side)
# Needs: a reachable Docker engine, Java 17; builds drills/target/roma-dr-drills.jar if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
jar=drills/target/roma-dr-drills.jar
docker info >/dev/null 2>&1 || { echo "notification-benchmark: Docker engine not reachable; start dockerd first" >&2; exit 2; }
if [ ! -f "$jar" ]; then
  echo "notification-benchmark: $jar missing, building it" >&2
  ./mvnw -q -B package -DskipTests >&2
fi
mkdir -p bench-out
export ROMA_BENCH_COMMAND="bench/notification-benchmark.sh $runs"
set +e
java -cp "$jar" io.romadr.bench.NotificationBenchmark --runs "$runs" | tee bench-out/notifications.md.tmp
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  rm -f bench-out/notifications.md.tmp
  echo "notification-benchmark: the benchmark failed (exit $status)" >&2
  exit "$status"
fi
mv bench-out/notifications.md.tmp bench-out/notifications.md
