#!/usr/bin/env bash
# Benchmarks Medusa v2's inventory reservations (the core-flows reserveInventoryStep: the
# Locking Module's lock on the inventory item ids around the Inventory Module's
# createReservationItems) on a throwaway PostgreSQL 15 of its own.
#
#   ivs-bench/medusa/run.sh
#
# Environment: MEDUSA_BENCH_SECONDS (30), MEDUSA_BENCH_WARMUP_SECONDS (5),
# MEDUSA_BENCH_CLIENTS (64), MEDUSA_BENCH_LOCKING (postgres | in-memory),
# MEDUSA_BENCH_PG_PORT (56700), MEDUSA_BENCH_PG_BIN (/usr/lib/postgresql/15/bin);
# see README.md for the rest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pg_bin="${MEDUSA_BENCH_PG_BIN:-/usr/lib/postgresql/15/bin}"
port="${MEDUSA_BENCH_PG_PORT:-56700}"

if [[ ! -x "$pg_bin/initdb" ]]; then
    echo "run.sh: no PostgreSQL at $pg_bin (set MEDUSA_BENCH_PG_BIN)" >&2
    exit 2
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run.sh: port $port is taken (set MEDUSA_BENCH_PG_PORT)" >&2
    exit 2
fi

# initdb and postgres refuse to run as root: as root, the cluster belongs to the postgres user.
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
    as_pg=(runuser -u "${MEDUSA_BENCH_PG_USER:-postgres}" --)
fi

work="$(mktemp -d -t medusa-bench.XXXXXX)"
chmod 755 "$work"
data="$work/data"
mkdir -p "$data"
if [[ ${#as_pg[@]} -gt 0 ]]; then
    chown "${MEDUSA_BENCH_PG_USER:-postgres}" "$work" "$data"
fi

stop() {
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

clients="${MEDUSA_BENCH_CLIENTS:-64}"
max_connections=$((2 * clients + 100 > 300 ? 2 * clients + 100 : 300))

"${as_pg[@]}" "$pg_bin/initdb" -D "$data" -U medusa --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
# A modest server for a 2-core machine; fsync stays on, as a store's database would have it.
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data" -w -l "$work/postgres.log" \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=$max_connections -c shared_buffers=256MB" \
    start >/dev/null || { cat "$work/postgres.log" >&2; exit 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U medusa medusa_bench

cd "$here"
if [[ ! -d node_modules ]]; then
    npm ci --no-audit --no-fund
fi

export MEDUSA_DISABLE_TELEMETRY=true
export MEDUSA_BENCH_DATABASE_URL="postgres://medusa@127.0.0.1:$port/medusa_bench"
node migrate.mjs >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
tail -n 1 "$work/migrate.log"
node bench.mjs
