# Sourced by scripts that need a throwaway PostgreSQL server (bench/run.sh; scripts/test.sh does the same inline).
# pg_temp_start DIR PASSWORD: initdb in DIR/data, start on a free loopback port with durability off, set PG_PORT.
# pg_temp_stop: stop it (safe to call twice). Installs PostgreSQL from Debian when it is absent and we are root.

PG_TEMP_DIR=""
PG_TEMP_BIN=""

pg_as_postgres() {
    if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    return 1
}

pg_find_bin() {
    local initdb
    initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n "$initdb" ]] && dirname "$initdb"
}

pg_install() {
    [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null || return 1
    mkdir -p /etc/postgresql-common
    [[ -f /etc/postgresql-common/createcluster.conf ]] ||
        echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold postgresql >/dev/null
}

pg_temp_start() {
    local dir=$1 password=$2 port attempt
    PG_TEMP_BIN=$(pg_find_bin) || { pg_install && PG_TEMP_BIN=$(pg_find_bin); } || return 1
    if [[ "$(id -u)" == 0 ]]; then
        id postgres >/dev/null 2>&1 || return 1
        chown postgres: "$dir"
    fi
    printf '%s\n' "$password" >"$dir/pwfile"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir/pwfile"; fi
    pg_as_postgres "$PG_TEMP_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || return 1
    for attempt in 1 2 3; do
        port=$(pg_free_port) || return 1
        if pg_as_postgres "$PG_TEMP_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            PG_TEMP_DIR=$dir
            PG_PORT=$port
            return 0
        fi
    done
    return 1
}

pg_temp_stop() {
    if [[ -n "$PG_TEMP_DIR" ]]; then
        pg_as_postgres "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        PG_TEMP_DIR=""
    fi
}
