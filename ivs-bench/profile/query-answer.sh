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

[[ $# -gt 0 ]] || { sed -n '2,18p' "$0" >&2; exit 2; }
for jar in "$@"; do
    [[ -f "$jar" ]] || { echo "query-answer.sh: no such jar: $jar" >&2; exit 2; }
done
for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "query-answer.sh: needs $tool" >&2; exit 2; }
done
records="${QUERY_RECORDS:-1000000}"
warmup="${QUERY_WARMUP:-30}"
seconds="${QUERY_SECONDS:-20}"
windows="${QUERY_WINDOWS:-2}"
port="${QUERY_PORT:-18180}"
pg_port="${QUERY_PG_PORT:-15480}"
pg_bin="${QUERY_PG_BIN:-/usr/lib/postgresql/15/bin}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
secret="query-answer-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
work="$(mktemp -d -t ivs-query.XXXXXX)"
# Run as root, IVS runs its PostgreSQL as another user, who must be able to enter the folder.
chmod 755 "$work"
data="${QUERY_DATA:-$work/data}"
mkdir -p "$data"
base="http://127.0.0.1:$port"
pid=""
stop_server() {
    if [[ -n "$pid" ]]; then
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
        pid=""
    fi
}
finish() {
    stop_server
    rm -rf "$work"
}
trap finish EXIT

start_server() {
    # shellcheck disable=SC2086
    IVS_DEFAULT_ENVIRONMENT=bench IVS_BOOTSTRAP_CLIENT_ID=query-answer \
        IVS_BOOTSTRAP_CLIENT_SECRET="$secret" \
        "$java" ${QUERY_JAVA_OPTIONS:-} -jar "$1" --server.port="$port" \
        --ivs.data-dir="$data" --ivs.embedded.port="$pg_port" >"$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 180); do
        curl -sf "$base/actuator/health" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    echo "query-answer.sh: the server did not start; its log:" >&2
    tail -30 "$work/server.log" >&2
    exit 1
}

token() {
    local first
    first=$(curl -sf -X POST "$base/oauth2/token" \
        -d "grant_type=client_credentials&client_id=query-answer&client_secret=$secret" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    curl -sf -X POST "$base/token" -H 'Content-Type: application/json' -d "{
        \"grant_type\": \"client_credentials\", \"client_assertion_type\": \"aad_app\",
        \"client_assertion\": \"$first\", \"context\": \"bench\", \"context_type\": \"finops-env\",
        \"scope\": \"https://inventoryservice.operations365.dynamics.com/.default\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

sql() {
    PGPASSWORD="$(cat "$data/pg-password")" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" \
        -U postgres -d postgres -At -c "$1"
}

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
done = function(summary, latency, requests)
  io.write(string.format("%d %.2f %.2f %.2f %d\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.errors.status))
end
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

start_server "$1"
token >"$work/token"
if [[ "$(sql "select count(*) from onhand_record")" -lt "$records" ]]; then
    echo "query-answer.sh: loading $records records into $data ..."
    load "$(cat "$work/token")"
    while [[ "$(sql "select count(*) from feed_change where position is null")" != 0 ]]; do
        sleep 5
    done
    sql "vacuum analyze" >/dev/null
    sql "checkpoint" >/dev/null
fi
stop_server

for jar in "$@"; do
    start_server "$jar"
    token >"$work/token"
    window "$warmup" >/dev/null
    for w in $(seq 1 "$windows"); do
        echo "$(basename "$jar") window $w: $(window "$seconds")"
    done
    stop_server
done
