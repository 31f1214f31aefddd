#!/usr/bin/env bash
# End-to-end benchmark, side by side in one run on the same files (issue 7):
#   (a) sparkify --stage-only (JSON -> Parquet + manifests)      vs  duckdb-baseline --stage-only
#   (b) sparkify end to end into DuckDB                           vs  duckdb-baseline (json -> parquet -> star)
#   (c) sparkify end to end into Postgres                         vs  pg_native_baseline.sh, seed_baseline.py
#   json-limit (tokenising every file, no output) as the physical limit.
# usage: bench/run.sh [EVENTS] [--shape clean|messy|both] [--rounds N] [--no-warmup] [--no-seed] [--no-postgres]
#                     [--songs N] [--work DIR] [--keep]
#   EVENTS default 1000000 (20,000 song files, 30 days); 10000000 for the 10 M data set (add --no-seed:
#   the seed-style ETL would take about half an hour there).
#   --shape: the data sets measured (default both): `sparkify generate`'s clean shape, its `--realism messy` one
#   (spelled as the real Udacity files), or both, one after the other; summary.md has a section for each.
# env:   SPARKIFY_BENCH_PG   Npgsql connection string of a Postgres to use (else a throwaway local cluster is
#                            started when PostgreSQL is installed or installable; else (c) is skipped)
#        SPARKIFY_PEERS      the peer baselines (default: ../shared/bench beside the repository)
#        BENCH_JIT=1         measure the plain `dotnet build` output instead of the ReadyToRun publish
# Everything is built in Release first (never timed); data sets are cached in the work folder.
# One warm-up round (discarded; --no-warmup when the files are in the page cache already), then N measured
# rounds (default 3) with the tools interleaved; medians.
# The seed-style Python ETL runs once (it takes minutes at 1 M events); --no-seed skips it.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EVENTS=1000000
SONGS=20000
ROUNDS=3
WARMUP=1
SEED=1
POSTGRES=1
KEEP=0
SHAPE=both
WORK=${TMPDIR:-/tmp}/sparkify-bench
while (($#)); do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --shape) SHAPE=$2; shift 2 ;;
        --songs) SONGS=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --no-seed) SEED=0; shift ;;
        --no-warmup) WARMUP=0; shift ;;
        --no-postgres) POSTGRES=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        [0-9]*) EVENTS=$1; shift ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
case $SHAPE in
    both) SHAPES=(clean messy) ;;
    clean|messy) SHAPES=("$SHAPE") ;;
    *) echo "run.sh: --shape must be clean, messy or both, not $SHAPE" >&2; exit 2 ;;
