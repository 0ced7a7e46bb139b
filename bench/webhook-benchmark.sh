#!/usr/bin/env bash
# The alert webhook benchmark of docs/benchmarks.md (section 2): webhook received -> workflow started over N distinct
# alerts, and kill -> healthy through a real Prometheus Alertmanager, with the worker host, an embedded Temporal and
# a sandbox service in one JVM. Prints a markdown block to stdout and writes it to bench-out/webhook.md.
#
# Usage: bench/webhook-benchmark.sh [ALERTS] [KILLS] [GROUP_WAIT_MS]   (defaults: 200 alerts, 5 kills, 1000 ms)
#        bench/webhook-benchmark.sh in-flight [IN_FLIGHT] [ROUNDS] [SERVER]
#          IN_FLIGHT alerts posted at the same instant, each starting a recovery of its own plan, against as many
#          concurrent WorkflowClient.start calls (defaults: 200 alerts, 5 rounds; SERVER embedded, or go: the Go-built
#          Temporal server with PostgreSQL, see docs/benchmarks.md section 2). Writes bench-out/webhook-in-flight.md.
# Needs: a reachable Docker engine, prometheus-alertmanager on PATH (or ROMA_DR_ALERTMANAGER), Java 17;
# builds drills/target/roma-dr-drills.jar if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=drills/target/roma-dr-drills.jar
if [ "${1:-}" = in-flight ]; then
  in_flight=${2:-200}
  rounds=${3:-5}
  server=${4:-embedded}
  command -v java >/dev/null || { echo "webhook-benchmark: java not found on PATH" >&2; exit 2; }
  if ! docker info >/dev/null 2>&1; then
    echo "webhook-benchmark: Docker engine not reachable (docker info failed); start dockerd first" >&2
    exit 2
  fi
  if [ ! -f "$jar" ]; then
    echo "webhook-benchmark: $jar missing, building it" >&2
    ./mvnw -q -B package -DskipTests >&2
  fi
  mkdir -p bench-out
  export ROMA_BENCH_COMMAND="bench/webhook-benchmark.sh in-flight $in_flight $rounds $server"
  set +e
  java -cp "$jar" io.romadr.bench.WebhookInFlightBenchmark --in-flight "$in_flight" --rounds "$rounds" \
    --server "$server" | tee bench-out/webhook-in-flight.md.tmp
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    rm -f bench-out/webhook-in-flight.md.tmp
    echo "webhook-benchmark: the benchmark failed (exit $status)" >&2
    exit "$status"
  fi
  mv bench-out/webhook-in-flight.md.tmp bench-out/webhook-in-flight.md
  exit 0
fi

alerts=${1:-200}
kills=${2:-5}
group_wait_ms=${3:-1000}

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
