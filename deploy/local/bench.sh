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
bench="$(swift build -c release --show-bin-path)/gbm-bench"
# Each part runs against a fresh broker: Tansu's memory engine slows down as its topics fill (Apache Kafka
# does not), so a part run after another would measure the broker's state, not the platform.
parts=(kafka outbox kafka-latency latency)
args=()
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only+=("$2"); shift 2 ;;
    --only=*) only+=("${1#--only=}"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[ ${#only[@]} -gt 0 ] && parts=("${only[@]}")
for part in "${parts[@]}"; do
  eval "$(bash deploy/local/infra.sh restart-broker)"
  "$bench" --only "$part" "${args[@]}"
done
