#!/usr/bin/env bash
# The registry event benchmark of docs/benchmarks.md (section 12, "image push -> mirrored"): a primary
# docker-registry notifies the worker host; per event a new tag of a new image is pushed and the backup registry is
# polled until it has it; baseline, alternating: the project's mirror activity called directly on the same kind of
# image. Also the registry's own notification delivery time. Prints a markdown block and writes it to
# bench-out/registry-event.md.
#
# Usage: bench/registry-event-benchmark.sh [EVENTS] [SIZE_MIB] [WARMUP]   (defaults: 50 events, 50 MiB, 2 warm-up)
# Needs: Java 17, a running Docker engine (the worker host's health check), Debian's docker-registry, Maven (offline).
set -euo pipefail
cd "$(dirname "$0")/.."

events=${1:-50}
size_mib=${2:-50}
warmup=${3:-2}

cp=$(bench/classpath.sh)

mkdir -p bench-out
set +e
ROMA_BENCH_COMMAND="bench/registry-event-benchmark.sh $events $size_mib $warmup" \
  java -Djdk.httpclient.bufsize=262144 -cp "$cp" io.romadr.bench.RegistryEventBenchmark "$events" "$size_mib" "$warmup" \
  | tee bench-out/registry-event.md.tmp
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  rm -f bench-out/registry-event.md.tmp
  echo "registry-event-benchmark: the benchmark failed (exit $status)" >&2
  exit "$status"
fi
mv bench-out/registry-event.md.tmp bench-out/registry-event.md
