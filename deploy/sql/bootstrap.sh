#!/usr/bin/env bash
# Creates the gbm database, one login role per service and one schema per service owned by that role.
# Idempotent. Each role may use its own schema only: no role is granted anything on another's schema.
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD) of a superuser.
# Passwords: GBM_<SCHEMA>_DB_PASSWORD (e.g. GBM_CATALOGUE_DB_PASSWORD), default "<schema>-local" for development.
set -euo pipefail
db=${GBM_PG_DATABASE:-gbm}

if [ "$(psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
  # Collation C: the code point order C.UTF-8 gives, compared as bytes rather than through strcoll (text
  # comparisons were a sixth of a bulk import's index work). Character classes stay C.UTF-8 (Unicode case).
  psql -d postgres -qc "CREATE DATABASE \"$db\" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
fi

for schema in catalogue pilot subsidy complaints reporting; do
  var="GBM_$(echo "$schema" | tr a-z A-Z)_DB_PASSWORD"
  password=${!var:-$schema-local}
  psql -d "$db" -v ON_ERROR_STOP=1 -q \
    -v role="gbm_$schema" -v schema="$schema" -v password="$password" -v db="$db" <<'SQL'
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') AS create_role \gset
\if :create_role
CREATE ROLE :"role" LOGIN PASSWORD :'password';
\else
ALTER ROLE :"role" LOGIN PASSWORD :'password';
\endif
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER SCHEMA :"schema" OWNER TO :"role";
GRANT CONNECT ON DATABASE :"db" TO :"role";
ALTER ROLE :"role" SET search_path = :"schema";
SQL
done

psql -d "$db" -v ON_ERROR_STOP=1 -q <<SQL
REVOKE ALL ON DATABASE "$db" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
SQL
