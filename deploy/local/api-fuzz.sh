#!/usr/bin/env bash
# Fuzzes every service of a running local system (deploy/local/up.sh) from its own /openapi.json with schemathesis,
# an API fuzzer this project did not write: no 5xx, responses (bodies, headers, content types) matching their
# schemas, documented status codes only, schema-invalid requests refused, 405 for undeclared methods, 401 without
# a token where one is documented as needed, and its stateful phase following the documents' links.
#
#   deploy/local/api-fuzz.sh                     every service, 25 examples per operation
#   GBM_FUZZ_EXAMPLES=200 GBM_FUZZ_SEED=42 deploy/local/api-fuzz.sh catalogue
#
# Not checked: `positive_data_acceptance` (that every schema-valid request is accepted). The services rightly
# refuse some schema-valid requests on rules JSON Schema cannot state: check characters of credit codes and
# division codes, a region that is not an approved pilot region, dates within the campaign.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state=${GBM_LOCAL_DIR:-$repo/.local/dev}
python=${GBM_PYTHON:-$repo/.local/venv/bin/python}
examples=${GBM_FUZZ_EXAMPLES:-25}
seed=${GBM_FUZZ_SEED:-$RANDOM$RANDOM}
# shellcheck disable=SC1091
source "$state/tokens.env"
# The token each service is fuzzed with: the role that may call most of its operations.
declare -A token=(
  [catalogue]=$GBM_TOKEN_MINISTRY_SAMR [pilot-management]=$GBM_TOKEN_MINISTRY_MIIT [subsidy]=$GBM_TOKEN_MINISTRY_MIIT
  [complaints]=$GBM_TOKEN_MINISTRY_SAMR [reporting]=$GBM_TOKEN_MINISTRY_MIIT)
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(catalogue pilot-management subsidy complaints reporting)
failed=()
for service in "${services[@]}"; do
  port=$(cat "$state/$service.port")
  echo "[api-fuzz] $service (http://127.0.0.1:$port/openapi.json, $examples examples per operation, seed $seed)" >&2
  if ! "$python" -m schemathesis.cli run "http://127.0.0.1:$port/openapi.json" \
      -H "Authorization: Bearer ${token[$service]}" --max-examples "$examples" --seed "$seed" \
      --checks all --exclude-checks positive_data_acceptance --no-color > "$state/logs/api-fuzz-$service.txt" 2>&1; then
    failed+=("$service")
    sed -n '/^=* FAILURES =*$/,$p' "$state/logs/api-fuzz-$service.txt" | head -80 >&2
  fi
  grep -E "^=+ .* in [0-9.]+s =+$" "$state/logs/api-fuzz-$service.txt" | sed "s/^/[api-fuzz] $service: /" >&2 || true
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "[api-fuzz] FAILED: ${failed[*]} (full output in $state/logs/api-fuzz-<service>.txt; replay with GBM_FUZZ_SEED=$seed)" >&2
  exit 1
fi
echo "[api-fuzz] ok: ${services[*]}" >&2
