#!/usr/bin/env bash
# Starts the whole system on the embedded default: local PostgreSQL, the Tansu broker and the five services, with
# seed data loaded on first start. State and logs in .local/dev; stop with deploy/local/down.sh.
#
#   deploy/local/up.sh                 start in the background and return
#   deploy/local/up.sh --foreground    start, then wait; Ctrl-C stops everything (as down.sh does)
#
#   GBM_BUILD_CONFIGURATION=release    an optimised build (default: debug)
#   GBM_LOCAL_PORT_BASE=8081           catalogue on 8081, pilot-management 8082, subsidy 8083, complaints 8084,
#                                      reporting 8085 (a taken port is replaced by a free one; `free`: free ports)
#   GBM_LOCAL_PG_PORT=15432  GBM_LOCAL_KAFKA_PORT=19092
#   GBM_LOCAL_SAMPLE=0                 no sample data on the first start (default: deploy/local/demo.py --sample)
#   GBM_CAMPAIGN_YEAR=2023             the campaign year in force (default: the latest one that has begun, by the
#                                      services' clock; the years are seeds/campaign/<year>.json)
#   GBM_CLOCK_START=2023-09-25T09:00:00+08:00  GBM_CLOCK_RATE=60
#                                      a simulated clock for every service: it reads GBM_CLOCK_START now and runs
#                                      GBM_CLOCK_RATE times as fast; kept in $GBM_LOCAL_DIR/clock.env, so a restart
#                                      carries on where the time was (remove the state directory to start over)
#
# The local broker keeps its records in memory, so a restart starts it empty while the databases keep everything:
# each service that ran before republishes its retained history (every event, in order, with the same ids) into the
# new broker before it starts; consumers' inboxes drop what they have already applied.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export GBM_LOCAL_DIR=${GBM_LOCAL_DIR:-$repo/.local/dev}
export GBM_LOCAL_PG_PORT=${GBM_LOCAL_PG_PORT-15432}
export GBM_LOCAL_KAFKA_PORT=${GBM_LOCAL_KAFKA_PORT-19092}
configuration=${GBM_BUILD_CONFIGURATION:-debug}
port_base=${GBM_LOCAL_PORT_BASE:-8081}
ready_timeout=${GBM_LOCAL_READY_TIMEOUT_S:-90}
foreground=0
case "${1:-}" in
  --foreground|-f) foreground=1 ;;
  "") ;;
  *) echo "usage: $0 [--foreground]" >&2; exit 2 ;;
esac

step() { printf '\n== %s\n' "$*"; }
services=(catalogue pilot-management subsidy complaints reporting)
declare -A schema=([catalogue]=catalogue [pilot-management]=pilot [subsidy]=subsidy [complaints]=complaints [reporting]=reporting)
mkdir -p "$GBM_LOCAL_DIR/logs"
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

step "1/4 infrastructure: PostgreSQL 15, the Tansu broker, librdkafka (installs what is missing)"
broker_was_running=0
alive "$GBM_LOCAL_DIR/tansu.pid" && broker_was_running=1
eval "$(bash deploy/local/infra.sh start)"
echo "PostgreSQL 127.0.0.1:$GBM_PG_PORT   Kafka $GBM_KAFKA_BROKERS"

step "2/4 build ($configuration; the first build takes about 4 minutes)"
# Progress without the noise: every 50th build step, links, errors and the result.
if ! swift build -c "$configuration" 2>&1 | awk '/^\[[0-9]+\/[0-9]+\]/ { if (++n % 50 == 0 || /Linking/) print "  " $0; next } { print "  " $0 }'; then
  echo "the build failed; run: swift build -c $configuration" >&2; exit 1
fi
bin=$(swift build -c "$configuration" --show-bin-path)

# Swagger UI's files for each service's browsable API page (/docs), from the venv's swagger-ui-bundle-v2.
api_docs=$("${GBM_VENV_DIR:-$repo/.local/venv}/bin/python" -c 'import swagger_ui_bundle; print(swagger_ui_bundle.swagger_ui_path)' 2>/dev/null || true)

