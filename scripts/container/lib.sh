# Shared helpers of the container scripts (sourced, not run).
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are used by the scripts that source this

# podman as this machine runs it (../shared/DESIGN.md): runc, and cgroupfs
# because there is no systemd to manage cgroups.
PODMAN=(podman --runtime runc --cgroup-manager=cgroupfs)
# Hosts without a raised hard limit refuse podman's default rlimits for
# containers; these are the limits every build and run here uses.
ULIMITS=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

# The local base images scripts/container/base-images.sh builds.
NODE_BASE=localhost/vigil-node-base
PYTHON_BASE=localhost/vigil-python-base

log() { printf '[container] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Runs a command and prints how long it took: timed LABEL CMD [ARGS...]
timed() {
  local label=$1 started status=0
  shift
  started=$(date +%s.%N)
  "$@" || status=$?
  log "$label: $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')$([ "$status" = 0 ] || echo " (exit $status)")"
  return "$status"
}

# Runs a command with its output sent to a file: logged_to FILE CMD [ARGS...]
logged_to() {
  local file=$1
  shift
  "$@" >"$file" 2>&1
}

# The Debian mirror this machine's apt uses (deb822 or one-line format),
# so that debootstrap goes where apt-get is known to work.
debian_mirror() {
  if [ -n "${VIGIL_DEBIAN_MIRROR:-}" ]; then echo "$VIGIL_DEBIAN_MIRROR"; return; fi
  local url
  url=$(awk '/^URIs:/ { uri = $2 } /^Suites:/ && / bookworm( |$)/ && uri ~ /\/debian\/?$/ { print uri; exit }' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [ -z "$url" ]; then
    url=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
  fi
  echo "${url:-http://deb.debian.org/debian}"
}
