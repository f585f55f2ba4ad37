#!/usr/bin/env bash
# Installs the Debian packages motcua needs, when run as root and they are missing.
# libharfbuzz-subset0: WeasyPrint subsets the fonts with it; without it, fontTools takes ~1 s a page.
# Usage: scripts/system-deps.sh run|test|bench
# `test` also installs axe-core (the accessibility checker the browser tests inject into pages)
# from npm into var/node/, pinned, ignored by git, skipped when that version is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
AXE_VERSION="4.14.1"
case "${1:-run}" in
  run)   pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-liberation2 nginx-light" ;;
  test)  pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-liberation2 chromium poppler-utils zbar-tools nginx-light gettext redis-server" ;;
  bench) pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-liberation2 nginx-light wrk" ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac
apt_install() {
  echo "motcua: installing system packages:$*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2068
  apt-get install -y -qq --no-install-recommends $@ >/dev/null
}

system_packages() {
  local missing=""
  for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "motcua: missing system packages:$missing (not root, not installing; tests that need them are skipped with the reason)" >&2
    return 0
  fi
  # shellcheck disable=SC2086
  apt_install $missing
}

axe_core() {
  local dir="$ROOT/var/node"
  local installed="$dir/node_modules/axe-core/package.json"
  if [ -f "$installed" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$installed"; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "motcua: npm missing (not root, not installing); the accessibility tests are skipped with the reason" >&2
      return 0
    fi
    apt_install nodejs npm
  fi
  echo "motcua: installing axe-core $AXE_VERSION from npm into var/node/"
  mkdir -p "$dir"
  if ! npm install --prefix "$dir" --no-audit --no-fund --no-save --no-package-lock \
    --loglevel=error "axe-core@$AXE_VERSION" >/dev/null; then
    echo "motcua: npm install axe-core@$AXE_VERSION failed; the accessibility tests will say so" >&2
  fi
}

system_packages
if [ "${1:-run}" = test ]; then
  axe_core
fi
