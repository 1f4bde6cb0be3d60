#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the tests (issue 10 item 1), from the distribution's
# packages, and print its URL. Safe to run again: an already running server is reused.
# 为测试在本机回环地址上启动一个临时 PostgreSQL 服务器，并输出其连接地址。
#
# Usage: bash scripts/postgres.sh [start|stop|url]
# Environment: REMOTEEDU_PG_PORT (default 54329), REMOTEEDU_PG_DIR (default /tmp/remoteedu-pg-$PORT).
# The server is for tests only: trust authentication on 127.0.0.1, fsync off (a crash loses nothing of value).
set -euo pipefail

PORT="${REMOTEEDU_PG_PORT:-54329}"
DIR="${REMOTEEDU_PG_DIR:-/tmp/remoteedu-pg-$PORT}"
URL="postgresql+psycopg://remoteedu@127.0.0.1:$PORT/postgres"
ACTION="${1:-start}"

PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [[ -z "$PGBIN" || ! -x "$PGBIN/initdb" ]]; then
    echo "postgres.sh: PostgreSQL server programs not found (apt-get install postgresql) / 未找到 PostgreSQL" >&2
    exit 1
fi

# PostgreSQL refuses to run as root: as root, run it as the package's "postgres" user.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "$ACTION" in
    url) echo "$URL"; exit 0 ;;
    stop)
        if [[ -d "$DIR/data" ]]; then as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true; fi
        exit 0 ;;
    start) ;;
    *) echo "postgres.sh: unknown action $ACTION (start|stop|url)" >&2; exit 2 ;;
esac

if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    echo "$URL"
    exit 0
fi

mkdir -p "$DIR"
if [[ $EUID -eq 0 ]]; then chown postgres "$DIR"; fi
if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
    as_owner "$PGBIN/initdb" -D "$DIR/data" -U remoteedu --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
fi
as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
echo "$URL"
