#!/usr/bin/env bash
# Installs the Debian packages motcua needs, when run as root and they are missing.
# Usage: scripts/system-deps.sh run|test|bench
set -euo pipefail
case "${1:-run}" in
  run)   pkgs="libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-liberation2 nginx-light" ;;
  test)  pkgs="libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-liberation2 chromium poppler-utils zbar-tools nginx-light gettext redis-server" ;;
  bench) pkgs="libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-liberation2 nginx-light wrk" ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "motcua: missing system packages:$missing (not root, not installing; tests that need them are skipped with the reason)" >&2
  exit 0
fi
echo "motcua: installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
