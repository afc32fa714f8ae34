#!/usr/bin/env bash
# Checks the local system from outside, as a partner or a new user would, on a system of its own:
#
# A. It is whole after a restart: the embedded broker keeps its records in memory only, so up.sh has each service
#    republish its history into the new, empty broker.
#   1. up.sh on a fresh state directory (seed data published), then one new request (an enterprise registers);
#   2. an independent consumer (examples/python/consume.py: confluent-kafka + the CloudEvents SDK + jsonschema)
#      reads every topic from the earliest offset: every record must be a valid CloudEvent matching its schema;
#   3. down.sh, up.sh again (a new, empty broker), one more request;
#   4. the consumer reads again: the same events (ids, types, keys) as before plus the new one, in the same order
#      per key, all valid.
# B. reporting's web dashboard in headless Chromium (deploy/local/dashboard_check.py): the national page and
#    Zhejiang's page load with the seeded figures, loading nothing from elsewhere and logging no console error; a
#    certification body issues a certificate through catalogue's API, and the displayed count of valid certificates
#    changes by exactly one on both pages, live. Screenshots are kept in .local/dashboard-check (printed).
# C. Each service's browsable API page (/docs: Swagger UI from the PyPI package swagger-ui-bundle-v2) in headless
#    Chromium (deploy/local/api_docs_check.py): every operation of its /openapi.json rendered, nothing loaded from
#    elsewhere, no console error. Screenshots in .local/api-docs-check.
# D. Its HTTP APIs hold up against an API fuzzer driven by their own /openapi.json (deploy/local/api-fuzz.sh).
# E. The services' guides are true (deploy/local/guides_check.py): the curl examples marked <!-- guide-check --> in
#    docs/catalogue.md, pilot-management.md, subsidy.md, complaints.md and reporting.md run in order, one bash session
#    per guide, against this system's ports and tokens; any failing request fails the check.
#
# Runs on its own state directory and free ports, and stops what it started. Part of deploy/local/test.sh.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export GBM_LOCAL_DIR=${GBM_SYSTEM_CHECK_DIR:-$repo/.local/system-check}
export GBM_LOCAL_PORT_BASE=free GBM_LOCAL_PG_PORT= GBM_LOCAL_KAFKA_PORT=
work=$(mktemp -d)
log() { echo "[system-check] $*" >&2; }
finish() {
  local status=$?
  bash deploy/local/down.sh >/dev/null 2>&1 || true
  if [ $status = 0 ]; then rm -rf "$GBM_LOCAL_DIR" "$work"; else log "FAILED; logs kept in $GBM_LOCAL_DIR/logs and $work"; fi
}
trap finish EXIT
rm -rf "$GBM_LOCAL_DIR"

