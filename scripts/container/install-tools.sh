#!/usr/bin/env bash
# Installs what scripts/test-container needs from Debian when it is missing:
# podman (Docker-compatible CLI, no daemon), runc, debootstrap; catatonit, from
# which podman builds the infra image of a pod (kube play); curl, to probe the
# pod from the host as the kubelet would.
set -euo pipefail
missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v catatonit >/dev/null || [ -x /usr/libexec/podman/catatonit ] || missing+=(catatonit)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-tools: installing ${missing[*]}" >&2
  if [ "$(id -u)" != 0 ]; then echo "install-tools: need root for apt-get" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
