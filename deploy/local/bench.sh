#!/usr/bin/env bash
# Runs the platform benchmarks (release build) against a private local infrastructure (.local/bench).
# Arguments go to gbm-bench, e.g. --only kafka --messages 100000.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export GBM_LOCAL_DIR=$repo/.local/bench
started=0
if ! bash deploy/local/infra.sh status >/dev/null 2>&1; then started=1; fi
eval "$(bash deploy/local/infra.sh start)"
cleanup() { if [ "$started" = 1 ]; then bash deploy/local/infra.sh stop; fi; }
trap cleanup EXIT
swift build -c release --product gbm-bench
"$(swift build -c release --show-bin-path)/gbm-bench" "$@"
