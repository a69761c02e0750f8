#!/usr/bin/env bash
# Runs the jcstress suite (jcstress-tests/target/jcstress.jar, built by `mvn -B verify`) in a bounded
# mode and fails when any test saw a FORBIDDEN outcome or errored. The negative control
# (io.mmapring.jcstress.broken) reports ACCEPTABLE_INTERESTING outcomes, which do not fail the run.
#
#   JCSTRESS_ARGS     jcstress options (default: the bounded CI mode below; e.g. "-m default" for a full run)
#   JCSTRESS_TIMEOUT  wall-clock limit in seconds for the whole run (default 1200)
set -euo pipefail
cd "$(dirname "$0")/.."

jar="$PWD/jcstress-tests/target/jcstress.jar"
if [[ ! -f "$jar" ]]; then
    echo "jcstress: $jar not found; run 'mvn -B verify' first" >&2
    exit 1
fi

# Bounded mode: the quick preset (1 normal + 1 stress fork per JVM configuration), without split
# per-actor compilation (which multiplies the forks by 7), one 200 ms iteration per fork.
# Every test runs: nothing is excluded.
args="${JCSTRESS_ARGS:--m quick -sc false -iters 1 -time 200}"
limit="${JCSTRESS_TIMEOUT:-1200}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

out="$PWD/jcstress-tests/target/jcstress-ci"
rm -rf "$out"
mkdir -p "$out"
log="$out/output.txt"

echo "jcstress: java -jar jcstress.jar $args -r $out/results (limit ${limit}s, log $log)"
status=0
# run from the output directory: jcstress drops its result blob into the working directory
# shellcheck disable=SC2086
(cd "$out" && timeout --kill-after=30 "$limit" "$java" -jar "$jar" $args -r "$out/results") >"$log" 2>&1 || status=$?
sed -n '/^RUN RESULTS:/,$p' "$log"

# jcstress exits non-zero when a test failed or errored; the summary is checked too, so that a
# run that died early, timed out or ran nothing never passes.
count() { # count "<section title>": the number of tests jcstress lists in that section of the summary
    local line
    line=$(grep -E "^  $1: " "$log" | tail -n 1 || true)
    if [[ -z "$line" ]]; then
        echo -1
    elif [[ "$line" == *"No matches"* ]]; then
        echo 0
    else
        sed -E 's/^.*: ([0-9]+) matching.*$/\1/' <<<"$line"
    fi
}
interesting=$(count "Interesting tests")
failed=$(count "Failed tests")
errored=$(count "Error tests")
remaining=$(count "All remaining tests")

if [[ $status -ne 0 || $interesting -lt 0 || $failed -ne 0 || $errored -ne 0 || $remaining -lt 0 ]]; then
    echo "jcstress: FAILED (exit status $status; failed tests: $failed, errored tests: $errored; -1 = summary missing)" >&2
    if [[ $status -eq 124 || $status -eq 137 ]]; then
        echo "jcstress: the run exceeded ${limit}s and was stopped" >&2
    fi
    tail -n 60 "$log" >&2
    exit 1
fi
passed=$((interesting + remaining))
if [[ $passed -eq 0 ]]; then
    echo "jcstress: FAILED: no test ran" >&2
    exit 1
fi
# informational only: a short run may or may not catch the negative control's race
if sed -n '/^  Interesting tests: /,/^  Failed tests: /p' "$log" | grep -q 'io\.mmapring\.jcstress\.broken\.'; then
    echo "jcstress: negative control observed its torn/stale outcome (Interesting tests above)"
else
    echo "jcstress: negative control did not observe its torn/stale outcome in this short run"
fi
echo "jcstress: $passed passed, 0 failed"
