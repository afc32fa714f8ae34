#!/usr/bin/env bash
# Starts the whole system on the embedded default: local PostgreSQL, the Tansu broker and the five
# services, with seed data loaded on first start. State and logs in .local/dev; stop with down.sh.
#   GBM_BUILD_CONFIGURATION=release deploy/local/up.sh   for an optimised build (default: debug)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export GBM_LOCAL_DIR=${GBM_LOCAL_DIR:-$repo/.local/dev}
configuration=${GBM_BUILD_CONFIGURATION:-debug}

eval "$(bash deploy/local/infra.sh start)"
swift build -c "$configuration"
bin=$(swift build -c "$configuration" --show-bin-path)
mkdir -p "$GBM_LOCAL_DIR/logs"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
declare -A schema=([catalogue]=catalogue [pilot-management]=pilot [subsidy]=subsidy [complaints]=complaints [reporting]=reporting)
for service in catalogue pilot-management subsidy complaints reporting; do
  pidfile="$GBM_LOCAL_DIR/$service.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then continue; fi
  port=$(free_port)
  GBM_DEVELOPMENT=true GBM_HTTP_PORT=$port GBM_SEEDS_DIR="$repo/seeds" GBM_DB_USER="gbm_${schema[$service]}" \
    GBM_DB_PASSWORD="${schema[$service]}-local" \
    nohup "$bin/$service" > "$GBM_LOCAL_DIR/logs/$service.log" 2>&1 &
  echo $! > "$pidfile"
  echo "$port" > "$GBM_LOCAL_DIR/$service.port"
done

for service in catalogue pilot-management subsidy complaints reporting; do
  port=$(cat "$GBM_LOCAL_DIR/$service.port")
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$(cat "$GBM_LOCAL_DIR/$service.pid")" 2>/dev/null; then
      echo "$service exited; its log:"; tail -20 "$GBM_LOCAL_DIR/logs/$service.log"; exit 1
    fi
    sleep 0.5
  done
  echo "$service  http://127.0.0.1:$port  (log: $GBM_LOCAL_DIR/logs/$service.log)"
done
echo "Kafka: $GBM_KAFKA_BROKERS   PostgreSQL: 127.0.0.1:$GBM_PG_PORT   stop: deploy/local/down.sh"
echo "A token for local use: $bin/gbm-token --role ministry --department MIIT --subject you"
