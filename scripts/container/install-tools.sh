#!/usr/bin/env bash
# Installs what scripts/test-container needs from Debian when it is missing:
# podman (Docker-compatible CLI, no daemon), runc, debootstrap.
set -euo pipefail
missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-tools: installing ${missing[*]}" >&2
  if [ "$(id -u)" != 0 ]; then echo "install-tools: need root for apt-get" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
