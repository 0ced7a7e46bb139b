#!/usr/bin/env bash
# The git mirror benchmark of docs/benchmarks.md (section 5): roma-dr's git mirror activities (JGit: fetchPrimary +
# pushBackup through a per-plan cache) vs `git clone --mirror` + `git push --mirror` (first mirror) and `git fetch` +
# `git push --mirror` (incremental, no change), on a generated repository served by `git daemon`, a fresh empty
# backup per round, alternating order; also the first mirror's client-side CPU (the JVM vs the git commands, from
# /proc, so Linux only). Prints a markdown block and writes it to bench-out/git-mirror.md.
#
# Usage: bench/git-mirror-benchmark.sh [COMMITS] [ROUNDS]   (defaults: 10000 commits, 3 rounds)
# Needs: Java 17, git (with git daemon and git fast-import, both in Debian's git package), Maven (offline).
set -euo pipefail
cd "$(dirname "$0")/.."

commits=${1:-10000}
rounds=${2:-3}

cp=$(bench/classpath.sh)

mkdir -p bench-out
java -cp "$cp" io.romadr.activities.git.GitMirrorBenchmark "$commits" "$rounds" | tee bench-out/git-mirror.md.tmp
echo >> bench-out/git-mirror.md.tmp
echo "Command: \`bench/git-mirror-benchmark.sh $commits $rounds\`" | tee -a bench-out/git-mirror.md.tmp
mv bench-out/git-mirror.md.tmp bench-out/git-mirror.md
