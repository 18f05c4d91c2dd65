#!/usr/bin/env bash
# Contended checked reservations on a server of its own, build against build: stocks a few hot
# products (as the bench's reservation part does), then starts each server jar given in turn on
# fresh data and measures it with wrk (64 connections, each posting checked reservations of one
# unit with unique event ids on a random hot product): reservations per second, latency
# percentiles, the IVS process's CPU time per reservation (from /proc), the machine's CPU, and
# PostgreSQL's commits, from which the combined transactions' mean size and length follow (one
# combined transaction of an environment runs at a time). Alternate the jars to see a change
# through this machine's noise. docs/performance.md, "Contended reservations: one statement for
# every level's sums (2026-12-08)", reports it.
#
#   ivs-bench/profile/reserve-contended.sh OLD.jar NEW.jar OLD.jar NEW.jar
#
# Environment: RESERVE_CONNECTIONS (64), RESERVE_PRODUCTS (4), RESERVE_WARMUP (30 seconds per
# server), RESERVE_SECONDS (20 per window), RESERVE_WINDOWS (2), RESERVE_PORT (18181),
# RESERVE_PG_PORT (15481), RESERVE_PG_BIN (/usr/lib/postgresql/15/bin, for psql),
# RESERVE_JAVA_OPTIONS (extra JVM options for the servers). Needs wrk, curl and python3.
set -euo pipefail

name=reserve-contended
# shellcheck source=ivs-bench/profile/server.sh
source "$(dirname "$0")/server.sh"
check_arguments "$@"
connections="${RESERVE_CONNECTIONS:-64}"
products="${RESERVE_PRODUCTS:-4}"
warmup="${RESERVE_WARMUP:-30}"
seconds="${RESERVE_SECONDS:-20}"
windows="${RESERVE_WINDOWS:-2}"
port="${RESERVE_PORT:-18181}"
pg_port="${RESERVE_PG_PORT:-15481}"
pg_bin="${RESERVE_PG_BIN:-/usr/lib/postgresql/15/bin}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work="$(mktemp -d -t ivs-reserve.XXXXXX)"
# Run as root, IVS runs its PostgreSQL as another user, who must be able to enter the folder.
chmod 755 "$work"
java_options="${RESERVE_JAVA_OPTIONS:-}"
trap finish EXIT

# Soft reservations on (they are off in the default configuration), and the hot products'
# stock: far more than any window reserves.
stock() {
    local events="" p
    curl -sf "$base/api/environment/bench/configuration" -H "Authorization: Bearer $1" |
        python3 -c 'import json,sys; c=json.load(sys.stdin)
c["reservConfiguration"]["isReservEnabled"]=True; print(json.dumps(c))' >"$work/config.json"
    curl -sf -X POST "$base/api/environment/bench/configuration/hardupdate" \
        -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
        -d @"$work/config.json" >/dev/null
    for p in $(seq 0 $((products - 1))); do
        events="$events${events:+,}{\"id\":\"stock-H$p\",\"organizationId\":\"usmf\",
            \"productId\":\"H$p\",\"dimensions\":{\"siteId\":\"S0\",\"locationId\":\"L0\",
            \"colorId\":\"C0\"},\"quantities\":{\"pos\":{\"inbound\":1000000000}}}"
    done
    curl -sf -X POST "$base/api/environment/bench/onhand/bulk" -H "Authorization: Bearer $1" \
        -H 'Content-Type: application/json' -d "[$events]" >/dev/null
}

cat >"$work/reserve.lua" <<LUA
local token = io.open("$work/token"):read("*l")
local counter = 0
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("prefix", os.time() .. "-" .. threads)
end
wrk.method = "POST"
wrk.path = "/api/environment/bench/onhand/reserve"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, '{"id":"res-' .. prefix .. '-' .. counter
    .. '","organizationId":"usmf","productId":"H' .. math.random(0, $products - 1)
    .. '","dimensions":{"siteId":"S0","locationId":"L0","colorId":"C0"},'
    .. '"quantityDataSource":"iv","modifier":"softreserved","quantity":1,'
    .. '"ifCheckAvailForReserv":true}')
end
$wrk_summary_lua
LUA

commits() {
    sql "select xact_commit from pg_stat_database where datname = current_database()"
}

busy() {
    awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat
}

window() {
    local before after commits_before commits_after line machine_before machine_after
    before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    machine_before=$(busy)
    commits_before=$(commits)
    line=$(wrk -t2 -c"$connections" -d"${1}s" -s "$work/reserve.lua" "$base" 2>&1 | tail -1)
    commits_after=$(commits)
    machine_after=$(busy)
    after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    python3 - "$line" "$before" "$after" "$1" "$(getconf CLK_TCK)" \
        "$commits_before" "$commits_after" $machine_before $machine_after <<'PY'
import sys
n, p50, p99, p999, non200 = sys.argv[1].split()
before, after, seconds, tick, c0, c1, b0, t0, b1, t1 = map(float, sys.argv[2:])
n = int(n)
commits = c1 - c0
print("reservations/s %6.0f  p50 %6.2f  p99 %6.2f ms  non-2xx %s  IVS CPU %.3f ms each"
      "  machine busy %.0f %%  commits/s %.0f (%.1f reservations each, %.2f ms apart)"
      % (n / seconds, float(p50), float(p99), non200, (after - before) * 1000 / tick / n,
         100 * (b1 - b0) / (t1 - t0), commits / seconds, n / max(commits, 1),
         1000 * seconds / max(commits, 1)))
PY
}

run=0
for jar in "$@"; do
    run=$((run + 1))
    start_server "$jar" "$work/data-$run"
    token >"$work/token"
    stock "$(cat "$work/token")"
    window "$warmup" >/dev/null
    for w in $(seq 1 "$windows"); do
        echo "$(basename "$jar") window $w: $(window "$seconds")"
    done
    stop_server
done
