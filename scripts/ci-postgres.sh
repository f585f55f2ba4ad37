#!/usr/bin/env bash
# Prints a DATABASE_URL for a PostgreSQL server that answers: the one on 127.0.0.1:5432 when it
# is there, else a throwaway cluster started in a temporary folder. Fails when neither works.
set -euo pipefail
log() { echo "ci-postgres: $*" >&2; }

if ! command -v pg_isready >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  log "installing PostgreSQL"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null \
   && psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc "select 1" >/dev/null 2>&1; then
  log "using the server on 127.0.0.1:5432"
  echo "postgres://postgres@127.0.0.1:5432/motcua"
  exit 0
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { log "no PostgreSQL binaries found"; exit 1; }
port=55432
dir=$(mktemp -d /tmp/motcua-pg.XXXXXX)
chown postgres "$dir" 2>/dev/null || true
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
log "starting a throwaway cluster in $dir on port $port"
run "$bindir/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
run "$bindir/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" \
  -l "$dir/log" -w start >/dev/null
pg_isready -q -h 127.0.0.1 -p "$port" || { log "cluster did not start"; cat "$dir/log" >&2; exit 1; }
echo "postgres://postgres@127.0.0.1:$port/motcua"
