#!/usr/bin/env bash
# The alert webhook benchmark of docs/benchmarks.md (section 2): webhook received -> workflow started over N distinct
# alerts, and kill -> healthy through a real Prometheus Alertmanager, with the worker host, an embedded Temporal and
# a sandbox service in one JVM. Prints a markdown block to stdout and writes it to bench-out/webhook.md.
#
# Usage: bench/webhook-benchmark.sh [ALERTS] [KILLS] [GROUP_WAIT_MS]   (defaults: 200 alerts, 5 kills, 1000 ms)
# Needs: a reachable Docker engine, prometheus-alertmanager on PATH (or ROMA_DR_ALERTMANAGER), Java 17;
# builds drills/target/roma-dr-drills.jar if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

alerts=${1:-200}
kills=${2:-5}
group_wait_ms=${3:-1000}
jar=drills/target/roma-dr-drills.jar

command -v java >/dev/null || { echo "webhook-benchmark: java not found on PATH" >&2; exit 2; }
if [ -z "${ROMA_DR_ALERTMANAGER:-}" ] && ! command -v prometheus-alertmanager >/dev/null \
    && ! command -v alertmanager >/dev/null; then
  echo "webhook-benchmark: prometheus-alertmanager not found (apt-get install prometheus-alertmanager)" >&2
  exit 2
fi
if ! docker info >/dev/null 2>&1; then
  echo "webhook-benchmark: Docker engine not reachable (docker info failed); start dockerd first" >&2
  exit 2
fi
if [ ! -f "$jar" ]; then
  echo "webhook-benchmark: $jar missing, building it" >&2
  ./mvnw -q -B package -DskipTests >&2
fi

mkdir -p bench-out
export ROMA_BENCH_COMMAND="bench/webhook-benchmark.sh $alerts $kills $group_wait_ms"
set +e
java -cp "$jar" io.romadr.bench.WebhookBenchmark --alerts "$alerts" --kills "$kills" \
  --group-wait-ms "$group_wait_ms" | tee bench-out/webhook.md.tmp
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  rm -f bench-out/webhook.md.tmp
  echo "webhook-benchmark: the benchmark failed (exit $status)" >&2
  exit "$status"
fi
mv bench-out/webhook.md.tmp bench-out/webhook.md
