#!/usr/bin/env bash
# The restart benchmark of docs/benchmarks.md section 1: the same recovery (restart the killed container, the
# service healthy again) through roma-dr, through bench/restart-baseline.sh (docker restart + health poll) and
# through bench/seed-runbook-baseline.sh (the seed's Scenario 1 runbook as a script), in turn, in one JVM process.
# Prints a markdown block to stdout and writes it to bench-out/restart.md.
#
# Usage: bench/restart-benchmark.sh [RUNS]   (default 10 runs per side)
#        bench/restart-benchmark.sh --codec [RUNS]   payloads in clear vs encrypted (section 11), to
#        bench-out/restart-codec.md
# Needs: a reachable Docker engine, the docker CLI, `docker compose` or docker-compose, curl, Java 17; builds
# drills/target/roma-dr-drills.jar if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=()
out=bench-out/restart.md
if [ "${1:-}" = --codec ]; then
  mode=(--codec)
  out=bench-out/restart-codec.md
  shift
fi
runs=${1:-10}
jar=drills/target/roma-dr-drills.jar

for tool in java docker curl; do
  command -v "$tool" >/dev/null || { echo "restart-benchmark: $tool not found on PATH" >&2; exit 2; }
done
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then
  echo "restart-benchmark: neither 'docker compose' nor docker-compose found (the seed runbook baseline needs one)" >&2
  exit 2
fi
if ! docker info >/dev/null 2>&1; then
  echo "restart-benchmark: Docker engine not reachable (docker info failed); start dockerd first" >&2
  exit 2
fi
if [ ! -f "$jar" ]; then
  echo "restart-benchmark: $jar missing, building it" >&2
  ./mvnw -q -B package -DskipTests >&2
fi

mkdir -p bench-out
export ROMA_BENCH_COMMAND="bench/restart-benchmark.sh ${mode[*]:+${mode[*]} }$runs"
set +e
java -cp "$jar" io.romadr.bench.RestartBenchmark --runs "$runs" --baseline bench/restart-baseline.sh \
  --runbook bench/seed-runbook-baseline.sh "${mode[@]}" \
  | tee "$out.tmp"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  rm -f "$out.tmp"
  echo "restart-benchmark: the benchmark failed (exit $status)" >&2
  exit "$status"
fi
mv "$out.tmp" "$out"
