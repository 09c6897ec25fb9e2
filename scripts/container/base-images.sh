#!/usr/bin/env bash
# Builds the local base images that stand in for node:20-bookworm and
# python:3.12-slim-bookworm, since no image registry is reachable here:
#   localhost/vigil-node-base    bookworm + Node 20, npm, python3, make, g++ (build stage)
#   localhost/vigil-python-base  bookworm + python3, gunicorn, curl; no Node (example stage)
# Each is `debootstrap --variant=minbase bookworm` from this machine's Debian
# mirror, then `tar | podman import`.
#
# Node 20 is not in Debian bookworm (it has 18) and NodeSource's repository is
# not reachable here, so the node base gets a copy of the host's own Node 20
# (binary, headers for node-gyp, npm), the one that builds dist/ on the host.
#
# Local runs reuse an image whose label matches this script's hash (and the
# host's node version), else a rootfs tarball cached under .cache/container/;
# with CI=true both are built fresh.
#
# Usage: scripts/container/base-images.sh [node] [python]   (default: both)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/container/lib.sh
source scripts/container/lib.sh

cache_dir=.cache/container
mkdir -p "$cache_dir"
mirror=$(debian_mirror)
script_hash=$(cat scripts/container/base-images.sh scripts/container/lib.sh | sha256sum | cut -c1-16)
fresh=false
[ "${CI:-}" = true ] && fresh=true

# Packages debootstrap adds to minbase (it resolves their dependencies).
node_packages=python3,make,g++
# curl: podman kube play runs an httpGet probe as `curl -f` inside the container.
python_packages=python3,gunicorn,curl

host_node_tag() {
  local node
  node=$(command -v node) || die "the node base copies the host's Node 20, and there is no node on PATH"
  case "$(node --version)" in
    v20.*) ;;
    *) die "the node base needs Node 20 (the Dockerfile's node:20-bookworm); the host has $(node --version)" ;;
  esac
  echo "node$(node --version)-npm$(npm --version)"
}

# Copies the host's Node and npm into ROOTFS, laid out as NodeSource's
# package lays them out, with a global npmrc that builds addons against the
# bundled headers (node-gyp would otherwise download them from nodejs.org).
add_host_node() {
  local rootfs=$1 node npm_dir
  node=$(readlink -f "$(command -v node)")
  npm_dir=$(npm root -g)/npm
  [ -f "$npm_dir/bin/npm-cli.js" ] || die "npm not found at $npm_dir"
  install -D -m 0755 "$node" "$rootfs/usr/bin/node"
  mkdir -p "$rootfs/usr/lib/node_modules" "$rootfs/usr/include" "$rootfs/usr/etc"
  cp -a "$npm_dir" "$rootfs/usr/lib/node_modules/npm"
  if [ -d /usr/include/node ]; then
    cp -a /usr/include/node "$rootfs/usr/include/node"
  else
    cp -a "$(dirname "$(dirname "$node")")/include/node" "$rootfs/usr/include/node"
  fi
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/bin/npx"
  printf '%s\n' 'nodedir=/usr' 'update-notifier=false' 'fund=false' 'audit=false' >"$rootfs/usr/etc/npmrc"
  chroot "$rootfs" node --version >/dev/null || die "the copied node does not run in the bookworm rootfs"
}

# Unmounts whatever is mounted at or under DIR (deepest first). debootstrap
# mounts proc, sys and dev/pts inside the rootfs and can leave them there when
# it fails or is interrupted; a mounted /proc would then be tarred (or copied,
# or rm -rf'd) through, which fills the disk. Safe to call when nothing is.
unmount_under() {
  local dir mount
  dir=$(realpath -m "$1")
  # /proc/self/mounts escapes spaces as \040; rootfs paths here have none.
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r mount; do
      umount "$mount" 2>/dev/null || umount -l "$mount" || echo "warning: cannot unmount $mount" >&2
    done
}

# Builds one image: build_image NAME PACKAGES KEY [post-step]
build_image() {
  local name=$1 packages=$2 key=$3 post=${4:-}
  local short=${name#localhost/} tarball="$cache_dir/${name#localhost/}-$key.tar"
  local rootfs="$cache_dir/rootfs-$short"

  if [ "$fresh" = false ]; then
    if [ "$(podman image inspect --format '{{index .Config.Labels "vigil.base-key"}}' "$name" 2>/dev/null || true)" = "$key" ]; then
      log "$name: up to date (key $key)"
      return
    fi
  fi
  if [ "$fresh" = true ] || [ ! -s "$tarball" ]; then
    unmount_under "$rootfs"
    rm -rf --one-file-system "$rootfs"
    # debootstrap's own log goes to a file: it is long, and two run at once.
    local ok=true
    timed "$short: debootstrap ($packages)" logged_to "$cache_dir/$short.log" \
      debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" || ok=false
    # In every case: nothing of the host may stay mounted in the rootfs.
    unmount_under "$rootfs"
    if [ "$ok" = false ]; then
      tail -n 30 "$cache_dir/$short.log" >&2
      grep -h . "$rootfs/debootstrap/debootstrap.log" 2>/dev/null | tail -n 30 >&2 || true
      die "$short: debootstrap failed (log: $cache_dir/$short.log)"
    fi
    [ -z "$post" ] || timed "$short: $post" "$post" "$rootfs"
    unmount_under "$rootfs"
    # What apt left behind is of no use in an image.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/debootstrap
    rm -f "$cache_dir/$short"-*.tar
    timed "$short: tar rootfs" tar -C "$rootfs" --numeric-owner --one-file-system -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf --one-file-system "$rootfs"
  else
    log "$name: using cached rootfs $tarball"
  fi
  timed "$short: podman import" \
    podman import --quiet --change "LABEL vigil.base-key=$key" --change 'CMD ["/bin/bash"]' "$tarball" "$name" >/dev/null
  log "$name: $(podman image inspect --format '{{.Size}}' "$name" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
}

# Also when this script is interrupted or dies halfway through a build.
trap 'for dir in "$cache_dir"/rootfs-*; do [ -d "$dir" ] && unmount_under "$dir"; done' EXIT

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(node python)
log "mirror $mirror, key $script_hash$([ "$fresh" = true ] && echo ', building fresh (CI=true)')"

# The two debootstraps mostly wait on the mirror: run them side by side.
pids=()
for target in "${targets[@]}"; do
  case "$target" in
    node) build_image "$NODE_BASE" "$node_packages" "$script_hash-$(host_node_tag)" add_host_node & ;;
    python) build_image "$PYTHON_BASE" "$python_packages" "$script_hash" & ;;
    *) die "unknown base image '$target' (known: node, python)" ;;
  esac
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit "$status"
