#!/usr/bin/env bash
# Where the database's time goes on the bulk write path: the same 512-event requests run by
# pgbench (no HTTP, no JSON) on IVS's own tables with one part switched off at a time, beside the
# reference schema, on a throwaway PostgreSQL 15 that IVS migrates and whose feed it sequences.
# docs/performance.md, "The write path against the reference schema (2026-12-07)", reports it.
#
#   ivs-bench/profile/write-path.sh        (after ./mvnw -B install -DskipTests)
#
# Environment: PROFILE_SECONDS (20) per run, PROFILE_RUNS (2) per variant, PROFILE_CLIENTS (8),
# PROFILE_JAR (the IVS server jar that migrates the tables and sequences the feed; default the
# built one), PROFILE_PG_BIN (/usr/lib/postgresql/15/bin), PROFILE_PG_PORT (56600),
# PROFILE_IVS_PORT (18190).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pg_bin="${PROFILE_PG_BIN:-/usr/lib/postgresql/15/bin}"
port="${PROFILE_PG_PORT:-56600}"
ivs_port="${PROFILE_IVS_PORT:-18190}"
seconds="${PROFILE_SECONDS:-20}"
runs="${PROFILE_RUNS:-2}"
clients="${PROFILE_CLIENTS:-8}"
jar="${PROFILE_JAR:-$root/ivs-server/target/ivs-server.jar}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"

[[ -f "$jar" ]] || { echo "write-path.sh: build first (no $jar)" >&2; exit 2; }
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
    as_pg=(runuser -u postgres --)
fi
work="$(mktemp -d -t ivs-profile.XXXXXX)"
chmod 755 "$work"
mkdir -p "$work/data"
[[ ${#as_pg[@]} -gt 0 ]] && chown postgres "$work" "$work/data"
ivs_pid=""
stop() {
    [[ -n "$ivs_pid" ]] && kill "$ivs_pid" 2>/dev/null && wait "$ivs_pid" 2>/dev/null || true
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$work/data" -U postgres --auth=trust >/dev/null
# The embedded PostgreSQL's settings (EmbeddedPostgres): fsync on, 256 MB of shared buffers.
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -w -l "$work/postgres.log" \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=200
        -c shared_buffers=256MB" \
    start >/dev/null
psql=("$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -v ON_ERROR_STOP=1
    -c "set client_min_messages = warning")
"${psql[@]}" -c "create database ivs"
"${psql[@]}" ivs -c "create schema ref;
    create table ref.stock (product_key uuid not null, record_key text not null,
        measure text not null, quantity numeric not null,
        primary key (product_key, record_key, measure));
    create table ref.seen_event (event_id text primary key)"

IVS_DATABASE_URL="jdbc:postgresql://127.0.0.1:$port/ivs" IVS_DATABASE_USER=postgres \
    IVS_DATABASE_PASSWORD= IVS_DEFAULT_ENVIRONMENT=profile \
    "$java" -jar "$jar" --server.port="$ivs_port" --ivs.data-dir="$work/ivs" \
    >"$work/ivs.log" 2>&1 &
ivs_pid=$!
for _ in $(seq 1 120); do
    grep -q "Started IvsApplication" "$work/ivs.log" && break
    sleep 1
done
grep -q "Started IvsApplication" "$work/ivs.log" || { tail -20 "$work/ivs.log" >&2; exit 1; }

log_cte=", logged as (insert into inventory_log (product_key, environment_id, api, client_id,
  request_id, event_id, organization_id, product_id, site_id, location_id, dimensions, quantities)
  select pk, 'profile', 'onhand/bulk', 'profile', 'profile', id, org, product, site, loc,
  dims::jsonb, jsonb_object_agg(measure, qty) from fresh group by pk, id, org, product, site, loc,
  dims)"
awk -v cte="$log_cte" '$0 == ":LOG" { print cte; next } { print }' "$here/write-path.sql" \
    >"$work/logged.sql"
grep -v '^:LOG$' "$here/write-path.sql" >"$work/unlogged.sql"

triggers() {
    "${psql[@]}" ivs -c "alter table onhand_quantity $1 trigger change_log_quantity_insert;
        alter table onhand_quantity $1 trigger change_log_quantity_update"
}

# variant NAME SCRIPT: empty tables, then PROFILE_RUNS runs; prints events/s of each.
variant() {
    "${psql[@]}" ivs -c "truncate onhand_quantity, onhand_record, processed_event, inventory_log,
        feed_change, ref.stock, ref.seen_event cascade; checkpoint"
    local line="| $1 |"
    for _ in $(seq 1 "$runs"); do
        tps=$("$pg_bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -c "$clients" -j 2 \
            -T "$seconds" -f "$2" ivs 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
        line="$line $(awk -v t="$tps" 'BEGIN { printf "%.0f", t * 512 }') |"
    done
    echo "$line"
}

echo "| variant | events/s per run |"
echo "|---|---|"
variant "IVS: feed (triggers and sequencer) and inventory log" "$work/logged.sql"
variant "without the inventory log" "$work/unlogged.sql"
triggers disable
variant "without the feed's triggers" "$work/logged.sql"
variant "without the feed's triggers and the inventory log" "$work/unlogged.sql"
triggers enable
variant "reference schema" "$here/reference.sql"
kill "$ivs_pid" && wait "$ivs_pid" 2>/dev/null || true
ivs_pid=""
variant "IVS stopped (feed triggers on, no sequencer)" "$work/logged.sql"
