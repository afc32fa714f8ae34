#!/usr/bin/env bash
# PostgreSQL container init script (/docker-entrypoint-initdb.d): runs deploy/sql/bootstrap.sh, mounted at
# /gbm/sql/bootstrap.sh, as the superuser. It creates the gbm database, one login role per service
# (gbm_<schema>, passwords from GBM_<SCHEMA>_DB_PASSWORD) and one schema per service owned by that role.
#
# The image runs it once, when the data volume is empty, against its temporary socket-only server. bootstrap.sh is
# idempotent, so it can be run again on a running container, e.g. after changing a service's password:
#
#   docker compose exec postgres bash /docker-entrypoint-initdb.d/10-gbm-bootstrap.sh
#
# The entrypoint sources a .sh file that is not executable: everything runs in a subshell so that nothing here
# (options, variables, an exit) leaks into the entrypoint.
(
  set -euo pipefail
  export PGHOST="${GBM_BOOTSTRAP_PGHOST:-/var/run/postgresql}"
  export PGPORT="${PGPORT:-5432}"
  export PGUSER="${POSTGRES_USER:-postgres}"
  export PGPASSWORD="${POSTGRES_PASSWORD:-}"
  echo "gbm: bootstrapping database ${GBM_PG_DATABASE:-gbm} (roles and schemas) as $PGUSER"
  bash "${GBM_BOOTSTRAP_SCRIPT:-/gbm/sql/bootstrap.sh}"
)
