# Shared by the profile scripts (sourced, not run): checks their arguments, starts and stops one
# IVS server on embedded PostgreSQL, exchanges its bootstrap client's secret for an API token,
# runs SQL on its database. The script sets name (its name, for messages and the client id)
# before sourcing, and before starting a server: port, pg_port, pg_bin, java, java_options
# (extra JVM options, may be empty) and work (a folder that finish removes).

secret="$name-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
base=""
pid=""
data=""

# check_arguments JAR...: at least one jar, each a file, and the tools the scripts use.
check_arguments() {
    [[ $# -gt 0 ]] || { sed -n '2,18p' "$0" >&2; exit 2; }
    local jar tool
    for jar in "$@"; do
        [[ -f "$jar" ]] || { echo "$name.sh: no such jar: $jar" >&2; exit 2; }
    done
    for tool in wrk curl python3; do
        command -v "$tool" >/dev/null || { echo "$name.sh: needs $tool" >&2; exit 2; }
    done
}

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

# start_server JAR DATA: the server from JAR on the data folder DATA; returns when it is healthy.
start_server() {
    base="http://127.0.0.1:$port"
    data="$2"
    mkdir -p "$data"
    # shellcheck disable=SC2086
    IVS_DEFAULT_ENVIRONMENT=bench IVS_BOOTSTRAP_CLIENT_ID="$name" \
        IVS_BOOTSTRAP_CLIENT_SECRET="$secret" \
        "$java" $java_options -jar "$1" --server.port="$port" \
        --ivs.data-dir="$data" --ivs.embedded.port="$pg_port" >"$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 180); do
        curl -sf "$base/actuator/health" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    echo "$name.sh: the server did not start; its log:" >&2
    tail -30 "$work/server.log" >&2
    exit 1
}

# An API token for the environment "bench", through the token exchange as IV clients do it.
token() {
    local first
    first=$(curl -sf -X POST "$base/oauth2/token" \
        -d "grant_type=client_credentials&client_id=$name&client_secret=$secret" |
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

# The end of a wrk script: prints requests, p50, p99 and p99.9 in ms, and non-2xx answers.
wrk_summary_lua='done = function(summary, latency, requests)
  io.write(string.format("%d %.2f %.2f %.2f %d\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.errors.status))
end'
