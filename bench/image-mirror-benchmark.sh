#!/usr/bin/env bash
# The image mirror benchmark of docs/benchmarks.md (section 6): roma-dr's ImageMirror (registry to registry over
# the OCI distribution API) vs `docker pull` + `docker tag` + `docker push` through the local engine, on the same
# locally built image in a primary docker-registry, a fresh backup registry per round, alternating order; plus the
# time and bytes of the no-change rerun. Prints a markdown block and writes it to bench-out/image-mirror.md.
#
# Usage: bench/image-mirror-benchmark.sh [SIZE_MIB] [LAYERS] [ROUNDS]   (defaults: 200 MiB, 4 layers, 3 rounds)
# ROMA_MIRROR_PARALLELISM overrides how many blobs ImageMirror copies at once (default 4).
# Needs: Java 17, a running Docker engine and CLI, Debian's docker-registry, a static busybox, Maven (offline).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=${1:-200}
layers=${2:-4}
rounds=${3:-3}

cp=$(bench/classpath.sh)

mkdir -p bench-out
java -Djdk.httpclient.bufsize=262144 ${ROMA_MIRROR_PARALLELISM:+-Droma.mirror.parallelism=$ROMA_MIRROR_PARALLELISM} -cp "$cp" io.romadr.activities.registry.ImageMirrorBenchmark "$size_mib" "$layers" "$rounds" | tee bench-out/image-mirror.md.tmp
echo >> bench-out/image-mirror.md.tmp
echo "Command: \`bench/image-mirror-benchmark.sh $size_mib $layers $rounds\`" | tee -a bench-out/image-mirror.md.tmp
mv bench-out/image-mirror.md.tmp bench-out/image-mirror.md
