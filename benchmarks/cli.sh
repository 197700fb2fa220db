#!/bin/sh
# Whole-process timings of the `aml` CLI on a generated Loom tree (issue 16).
#
#   benchmarks/cli.sh [command-name ...]          # default: all commands below
#
# Every run gets a fresh copy of the tree (made outside the timing), so mutating commands see the
# same input every time; `backup-verify` runs on a copy that already holds one default backup.
# For each command it prints min / median / max wall time, the median CPU time (user + sys) and
# the largest peak RSS over the runs, as a Markdown table; raw numbers go to
# benchmarks/results/cli-<UTC time>.tsv.
#
# Environment (defaults in brackets):
#   RUNS [5]                  runs per command
#   AGENTS [10] ITEMS [10000] SEED [16]   tree shape: AGENTS x (ITEMS patterns + ITEMS/3 solutions
#                             + ITEMS/3 decisions), ~880 bytes per item (~147 MB at the defaults;
#                             ITEMS=100000 gives the 10x tree)
#   WORK [/tmp/aml-cli-bench] scratch folder (the generated tree is kept there and reused)
#   AML [<repo>/aml]          the launcher to time (built first if needed, then copied with its jar
#                             to $WORK/frozen, e.g. AML=/tmp/main-checkout/aml for a baseline)
#   AML_JAVA_OPTS             extra JVM options, passed through by the launcher
#   LABEL                     free text put in the table's heading (e.g. "main 6e31501")
#
# Commands: prune-dry-run, prune, backup-create, backup-create-lz4, backup-verify, monitor-health,
# monitor-report.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
AGENTS=${AGENTS:-10}
ITEMS=${ITEMS:-10000}
SEED=${SEED:-16}
WORK=${WORK:-/tmp/aml-cli-bench}
AML=${AML:-$here/aml}
LABEL=${LABEL:-$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "cli.sh: GNU time (/usr/bin/time) is needed for CPU time and peak RSS" >&2; exit 70; }

all="prune-dry-run prune backup-create backup-create-lz4 backup-verify monitor-health monitor-report"
commands=${*:-$all}

args_of() {
    case "$1" in
        prune-dry-run) echo "prune --strategies time_based performance_based --dry-run" ;;
        prune) echo "prune --strategies time_based performance_based" ;;
        backup-create) echo "backup create" ;;
        backup-create-lz4) echo "backup create --codec lz4" ;;
        backup-verify) echo "backup verify" ;;
        monitor-health) echo "monitor health" ;;
        monitor-report) echo "monitor report" ;;
        *) echo "cli.sh: unknown command '$1' (known: $all)" >&2; exit 64 ;;
    esac
}
for c in $commands; do args_of "$c" >/dev/null; done

# 1. the CLI (the launcher builds it when sources changed), frozen: the launcher and jar are copied
# so that editing sources during a run cannot trigger a rebuild in the middle of the timings; the
# copy makes its class-data-sharing archive (if the launcher has one) on this first call
"$AML" --version >/dev/null
src=$(cd "$(dirname "$AML")" && pwd)
frozen="$WORK/frozen"
rm -rf "$frozen"
mkdir -p "$frozen/aml-cli/target"
cp "$src/$(basename "$AML")" "$frozen/aml"
cp "$src/aml-cli/target/aml.jar" "$frozen/aml-cli/target/aml.jar"
[ -d "$src/aml-cli/jit" ] && cp -r "$src/aml-cli/jit" "$frozen/aml-cli/jit"
AML="$frozen/aml"
"$AML" --version >/dev/null
gen_jar="$here/aml-benchmarks/target/benchmarks.jar"
if [ ! -f "$gen_jar" ] || [ -n "$(find "$here/aml-benchmarks/src" -name '*.java' -newer "$gen_jar" | head -n 1)" ]; then
    (cd "$here" && mvn -B -q -DskipTests -pl aml-benchmarks -am package)
fi

# 2. the master tree (dates relative to today, so a tree from another day is regenerated)
today=$(date -u +%Y-%m-%dT00:00:00Z)
shape="agents=$AGENTS items=$ITEMS seed=$SEED now=$today"
master="$WORK/master"
if [ "$(cat "$master/shape" 2>/dev/null || true)" != "$shape" ]; then
    rm -rf "$master"
    mkdir -p "$master"
    java -cp "$gen_jar" dev.aml.benchmarks.LoomTreeGenerator "$master/.loom" "$AGENTS" "$ITEMS" "$SEED" "$today" >&2
    echo "$shape" >"$master/shape"
fi
# a copy holding one default backup made by the CLI under test, for backup-verify
case " $commands " in
    *" backup-verify "*)
        rm -rf "$WORK/master-backup"
        cp -a "$master" "$WORK/master-backup"
        "$AML" "$WORK/master-backup/.loom/memory" backup create >/dev/null ;;
esac
tree_mb=$(du -sm "$master/.loom/memory" | cut -f1)

mkdir -p "$here/benchmarks/results"
raw="$here/benchmarks/results/cli-$(date -u +%Y%m%dT%H%M%SZ).tsv"
printf 'command\trun\twall_s\tuser_s\tsys_s\tmax_rss_kb\texit\n' >"$raw"
run_dir="$WORK/run"

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

printf '\n%s — tree %s MB (%s), %s runs each, load average at start: %s\n\n' "$LABEL" "$tree_mb" "$shape" "$RUNS" \
    "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf '| command | wall min / median / max (s) | CPU user+sys median (s) | peak RSS max (MB) | exit |\n'
printf '|---|---|---|---|---|\n'
for c in $commands; do
    src=$master
    [ "$c" = backup-verify ] && src="$WORK/master-backup"
    i=1
    while [ "$i" -le "$RUNS" ]; do
        rm -rf "$run_dir"
        cp -a "$src" "$run_dir"
        sync
        # shellcheck disable=SC2046
        set +e
        "$TIME" -f '%e %U %S %M' -o "$WORK/time.txt" "$AML" "$run_dir/.loom/memory" $(args_of "$c") \
            >"$WORK/out.txt" 2>"$WORK/err.txt"
        rc=$?
        set -e
        # monitor health and report exit 1/2 for a warning/critical tree; anything else non-zero fails
        if [ "$rc" -ne 0 ] && ! { case $c in monitor-*) [ "$rc" -le 2 ] ;; *) false ;; esac; }; then
            echo "cli.sh: '$c' exited $rc:" >&2
            tail -n 20 "$WORK/err.txt" >&2
            exit 1
        fi
        set -- $(tail -n 1 "$WORK/time.txt")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$i" "$1" "$2" "$3" "$4" "$rc" >>"$raw"
        i=$((i + 1))
    done
    awk -F'\t' -v c="$c" '$1 == c { print $3 }' "$raw" | sort -n >"$WORK/wall.txt"
    min=$(head -n 1 "$WORK/wall.txt")
    max=$(tail -n 1 "$WORK/wall.txt")
    med=$(median <"$WORK/wall.txt")
    cpu=$(awk -F'\t' -v c="$c" '$1 == c { printf "%.2f\n", $4 + $5 }' "$raw" | median)
    rss=$(awk -F'\t' -v c="$c" '$1 == c && $6 > m { m = $6 } END { printf "%d", m / 1024 }' "$raw")
    codes=$(awk -F'\t' -v c="$c" '$1 == c { print $7 }' "$raw" | sort -u | tr '\n' ' ')
    printf '| `%s` | %s / %s / %s | %s | %s | %s|\n' "$(args_of "$c")" "$min" "$med" "$max" "$cpu" "$rss" "$codes"
done
rm -rf "$run_dir"
echo
echo "raw: $raw"
