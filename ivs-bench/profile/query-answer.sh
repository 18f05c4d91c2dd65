#!/usr/bin/env bash
# The index query of 100 products on a server of its own, build against build: loads records
# as the bench's scale part does (10 per product, one measure each, through the bulk API), waits
# for the change feed, vacuums, then starts each server jar given in turn on that same data and
# measures it with wrk over one connection (random 100-product queries): latency percentiles
# and the IVS process's CPU time per answer (from /proc). Alternate the jars to see a change
# through this machine's noise. docs/performance.md, "A 1,000-row answer with less work per row
# (2026-12-07)", reports it.
#
#   ivs-bench/profile/query-answer.sh OLD.jar NEW.jar OLD.jar NEW.jar
#
# Environment: QUERY_RECORDS (1000000), QUERY_WARMUP (30 seconds per server), QUERY_SECONDS (20
# per window), QUERY_WINDOWS (2), QUERY_DATA (a data directory to keep and reuse between calls;
# default a new one, removed at the end), QUERY_PORT (18180), QUERY_PG_PORT (15480),
# QUERY_PG_BIN (/usr/lib/postgresql/15/bin, for psql), QUERY_JAVA_OPTIONS (extra JVM options for
# the servers, e.g. -Xlog:gc). Needs wrk, curl and python3.
set -euo pipefail

name=query-answer
# shellcheck source=ivs-bench/profile/server.sh
source "$(dirname "$0")/server.sh"
check_arguments "$@"
records="${QUERY_RECORDS:-1000000}"
warmup="${QUERY_WARMUP:-30}"
seconds="${QUERY_SECONDS:-20}"
windows="${QUERY_WINDOWS:-2}"
port="${QUERY_PORT:-18180}"
pg_port="${QUERY_PG_PORT:-15480}"
pg_bin="${QUERY_PG_BIN:-/usr/lib/postgresql/15/bin}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work="$(mktemp -d -t ivs-query.XXXXXX)"
# Run as root, IVS runs its PostgreSQL as another user, who must be able to enter the folder.
chmod 755 "$work"
java_options="${QUERY_JAVA_OPTIONS:-}"
trap finish EXIT
data_dir="${QUERY_DATA:-$work/data}"

# Records 0 .. records-1 as the bench's scale part makes them (Events.distinctRecords).
load() {
    python3 - "$base" "$1" "$records" <<'PY'
import json, sys, threading, urllib.request
base, token, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
per, size = 10, 512
state = {"next": 0, "errors": 0}
lock = threading.Lock()
def events(first, count):
    out = []
    for r in range(first, first + count):
        slot = r % per
        out.append({"id": "load-%d" % r, "organizationId": "usmf", "productId": "P%d" % (r // per),
                    "dimensions": {"siteId": "S%d" % (slot % 2), "locationId": "L%d" % (slot // 2),
                                   "colorId": "C0"},
                    "quantities": {"pos": {"inbound": 1 + r % 10}}})
    return json.dumps(out).encode()
def work():
    while True:
        with lock:
            first = state["next"]
            state["next"] += size
        if first >= total:
            return
        request = urllib.request.Request(
            base + "/api/environment/bench/onhand/bulk", data=events(first, min(size, total - first)),
            headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=300).read()
        except Exception as e:
            with lock:
                state["errors"] += 1
            print("load:", e, file=sys.stderr)
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
sys.exit(1 if state["errors"] else 0)
PY
}

cat >"$work/query.lua" <<LUA
local token = io.open("$work/token"):read("*l")
local products = math.floor($records / 10)
wrk.method = "POST"
wrk.path = "/api/environment/bench/onhand/indexquery"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
math.randomseed(42)
request = function()
  local seen, ids = {}, {}
  while #ids < math.min(100, products) do
    local p = math.random(0, products - 1)
    if not seen[p] then seen[p] = true; ids[#ids + 1] = '"P' .. p .. '"' end
  end
  return wrk.format(nil, nil, nil, '{"filters":{"organizationId":["usmf"],"productId":['
    .. table.concat(ids, ",") .. ']},"groupByValues":[],"returnNegative":true}')
end
$wrk_summary_lua
LUA

window() {
    local before after line
    before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    line=$(wrk -t1 -c1 -d"${1}s" -s "$work/query.lua" "$base" 2>&1 | tail -1)
    after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    python3 - "$line" "$before" "$after" "$1" "$(getconf CLK_TCK)" <<'PY'
import sys
n, p50, p99, p999, non200 = sys.argv[1].split()
before, after, seconds, tick = map(float, sys.argv[2:])
n = int(n)
print("answers/s %6.1f  p50 %6.2f  p99 %6.2f  p99.9 %6.2f ms  non-200 %s  CPU per answer %.3f ms"
      % (n / seconds, float(p50), float(p99), float(p999), non200,
         (after - before) * 1000 / tick / n))
PY
}

start_server "$1" "$data_dir"
token >"$work/token"
if [[ "$(sql "select count(*) from onhand_record")" -lt "$records" ]]; then
    echo "query-answer.sh: loading $records records into $data_dir ..."
    load "$(cat "$work/token")"
    while [[ "$(sql "select count(*) from feed_change where position is null")" != 0 ]]; do
        sleep 5
    done
    sql "vacuum analyze" >/dev/null
    sql "checkpoint" >/dev/null
fi
stop_server

for jar in "$@"; do
    start_server "$jar" "$data_dir"
    token >"$work/token"
    window "$warmup" >/dev/null
    for w in $(seq 1 "$windows"); do
        echo "$(basename "$jar") window $w: $(window "$seconds")"
    done
    stop_server
done
