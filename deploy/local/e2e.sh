#!/usr/bin/env bash
# End-to-end test from outside, on a system started as the README starts it (deploy/local/up.sh), with its own state
# directory, free ports and a fast simulated clock:
#
#   1. deploy/local/demo.py drives a campaign through the HTTP APIs only (a second-batch region approved by the six
#      departments, activities, enrolments, programmes, claims approved / rejected / held / reviewed, a revoked
#      certificate holding a claim, a payment batch, complaints across the National Day holiday, the summary report);
#   2. deploy/local/e2e_check.py reads the outcome again through the APIs: claim decisions, the ledger, complaint
#      states, the submitted report's figures;
#   3. examples/python/consume.py --strict reads every topic: every record a valid CloudEvent matching its schema,
#      no event id twice on a topic;
#   4. a load of claims (each with its Idempotency-Key, retried until answered) while subsidy is SIGKILLed and
#      started again by up.sh: every answered claim present once, the ledger's reservations equal to its claims';
#   5. a second subsidy replica (the first one's environment, another port, the same consumer group) and a load
#      through both: the same checks; every topic read again, where an id may now appear twice only as a re-publication
#      by the killed relay (subsidy's topics, an event not there before the kill, the same partition, key and type:
#      delivery is at least once).
#
# Stops everything it started; on failure the state directory and logs are kept (printed). Part of test.sh.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export GBM_LOCAL_DIR=${GBM_E2E_DIR:-$repo/.local/e2e}
export GBM_LOCAL_PORT_BASE=free GBM_LOCAL_PG_PORT= GBM_LOCAL_KAFKA_PORT=
# 2023-09-20 09:00 Beijing time, 4 simulated hours per second: the complaints are filed in the week before the
# National Day holiday, and their 7-working-day acceptance deadline (after the holiday) passes within a minute.
export GBM_CLOCK_START=${GBM_E2E_CLOCK_START:-2023-09-20T09:00:00+08:00} GBM_CLOCK_RATE=${GBM_E2E_CLOCK_RATE:-14400}
work=$(mktemp -d)
replica_pid=
log() { echo "[e2e] $*" >&2; }
finish() {
  local status=$?
  [ -n "$replica_pid" ] && kill "$replica_pid" 2>/dev/null || true
  bash deploy/local/down.sh >/dev/null 2>&1 || true
  if [ $status = 0 ]; then rm -rf "$GBM_LOCAL_DIR" "$work"; else log "FAILED; logs kept in $GBM_LOCAL_DIR/logs and $work"; fi
}
trap finish EXIT
rm -rf "$GBM_LOCAL_DIR"
started=$SECONDS

log "starting the system (up.sh, own state, free ports, clock from $GBM_CLOCK_START x$GBM_CLOCK_RATE)"
bash deploy/local/up.sh > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
eval "$(bash deploy/local/infra.sh env)"
# up.sh's sample data on a first start (deploy/local/demo.py --sample) went through.
grep -q '^== sample data' "$work/up.log" && ! grep -q 'sample data failed' "$work/up.log" \
  || { log "up.sh's sample data failed:"; cat "$GBM_LOCAL_DIR/logs/sample.log"; exit 1; }
python=${GBM_PYTHON:-$repo/.local/venv/bin/python}

log "the demo campaign through the HTTP APIs"
"$python" deploy/local/demo.py --state-dir "$GBM_LOCAL_DIR" --summary-out "$work/summary.json" > "$work/demo.log" 2>&1 \
  || { tail -40 "$work/demo.log"; exit 1; }
grep -A40 '^== summary' "$work/demo.log" | head -30 >&2

log "the outcome from outside"
"$python" deploy/local/e2e_check.py outcome --state-dir "$GBM_LOCAL_DIR" --summary "$work/summary.json" >&2

read_topics() {
  "$python" examples/python/consume.py --strict --ids-out "$work/$1.tsv" > "$work/$1.summary" \
    || { cat "$work/$1.summary"; exit 1; }
  log "$(tail -1 "$work/$1.summary")"
}
log "every topic with the independent consumer (--strict)"
read_topics topics-1
"$python" deploy/local/e2e_check.py unique-ids --ids "$work/topics-1.tsv" >&2

programme=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["programmes"]["purchase"])' "$work/summary.json")
seller=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["seller"])' "$work/summary.json")
certificate=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["certificate"])' "$work/summary.json")

log "SIGKILL subsidy during a load of claims; up.sh starts it again"
"$python" deploy/local/e2e_check.py load --state-dir "$GBM_LOCAL_DIR" --programme "$programme" --seller "$seller" \
  --certificate "$certificate" --count 120 --tag 1 --out "$work/load-1.json" > "$work/load-1.log" 2>&1 &
load=$!
# Kill once the load is under way (some claims in), never on a blind sleep.
for _ in $(seq 1 600); do
  n=$(cat "$work/load-1.json.progress" 2>/dev/null || true)
  case "$n" in ''|*[!0-9]*) n=0 ;; esac   # not written yet, or caught mid-write
  [ "$n" -ge 20 ] && break
  sleep 0.1
done
kill -9 "$(cat "$GBM_LOCAL_DIR/subsidy.pid")"
log "subsidy killed (about $n claims in); starting it again with up.sh"
bash deploy/local/up.sh > "$work/up-restart.log" 2>&1 || { cat "$work/up-restart.log"; exit 1; }
wait $load || { cat "$work/load-1.log"; exit 1; }
cat "$work/load-1.log" >&2
"$python" deploy/local/e2e_check.py exactly-once --state-dir "$GBM_LOCAL_DIR" --load "$work/load-1.json" \
  --programme "$programme" >&2

log "a second subsidy replica in the same consumer group; a load through both"
pid=$(cat "$GBM_LOCAL_DIR/subsidy.pid")
port2=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bin=$(swift build --show-bin-path)
# The first replica's own environment, another port.
env -i $(tr '\0' '\n' < "/proc/$pid/environ" | grep -E '^GBM_' | grep -v '^GBM_HTTP_PORT=') GBM_HTTP_PORT="$port2" \
  PATH="$PATH" HOME="$HOME" "$bin/subsidy" >> "$GBM_LOCAL_DIR/logs/subsidy-2.log" 2>&1 &
replica_pid=$!
for _ in $(seq 1 90); do curl -fsS "http://127.0.0.1:$port2/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$port2/health/ready" >/dev/null || { tail -30 "$GBM_LOCAL_DIR/logs/subsidy-2.log"; exit 1; }
"$python" deploy/local/e2e_check.py load --state-dir "$GBM_LOCAL_DIR" --programme "$programme" --seller "$seller" \
  --certificate "$certificate" --count 80 --tag 2 --ports "$(cat "$GBM_LOCAL_DIR/subsidy.port"),$port2" \
  --out "$work/load-2.json" >&2
"$python" deploy/local/e2e_check.py exactly-once --state-dir "$GBM_LOCAL_DIR" --load "$work/load-2.json" \
  --programme "$programme" >&2

log "every topic again (--strict), after the kill and with two replicas"
read_topics topics-2
# Subsidy was SIGKILLed: events its relay had produced but not marked sent are published again (at least once).
"$python" deploy/local/e2e_check.py unique-ids --ids "$work/topics-2.tsv" --before "$work/topics-1.tsv" \
  --republished-allowed gbm.subsidy. >&2
log "ok in $((SECONDS - started)) s"
