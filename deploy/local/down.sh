#!/usr/bin/env bash
# Stops what up.sh started: the five services (SIGTERM, graceful) and then the infrastructure.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export GBM_LOCAL_DIR=${GBM_LOCAL_DIR:-$repo/.local/dev}
for service in catalogue pilot-management subsidy complaints reporting; do
  pidfile="$GBM_LOCAL_DIR/$service.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "$service stopped"
  fi
  rm -f "$pidfile"
done
bash "$repo/deploy/local/infra.sh" stop
