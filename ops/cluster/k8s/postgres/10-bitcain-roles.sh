#!/bin/sh
# Runs once from /docker-entrypoint-initdb.d of the postgres image, on an empty data directory. The service
# roles' passwords come from the environment (Secrets / compose.env), never from this file.
set -eu
: "${CREDENTIALS_DB_PASSWORD:?}" "${SYNC_DB_PASSWORD:?}" "${MARKET_DB_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v dbname="$POSTGRES_DB" \
  -v credentials_password="$CREDENTIALS_DB_PASSWORD" \
  -v sync_password="$SYNC_DB_PASSWORD" \
  -v market_password="$MARKET_DB_PASSWORD" \
  -f /docker-entrypoint-initdb.d/init-roles.psql
