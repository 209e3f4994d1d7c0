#!/usr/bin/env bash
# Validates AntqPlatform's deployment files offline:
#   1. renders deploy/k8s/base and every overlay under deploy/k8s/overlays/ with `kubectl kustomize`;
#   2. validates every rendered object against its schema (kubernetes-models for built-in kinds,
#      @kubernetes-models/cloudnative-pg for CloudNativePG, deploy/k8s/schemas/ for RabbitmqCluster) and checks the
#      platform's rules (probes, resources, non-root, references between objects, operators' clusters, backups);
#   3. validates deploy/compose/docker-compose.yml against the Compose Specification's JSON schema and checks that
#      every process of the platform is in it.
# Usage: deploy/validate-manifests.sh [DEPLOY_DIR]   (default: this script's folder; the tests pass a broken copy)
# Needs kubectl (client) and Node.js 20+. The first run installs the validator's npm packages (package-lock.json)
# into deploy/validation/node_modules; every later run is offline. Exits non-zero, with one line per problem.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEPLOY="$(cd "${1:-$HERE}" && pwd)"
VALIDATION="$HERE/validation"

fail() { printf '[validate-manifests] %s\n' "$*" >&2; exit 1; }
say() { printf '[validate-manifests] %s\n' "$*"; }

command -v kubectl >/dev/null || fail "kubectl (client) is needed on PATH: apt-get install kubectl, or https://kubernetes.io/docs/tasks/tools/"
command -v node >/dev/null || fail "Node.js 20+ is needed on PATH"
command -v npm >/dev/null || fail "npm is needed on PATH"

# Install the validator once (and again when package-lock.json changes); offline afterwards.
stamp="$VALIDATION/node_modules/.antq-lock.sha256"
want="$(sha256sum "$VALIDATION/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing the validator's npm packages into deploy/validation/node_modules"
  (cd "$VALIDATION" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || fail "npm ci failed in $VALIDATION"
  echo "$want" > "$stamp"
fi

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
rendered=()
for dir in "$DEPLOY/k8s/base" "$DEPLOY"/k8s/overlays/*/; do
  dir="${dir%/}"
  [ -f "$dir/kustomization.yaml" ] || continue
  name="$(basename "$dir")"
  if ! kubectl kustomize "$dir" > "$tmp/$name.yaml" 2> "$tmp/$name.err"; then
    cat "$tmp/$name.err" >&2
    fail "INVALID: kubectl kustomize ${dir#"$DEPLOY"/} failed (above)"
  fi
  rendered+=(--rendered "$name=$tmp/$name.yaml")
done
[ ${#rendered[@]} -gt 0 ] || fail "INVALID: no kustomization under $DEPLOY/k8s"
[ -f "$DEPLOY/compose/docker-compose.yml" ] || fail "INVALID: $DEPLOY/compose/docker-compose.yml is missing"

if node "$VALIDATION/validate.mjs" "${rendered[@]}" --schemas "$DEPLOY/k8s/schemas" --compose "$DEPLOY/compose/docker-compose.yml"; then
  say "OK: Kubernetes manifests and compose file are valid"
else
  fail "INVALID: see the problems above"
fi
