#!/bin/sh
# One-shot Temporal persistence setup for docker-compose.yml, run in temporalio/admin-tools before the
# server starts (the server service depends on it with condition: service_completed_successfully).
#
# This is Temporal's documented replacement for the deprecated temporalio/auto-setup image:
# temporalio/server plus a schema job with temporal-sql-tool, as in the compose files that
# docs.temporal.io/self-hosted-guide/deployment points at (github.com/temporalio/samples-server,
# compose/docker-compose-postgres.yml and compose/scripts/setup-postgres.sh).
#
# Idempotent, so it runs on every `docker compose up`: `create` fails once the database exists (and
# that failure is tolerated), `setup-schema -v 0.0` skips a database that already has a schema, and
# `update-schema` applies only the versions a newer server image brings. A database that is really
# missing or unreachable makes the schema steps fail, and so this job, and so the stack start.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS (the Postgres host) is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD (read by temporal-sql-tool) is required}"
DB_PORT="${DB_PORT:-5432}"
DBNAME="${DBNAME:-temporal}"
VISIBILITY_DBNAME="${VISIBILITY_DBNAME:-temporal_visibility}"
SCHEMA_ROOT="${TEMPORAL_HOME:-/etc/temporal}/schema/postgresql/v12"

echo "waiting for Postgres at ${POSTGRES_SEEDS}:${DB_PORT}"
tries=0
until nc -z -w 2 "$POSTGRES_SEEDS" "$DB_PORT"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "Postgres at ${POSTGRES_SEEDS}:${DB_PORT} is unreachable after 60 attempts" >&2
    exit 1
  fi
  sleep 1
done

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

setup_database() {
  db="$1"
  schema_dir="$2"
  echo "Temporal database ${db}: create (if missing), set up and update the schema from ${schema_dir}"
  sql_tool --db "$db" create || echo "database ${db} was not created (normal when it already exists)"
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$schema_dir"
}

setup_database "$DBNAME" "$SCHEMA_ROOT/temporal/versioned"
setup_database "$VISIBILITY_DBNAME" "$SCHEMA_ROOT/visibility/versioned"
echo "Temporal schema setup complete"
