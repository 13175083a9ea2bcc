#!/bin/sh
# Runs once, when the postgres container creates its data directory (docker-entrypoint-initdb.d):
# the app's own login role. POSTGRES_USER (mpp) owns the schema and runs the migrations
# (MIGRATION_DATABASE_URL); the app connects as mpp_app, which the migrations grant data rights
# only: it cannot alter tables nor update or delete audit records (docs/operations.md).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE mpp_app LOGIN PASSWORD '${APP_DB_PASSWORD:-mpp_app}';
SQL
