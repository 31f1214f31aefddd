# Sourced by the scripts that need a throwaway PostgreSQL server (scripts/test.sh, bench/run.sh).
# pg_temp_start DIR PASSWORD [NAME=VALUE...]: initdb in DIR/data (password auth over TCP), start on a free loopback
#   port with durability off and the extra server settings given, set PG_PORT and PG_TEMP_BIN. Installs PostgreSQL
#   from Debian first when it is absent and we are root. On failure it says why on stderr and returns 1.
# pg_temp_stop: stop it (safe to call twice).
# pg_free_port: print a loopback port nothing listens on.

PG_TEMP_DIR=""
PG_TEMP_BIN=""

pg_log() { echo "$(basename "$0"): $*" >&2; }

# initdb refuses to run as root: as root, run the server as the postgres account.
pg_as_postgres() {
    if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# bash's /dev/tcp connect fails => nothing listens there.
pg_free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    pg_log "no free loopback port found"
    return 1
}

pg_find_bin() {
    local initdb
    initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n "$initdb" ]] && dirname "$initdb"
}

pg_install() {
    [[ "$(id -u)" == 0 ]] || { pg_log "PostgreSQL is not installed; run 'apt-get install -y postgresql' as root"; return 1; }
    command -v apt-get >/dev/null || { pg_log "PostgreSQL is not installed and apt-get is not available"; return 1; }
    pg_log "installing PostgreSQL from Debian (apt-get)..."
    # Only the binaries are wanted: no 'main' cluster started by the package.
    mkdir -p /etc/postgresql-common
    [[ -f /etc/postgresql-common/createcluster.conf ]] ||
        echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || { pg_log "apt-get update failed"; return 1; }
    DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confold postgresql >/dev/null || { pg_log "apt-get install postgresql failed"; return 1; }
}

pg_temp_start() {
    local dir=$1 password=$2 port attempt setting
    shift 2
    # Throwaway data: durability off for speed.
    local options="-k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    for setting in "$@"; do options+=" -c $setting"; done
    if ! PG_TEMP_BIN=$(pg_find_bin); then
        pg_install || return 1
        PG_TEMP_BIN=$(pg_find_bin) || { pg_log "initdb not found after installing PostgreSQL"; return 1; }
    fi
    if [[ "$(id -u)" == 0 ]]; then
        id postgres >/dev/null 2>&1 || { pg_log "the 'postgres' account does not exist (initdb refuses to run as root)"; return 1; }
        chown postgres: "$dir"
    fi
    printf '%s\n' "$password" >"$dir/pwfile"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir/pwfile"; fi
    pg_as_postgres "$PG_TEMP_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; pg_log "initdb failed"; return 1; }
    for attempt in 1 2 3; do
        port=$(pg_free_port) || return 1
        if pg_as_postgres "$PG_TEMP_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
            -o "-p $port $options" start >/dev/null 2>&1; then
            PG_TEMP_DIR=$dir
            PG_PORT=$port
            return 0
        fi
        pg_log "PostgreSQL did not start on port $port (attempt $attempt): $(tail -n 1 "$dir/postgres.log" 2>/dev/null)"
    done
    cat "$dir/postgres.log" >&2 || true
    pg_log "PostgreSQL did not start"
    return 1
}

pg_temp_stop() {
    if [[ -n "$PG_TEMP_DIR" ]]; then
        pg_as_postgres "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        PG_TEMP_DIR=""
    fi
}
