#!/usr/bin/env bash
# The plain shell way to recover a service: `docker restart` its containers, then poll its health URL(s) every
# 0.1 s until each answers HTTP 200. The baseline of bench/restart-benchmark.sh.
#
# Usage: bench/restart-baseline.sh CONTAINER... URL...
#   Arguments starting with http:// or https:// are health URLs; the others are container names.
# Env:   DEADLINE_SECONDS (default 60), STOP_TIMEOUT (default 10, passed to `docker restart -t`).
# Exit:  0 when every URL answered 200 before the deadline; 1 if not; 2 on bad usage or missing tools.
set -euo pipefail

deadline_s=${DEADLINE_SECONDS:-60}
stop_timeout=${STOP_TIMEOUT:-10}
containers=()
urls=()
for arg in "$@"; do
  case "$arg" in
    http://*|https://*) urls+=("$arg") ;;
    *) containers+=("$arg") ;;
  esac
done
if [ ${#containers[@]} -eq 0 ] || [ ${#urls[@]} -eq 0 ]; then
  echo "usage: $0 CONTAINER... URL..." >&2
  exit 2
fi
command -v docker >/dev/null || { echo "restart-baseline: docker CLI not found" >&2; exit 2; }
command -v curl >/dev/null || { echo "restart-baseline: curl not found" >&2; exit 2; }

docker restart -t "$stop_timeout" "${containers[@]}" >/dev/null

end=$((SECONDS + deadline_s))
pending=("${urls[@]}")
while :; do
  still=()
  for url in "${pending[@]}"; do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true)
    [ "$code" = "200" ] || still+=("$url")
  done
  [ ${#still[@]} -eq 0 ] && exit 0
  if [ "$SECONDS" -ge "$end" ]; then
    echo "restart-baseline: not healthy after ${deadline_s}s: ${still[*]}" >&2
    exit 1
  fi
  pending=("${still[@]}")
  sleep 0.1
done
