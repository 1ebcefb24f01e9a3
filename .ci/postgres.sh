#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benchmarks: local, loopback only, trust auth.
#
#   .ci/postgres.sh start   initdb + start on a free 127.0.0.1 port, create the database, print its URL
#   .ci/postgres.sh url     print the URL of the running cluster
#   .ci/postgres.sh stop    stop the cluster and delete its directory
#
# The cluster lives in $CONTRACT_PG_DIR (default /tmp/contract-pg). As root, the server runs as the
# `postgres` user (PostgreSQL refuses to run as root); otherwise as the calling user.
# Typical use:  export CONTRACT_PG_URL="$(.ci/postgres.sh start)"
set -euo pipefail

PG_DIR="${CONTRACT_PG_DIR:-/tmp/contract-pg}"
PG_DB="${CONTRACT_PG_DB:-contract}"

die() { echo "postgres.sh: $*" >&2; exit 1; }

pg_bindir() {
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "no PostgreSQL server binaries (apt-get install -y postgresql)"
    echo "$dir"
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url() {
    [ -f "$PG_DIR/port" ] || die "no cluster in $PG_DIR (run: $0 start)"
    echo "postgresql://postgres@127.0.0.1:$(cat "$PG_DIR/port")/$PG_DB"
}

start() {
    local bin port
    bin="$(pg_bindir)"
    if [ -f "$PG_DIR/port" ] && as_owner "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        url
        return
    fi
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$PG_DIR"
        runuser -u postgres -- test -w "$PG_DIR" ||
            die "the postgres user cannot reach $PG_DIR: make its parent folders world-searchable (chmod o+x)"
    fi
    port="$(free_port)"
    as_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale \
        >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_DIR -c max_connections=300" \
        >/dev/null || { cat "$PG_DIR/server.log" >&2; die "server did not start"; }
    echo "$port" >"$PG_DIR/port"
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
    url
}

stop() {
    local bin
    bin="$(pg_bindir)"
    if [ -d "$PG_DIR/data" ]; then
        as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *) die "usage: $0 start|stop|url" ;;
esac
