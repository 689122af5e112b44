#!/usr/bin/env bash
# Installs what running linux-arm64 .NET executables under user-mode QEMU needs on a Debian x64 machine:
# qemu-user-static (qemu-aarch64-static) and the arm64 guest libraries through Debian multiarch
# (libc6, libstdc++6, libgcc-s1, libssl3 — the cross sysroot under /usr/aarch64-linux-gnu lacks libssl,
# and the xUnit v3 runner aborts without it). The guest then runs with QEMU_LD_PREFIX=/.
# Idempotent: when everything is installed it changes nothing and touches no network; apt-get update
# runs only when something is missing. Works without a terminal (CI=true, no stdin).
set -euo pipefail

packages=(qemu-user-static libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 libssl3:arm64)

log() { echo "arm64-setup: $*"; }
die() { echo "arm64-setup: error: $*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through passwordless sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "'$*' needs root (or passwordless sudo)"
  fi
}

installed() {
  [ "$(dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and apt-get is not available"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "adding the arm64 architecture to dpkg"
    as_root dpkg --add-architecture arm64
  fi
  log "installing Debian package(s): ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
  for package in "${missing[@]}"; do
    installed "$package" || die "$package is still not installed after apt-get install"
  done
fi

command -v qemu-aarch64-static >/dev/null 2>&1 || die "qemu-aarch64-static is not on PATH although qemu-user-static is installed"
[ -e /lib/ld-linux-aarch64.so.1 ] || [ -e /usr/lib/ld-linux-aarch64.so.1 ] \
  || die "the arm64 dynamic loader (ld-linux-aarch64.so.1) is missing although libc6:arm64 is installed"
log "$(qemu-aarch64-static --version | head -n 1); arm64 guest libraries from multiarch (QEMU_LD_PREFIX=/)"
