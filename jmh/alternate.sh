#!/usr/bin/env bash
# The alternating runner: builds the C floors (jmh/c/build.sh) and, if missing, the benchmark jar, then
# runs io.mmapring.jmh.Alternate from jmh/target/benchmarks.jar with the arguments given.
#
#   jmh/alternate.sh                                   # 5 rounds of the default candidates (~10-12 min)
#   jmh/alternate.sh --plot docs/latency.png           # the same, plus the latency percentile plot
#   jmh/alternate.sh --quick --rounds 3                # short settings, core candidates (~3 min)
#   jmh/alternate.sh --candidates ringOffer,leanOffer,alignedOffer,agronaOffer,cOffer
#   jmh/alternate.sh --list | --help
#
# Benchmarks busy-spin on both vCPUs: do not run it under nice, and not while other heavy jobs run.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=jmh/target/benchmarks.jar
if [[ ! -f "$jar" ]]; then
    mvn -B -q -pl jmh -am -DskipTests package
fi
jmh/c/build.sh >/dev/null
java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
    java_bin="$JAVA_HOME/bin/java"
fi
exec "$java_bin" -cp "$jar" io.mmapring.jmh.Alternate "$@"
