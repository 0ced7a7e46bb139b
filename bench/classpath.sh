#!/usr/bin/env bash
# Prints the class path of the benchmarks in module drills (its classes, the activities' test harnesses they run
# against, all dependencies), compiling what is needed first. Used by the bench/*-benchmark.sh scripts that run a
# benchmark class directly; the restart and webhook benchmarks use the drills jar instead.
# Usage: cp=$(bench/classpath.sh)   (from the repository root; Maven output goes to stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o -pl drills -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench.cp >&2
echo "drills/target/classes:$(cat drills/target/bench.cp)"
