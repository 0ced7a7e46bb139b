#!/usr/bin/env bash
# The git push benchmark of docs/benchmarks.md (section 12, "git push -> mirrored"): push -> the backup remote has
# the commit, through a post-receive hook posting a signed push event to the worker host, against a direct git push
# to the backup remote, in alternating rounds. Prints a markdown block to stdout and writes it to
# bench-out/git-push.md.
#
# Usage: bench/git-push-benchmark.sh [PUSHES] [WARMUP]   (defaults: 50 pushes, 3 warm-up)
# Needs: git (with git daemon), openssl, curl, a reachable Docker engine (the host's health check), Java 17; runs
# on the class path of bench/classpath.sh (the local git daemon is the activities' test harness).
set -euo pipefail
cd "$(dirname "$0")/.."

pushes=${1:-50}
warmup=${2:-3}
for tool in java git openssl curl; do
  command -v "$tool" >/dev/null || { echo "git-push-benchmark: $tool not found on PATH" >&2; exit 2; }
done
cp=$(bench/classpath.sh)

mkdir -p bench-out
export ROMA_BENCH_COMMAND="bench/git-push-benchmark.sh $pushes $warmup"
set +e
java -cp "$cp" io.romadr.bench.GitPushBenchmark --pushes "$pushes" --warmup "$warmup" | tee bench-out/git-push.md.tmp
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  rm -f bench-out/git-push.md.tmp
  echo "git-push-benchmark: the benchmark failed (exit $status)" >&2
  exit "$status"
fi
mv bench-out/git-push.md.tmp bench-out/git-push.md