esac
PEERS=${SPARKIFY_PEERS:-$REPO/../shared/bench}
[[ -d $PEERS/duckdb-baseline ]] || { echo "run.sh: no peer baselines in $PEERS (set SPARKIFY_PEERS)" >&2; exit 2; }
PEERS=$(cd "$PEERS" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log() { echo "run.sh: $*" >&2; }

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
RUN=$WORK/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN/logs"
chmod 755 "$WORK" "$RUN"
source "$REPO/scripts/lib/postgres.sh"
# A run's warehouses, staging and Postgres cluster take gigabytes (~14 GB at 10 M events): removed at the end
# unless --keep; the logs, results.tsv and summary.md stay. Generated data sets are kept for the next run.
cleanup() {
    pg_temp_stop
    if ((!KEEP)) && [[ -n ${RUN:-} && -d $RUN ]]; then
        rm -rf "$RUN/pg" "$RUN/staging" "$RUN/duck" "$RUN/duck-stage" "$RUN"/*.duckdb "$RUN"/*.duckdb.wal
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build (never timed) ---------------------------------------------------------------------------
log "building sparkify (published, ReadyToRun), the bench tool and the peers in Release..."
case "$(uname -m)" in x86_64) RID=linux-x64 ;; aarch64|arm64) RID=linux-arm64 ;; *) RID="" ;; esac
# As it would be deployed: published with ReadyToRun code, so less of the run is spent in the JIT (-0.2 s, ~10% CPU).
if [[ -n $RID && ${BENCH_JIT:-0} == 0 ]]; then
    dotnet publish "$REPO/src/Sparkify.Stream" -c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true \
        -o "$WORK/bin/sparkify" -v q -nologo >"$RUN/logs/build.log" 2>&1 || { cat "$RUN/logs/build.log" >&2; exit 1; }
else
    dotnet build "$REPO/src/Sparkify.Stream" -c Release -o "$WORK/bin/sparkify" -v q -nologo >"$RUN/logs/build.log" 2>&1 ||
        { cat "$RUN/logs/build.log" >&2; exit 1; }
fi
dotnet build "$REPO/bench/Sparkify.Stream.Bench" -c Release -o "$WORK/bin/bench" -v q -nologo >>"$RUN/logs/build.log" 2>&1 ||
    { cat "$RUN/logs/build.log" >&2; exit 1; }
rm -rf "$WORK/peers" && cp -r "$PEERS" "$WORK/peers" && chmod -R u+w "$WORK/peers"
for peer in duckdb-baseline json-limit; do
    dotnet build "$WORK/peers/$peer" -c Release -v q -nologo >>"$RUN/logs/build.log" 2>&1 ||
        { cat "$RUN/logs/build.log" >&2; exit 1; }
done
SPARKIFY=$WORK/bin/sparkify/sparkify.dll
DUCK=$WORK/peers/duckdb-baseline/bin/Release/net10.0/duckdb-baseline.dll
LIMIT=$WORK/peers/json-limit/bin/Release/net10.0/json-limit.dll

# --- data ------------------------------------------------------------------------------------------
# data_set SHAPE: generates (once, cached) and describes the data set of a shape: sets DATA, BYTES, LINES, FILES.
data_set() {
    local shape=$1
    DATA=$WORK/data-$EVENTS-$SONGS
    [[ $shape == clean ]] || DATA=$DATA-$shape
    if [[ ! -f $DATA/.complete ]]; then
        log "generating $EVENTS events and $SONGS song files ($shape) in $DATA..."
        rm -rf "$DATA"
        dotnet "$SPARKIFY" generate --out "$DATA" --songs "$SONGS" --events "$EVENTS" --days 30 --realism "$shape" \
            >"$RUN/logs/generate-$shape.log" 2>&1 || { cat "$RUN/logs/generate-$shape.log" >&2; exit 1; }
        touch "$DATA/.complete"
    fi
    BYTES=$(find "$DATA/song_data" "$DATA/log_data" -type f -name '*.json*' -printf '%s\n' | awk '{s += $1} END {printf "%.0f\n", s}')
    LINES=$(find "$DATA/log_data" -type f -name '*.json' -print0 | xargs -0 cat | wc -l)
    FILES=$(find "$DATA/song_data" "$DATA/log_data" -type f -name '*.json*' | wc -l)
    log "data ($shape): $FILES files, $LINES log lines, $((BYTES / 1048576)) MiB"
}

# --- Postgres ----------------------------------------------------------------------------------------
PG_NPGSQL=""
PG_URL_BASE=""
PG_SPARKIFY=""
pg_field() { tr ';' '\n' <<<"$1" | awk -F= -v k="$2" 'tolower($1) == tolower(k) {print substr($0, index($0, "=") + 1)}'; }
if ((POSTGRES)); then
    if [[ -n ${SPARKIFY_BENCH_PG:-} ]]; then
        PG_NPGSQL=$SPARKIFY_BENCH_PG
    elif mkdir -p "$RUN/pg" && pg_temp_start "$RUN/pg" bench-secret; then
        PG_NPGSQL="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=bench-secret;Database=postgres"
        log "throwaway PostgreSQL on 127.0.0.1:$PG_PORT (fsync off)"
    else
        log "no PostgreSQL (set SPARKIFY_BENCH_PG): Postgres figures skipped"
    fi
fi
if [[ -n $PG_NPGSQL ]]; then
    PG_HOST=$(pg_field "$PG_NPGSQL" host); PG_HOST=${PG_HOST:-127.0.0.1}
    PG_P=$(pg_field "$PG_NPGSQL" port); PG_P=${PG_P:-5432}
    PG_USER=$(pg_field "$PG_NPGSQL" username); PG_USER=${PG_USER:-postgres}
    PG_PASS=$(pg_field "$PG_NPGSQL" password)
    PG_DB=$(pg_field "$PG_NPGSQL" database); PG_DB=${PG_DB:-postgres}
    export PGPASSWORD=$PG_PASS
    PG_URL_BASE="postgresql://$PG_USER@$PG_HOST:$PG_P"
    for db in bench_sparkify bench_seed bench_pgnative; do
        psql -q "$PG_URL_BASE/$PG_DB" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    done
    PG_SPARKIFY="Host=$PG_HOST;Port=$PG_P;Username=$PG_USER;Password=$PG_PASS;Database=bench_sparkify"
    if ! dotnet "$SPARKIFY" create-tables --target postgres --connection "$PG_SPARKIFY" -q >"$RUN/logs/pg-target.log" 2>&1; then
        log "sparkify has no working Postgres target in this build ($(tail -1 "$RUN/logs/pg-target.log")): (c) skipped"
        PG_SPARKIFY=""
    fi
    if ((SEED)) && ! /usr/bin/python3 -c 'import psycopg2' 2>/dev/null; then
        if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
            log "installing python3-psycopg2 for the seed-style baseline..."
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-psycopg2 >/dev/null 2>&1 || true
        fi
        /usr/bin/python3 -c 'import psycopg2' 2>/dev/null || { log "no python3-psycopg2: seed baseline skipped"; SEED=0; }
    fi
else
    SEED=0
fi

# --- measuring ------------------------------------------------------------------------------------------
# measure ROUND NAME CMD...: one run under /usr/bin/time -v; a failure is logged and recorded as such.
measure() {
    local round=$1 name=$2; shift 2
    local out=$LOGS/$name-r$round
    if ! /usr/bin/time -v -o "$out.time" "$@" >"$out.log" 2>&1; then
        log "FAILED: $name (round $round), see $out.log"; tail -3 "$out.log" >&2
        printf '%s\t%s\tFAILED\t\t\t\t\n' "$round" "$name" >>"$TSV"
        return 0
    fi
    python3 - "$round" "$name" "$out" >>"$TSV" <<'PY'
import json, os, re, sys
rnd, name, out = sys.argv[1:4]
wall = cpu = rss = 0.0
for line in open(out + ".time", errors="replace"):
    k, _, v = line.strip().rpartition(": ")
    if k == "Elapsed (wall clock) time (h:mm:ss or m:ss)":
        wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(v.split(":"))))
    elif k in ("User time (seconds)", "System time (seconds)"):
        cpu += float(v)
    elif k == "Maximum resident set size (kbytes)":
        rss = int(v) / 1024
inner, detail = "", ""
report = out + ".report.json"
if os.path.exists(report):
    r = json.load(open(report))
    inner = f"{r['seconds']['total']:.3f}"
    detail = " ".join(f"{k}={v:.2f}" for k, v in r["seconds"].items() if k != "total")
else:
    for line in open(out + ".log", errors="replace"):
        m = re.match(r"RESULT tool=(\S+) .*seconds=([0-9.]+)", line)
        if m: inner = m.group(2)
print(f"{rnd}\t{name}\t{wall:.3f}\t{cpu:.3f}\t{rss:.0f}\t{inner}\t{detail}")
PY
}

sparkify_run() { # sparkify_run ROUND NAME TARGET-ARGS...
    local round=$1 name=$2; shift 2
    rm -rf "$RUN/staging"
    measure "$round" "$name" dotnet "$SPARKIFY" run --batch --songs "$DATA/song_data" --logs "$DATA/log_data" \
        --staging "$RUN/staging" --report "$LOGS/$name-r$round.report.json" -q "$@"
}

round() {
    local r=$1
    log "round $r ($(date -u +%T))"
    measure "$r" json-limit-t2 dotnet "$LIMIT" "$DATA" --threads 2
    rm -rf "$RUN/duck-stage"
    measure "$r" duckdb-json-to-parquet dotnet "$DUCK" "$DATA" "$RUN/duck-stage" --stage-only
    rm -f "$RUN/stage.duckdb"
    sparkify_run "$r" sparkify-stage-only --connection "$RUN/stage.duckdb" --stage-only
    rm -rf "$RUN/duck"
    measure "$r" duckdb-end-to-end dotnet "$DUCK" "$DATA" "$RUN/duck"
    rm -f "$RUN/sparkify.duckdb" "$RUN/sparkify.duckdb.wal"
    sparkify_run "$r" sparkify-duckdb --connection "$RUN/sparkify.duckdb"
    if [[ -n $PG_SPARKIFY ]]; then
        dotnet "$SPARKIFY" create-tables --drop --target postgres --connection "$PG_SPARKIFY" -q >/dev/null
        sparkify_run "$r" sparkify-postgres --target postgres --connection "$PG_SPARKIFY"
    fi
    if [[ -n $PG_URL_BASE ]]; then
        measure "$r" pg-native-jsonb "$WORK/peers/pg_native_baseline.sh" "$DATA" "$PG_URL_BASE/bench_pgnative"
    fi
}

# measure_shape SHAPE: the rounds, the seed-style ETL and the star check on one shape's data set; rows in results-SHAPE.tsv.
measure_shape() {
    local shape=$1
    data_set "$shape"
    TSV=$RUN/results-$shape.tsv
    LOGS=$RUN/logs/$shape
    mkdir -p "$LOGS"
    printf 'round\ttool\twall_s\tcpu_s\tpeak_rss_mb\tinner_s\tdetail\n' >"$TSV"
    log "measuring the $shape shape"
    for r in $(seq $((1 - WARMUP)) "$ROUNDS"); do round "$r"; done
    if ((SEED)); then
        log "seed-style Python ETL, once (minutes at 1 M events)..."
        psql -q "$PG_URL_BASE/$PG_DB" -c "DROP DATABASE IF EXISTS bench_seed" -c "CREATE DATABASE bench_seed" >/dev/null
        measure 1 seed-python-psycopg2 /usr/bin/python3 "$WORK/peers/seed_baseline.py" "$DATA" \
            --dsn "host=$PG_HOST port=$PG_P dbname=bench_seed user=$PG_USER password=$PG_PASS"
    fi
    # correctness: sparkify's star schema equals DuckDB's own
    STAR="not checked"
    if [[ -f $RUN/sparkify.duckdb && -f $RUN/duck/warehouse.duckdb ]]; then
        if dotnet "$WORK/bin/bench/Sparkify.Stream.Bench.dll" compare-star "$RUN/sparkify.duckdb" "$RUN/duck/warehouse.duckdb" \
            >"$RUN/star-compare-$shape.txt" 2>&1; then STAR="equal"; else STAR="DIFFERENT"; fi
        cat "$RUN/star-compare-$shape.txt" >&2
    fi
    summarise "$shape" >"$RUN/summary-$shape.md"
}

# --- summary -----------------------------------------------------------------------------------------
# What the results table needs to say about the machine and the tools' versions.
MACHINE="$(date -u +%Y-%m-%d), $(nproc) CPUs ($(lscpu 2>/dev/null | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), .NET $(dotnet --version), \
$(psql --version 2>/dev/null | head -1 || echo 'no psql'), $(/usr/bin/python3 --version 2>&1)"
summarise() { # summarise SHAPE: the section of summary.md for the shape measured last
python3 - "$TSV" "$LINES" "$BYTES" "$FILES" "$STAR" "$DATA" "$1" <<'PY'
import statistics, sys
tsv, lines, size, files, star, data = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
shape = sys.argv[7]
rows = [l.rstrip("\n").split("\t") for l in open(tsv)][1:]
tools = []
for r in rows:
    if r[1] not in tools: tools.append(r[1])
med, out = {}, []
out.append(f"## {shape} shape")
out.append("")
out.append(f"data: {data}: {files} files, {lines:,} log lines, {size / 1048576:,.0f} MiB of JSON; star tables: {star}")
out.append("")
out.append("| tool | runs | wall s (median) | min-max | events/s | MB/s | CPU s | peak RSS MB | tool's own s | stages (sparkify, median run) |")
out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for t in tools:
    ok = [r for r in rows if r[1] == t and r[2] != "FAILED" and (r[0] != "0" or t.startswith("seed"))]
    if not ok:
        out.append(f"| {t} | 0 | failed | | | | | | | |"); continue
    walls = sorted(float(r[2]) for r in ok)
    m = statistics.median(walls); med[t] = m
    mid = min(ok, key=lambda r: abs(float(r[2]) - m))
    cpu = statistics.median(float(r[3]) for r in ok)
    rss = max(float(r[4]) for r in ok)
    inner = statistics.median(float(r[5]) for r in ok if r[5]) if any(r[5] for r in ok) else None
    out.append(f"| {t} | {len(ok)} | {m:.2f} | {walls[0]:.2f}-{walls[-1]:.2f} | {lines / m:,.0f} | {size / 1048576 / m:,.1f} | "
               f"{cpu:.2f} | {rss:,.0f} | {'' if inner is None else f'{inner:.2f}'} | {mid[6]} |")
out.append("")
def ratio(label, ours, theirs, target=None):
    if ours in med and theirs in med:
        x = med[theirs] / med[ours]
        goal = "" if target is None else f" (target >= {target}x: {'met' if x >= target else 'missed'})"
        out.append(f"- {label}: {x:.2f}x{goal}")
out.append("Throughput ratios (wall time of the other / wall time of sparkify; > 1 means sparkify is faster):")
# Targets: issue 17's for (a), (b) and (c) vs Postgres-native; issue 7's for the seed-style ETL.
ratio("(a) stage only vs DuckDB read_json -> Parquet", "sparkify-stage-only", "duckdb-json-to-parquet", 1.2)
ratio("(b) end to end into DuckDB vs DuckDB's own star build", "sparkify-duckdb", "duckdb-end-to-end", 1.0)
ratio("(c) end to end into Postgres vs the seed-style Python ETL", "sparkify-postgres", "seed-python-psycopg2", 50)
ratio("(c) end to end into Postgres vs Postgres-native jsonb", "sparkify-postgres", "pg-native-jsonb", 2.0)
ratio("stage only vs json-limit (2 threads, tokenising only)", "sparkify-stage-only", "json-limit-t2")
print("\n".join(out))
PY
}

for shape in "${SHAPES[@]}"; do measure_shape "$shape"; done
{
    echo "machine: $MACHINE"
    for shape in "${SHAPES[@]}"; do echo; cat "$RUN/summary-$shape.md"; done
} >"$RUN/summary.md"
cat "$RUN/summary.md"
log "raw rows: $RUN/results-*.tsv; logs: $RUN/logs/<shape>"