# A simulated clock is fixed on the first start of a state directory: every service, and every later start, reads
# the same time.
clock_file="$GBM_LOCAL_DIR/clock.env"
if [ -n "${GBM_CLOCK_START:-}" ] && [ ! -f "$clock_file" ]; then
  printf 'GBM_CLOCK_START=%s\nGBM_CLOCK_ANCHOR=%s\nGBM_CLOCK_RATE=%s\n' "$GBM_CLOCK_START" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${GBM_CLOCK_RATE:-1}" > "$clock_file"
elif [ -n "${GBM_CLOCK_START:-}" ] && ! grep -qxF "GBM_CLOCK_START=$GBM_CLOCK_START" "$clock_file"; then
  echo "$GBM_LOCAL_DIR already runs on the clock of $clock_file; remove the state directory to start another" >&2; exit 2
fi
clock_env=""
[ -f "$clock_file" ] && clock_env=$(tr '\n' ' ' < "$clock_file")

# The environment a service runs with (the local scripts are a development run: the public development secrets).
service_env() {
  local service=$1
  echo GBM_DEVELOPMENT=true GBM_SEEDS_DIR="$repo/seeds" GBM_CAMPAIGN_DIR="$repo/seeds" GBM_DB_USER="gbm_${schema[$service]}" \
    GBM_DB_PASSWORD="${schema[$service]}-local" GBM_OUTBOX_RETENTION_HOURS=87600 ${api_docs:+GBM_API_DOCS_DIR="$api_docs"} \
    ${GBM_CAMPAIGN_YEAR:+GBM_CAMPAIGN_YEAR="$GBM_CAMPAIGN_YEAR"} $clock_env
}