start() {
  bash deploy/local/up.sh > "$work/up-$1.log" 2>&1 || { cat "$work/up-$1.log"; exit 1; }
  eval "$(bash deploy/local/infra.sh env)"
}
register() {
  local code=$1 port; port=$(cat "$GBM_LOCAL_DIR/catalogue.port")
  local token; token=$(.build/debug/gbm-token issue --role enterprise --enterprise "$code" --subject "$code" 2>/dev/null)
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$port/enterprises" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d "{\"creditCode\":\"$code\",\"name\":\"重启检查建材有限公司$2\",\"kind\":\"manufacturer\",\"regionCode\":\"330106\",\"address\":\"杭州市\"}"
}
# The record a new request publishes reaches the broker asynchronously (the relay): wait for it.
read_topics() {
  local out=$1 want=$2
  for _ in $(seq 1 60); do
    "$GBM_PYTHON" examples/python/consume.py --strict --ids-out "$out" > "$out.summary" || { cat "$out.summary"; exit 1; }
    grep -q "$want" "$out" && return 0
    sleep 1
  done
  log "the event of $want never reached the broker"; exit 1
}

log "first start (fresh state)"
start 1
register 91330106MA2CHKRP14 一 || { log "registration failed"; exit 1; }
read_topics "$work/before.tsv" 91330106MA2CHKRP14
log "$(tail -1 "$work/before.tsv.summary")"

log "restart: down.sh, up.sh (a new, empty broker)"
bash deploy/local/down.sh >/dev/null 2>&1
start 2
register 91330106MA2CHKRP27 二 || { log "registration after the restart failed"; exit 1; }
read_topics "$work/after.tsv" 91330106MA2CHKRP27
log "$(tail -1 "$work/after.tsv.summary")"

python3 - "$work/before.tsv" "$work/after.tsv" <<'EOF'
import sys
def per_key(path):
    keys = {}
    for line in open(path, encoding="utf-8"):
        topic, partition, offset, key, event_id, event_type = line.rstrip("\n").split("\t")
        keys.setdefault((topic, key), []).append((int(partition), int(offset), event_id, event_type))
    return {k: [(i, t) for _, _, i, t in sorted(v)] for k, v in keys.items()}
before, after = per_key(sys.argv[1]), per_key(sys.argv[2])
problems = []
for key, events in before.items():
    if after.get(key, [])[: len(events)] != events:
        problems.append(f"{key}: before {events[:3]}… after {after.get(key, [])[:3]}…")
ids_before = {i for v in before.values() for i, _ in v}
ids_after = [i for v in after.values() for i, _ in v]
new = [i for i in ids_after if i not in ids_before]
if len(ids_after) != len(set(ids_after)):
    problems.append("an event appears twice after the restart")
total_before = sum(len(v) for v in before.values())
print(f"[system-check] before: {total_before} events; after: {len(ids_after)} ({len(new)} new); "
      f"keys whose history changed: {len(problems)}", file=sys.stderr)
if not new:
    problems.append("the request after the restart published nothing")
for p in problems[:10]:
    print(f"[system-check] {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
log "ok: every event before the restart is on the topics again, in order, once; all valid CloudEvents"

log "dashboard: the national page and Zhejiang's page in headless Chromium"
# shellcheck disable=SC1091
source "$GBM_LOCAL_DIR/tokens.env"
catalogue=http://127.0.0.1:$(cat "$GBM_LOCAL_DIR/catalogue.port")
# A certificate issued within the campaign (the figures are at its last day, 2023-12-31) to a seeded Zhejiang
# enterprise: certificates.valid +1 nationally and in 330000. A new number each run (the state directory is kept on
# failure and may be reused).
number=CGBM-2023-ZJ-9$(date +%s%N | cut -c8-15)
certificate=$(printf '{"certificateNumber":"%s","holderCreditCode":"91330106CNEUCAKJXF","certificationBody":"中国建材检验认证集团股份有限公司","productName":"看板检查岩棉板","model":"DC-1","category":"enclosure-structures-and-concrete","subCategory":"thermal-insulation","starGrade":"one-star","certificationBasis":"T/CECS 10025-2019","issuedOn":"2023-06-01"}' "$number")
shots=$repo/.local/dashboard-check
"$GBM_PYTHON" deploy/local/dashboard_check.py --base-url "http://127.0.0.1:$(cat "$GBM_LOCAL_DIR/reporting.port")" \
  --token "$GBM_TOKEN_PROMOTION_GROUP" --region 330000 --metric certificates.valid --expect-delta 1 --out "$shots" \
  --produce-url "$catalogue/certificates" --produce-token "$GBM_TOKEN_CERTIFICATION_BODY" --produce-body "$certificate" \
  > /dev/null || { log "the dashboard check failed (screenshots in $shots)"; exit 1; }
log "ok: the dashboard showed the seeded figures and the new certificate live; screenshots in $shots"

log "API pages: each service's /docs (Swagger UI from the venv's swagger-ui-bundle-v2) in headless Chromium"
urls=()
for service in catalogue pilot-management subsidy complaints reporting; do
  urls+=("http://127.0.0.1:$(cat "$GBM_LOCAL_DIR/$service.port")")
done
"$GBM_PYTHON" deploy/local/api_docs_check.py --out "$repo/.local/api-docs-check" "${urls[@]}" \
  || { log "the API page check failed (screenshots in $repo/.local/api-docs-check)"; exit 1; }

# A fixed seed keeps CI reproducible; run api-fuzz.sh by hand (random seed, more examples) to search further.
GBM_FUZZ_SEED=${GBM_FUZZ_SEED:-1234} bash deploy/local/api-fuzz.sh

log "guides: the marked examples of docs/<service>.md against this system (deploy/local/guides_check.py)"
python3 deploy/local/guides_check.py --local-dir "$GBM_LOCAL_DIR" || { log "a guide's example failed (above)"; exit 1; }
