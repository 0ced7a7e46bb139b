#!/usr/bin/env bash
# The OpenPGP benchmark of docs/benchmarks.md (section 4): roma-dr's OpenPgpEncryptor vs `gpg --encrypt` (with
# `--compress-algo none` and with gpg's default compression) on the same generated file and the same gpg-generated
# RSA-3072 key, alternating rounds, with a small fixed heap, then the single-thread ceiling of each primitive (AES
# modes, SHA-1) and a JFR profile of roma-dr's steady state (top frames by thread). Prints a markdown block and
# writes it to bench-out/pgp.md (the JFR recording stays in bench-out/pgp.jfr).
#
# Usage: bench/pgp-benchmark.sh [SIZE_MIB] [ROUNDS] [HEAP]   (defaults: 200 MiB, 3 rounds, 256m)
# Needs: Java 17, gpg 2.2+, openssl, Maven (offline repository is enough). Data and the gpg home go to temp dirs (removed).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=${1:-200}
rounds=${2:-3}
heap=${3:-256m}

cp=$(bench/classpath.sh)

data=$(mktemp -d "${TMPDIR:-/tmp}/roma-pgp-bench.XXXXXX")
trap 'rm -rf "$data"' EXIT
# one file of 8 MiB chunks, cycling: random bytes (incompressible), base64 text (~75 %), numbered log lines (very
# compressible), as in the snapshot benchmark
chunks=$(( (size_mib + 7) / 8 ))
echo "pgp-benchmark: generating $chunks x 8 MiB chunks into $data/data.bin" >&2
set +o pipefail # head closes the generators early on purpose
for i in $(seq 1 "$chunks"); do
  case $(( i % 3 )) in
    0) head -c 8M /dev/urandom ;;
    1) head -c 6M /dev/urandom | base64 | head -c 8M ;;
    2) seq -f "%g 2026-11-26T22:00:00Z roma state line with some repeated payload" 1 1000000 | head -c 8M ;;
  esac
done > "$data/data.bin"
set -o pipefail
truncate -s "${size_mib}M" "$data/data.bin"
sync

mkdir -p bench-out
java -Xmx"$heap" -cp "$cp" io.romadr.activities.crypto.PgpBenchmark "$data/data.bin" "$rounds" | tee bench-out/pgp.md.tmp
# the profile: roma-dr alone, two warm-up rounds then 3 recorded rounds; top frames of the execution samples
java -Xmx"$heap" -cp "$cp" io.romadr.activities.crypto.PgpBenchmark "$data/data.bin" 3 roma-only bench-out/pgp.jfr
jfr print --events jdk.ExecutionSample --stack-depth 1 bench-out/pgp.jfr > "$data/samples.txt"
total=$(grep -c '^jdk.ExecutionSample' "$data/samples.txt")
{
  printf '\n#### Where roma-dr spends its CPU: JFR execution samples of the steady state (%d samples)\n\n' "$total"
  echo "| thread | top frame | share of samples |"
  echo "| --- | --- | --- |"
  awk '/sampledThread = / { split($0, q, "\""); thread = q[2] }
       /stackTrace = \[/ { getline; sub(/^ +/, ""); sub(/ line: [0-9]+.*/, ""); n[thread "\t" $0]++ }
       END { for (k in n) printf "%d\t%s\n", n[k], k }' "$data/samples.txt" | sort -rn | head -12 |
    awk -F'\t' -v all="$total" '{ printf "| %s | `%s` | %.0f %% |\n", $2, $3, 100 * $1 / all }'
} | tee -a bench-out/pgp.md.tmp
# the same serial AES chain and SHA-1 in OpenSSL's assembly, for scale (one thread, 64 KiB calls)
{
  printf '\n#### For scale: OpenSSL %s, one thread, 64 KiB calls (`openssl speed -evp`)\n\n' "$(openssl version | cut -d' ' -f2)"
  echo "| primitive | MiB/s |"
  echo "| --- | --- |"
  for algo in aes-256-cfb aes-256-cbc sha1; do
    openssl speed -elapsed -seconds 3 -bytes 65536 -evp "$algo" 2>/dev/null |
      awk -v a="$algo" '$1 ~ /^(AES|sha1)/ { sub(/k$/, "", $NF); printf "| %s | %.0f |\n", a, $NF * 1000 / 1048576 }'
  done
} | tee -a bench-out/pgp.md.tmp
echo >> bench-out/pgp.md.tmp
echo "Command: \`bench/pgp-benchmark.sh $size_mib $rounds $heap\`" | tee -a bench-out/pgp.md.tmp
mv bench-out/pgp.md.tmp bench-out/pgp.md
