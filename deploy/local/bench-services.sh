#!/usr/bin/env bash
# Service benchmarks over real HTTP (release build, wrk), against a private local infrastructure
# (.local/bench-services). Arguments go to bench_services.py, e.g. --only pilot --seconds 10, --only subsidy or
# --only reporting --events 200000 --replay-events 1000000.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export GBM_LOCAL_DIR=$repo/.local/bench-services
# wrk drives HTTP; kcat reads the subsidy claims and pilot activities topics (pgbench comes with PostgreSQL, which
# infra.sh installs; the reporting part's producer and raw reader use confluent-kafka from the venv, GBM_PYTHON).
for tool in wrk kcat; do
  if ! command -v "$tool" >/dev/null; then
    echo "[bench] installing $tool"
    apt-get install -y "$tool" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$tool" >/dev/null; }
  fi
done
started=0
if ! bash deploy/local/infra.sh status >/dev/null 2>&1; then
  # Every run starts from an empty database and broker: figures do not depend on earlier runs' data.
  started=1
  rm -rf "$GBM_LOCAL_DIR"
fi
eval "$(bash deploy/local/infra.sh start)"
cleanup() { if [ "$started" = 1 ]; then bash deploy/local/infra.sh stop; fi; }
trap cleanup EXIT
for product in catalogue pilot-management subsidy complaints reporting gbm-token; do swift build -c release --product "$product"; done
export GBM_BIN GBM_PSQL
GBM_BIN=$(swift build -c release --show-bin-path)
GBM_PSQL=$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
python3 deploy/local/bench_services.py "$@"
