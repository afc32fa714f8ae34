#!/usr/bin/env bash
# Runs every test against a real PostgreSQL and a real Kafka-protocol broker.
# Installs what is missing, starts a private infrastructure (state in .local/test), runs `swift test`,
# and stops what it started. Extra arguments go to `swift test` (e.g. --filter OutboxRelayTests); without any, the
# deployment files and the local system's restart are checked too.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export GBM_LOCAL_DIR=${GBM_TEST_LOCAL_DIR:-$repo/.local/test}

bash deploy/local/infra.sh install
started=0
if ! bash deploy/local/infra.sh status >/dev/null 2>&1; then started=1; fi
eval "$(bash deploy/local/infra.sh start)"
cleanup() { if [ "$started" = 1 ]; then bash deploy/local/infra.sh stop; fi; }
trap cleanup EXIT

swift build --build-tests
swift test --skip-build "$@"

# The production deployment files are checked too (no Docker engine, no cluster here: compose config + hadolint +
# promtool; the Kubernetes manifests against the Kubernetes schemas).
bash deploy/validate-compose.sh
bash deploy/kubernetes/validate.sh

# The local system from outside (a full run only, not with --filter): whole again after a restart of its in-memory
# broker, every record a valid CloudEvent to an independent consumer, every API sound under an external fuzzer.
if [ $# -eq 0 ]; then bash deploy/local/system-check.sh; fi
# A campaign driven through the HTTP APIs on a system started as the README does, checked from outside; a service
# SIGKILLed under load and a second subsidy replica lose nothing and apply nothing twice (a full run only).
if [ $# -eq 0 ]; then bash deploy/local/e2e.sh; fi
