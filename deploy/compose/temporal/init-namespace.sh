#!/bin/sh
# The namespace roma-dr runs in and roma-dr's search attributes on it (names and types as in
# workflows/src/main/java/io/romadr/runtime/RomaSearchAttributes.java). Idempotent: what exists is kept.
#   TEMPORAL_ADDRESS (host:port), TEMPORAL_NAMESPACE (default: default), TEMPORAL_RETENTION (default: 30d)
set -eu
ns=${TEMPORAL_NAMESPACE:-default}
t() { temporal --address "${TEMPORAL_ADDRESS:?}" "$@"; }

tries=0
until t operator cluster health >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 30 ] || { echo "Temporal at $TEMPORAL_ADDRESS is not healthy after $tries tries" >&2; exit 1; }
  sleep 2
done

if t operator namespace describe --namespace "$ns" >/dev/null 2>&1; then
  echo "namespace $ns exists"
else
  t operator namespace create --namespace "$ns" --retention "${TEMPORAL_RETENTION:-30d}"
  echo "namespace $ns created"
fi

# a namespace just created may take a moment to reach every frontend: retry the first registration
existing=$(t operator search-attribute list --namespace "$ns" 2>/dev/null || true)
for attr in RomaScenario:Keyword RomaPlan:Keyword RomaOutcome:Keyword RomaRtoBreached:Bool; do
  name=${attr%%:*} type=${attr##*:}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
    continue
  fi
  tries=0
  until t operator search-attribute create --namespace "$ns" --name "$name" --type "$type" >/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 10 ] || { echo "could not create search attribute $name on $ns" >&2; exit 1; }
    sleep 2
  done
  echo "search attribute $name ($type) created"
done
