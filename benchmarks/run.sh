#!/bin/sh
# Runs the JMH benchmarks (all, or those matching a regex) and writes JSON results under
# benchmarks/results/. Extra JMH options can follow the regex, e.g.:
#   benchmarks/run.sh QueryBenchmark -p size=100000 -f 1
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
jar="$here/aml-benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$here" -path '*/target' -prune -o -name '*.java' -newer "$jar" -print | head -n 1)" ]; then
    (cd "$here" && mvn -B -q -DskipTests -pl aml-benchmarks -am package)
fi
regex=${1:-.}
[ $# -gt 0 ] && shift
mkdir -p "$here/benchmarks/results"
name=$(printf '%s' "$regex" | tr -c 'A-Za-z0-9_.-' '_')
out="$here/benchmarks/results/${name}-$(date -u +%Y%m%dT%H%M%SZ).json"
java -jar "$jar" "$regex" -rf json -rff "$out" "$@"
echo "results: $out"
