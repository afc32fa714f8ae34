#!/usr/bin/env bash
# The fault-injection run (issue #11): 100,000 events through outbox → relay → broker → consumer inbox while the
# consumer and the relay are SIGKILLed, the broker is paused, PostgreSQL restarts, the group is rewound and poison
# records arrive; prints per key lost / applied twice / out of order and the dead-letter check (docs/faults.md).
#
#   deploy/local/fault-run.sh [--debug] [gbm-fault-run options, e.g. --events 20000 --seconds 40]
#
# Starts its own PostgreSQL and Tansu (state in .local/faults, or $GBM_FAULTS_LOCAL_DIR), builds gbm-fault-run
# (release unless --debug), runs it, and stops what it started. Needs root (it runs pg_ctl as postgres).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export GBM_LOCAL_DIR=${GBM_FAULTS_LOCAL_DIR:-$repo/.local/faults}

configuration=release
if [ "${1:-}" = "--debug" ]; then configuration=debug; shift; fi

bash deploy/local/infra.sh install
started=0
if ! bash deploy/local/infra.sh status >/dev/null 2>&1; then started=1; fi
eval "$(bash deploy/local/infra.sh start)"
cleanup() {
  # The run restarts PostgreSQL: infra.sh stops it by the pid of the postmaster now running.
  if [ -f "$GBM_LOCAL_DIR/pg/data/postmaster.pid" ]; then head -1 "$GBM_LOCAL_DIR/pg/data/postmaster.pid" > "$GBM_LOCAL_DIR/pg.pid"; fi
  if [ "$started" = 1 ]; then bash deploy/local/infra.sh stop; fi
}
trap cleanup EXIT
# A fresh broker: the run counts every record on its topic.
eval "$(bash deploy/local/infra.sh restart-broker)"

swift build -c "$configuration" --product gbm-fault-run
"$(swift build -c "$configuration" --show-bin-path)/gbm-fault-run" run "$@"
