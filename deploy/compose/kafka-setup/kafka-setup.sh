#!/usr/bin/env bash
# One-shot job of the compose deployment (service `kafka-setup`, image apache/kafka): once the three brokers are
# healthy, creates the SCRAM-SHA-512 users and the ACLs of acls.txt, then exits 0; the services start after it
# (depends_on: service_completed_successfully). Idempotent: every start re-applies the same users and ACLs, so a
# changed password or a new partner takes effect with `docker compose up -d kafka-setup`.
#
# Users: the five services (GBM_KAFKA_<SERVICE>_PASSWORD), the operators' `gbm-ops` (GBM_KAFKA_OPS_PASSWORD) and each
# partner of GBM_KAFKA_PARTNERS ("mohurd:<password>,moa:<password>"). It authenticates as the brokers' super user
# `admin` (SASL PLAIN, GBM_KAFKA_ADMIN_PASSWORD) on the internal listener. Passwords must be letters, digits, `-`
# or `_` (kafka-configs' SCRAM syntax has no escaping): `openssl rand -hex 24` makes one.
set -euo pipefail

bootstrap=${GBM_KAFKA_SETUP_BOOTSTRAP:-kafka-1:9092,kafka-2:9092,kafka-3:9092}
acls=${GBM_KAFKA_ACLS_FILE:-/gbm/kafka-setup/acls.txt}
bin=${KAFKA_HOME:-/opt/kafka}/bin

log() { echo "[kafka-setup] $*" >&2; }

client_config=$(mktemp)
trap 'rm -f "$client_config"' EXIT
chmod 600 "$client_config"
cat > "$client_config" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${GBM_KAFKA_ADMIN_PASSWORD:?set GBM_KAFKA_ADMIN_PASSWORD}";
EOF

valid_password() { [[ $1 =~ ^[A-Za-z0-9_-]{16,}$ ]]; }

declare -A users=(
  [catalogue]=${GBM_KAFKA_CATALOGUE_PASSWORD:?set GBM_KAFKA_CATALOGUE_PASSWORD}
  [pilot-management]=${GBM_KAFKA_PILOT_MANAGEMENT_PASSWORD:?set GBM_KAFKA_PILOT_MANAGEMENT_PASSWORD}
  [subsidy]=${GBM_KAFKA_SUBSIDY_PASSWORD:?set GBM_KAFKA_SUBSIDY_PASSWORD}
  [complaints]=${GBM_KAFKA_COMPLAINTS_PASSWORD:?set GBM_KAFKA_COMPLAINTS_PASSWORD}
  [reporting]=${GBM_KAFKA_REPORTING_PASSWORD:?set GBM_KAFKA_REPORTING_PASSWORD}
  [gbm-ops]=${GBM_KAFKA_OPS_PASSWORD:?set GBM_KAFKA_OPS_PASSWORD}
)
partners=()
IFS=',' read -r -a entries <<< "${GBM_KAFKA_PARTNERS:-}"
for entry in "${entries[@]}"; do
  entry=${entry//[[:space:]]/}
  [ -n "$entry" ] || continue
  name=${entry%%:*}
  password=${entry#*:}
  [[ $name =~ ^[a-z][a-z0-9-]*$ ]] || { log "partner name '$name' must be lower-case letters, digits and -"; exit 1; }
  [ -z "${users[$name]+set}" ] || { log "partner name '$name' is taken by a platform principal"; exit 1; }
  [ "$password" != "$entry" ] || { log "partner '$name' has no password (name:password)"; exit 1; }
  users[$name]=$password
  partners+=("$name")
done

for name in "${!users[@]}"; do
  valid_password "${users[$name]}" || { log "the password of '$name' must be at least 16 of [A-Za-z0-9_-]"; exit 1; }
done

# The brokers answer once the controller quorum has elected a leader; ask until they do (depends_on only waits for
# each broker's own health check).
for attempt in $(seq 1 60); do
  if "$bin/kafka-broker-api-versions.sh" --bootstrap-server "$bootstrap" --command-config "$client_config" </dev/null >/dev/null 2>&1; then
    break
  fi
  [ "$attempt" -lt 60 ] || { log "the brokers did not answer"; exit 1; }
  sleep 2
done

for name in "${!users[@]}"; do
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$client_config" --alter \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=${users[$name]}]" --entity-type users --entity-name "$name" \
    </dev/null >/dev/null
  log "user $name"
done

# One kafka-acls call per line of acls.txt (a JVM start each: about 30 calls).
grant() {
  local principal=$1 resource=$2 pattern=$3 operations=$4; shift 4
  local args=(--bootstrap-server "$bootstrap" --command-config "$client_config" --add
              --allow-principal "User:$principal" --resource-pattern-type "$pattern")
  local op name
  IFS=',' read -r -a ops <<< "$operations"
  for op in "${ops[@]}"; do args+=(--operation "$op"); done
  for name in "$@"; do args+=("--$resource" "$name"); done
  "$bin/kafka-acls.sh" "${args[@]}" </dev/null >/dev/null
  log "allow User:$principal $operations on $resource ($pattern) $*"
}

while read -r principal resource pattern operations names; do
  case "$principal" in ''|'#'*) continue ;; esac
  read -r -a list <<< "$names"
  if [ "$principal" = "@partner" ]; then
    for partner in "${partners[@]}"; do
      grant "$partner" "$resource" "$pattern" "$operations" "${list[@]//@partner/$partner}"
    done
  else
    grant "$principal" "$resource" "$pattern" "$operations" "${list[@]}"
  fi
done < "$acls"

log "done: ${#users[@]} users (${#partners[@]} partners), ACLs of $(basename "$acls")"
