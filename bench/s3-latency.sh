#!/usr/bin/env bash
# S3 at a real latency (issue 31): stage-only runs of sparkify reading its input over a read-only S3 API that holds
# every request a set time (s3_latency_server.py: a local folder served as S3, a first-byte latency per request, a
# slower one per list page, and a paced bandwidth per connection), interleaved round by round:
#   small  N song files + the log files of M events, at 0 ms and at --latency-ms per GET (and from local disk, for
#          the CPU an S3 GET costs): both times, their ratio, GETs/s, CPU per GET, peak RSS
#   list   K keys over P first-level folders (as song_data/A..Z/) at --list-latency-ms per page: the flat listing
#          against the split one (bench tool time-s3-list); and the same keys all below one folder. Also the CPU
#          seconds the server process spent in each listing: it answers one page at a time, so a listing cannot take
#          less than that, however many pages the client asks for at once
#   big    one log file of --big-mb MB served at --bandwidth-mbps per connection, against the same file on local disk
# usage: bench/s3-latency.sh [--songs N] [--events N] [--keys N] [--prefixes N] [--big-mb N] [--latency-ms MS]
#                            [--list-latency-ms MS] [--bandwidth-mbps MBIT] [--rounds N] [--only small|list|big]
#                            [--realism clean|messy] [--baseline COMMIT] [--work DIR]
#   defaults: 20000 songs, 2000 events, 100000 keys over 26 folders, a 500 MB log file, 25 ms per GET, 75 ms per
#   list page, 800 Mbit/s per connection, 3 rounds (plus a warm-up round, discarded). A quick run:
#   bench/s3-latency.sh --songs 2000 --keys 20000 --big-mb 50 --rounds 1
#   --baseline COMMIT also publishes that commit and runs it in the same rounds (small and big).
#   --realism messy generates the small and big data sets in the shape of the real files (generate --realism).
# env:   SPARKIFY_S3_LATENCY_SERVER  the server script (default: ../shared/bench/s3_latency_server.py beside the
#                                    repository; the script says which one it uses)
# Data sets are generated once into the work folder (default $TMPDIR/sparkify-bench) and reused.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SONGS=20000 EVENTS=2000 KEYS=100000 PREFIXES=26 BIG_MB=500
LATENCY=25 LIST_LATENCY=75 BANDWIDTH=800 ROUNDS=3 ONLY="" BASELINE="" REALISM=clean
WORK=${TMPDIR:-/tmp}/sparkify-bench
while (($#)); do
    case $1 in
        --songs) SONGS=$2; shift 2 ;;
        --events) EVENTS=$2; shift 2 ;;
        --keys) KEYS=$2; shift 2 ;;
        --prefixes) PREFIXES=$2; shift 2 ;;
        --big-mb) BIG_MB=$2; shift 2 ;;
        --latency-ms) LATENCY=$2; shift 2 ;;
        --list-latency-ms) LIST_LATENCY=$2; shift 2 ;;
        --bandwidth-mbps) BANDWIDTH=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --baseline) BASELINE=$2; shift 2 ;;
        --realism) REALISM=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        *) echo "s3-latency.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
