#!/usr/bin/env bash
# Smoke run of the JMH benchmarks: one short iteration of a few benchmarks, including cross-process
# ones (a partner JVM per trial) and one Agrona run (its add-opens flag). Needs jmh/target/benchmarks.jar
# (built by `mvn -B verify`). Fails on any benchmark error or missing result. About 30-60 s.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=jmh/target/benchmarks.jar
if [[ ! -f "$jar" ]]; then
    echo "jmh-smoke: $jar not found: run 'mvn -B verify' first" >&2
    exit 1
fi
java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
    java_bin="$JAVA_HOME/bin/java"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/jmh-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

# InProcessThroughput.ring: @Group, 2 threads; RoundTrip.ring/.agrona: partner echo JVM, avgt + sample;
# CrossProcessThroughput.ringBatch: partner sink JVM that verifies every id and fails the trial otherwise.
benchmarks='InProcessThroughput\.ring$|RoundTrip\.(ring|agrona)$|CrossProcessThroughput\.ringBatch$'
expected=6

status=0
timeout --kill-after=10s 150s "$java_bin" -jar "$jar" "$benchmarks" \
    -f 1 -wi 0 -i 1 -r 1s -foe true -rf csv -rff "$work/results.csv" >"$work/output.txt" 2>&1 || status=$?
cat "$work/output.txt"

if [[ $status -ne 0 ]]; then
    echo "jmh-smoke: JMH exited with $status" >&2
    exit 1
fi
if grep -q '<failure>' "$work/output.txt"; then
    echo "jmh-smoke: a benchmark failed" >&2
    exit 1
fi
# primary results only (secondary ones are named "benchmark:label")
results=$(grep -c '^"io\.mmapring\.jmh\.[A-Za-z]*\.[A-Za-z]*",' "$work/results.csv" || true)
if [[ $results -ne $expected ]]; then
    echo "jmh-smoke: expected $expected results, got $results" >&2
    cat "$work/results.csv" >&2
    exit 1
fi
echo "jmh-smoke: OK ($results results)"
