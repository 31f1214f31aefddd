#!/usr/bin/env bash
# The project's one test command: unit + integration tests against a real PostgreSQL server and a
# real S3 API. Provisions what is missing on this machine (no Docker needed):
#   - PostgreSQL: $SPARKIFY_TEST_PG when set; else a throwaway cluster (initdb in a temp folder,
#     loopback port, password auth; scripts/lib/postgres.sh), installing PostgreSQL from Debian first
#     when it is absent.
#   - S3: $SPARKIFY_TEST_S3_ENDPOINT when set; else moto_server on a loopback port.
#   - sqlfluff (the independent Redshift grammar the Redshift statements are parsed with) and awscli (the client
#     [CLUSTER] CREDENTIAL_PROCESS is tested with, against moto's Secrets Manager and Redshift): installed from Debian
#     when it is not on PATH (as root, with apt-get); without it that test fails and says how to get it.
# Both servers are always stopped and the temp folder deleted, however the script ends.
# Extra arguments go to `dotnet test` (e.g. scripts/test.sh --filter FullyQualifiedName~S3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/postgres.sh

readonly TEST_PASSWORD="${SPARKIFY_TEST_PG_PASSWORD:-sparkify-test-secret}"
WORK_DIR=""
MOTO_PID=""
TEST_PID=""

log() { echo "test.sh: $*" >&2; }
die() { echo "test.sh: cannot run the tests: $*" >&2; exit 1; }

cleanup() {
    local rc=$?
    if [[ -n "$TEST_PID" ]] && kill -0 "$TEST_PID" 2>/dev/null; then
        kill "$TEST_PID" 2>/dev/null || true
        wait "$TEST_PID" 2>/dev/null || true
    fi
    if [[ -n "$MOTO_PID" ]]; then
        kill "$MOTO_PID" 2>/dev/null || true
        wait "$MOTO_PID" 2>/dev/null || true
    fi
    pg_temp_stop
    if [[ -n "$WORK_DIR" ]]; then rm -rf "$WORK_DIR"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { pg_free_port || die "no free loopback port found"; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2; shift 2
    for _ in $(seq 1 $((seconds * 10))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    die "$what did not answer within ${seconds}s"
}

start_postgres() {
    pg_temp_start "$WORK_DIR" "$TEST_PASSWORD" max_connections=200 ||
        die "no PostgreSQL server (or set SPARKIFY_TEST_PG to the connection string of one)"
    export SPARKIFY_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$TEST_PASSWORD;Database=postgres"
    log "PostgreSQL $("$PG_TEMP_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

start_moto() {
    local moto
    moto=$(command -v moto_server) ||
        die "moto_server not found (pip install 'moto[server]'), or set SPARKIFY_TEST_S3_ENDPOINT to an S3-compatible server"
    local port attempt
    for attempt in 1 2 3; do
        port=$(free_port)
        "$moto" -H 127.0.0.1 -p "$port" >"$WORK_DIR/moto.log" 2>&1 &
        MOTO_PID=$!
        for _ in $(seq 1 150); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                export SPARKIFY_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
                log "moto_server on 127.0.0.1:$port"
                return 0
            fi
            kill -0 "$MOTO_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$MOTO_PID" 2>/dev/null || true
        wait "$MOTO_PID" 2>/dev/null || true
        MOTO_PID=""
        log "moto_server did not start on port $port (attempt $attempt)"
    done
    cat "$WORK_DIR/moto.log" >&2 || true
    die "moto_server did not start"
}

# A Debian package when its command is missing: sqlfluff (1.4.5 on bookworm; only its parser is used, over the
# Redshift target's statements) and awscli (the client [CLUSTER] CREDENTIAL_PROCESS is tested with, against moto).
ensure_debian() { # ensure_debian COMMAND PACKAGE WHAT-FAILS-WITHOUT-IT
    local command=$1 package=$2 without=$3
    command -v "$command" >/dev/null && return 0
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
        log "$command is not installed (apt-get install -y $package as root): $without will fail"
        return 0
    fi
    log "installing $package from Debian (apt-get)..."
    { { [[ -n "${APT_UPDATED:-}" ]] || DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; } && APT_UPDATED=1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null; } ||
        log "apt-get install $package failed: $without will fail"
}

command -v dotnet >/dev/null || die "the .NET SDK ('dotnet') is not on PATH"
ensure_debian sqlfluff sqlfluff "the Redshift grammar test"
ensure_debian aws awscli "the credential-process tests with the AWS CLI"
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sparkify-test.XXXXXX")
chmod 755 "$WORK_DIR"

if [[ -n "${SPARKIFY_TEST_PG:-}" ]]; then log "PostgreSQL from SPARKIFY_TEST_PG"; else start_postgres; fi
if [[ -n "${SPARKIFY_TEST_S3_ENDPOINT:-}" ]]; then
    log "S3 from SPARKIFY_TEST_S3_ENDPOINT ($SPARKIFY_TEST_S3_ENDPOINT)"
else
    start_moto
    # moto accepts any credentials; real ones are never needed (or wanted) here.
    export AWS_ACCESS_KEY_ID=sparkify-test AWS_SECRET_ACCESS_KEY=sparkify-test-secret-key
fi
export AWS_REGION="${AWS_REGION:-us-east-1}" AWS_EC2_METADATA_DISABLED=true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# In the background + wait, so a signal to this script runs the cleanup at once (not after the tests end).
{ dotnet test Sparkify.Stream.sln -c Release "$@" 2>&1; echo $? >"$WORK_DIR/test-status"; } |
    tee "$WORK_DIR/test-output.log" &
TEST_PID=$!
wait "$TEST_PID" || true
status=$(cat "$WORK_DIR/test-status" 2>/dev/null || echo 1)

# One plain closing line over both test projects ("N passed, N failed, N skipped"), for CI's log reader.
totals=$(sed -n 's/.*\(Passed\|Failed\)!  *- *Failed: *\([0-9]*\), *Passed: *\([0-9]*\), *Skipped: *\([0-9]*\).*/\2 \3 \4/p' \
    "$WORK_DIR/test-output.log" | awk '{f+=$1; p+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped", p, f, s}')
echo "tests: $totals"
exit "$status"
