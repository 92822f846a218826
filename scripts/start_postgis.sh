#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS server for the tests and the benchmark; prints its database URL.
#
#   export TEST_POSTGIS_URL="$(bash scripts/start_postgis.sh)"
#
# Installs Debian's postgresql and postgis packages if they are missing, makes a cluster under
# $POSTGIS_DIR (default: a fixed folder under $TMPDIR) listening on 127.0.0.1 only, on a free port,
# with trust authentication (nothing but this machine can reach it), and a database with the postgis
# extension. Idempotent: when the cluster is already running it only prints the URL again.
# `bash scripts/start_postgis.sh stop` stops it; removing the folder throws it away.
# Only the URL goes to stdout; progress goes to stderr.
set -euo pipefail

DIR="${POSTGIS_DIR:-${TMPDIR:-/tmp}/conflictmap-postgis}"
DB="${POSTGIS_DB:-conflictmap_test}"
PGDATA="$DIR/data"

log() { echo "start_postgis: $*" >&2; }

pg_bin() {
  # The newest installed server's binaries (Debian keeps them out of PATH).
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && echo "$bin"
}

have_postgis() {
  local bin="$1" share
  share="$("$bin/pg_config" --sharedir 2>/dev/null || true)"
  [ -n "$share" ] && ls "$share"/extension/postgis.control >/dev/null 2>&1 && return 0
  ls /usr/share/postgresql/"$(basename "$(dirname "$bin")")"/extension/postgis.control >/dev/null 2>&1
}

# Run as the cluster's owner: initdb and postgres refuse to run as root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_packages() {
  if [ "$(id -u)" != 0 ]; then
    log "postgresql/postgis are missing and we are not root: install them with apt-get install postgresql postgis"
    exit 1
  fi
  log "installing postgresql and postgis with apt-get ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q postgresql postgis >&2
}

url() { echo "postgresql+psycopg://postgres@127.0.0.1:$(cat "$DIR/port")/$DB"; }

stop() {
  if [ -f "$PGDATA/postmaster.pid" ] && BIN="$(pg_bin)"; then
    as_owner "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >&2 || true
  fi
}

if [ "${1:-}" = "stop" ]; then
  stop
  exit 0
fi

BIN="$(pg_bin || true)"
if [ -z "$BIN" ] || ! have_postgis "$BIN"; then
  install_packages
  BIN="$(pg_bin)"
  have_postgis "$BIN" || { log "postgis extension still not found after installing"; exit 1; }
fi

# Already running? Then only print the URL.
if [ -f "$DIR/port" ] && as_owner "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  url
  exit 0
fi

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DIR"
fi

if [ ! -f "$PGDATA/PG_VERSION" ]; then
  log "initdb in $PGDATA"
  rm -rf "$PGDATA"
  as_owner "$BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

# A port nobody listens on now (the kernel picks it).
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' \
  >"$DIR/port"
PORT="$(cat "$DIR/port")"

log "starting PostgreSQL on 127.0.0.1:$PORT"
as_owner "$BIN/pg_ctl" -D "$PGDATA" -l "$DIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >&2

psql_() { PGOPTIONS="-c client_min_messages=warning" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

if [ "$(psql_ -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  psql_ -d postgres -c "CREATE DATABASE $DB"
fi
psql_ -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis"
log "ready: $(url) (PostGIS $(psql_ -d "$DB" -c 'SELECT postgis_lib_version()'))"
url
