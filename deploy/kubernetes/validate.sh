#!/usr/bin/env bash
# Validates the Kubernetes manifests without a cluster:
#   1. they are what generate.py writes (no hand edits that the next generation would lose);
#   2. every object against the Kubernetes OpenAPI schemas of the oldest and newest versions we support
#      (kubernetes-validate from PyPI, pinned in deploy/local/infra.sh, --strict: unknown fields are errors);
#   3. the project's rules: per service a Deployment with readiness, liveness and startup probes on /health/ready and
#      /health/live, requests and limits, a non-root read-only container, the image pinned; a Service, a
#      HorizontalPodAutoscaler and a PodDisruptionBudget for it; the shared Secret holds no value.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
python=${GBM_PYTHON:-$repo/.local/venv/bin/python}
log() { echo "[validate-kubernetes] $*" >&2; }

python3 "$here/generate.py" --check
manifests=()
for file in "$here"/*.yaml; do [ "$(basename "$file")" = kustomization.yaml ] || manifests+=("$file"); done
for version in 1.27.0 1.33.0; do
  "$python" -m kubernetes_validate --strict --quiet -k "$version" "${manifests[@]}" \
    || { log "FAIL: schema validation against Kubernetes $version"; exit 1; }
done
log "ok: ${#manifests[@]} files valid against the Kubernetes 1.27 and 1.33 schemas (strict)"

"$python" - "$here" <<'EOF'
import glob, os, sys, yaml
objects = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.yaml"))):
    if not path.endswith("kustomization.yaml"):
        objects += [o for o in yaml.safe_load_all(open(path)) if o]
kinds = {}
for o in objects:
    kinds.setdefault(o["kind"], {})[o["metadata"]["name"]] = o
errors = []
services = ["catalogue", "pilot-management", "subsidy", "complaints", "reporting"]
for name in services:
    d = kinds.get("Deployment", {}).get(name)
    if not d:
        errors.append(f"{name}: no Deployment"); continue
    c = d["spec"]["template"]["spec"]["containers"][0]
    if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/health/ready": errors.append(f"{name}: readiness probe not on /health/ready")
    if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/health/live": errors.append(f"{name}: liveness probe not on /health/live")
    if not c.get("startupProbe"): errors.append(f"{name}: no startup probe (migrations may take a while)")
    for kind in ("requests", "limits"):
        if set(c.get("resources", {}).get(kind, {})) != {"cpu", "memory"}: errors.append(f"{name}: resources.{kind} needs cpu and memory")
    sc = c.get("securityContext", {})
    if not (sc.get("runAsNonRoot") and sc.get("readOnlyRootFilesystem") and sc.get("allowPrivilegeEscalation") is False):
        errors.append(f"{name}: the container must run as non-root, read-only, without privilege escalation")
    if c.get("args") != [name]: errors.append(f"{name}: args must be [{name!r}]")
    if c["image"].endswith(":latest") or ":" not in c["image"]: errors.append(f"{name}: image not pinned")
    env = {e["name"]: e for e in c.get("env", [])}
    for secret in ("GBM_DB_PASSWORD", "GBM_KAFKA_SASL_PASSWORD"):
        if "secretKeyRef" not in env.get(secret, {}).get("valueFrom", {}): errors.append(f"{name}: {secret} not from a Secret")
    if kinds.get("Service", {}).get(name, {}).get("spec", {}).get("selector") != d["spec"]["selector"]["matchLabels"]:
        errors.append(f"{name}: its Service does not select its pods")
    hpa = kinds.get("HorizontalPodAutoscaler", {}).get(name)
    if not hpa or hpa["spec"]["scaleTargetRef"]["name"] != name: errors.append(f"{name}: no HorizontalPodAutoscaler")
    elif hpa["spec"]["minReplicas"] < 1 or hpa["spec"]["maxReplicas"] < hpa["spec"]["minReplicas"]: errors.append(f"{name}: HPA bounds")
    pdb = kinds.get("PodDisruptionBudget", {}).get(name)
    if not pdb or pdb["spec"]["selector"]["matchLabels"] != d["spec"]["selector"]["matchLabels"]: errors.append(f"{name}: no PodDisruptionBudget")
secret = kinds.get("Secret", {}).get("gbm-secrets", {})
if set(secret.get("stringData", {})) != {"GBM_TOKEN_SECRET", "GBM_PII_HASH_KEY", "GBM_PII_ENCRYPTION_KEY"}:
    errors.append("gbm-secrets: the token and personal-data keys")
if any(secret.get("stringData", {}).values()) or secret.get("data"):
    errors.append("gbm-secrets: a value is committed; secrets are filled in at deployment")
config = kinds.get("ConfigMap", {}).get("gbm-config", {}).get("data", {})
for key in ("GBM_SEEDS_DIR", "GBM_DEVELOPMENT"):
    if key in config: errors.append(f"gbm-config: {key} must not be set in production")
for e in errors:
    print(f"[validate-kubernetes] rule: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
log "ok: project rules (five Deployments with probes, resources and a hardened container; Services, HPAs, PDBs; empty Secret)"
