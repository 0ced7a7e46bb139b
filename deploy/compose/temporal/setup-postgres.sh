#!/bin/sh
# Temporal's two databases on PostgreSQL, made and migrated by Temporal's SQL tool (temporalio/admin-tools).
# Idempotent: an existing database and its schema are kept, and update-schema applies only the versions
# newer than the database's, so every `up` may run it (and an image upgrade migrates the schema).
#   POSTGRES_SEEDS, DB_PORT, POSTGRES_USER, SQL_PASSWORD (read by temporal-sql-tool),
#   TEMPORAL_DB (default temporal), TEMPORAL_VISIBILITY_DB (default temporal_visibility)
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
schema=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" "$@"; }
for db in "${TEMPORAL_DB:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}:visibility"; do
  name=${db%%:*} dir=${db##*:}
  # both succeed on a database that already has them; a real failure (password, network) shows in update-schema
  sql --db "$name" create-database >/dev/null 2>&1 || true
  sql --db "$name" setup-schema -v 0.0 >/dev/null 2>&1 || true
  sql --db "$name" update-schema -d "$schema/$dir/versioned"
done
echo "Temporal schema ready"
