#!/usr/bin/env bash
# The project's one test command: unit + integration tests against a real PostgreSQL server and a
# real S3 API. Provisions what is missing on this machine (no Docker needed):
#   - PostgreSQL: $SPARKIFY_TEST_PG when set; else a throwaway cluster (initdb in a temp folder,
#     loopback port, password auth), installing PostgreSQL from Debian first when it is absent.
#   - S3: $SPARKIFY_TEST_S3_ENDPOINT when set; else moto_server on a loopback port.
# Both servers are always stopped and the temp folder deleted, however the script ends.
# Extra arguments go to `dotnet test` (e.g. scripts/test.sh --filter FullyQualifiedName~S3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly TEST_PASSWORD="${SPARKIFY_TEST_PG_PASSWORD:-sparkify-test-secret}"
WORK_DIR=""
PG_BIN=""
PG_STARTED=""
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
    if [[ -n "$PG_STARTED" ]]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$WORK_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [[ -n "$WORK_DIR" ]]; then rm -rf "$WORK_DIR"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# initdb refuses to run as root: as root, run the server as the postgres account.
as_postgres() {
    if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A loopback port nothing listens on (bash's /dev/tcp connect fails => free).
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    die "no free loopback port found"
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2; shift 2
    for _ in $(seq 1 $((seconds * 10))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    die "$what did not answer within ${seconds}s"
}

find_pg_bin() {
    local initdb
    initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n "$initdb" ]] && dirname "$initdb"
}

install_postgres() {
    [[ "$(id -u)" == 0 ]] || die "PostgreSQL is not installed; run 'apt-get install -y postgresql' as root, or set SPARKIFY_TEST_PG"
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is not available; set SPARKIFY_TEST_PG"
    log "installing PostgreSQL from Debian (apt-get)..."
    # Only the binaries are wanted: no 'main' cluster started by the package.
    mkdir -p /etc/postgresql-common
    [[ -f /etc/postgresql-common/createcluster.conf ]] ||
        echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    export DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1
    apt-get update -qq >/dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold postgresql >/dev/null ||
        die "apt-get install postgresql failed"
}

start_postgres() {
    PG_BIN=$(find_pg_bin) || { install_postgres; PG_BIN=$(find_pg_bin) || die "initdb not found after installing PostgreSQL"; }
    if [[ "$(id -u)" == 0 ]]; then
        id postgres >/dev/null 2>&1 || die "the 'postgres' account does not exist (initdb refuses to run as root)"
        chown postgres: "$WORK_DIR"
    fi
    printf '%s\n' "$TEST_PASSWORD" >"$WORK_DIR/pwfile"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$WORK_DIR/pwfile"; fi
    as_postgres "$PG_BIN/initdb" -D "$WORK_DIR/data" -U postgres --pwfile="$WORK_DIR/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$WORK_DIR/initdb.log" 2>&1 ||
        { cat "$WORK_DIR/initdb.log" >&2; die "initdb failed"; }
    local port attempt
    for attempt in 1 2 3; do
        port=$(free_port)
        # Throwaway data: durability off for speed.
        if as_postgres "$PG_BIN/pg_ctl" -D "$WORK_DIR/data" -l "$WORK_DIR/postgres.log" -w -t 30 \
            -o "-p $port -k $WORK_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            PG_STARTED=1
            export SPARKIFY_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Password=$TEST_PASSWORD;Database=postgres"
            log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
            return 0
        fi
        log "PostgreSQL did not start on port $port (attempt $attempt): $(tail -n 1 "$WORK_DIR/postgres.log" 2>/dev/null)"
    done
    cat "$WORK_DIR/postgres.log" >&2 || true
    die "PostgreSQL did not start"
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

command -v dotnet >/dev/null || die "the .NET SDK ('dotnet') is not on PATH"
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