step "3/4 services"
trap 'echo; echo "stopping…"; bash "$repo/deploy/local/down.sh"; exit 130' INT TERM
index=0
for service in "${services[@]}"; do
  pidfile="$GBM_LOCAL_DIR/$service.pid"
  if [ "$port_base" = free ]; then wanted=0; else wanted=$((port_base + index)); fi
  index=$((index + 1))
  if alive "$pidfile"; then echo "$service is running already"; continue; fi
  # A service that published before and meets an empty broker puts its history back first.
  if [ "$broker_was_running" = 0 ] && [ -f "$GBM_LOCAL_DIR/$service.published" ]; then
    echo "$service: republishing its history into the new broker"
    env $(service_env "$service") "$bin/$service" republish --since 2000-01-01T00:00:00Z \
      >> "$GBM_LOCAL_DIR/logs/$service.log" 2>&1 \
      || { echo "$service republish failed; its log:"; tail -20 "$GBM_LOCAL_DIR/logs/$service.log"; exit 1; }
  fi
  port=$(python3 -c "import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(('127.0.0.1', $wanted))
except OSError: s = socket.socket(); s.bind(('127.0.0.1', 0))
print(s.getsockname()[1])")
  env $(service_env "$service") GBM_HTTP_PORT="$port" nohup "$bin/$service" >> "$GBM_LOCAL_DIR/logs/$service.log" 2>&1 &
  echo $! > "$pidfile"
  echo "$port" > "$GBM_LOCAL_DIR/$service.port"
done

for service in "${services[@]}"; do
  port=$(cat "$GBM_LOCAL_DIR/$service.port")
  printf '%-17s starting' "$service"
  deadline=$((SECONDS + ready_timeout))
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    if ! alive "$GBM_LOCAL_DIR/$service.pid"; then
      printf '\n%s exited; the end of its log (%s):\n' "$service" "$GBM_LOCAL_DIR/logs/$service.log"
      tail -30 "$GBM_LOCAL_DIR/logs/$service.log"; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      printf '\n%s is not ready after %d s; its readiness and the end of its log (%s):\n' "$service" "$ready_timeout" \
        "$GBM_LOCAL_DIR/logs/$service.log"
      curl -sS "http://127.0.0.1:$port/health/ready" || true; echo
      tail -30 "$GBM_LOCAL_DIR/logs/$service.log"; exit 1
    fi
    printf '.'; sleep 1
  done
  touch "$GBM_LOCAL_DIR/$service.published"
  printf ' ready  http://127.0.0.1:%s   API: http://127.0.0.1:%s/docs (document: /openapi.json)\n' "$port" "$port"
done

step "4/4 tokens for local use, signed with the public development secret (valid 12 hours; also in $GBM_LOCAL_DIR/tokens.env)"
token() { "$bin/gbm-token" issue --ttl 43200 "$@" 2>/dev/null; }
{
  for department in MIIT MOHURD MOA MOFCOM SAMR NRRA; do
    echo "export GBM_TOKEN_MINISTRY_$department=$(token --role ministry --department "$department" --subject "ministry-$department")"
  done
  echo "export GBM_TOKEN_REGION_ZHEJIANG=$(token --role region-official --region 330000 --subject zhejiang-official)"
  echo "export GBM_TOKEN_MARKET_REGULATOR_HANGZHOU=$(token --role market-regulator --region 330106 --subject hz-xihu-amr)"
  echo "export GBM_TOKEN_CERTIFICATION_BODY=$(token --role certification-body --certification-body 91110000710932400K --subject ctc)"
  echo "export GBM_TOKEN_CERTIFICATION_COMMITTEE=$(token --role certification-committee --subject committee)"
  echo "export GBM_TOKEN_ENTERPRISE=$(token --role enterprise --enterprise 91330106CNEUCAKJXF --subject lvzhu)"
  echo "export GBM_TOKEN_CONSUMER=$(token --role consumer --subject consumer-1)"
  if "$bin/gbm-token" issue --help 2>&1 | grep -q promotion-group; then
    echo "export GBM_TOKEN_PROMOTION_GROUP=$(token --role promotion-group --subject cbmf)"
  fi
} > "$GBM_LOCAL_DIR/tokens.env"
sed -E 's/^export /  /' "$GBM_LOCAL_DIR/tokens.env"
echo "  use them with: source $GBM_LOCAL_DIR/tokens.env; curl -H \"Authorization: Bearer \$GBM_TOKEN_MINISTRY_MIIT\" …"

# Sample data on the first start of a state directory (GBM_LOCAL_SAMPLE=0: none): a short campaign through the
# public APIs (deploy/local/demo.py --sample), so that the dashboard is not empty. Later starts do not repeat it.
sample_marker="$GBM_LOCAL_DIR/sample.done"
if [ "${GBM_LOCAL_SAMPLE:-1}" != 0 ] && [ ! -f "$sample_marker" ]; then
  step "sample data: programmes, participants, activities, claims and complaints through the APIs (once per state directory)"
  if python3 deploy/local/demo.py --sample --state-dir "$GBM_LOCAL_DIR" --gbm-token "$bin/gbm-token" \
      > "$GBM_LOCAL_DIR/logs/sample.log" 2>&1; then
    touch "$sample_marker"
    grep -E '^\[[0-9]+ ' "$GBM_LOCAL_DIR/logs/sample.log" | sed 's/^/  /'
  else
    echo "  the sample data failed (the system runs without it); see $GBM_LOCAL_DIR/logs/sample.log:" >&2
    tail -5 "$GBM_LOCAL_DIR/logs/sample.log" >&2
  fi
fi

reporting_port=$(cat "$GBM_LOCAL_DIR/reporting.port")
if curl -fsS -o /dev/null "http://127.0.0.1:$reporting_port/dashboard" 2>/dev/null; then
  # The token rides in the fragment, which a browser never sends; the page keeps it in the tab's sessionStorage.
  promotion_group=$(sed -n 's/^export GBM_TOKEN_PROMOTION_GROUP=//p' "$GBM_LOCAL_DIR/tokens.env")
  echo
  echo "Dashboard (national, as the promotion group): http://127.0.0.1:$reporting_port/dashboard${promotion_group:+#token=$promotion_group}"
  echo "  a region: add &region=330000 (or open it from the table); another role: paste its token into the page"
fi
echo
echo "Logs: $GBM_LOCAL_DIR/logs   Stop: deploy/local/down.sh"

if [ "$foreground" = 1 ]; then
  echo "Running in the foreground: Ctrl-C stops everything."
  while true; do
    for service in "${services[@]}"; do
      alive "$GBM_LOCAL_DIR/$service.pid" || { echo "$service exited; see its log. Stopping."; bash deploy/local/down.sh; exit 1; }
    done
    sleep 2
  done
fi
