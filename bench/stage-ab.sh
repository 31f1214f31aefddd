#!/usr/bin/env bash
# Stage-only A/B of sparkify builds (issue 15: the Parquet writer chosen by measurement, end to end):
# each git commit is exported (git archive, no checkout) and published as bench/run.sh publishes sparkify
# (Release, ReadyToRun), then `sparkify run --batch --stage-only` runs on the same generated data set
# (bench/run.sh's: 20,000 song files, 30 days), the builds interleaved round by round, and the medians of wall
# and CPU time (/usr/bin/time) are printed with each run's staged Parquet size.
# usage: bench/stage-ab.sh [EVENTS] [--rounds N] [--work DIR] NAME=COMMIT...
#   e.g. bench/stage-ab.sh 1000000 --rounds 7 before=main stats=HEAD parquetsharp=2978d7d
#   EVENTS default 1000000; --rounds default 5 (plus one warm-up round, discarded); --work as bench/run.sh's
#   (the data set is shared with it: $WORK/data-EVENTS-20000).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EVENTS=1000000
SONGS=20000
ROUNDS=5
WORK=${TMPDIR:-/tmp}/sparkify-bench
BUILDS=()
while (($#)); do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        [0-9]*) EVENTS=$1; shift ;;
        *=*) BUILDS+=("$1"); shift ;;
        *) echo "stage-ab.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
((${#BUILDS[@]})) || { echo "stage-ab.sh: name at least one build as NAME=COMMIT" >&2; exit 2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log() { echo "stage-ab.sh: $*" >&2; }
case "$(uname -m)" in x86_64) RID=linux-x64 ;; aarch64|arm64) RID=linux-arm64 ;; *) echo "stage-ab.sh: no RID for $(uname -m)" >&2; exit 2 ;; esac

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
RUN=$WORK/ab-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN/logs"
trap 'rm -rf "$RUN/src" "$RUN/staging" "$RUN"/*.duckdb*' EXIT

# --- build (never timed) ---------------------------------------------------------------------------
NAMES=()
for build in "${BUILDS[@]}"; do
    name=${build%%=*} commit=$(git -C "$REPO" rev-parse --verify "${build#*=}^{commit}")
    log "publishing $name (${commit:0:7})..."
    rm -rf "$RUN/src/$name" && mkdir -p "$RUN/src/$name"
    git -C "$REPO" archive "$commit" | tar -x -C "$RUN/src/$name"
    dotnet publish "$RUN/src/$name/src/Sparkify.Stream" -c Release -r "$RID" --self-contained false \
        -p:PublishReadyToRun=true -o "$RUN/bin/$name" -v q -nologo >"$RUN/logs/build-$name.log" 2>&1 ||
        { cat "$RUN/logs/build-$name.log" >&2; exit 1; }
    echo "$commit" >"$RUN/bin/$name/COMMIT"
    NAMES+=("$name")
done

DATA=$WORK/data-$EVENTS-$SONGS
if [[ ! -f $DATA/.complete ]]; then
    log "generating $EVENTS events and $SONGS song files in $DATA..."
    rm -rf "$DATA"
    dotnet "$RUN/bin/${NAMES[0]}/sparkify.dll" generate --out "$DATA" --songs "$SONGS" --events "$EVENTS" --days 30 \
        >"$RUN/logs/generate.log" 2>&1 || { cat "$RUN/logs/generate.log" >&2; exit 1; }
    touch "$DATA/.complete"
fi

# --- measuring ------------------------------------------------------------------------------------------
TSV=$RUN/results.tsv
printf 'round\tbuild\twall_s\tcpu_s\tpeak_rss_mb\tparquet_mb\tload\n' >"$TSV"
measure() { # measure ROUND NAME
    local round=$1 name=$2 out=$RUN/logs/$2-r$1
    rm -rf "$RUN/staging" "$RUN/stage.duckdb"
    /usr/bin/time -v -o "$out.time" dotnet "$RUN/bin/$name/sparkify.dll" run --batch --stage-only \
        --songs "$DATA/song_data" --logs "$DATA/log_data" --staging "$RUN/staging" --connection "$RUN/stage.duckdb" -q \
        >"$out.log" 2>&1 || { log "FAILED: $name (round $round), see $out.log"; tail -3 "$out.log" >&2; exit 1; }
    local parquet
    parquet=$(find "$RUN/staging" -name '*.parquet' -printf '%s\n' | awk '{s += $1} END {printf "%.1f", s / 1048576}')
    awk -v r="$round" -v n="$name" -v p="$parquet" -v l="$(cut -d' ' -f1 /proc/loadavg)" -F': ' '
        $1 ~ /Elapsed \(wall clock\)/ { k = split($2, t, ":"); w = 0; for (i = 1; i <= k; i++) w = w * 60 + t[i] }
        $1 ~ /(User|System) time \(seconds\)/ { c += $2 }
        $1 ~ /Maximum resident set size/ { m = $2 / 1024 }
        END { printf "%s\t%s\t%.3f\t%.3f\t%.0f\t%s\t%s\n", r, n, w, c, m, p, l }' "$out.time" >>"$TSV"
}
for r in $(seq 0 "$ROUNDS"); do
    log "round $r of $ROUNDS ($(date -u +%T); round 0 warms up)"
    for name in "${NAMES[@]}"; do measure "$r" "$name"; done
done

python3 - "$TSV" "$RUN/bin" "${NAMES[@]}" <<'PY'
import statistics, sys
tsv, bins, names = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = [l.rstrip("\n").split("\t") for l in open(tsv)][1:]
rows = [r for r in rows if r[0] != "0"]
base = None
print(f"{len(rows) // len(names)} interleaved rounds (after a warm-up), medians; load average {min(float(r[6]) for r in rows):.2f}-{max(float(r[6]) for r in rows):.2f}")
print("| build | commit | wall s | min-max | CPU s | peak RSS MB | Parquet MB | wall vs first |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for n in names:
    mine = [r for r in rows if r[1] == n]
    wall = [float(r[2]) for r in mine]
    med = statistics.median(wall)
    base = base or med
    commit = open(f"{bins}/{n}/COMMIT").read().strip()[:7]
    print(f"| {n} | `{commit}` | {med:.2f} | {min(wall):.2f}-{max(wall):.2f} | {statistics.median(float(r[3]) for r in mine):.2f} "
          f"| {statistics.median(float(r[4]) for r in mine):.0f} | {mine[0][5]} | {med / base:.3f}x |")
PY
log "raw rows: $TSV"