((PREFIXES >= 1 && PREFIXES <= 26)) || { echo "s3-latency.sh: --prefixes must be 1 to 26" >&2; exit 2; }
[[ $REALISM == clean || $REALISM == messy ]] || { echo "s3-latency.sh: --realism must be clean or messy" >&2; exit 2; }
wants() { [[ -z $ONLY || $ONLY == "$1" ]]; }
log() { echo "s3-latency.sh: $*" >&2; }
SERVER=${SPARKIFY_S3_LATENCY_SERVER:-$REPO/../shared/bench/s3_latency_server.py}
[[ -f $SERVER ]] || { echo "s3-latency.sh: no S3 latency server at $SERVER (set SPARKIFY_S3_LATENCY_SERVER)" >&2; exit 2; }
SERVER=$(cd "$(dirname "$SERVER")" && pwd)/$(basename "$SERVER")
log "using the S3 latency server at $SERVER"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
case "$(uname -m)" in x86_64) RID=linux-x64 ;; aarch64|arm64) RID=linux-arm64 ;; *) echo "s3-latency.sh: no RID for $(uname -m)" >&2; exit 2 ;; esac

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
RUN=$WORK/s3lat-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN/logs" "$RUN/root-small" "$RUN/root-list" "$RUN/root-big"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$RUN/src" "$RUN/staging" "$RUN"/*.duckdb*
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build (never timed) ---------------------------------------------------------------------------
publish() { # publish NAME SOURCE_DIR
    log "publishing $1 (Release, ReadyToRun)..."
    dotnet publish "$2/src/Sparkify.Stream" -c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true \
        -o "$RUN/bin/$1" -v q -nologo >"$RUN/logs/build-$1.log" 2>&1 || { cat "$RUN/logs/build-$1.log" >&2; exit 1; }
}
publish new "$REPO"
git -C "$REPO" rev-parse HEAD >"$RUN/bin/new/COMMIT"
BUILDS=(new)
if [[ -n $BASELINE ]]; then
    commit=$(git -C "$REPO" rev-parse --verify "$BASELINE^{commit}")
    mkdir -p "$RUN/src/base" && git -C "$REPO" archive "$commit" | tar -x -C "$RUN/src/base"
    publish base "$RUN/src/base"
    echo "$commit" >"$RUN/bin/base/COMMIT"
    BUILDS=(base new)
fi
if wants list; then
    log "building the bench tool..."
    dotnet build "$REPO/bench/Sparkify.Stream.Bench" -c Release -v q -nologo >"$RUN/logs/build-bench.log" 2>&1 ||
        { cat "$RUN/logs/build-bench.log" >&2; exit 1; }
fi
SPARKIFY="dotnet $RUN/bin/new/sparkify.dll"

# --- data (generated once, reused) ---------------------------------------------------------------------
[[ $REALISM == clean ]] && SHAPE="" || SHAPE=-$REALISM   # clean keeps the data sets' earlier names
SMALL=$WORK/s3lat-small-$SONGS-$EVENTS$SHAPE
if wants small && [[ ! -f $SMALL/.complete ]]; then
    log "generating $SONGS song files and $EVENTS events in $SMALL..."
    rm -rf "$SMALL"
    $SPARKIFY generate --out "$SMALL" --songs "$SONGS" --events "$EVENTS" --days 30 --realism "$REALISM" \
        >"$RUN/logs/generate-small.log" 2>&1
    touch "$SMALL/.complete"
fi
LIST=$WORK/s3lat-list-$KEYS-$PREFIXES
if wants list && [[ ! -f $LIST/.complete ]]; then
    log "making $KEYS keys over $PREFIXES folders (hard links of one file) in $LIST..."
    rm -rf "$LIST"
    python3 - "$LIST" "$KEYS" "$PREFIXES" <<'PY'
import os, string, sys
root, keys, prefixes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(root)
links = 0
for bucket, base in (("many", "song_data"), ("one", "song_data/A")):
    for i in range(keys):
        if links % 50000 == 0:   # a file system allows ~65,000 links to one file
            one = os.path.join(root, f"song-{links // 50000}.json")
            with open(one, "w") as f: f.write('{"song_id":"SOBENCH","num_songs":1}')
        folder = string.ascii_uppercase[i % prefixes]
        d = os.path.join(root, bucket, base, folder, string.ascii_uppercase[i // prefixes % 26])
        os.makedirs(d, exist_ok=True)
        os.link(one, os.path.join(d, f"TR{i:07d}.json"))
        links += 1
PY
    touch "$LIST/.complete"
fi
BIG=$WORK/s3lat-big-$BIG_MB$SHAPE
if wants big && [[ ! -f $BIG/.complete ]]; then
    log "generating one log file of about $BIG_MB MB in $BIG..."
    rm -rf "$BIG"
    $SPARKIFY generate --out "$BIG/sample" --songs 200 --events 20000 --days 1 --realism "$REALISM" >"$RUN/logs/generate-big.log" 2>&1
    per_event=$(find "$BIG/sample/log_data" -name '*.json' -printf '%s\n' | awk '{s += $1} END {print s / 20000}')
    events=$(awk -v mb="$BIG_MB" -v b="$per_event" 'BEGIN {printf "%d", mb * 1000000 / b}')
    $SPARKIFY generate --out "$BIG/data" --songs 200 --events "$events" --days 1 --realism "$REALISM" >>"$RUN/logs/generate-big.log" 2>&1
    rm -rf "$BIG/sample"
    touch "$BIG/.complete"
fi

# --- servers -----------------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
serve() { # serve VAR ROOT ARGS...: starts a server, sets VAR to its port and VAR_PID to its process id
    local var=$1 root=$2 port; shift 2
    port=$(free_port)
    python3 "$SERVER" "$port" "$root" "$@" 2>>"$RUN/logs/server-$var.log" &
    PIDS+=($!)
    printf -v "${var}_PID" '%s' "$!"
    for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    printf -v "$var" '%s' "$port"
}
ln -s "$SMALL" "$RUN/root-small/data"
ln -s "$LIST/many" "$RUN/root-list/many"
ln -s "$LIST/one" "$RUN/root-list/one"
ln -s "$BIG/data" "$RUN/root-big/data"
wants small && serve PORT_FAST "$RUN/root-small" --latency-ms 0 --list-latency-ms 0
wants small && serve PORT_SLOW "$RUN/root-small" --latency-ms "$LATENCY" --list-latency-ms "$LIST_LATENCY"
wants list && serve PORT_LIST "$RUN/root-list" --latency-ms "$LATENCY" --list-latency-ms "$LIST_LATENCY"
wants big && serve PORT_BIG "$RUN/root-big" --latency-ms "$LATENCY" --list-latency-ms "$LIST_LATENCY" --bandwidth-mbps "$BANDWIDTH"

# --- measuring -------------------------------------------------------------------------------------------
TSV=$RUN/results.tsv
# list rows: build is the mode (flat, split), cpu_s the server process's CPU seconds meanwhile
printf 'round\tcase\tbuild\twall_s\tcpu_s\tpeak_rss_mb\tload\n' >"$TSV"
stage() { # stage ROUND CASE BUILD PORT|local SONGS LOGS
    local round=$1 case=$2 build=$3 port=$4 songs=$5 logs=$6 out=$RUN/logs/$2-$3-r$1
    rm -rf "$RUN/staging" "$RUN/stage.duckdb"
    env AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
        ${port:+SPARKIFY_S3__ENDPOINT=http://127.0.0.1:$port} \
        /usr/bin/time -v -o "$out.time" dotnet "$RUN/bin/$build/sparkify.dll" run --batch --stage-only \
        --songs "$songs" --logs "$logs" --staging "$RUN/staging" --connection "$RUN/stage.duckdb" -q \
        >"$out.log" 2>&1 || { log "FAILED: $case $build (round $round), see $out.log"; tail -3 "$out.log" >&2; exit 1; }
    awk -v r="$round" -v c="$case" -v b="$build" -v l="$(cut -d' ' -f1 /proc/loadavg)" -F': ' '
        $1 ~ /Elapsed \(wall clock\)/ { k = split($2, t, ":"); w = 0; for (i = 1; i <= k; i++) w = w * 60 + t[i] }
        $1 ~ /(User|System) time \(seconds\)/ { s += $2 }
        $1 ~ /Maximum resident set size/ { m = $2 / 1024 }
        END { printf "%s\t%s\t%s\t%.3f\t%.3f\t%.0f\t%s\n", r, c, b, w, s, m, l }' "$out.time" >>"$TSV"
}
FILES=0
wants small && FILES=$(find "$SMALL/song_data" "$SMALL/log_data" -name '*.json' | wc -l)
for r in $(seq 0 "$ROUNDS"); do
    log "round $r of $ROUNDS ($(date -u +%T); round 0 warms up)"
    if wants small; then
        stage "$r" small-local new "" "$SMALL/song_data" "$SMALL/log_data"
        for b in "${BUILDS[@]}"; do
            stage "$r" small-0ms "$b" "$PORT_FAST" s3://data/song_data s3://data/log_data
            stage "$r" "small-${LATENCY}ms" "$b" "$PORT_SLOW" s3://data/song_data s3://data/log_data
        done
    fi
    if wants big; then
        stage "$r" big-local new "" "$BIG/data/song_data" "$BIG/data/log_data"
        for b in "${BUILDS[@]}"; do stage "$r" big-s3 "$b" "$PORT_BIG" s3://data/song_data s3://data/log_data; done
    fi
done
if wants list; then
    # The listings in one process each (its first listing of each mode warms up, untimed), rounds interleaved inside.
    for bucket in many one; do
        log "listing s3://$bucket/song_data, flat and split, $ROUNDS rounds ($(date -u +%T))"
        dotnet "$REPO/bench/Sparkify.Stream.Bench/bin/Release/net10.0/Sparkify.Stream.Bench.dll" time-s3-list \
            "http://127.0.0.1:$PORT_LIST" "s3://$bucket/song_data" "$ROUNDS" "$PORT_LIST_PID" |
            awk -v b="$bucket" -v l="$(cut -d' ' -f1 /proc/loadavg)" -F'\t' \
                '{ printf "%s\tlist-%s\t%s\t%s\t%s\t\t%s\n", $1 + 1, b, $2, $3, $5, l; n = $4 } END { print n " keys" > "/dev/stderr" }' \
            >>"$TSV" 2>"$RUN/logs/list-$bucket-keys"
    done
fi

python3 - "$TSV" "$RUN/bin" "$FILES" "$LATENCY" "$LIST_LATENCY" "$BANDWIDTH" "$BIG_MB" "$KEYS" "$PREFIXES" "$REALISM" <<'PY'
import statistics, sys
tsv, bins, files, latency, list_latency, bandwidth, big_mb, keys, prefixes, realism = sys.argv[1:]
files = int(files)
rows = [l.rstrip("\n").split("\t") for l in open(tsv)][1:]
rows = [r for r in rows if r[0] != "0"]
def pick(case, build, col=3):
    return [float(r[col]) for r in rows if r[1] == case and r[2] == build and r[col]]
def med(case, build, col=3):
    v = pick(case, build, col)
    return statistics.median(v) if v else None
def commit(b):
    try: return open(f"{bins}/{b}/COMMIT").read().strip()[:7]
    except OSError: return ""
loads = [float(r[6]) for r in rows]
print(f"{len(set(r[0] for r in rows))} interleaved rounds after a warm-up, medians; load average {min(loads):.2f}-{max(loads):.2f}")
builds = [b for b in ("base", "new") if any(r[2] == b for r in rows)]
if any(r[1].startswith("small") for r in rows):
    slow = f"small-{latency}ms"
    print(f"\n## small files: {files} files (song files + log files, {realism} shape), stage only")
    print(f"| build | commit | local s | S3 0 ms s | S3 {latency} ms s | {latency} ms / 0 ms | GETs/s at {latency} ms | CPU s at 0 ms | CPU per GET ms | peak RSS MB at {latency} ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    local, local_cpu = med("small-local", "new"), med("small-local", "new", 4)
    for b in builds:
        fast, slowt, cpu = med("small-0ms", b), med(slow, b), med("small-0ms", b, 4)
        print(f"| {b} | `{commit(b)}` | {local:.2f} | {fast:.2f} | {slowt:.2f} | {slowt / fast:.2f}x | {files / slowt:,.0f} | {cpu:.2f} "
              f"| {(cpu - local_cpu) * 1000 / files:.3f} | {med(slow, b, 5):.0f} |")
    ratio = med(slow, "new") / med("small-0ms", "new")
    print(f"target: {latency} ms per GET <= 1.3x the 0 ms time: {ratio:.2f}x, {'met' if ratio <= 1.3 else 'MISSED'}")
    if "base" in builds:
        rss = med(slow, "new", 5) / med(slow, "base", 5)
        print(f"target: peak RSS <= 1.25x the baseline's: {rss:.2f}x, {'met' if rss <= 1.25 else 'MISSED'}")
if any(r[1].startswith("list") for r in rows):
    print(f"\n## listing: {keys} keys, {list_latency} ms per page")
    print("| layout | flat s | split s | flat / split | server CPU s, flat | server CPU s, split |")
    print("|---|---:|---:|---:|---:|---:|")
    many = med("list-many", "flat") / med("list-many", "split")
    one = med("list-one", "flat") / med("list-one", "split")
    for case, name, r in (("list-many", f"{prefixes} first-level folders", f"{many:.1f}x"), ("list-one", "one folder", f"{one:.2f}x")):
        print(f"| {name} | {med(case, 'flat'):.2f} | {med(case, 'split'):.2f} | {r} | {med(case, 'flat', 4):.2f} | {med(case, 'split', 4):.2f} |")
    print(f"the server answers one page at a time: the split listing over {prefixes} folders cannot take less than the "
          f"{med('list-many', 'split', 4):.2f} s of server CPU it needs ({med('list-many', 'split', 4) / med('list-many', 'split'):.0%} of its time)")
    print(f"target: >= 8x faster over {prefixes} folders: {many:.1f}x, {'met' if many >= 8 else 'MISSED'}; "
          f"no slower with one folder: {one:.2f}x, {'met' if one >= 0.95 else 'MISSED'} (0.95: noise)")
if any(r[1].startswith("big") for r in rows):
    print(f"\n## one {big_mb} MB log file ({realism} shape), stage only, {bandwidth} Mbit/s per connection, {latency} ms per GET")
    print("| build | commit | local disk s | S3 s | S3 / local | CPU s (S3) | peak RSS MB local | peak RSS MB S3 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    local = med("big-local", "new")
    for b in builds:
        print(f"| {b} | `{commit(b)}` | {local:.2f} | {med('big-s3', b):.2f} | {med('big-s3', b) / local:.2f}x | {med('big-s3', b, 4):.2f} "
              f"| {med('big-local', 'new', 5):.0f} | {med('big-s3', b, 5):.0f} |")
    ratio = med("big-s3", "new") / local
    print(f"target: within 1.2x of local disk: {ratio:.2f}x, {'met' if ratio <= 1.2 else 'MISSED'}")
    if "base" in builds:
        rss = med("big-s3", "new", 5) / med("big-s3", "base", 5)
        print(f"target: peak RSS <= 1.25x the baseline's: {rss:.2f}x, {'met' if rss <= 1.25 else 'MISSED'}")
PY
log "raw rows: $TSV"
