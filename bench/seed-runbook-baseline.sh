#!/usr/bin/env bash
# The seed's Scenario 1 runbook ("Complete Service Failure", /work/shared/seed/disaster-recovery-plan.md) typed as a
# script, the way an SRE would run it for a crashed container: assess, restart, wait until healthy, verify. A
# baseline of bench/restart-benchmark.sh, next to bench/restart-baseline.sh (restart + health poll only).
#
#   Step 1 assess:  compose ps; docker info (the seed's `systemctl status docker`: there is no systemd in a
#                   container, and the engine's answer is what that look is for); df -h; compose logs SERVICE --tail=100
#   Step 2 restart: compose restart SERVICE; then, instead of the seed's `watch -n 2 'docker compose ps ...'` (a
#                   human looking every 2 s), curl every health URL every 0.1 s until each answers 200
#   Step 4 verify:  every health URL once more, and the smoke command with compose exec -T (the seed's `pnpm test`,
#                   `pnpm roma:onthisday`, `docker compose exec roma pnpm roma --version`: here the plan's smoke check)
#   The seed's "monitor for 15 minutes" is left out, as roma-dr's plan here has watchWindow 0s.
#
# Compose is `docker compose` when the docker CLI has it, else `docker-compose` (Debian's 1.29, Python).
#
# Usage: bench/seed-runbook-baseline.sh --file COMPOSE_FILE --project PROJECT --service SERVICE \
#          --smoke SERVICE CMD... -- URL...
# Prints one line per step to stdout: `step NAME MILLIS`, then `compose COMMAND`.
# Env:   DEADLINE_SECONDS (default 60) for the wait.
# Exit:  0 when recovered and verified; 1 if not; 2 on bad usage or missing tools.
set -euo pipefail

deadline_s=${DEADLINE_SECONDS:-60}
file='' project='' service='' smoke=() urls=()
while [ $# -gt 0 ]; do
  case "$1" in
    --file) file=$2; shift 2 ;;
    --project) project=$2; shift 2 ;;
    --service) service=$2; shift 2 ;;
    --smoke) shift; while [ $# -gt 0 ] && [ "$1" != "--" ]; do smoke+=("$1"); shift; done ;;
    --) shift; urls=("$@"); break ;;
    *) echo "seed-runbook-baseline: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$file" ] || [ -z "$project" ] || [ -z "$service" ] || [ ${#smoke[@]} -lt 2 ] || [ ${#urls[@]} -eq 0 ]; then
  echo "usage: $0 --file COMPOSE_FILE --project PROJECT --service SERVICE --smoke SERVICE CMD... -- URL..." >&2
  exit 2
fi
command -v curl >/dev/null || { echo "seed-runbook-baseline: curl not found" >&2; exit 2; }
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  echo "seed-runbook-baseline: neither 'docker compose' nor docker-compose found" >&2
  exit 2
fi
dc=("${compose[@]}" -p "$project" -f "$file")

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
mark=$(now_ms)
step() { local t; t=$(now_ms); echo "step $1 $((t - mark))"; mark=$t; }

# Step 1: assess damage
"${dc[@]}" ps >/dev/null
step compose-ps
docker info >/dev/null
step docker-info
df -h >/dev/null
step df
"${dc[@]}" logs --tail=100 "$service" >/dev/null
step compose-logs

# Step 2: quick recovery
"${dc[@]}" restart "$service" >/dev/null 2>&1
step compose-restart
end=$((SECONDS + deadline_s))
pending=("${urls[@]}")
while :; do
  still=()
  for url in "${pending[@]}"; do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true)
    [ "$code" = "200" ] || still+=("$url")
  done
  [ ${#still[@]} -eq 0 ] && break
  if [ "$SECONDS" -ge "$end" ]; then
    echo "seed-runbook-baseline: not healthy after ${deadline_s}s: ${still[*]}" >&2
    exit 1
  fi
  pending=("${still[@]}")
  sleep 0.1
done
step wait-healthy

# Step 4: verify recovery
for url in "${urls[@]}"; do
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true)
  [ "$code" = "200" ] || { echo "seed-runbook-baseline: $url answered $code at verify" >&2; exit 1; }
done
"${dc[@]}" exec -T "${smoke[@]}" >/dev/null || { echo "seed-runbook-baseline: smoke check failed" >&2; exit 1; }
step verify
echo "compose ${compose[*]}"
