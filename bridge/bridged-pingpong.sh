#!/usr/bin/env bash
# The bridged round trip, measured with the examples' pingpong, end to end on this host:
#
#   pingpong --out A --in D --no-echo          (this host's latency tool, one People in flight)
#     A -> bridge send -> UDP 127.0.0.1 -> bridge receive -> B
#     B -> pong --ping B --pong C              (the echo)
#     C -> bridge send -> UDP 127.0.0.1 -> bridge receive -> D -> back to pingpong
#
# Starts one shared Aeron media driver, the four bridges and pong, runs pingpong, then stops
# everything and deletes the rings, the origin files and the driver directory (trap on EXIT).
#
# Usage: bridge/bridged-pingpong.sh [pingpong options]    (default: -n 20000 --warmup 5000)
# Environment: IDLE (backoff|yield|spin, default yield: every process and the driver),
#   BASE_PORT (UDP ports BASE_PORT..BASE_PORT+3 on 127.0.0.1, default 40490),
#   CAPACITY (slots of each ring, default 1024), TIMEOUT (seconds for pingpong, default 300).
# Needs examples/target/people-ring.jar and bridge/target/people-bridge.jar:
#   mvn -B -pl examples,bridge -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."

IDLE=${IDLE:-yield}
BASE_PORT=${BASE_PORT:-40490}
CAPACITY=${CAPACITY:-1024}
TIMEOUT=${TIMEOUT:-300}
READY_SECONDS=60
RING_JAR=examples/target/people-ring.jar
BRIDGE_JAR=bridge/target/people-bridge.jar
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# resource hygiene for the bridges and the driver on a small machine, as `bridge latency` uses; not required
BRIDGE_JVM=(-XX:+UseSerialGC -Xmx256m -XX:-UsePerfData)

case "$IDLE" in
  backoff | yield | spin) ;;
  *) echo "bridged-pingpong: IDLE=$IDLE: must be backoff, yield or spin" >&2; exit 2 ;;
esac
for jar in "$RING_JAR" "$BRIDGE_JAR"; do
  if [ ! -f "$jar" ]; then
    echo "bridged-pingpong: $jar is missing: mvn -B -pl examples,bridge -am package -DskipTests" >&2
    exit 2
  fi
done
if [ $# -eq 0 ]; then
  set -- -n 20000 --warmup 5000
fi

work=/dev/shm/bridged-pingpong-$$
A=$work-A B=$work-B C=$work-C D=$work-D
AERON_DIR=$work-aeron
logs=$(mktemp -d "${TMPDIR:-/tmp}/bridged-pingpong-$$.XXXXXX")
pids=()   # in start order; stopped in reverse

cleanup() {
  local code=$?
  local i pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  if [ "$code" -ne 0 ]; then
    for log in "$logs"/*.log; do
      [ -f "$log" ] && { echo "--- $(basename "$log")"; tail -n 20 "$log"; } >&2
    done
  fi
  rm -f "$A" "$B" "$C" "$D" "$B.bridge-origin" "$D.bridge-origin"
  rm -rf "$AERON_DIR" "$logs"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME CMD...: runs CMD in the background, output to $logs/NAME.log
start() {
  local name=$1
  shift
  "$@" >"$logs/$name.log" 2>&1 &
  pids+=($!)
}

# await NAME: waits (bounded) for the " ready" line of the last started process
await() {
  local name=$1 pid=${pids[-1]}
  for _ in $(seq $((READY_SECONDS * 10))); do
    grep -q " ready" "$logs/$name.log" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "bridged-pingpong: $name exited before it was ready" >&2; return 1; }
    sleep 0.1
  done
  echo "bridged-pingpong: $name not ready within $READY_SECONDS s" >&2
  return 1
}

bridge() {
  local name=$1 command=$2 ring=$3 port=$4
  start "$name" "$JAVA" "${BRIDGE_JVM[@]}" -jar "$BRIDGE_JAR" "$command" --ring "$ring" --aeron-dir "$AERON_DIR" \
    --channel "aeron:udp?endpoint=127.0.0.1:$port" --stream 1001 \
    --control-channel "aeron:udp?endpoint=127.0.0.1:$((port + 1))" --control-stream 1002 \
    --idle "$IDLE" --status 0 "${@:5}"
  await "$name"
}

echo "bridged-pingpong: rings $work-{A,B,C,D} ($CAPACITY slots), driver $AERON_DIR, UDP 127.0.0.1:$BASE_PORT-$((BASE_PORT + 3)), idle $IDLE"
start driver "$JAVA" "${BRIDGE_JVM[@]}" -jar "$BRIDGE_JAR" driver --dir "$AERON_DIR" --idle "$IDLE"
await driver
# the receiving bridges create B and D; A and C are created empty here (their producers only open them)
bridge receive-B receive "$B" "$BASE_PORT" --capacity "$CAPACITY"
bridge receive-D receive "$D" $((BASE_PORT + 2)) --capacity "$CAPACITY"
"$JAVA" -jar "$RING_JAR" write --ring "$A" --count 0 --capacity "$CAPACITY" >"$logs/create.log"
"$JAVA" -jar "$RING_JAR" write --ring "$C" --count 0 --capacity "$CAPACITY" >>"$logs/create.log"
bridge send-A send "$A" "$BASE_PORT"
bridge send-C send "$C" $((BASE_PORT + 2))
start pong "$JAVA" -jar "$RING_JAR" pong --ping "$B" --pong "$C" --idle "$IDLE" --timeout $((TIMEOUT + 60))

# pingpong waits (up to 30 s) for A's consumer and D's producer, the two bridges next to it. In the
# background, with its output on ours, so that a signal to this script interrupts `wait` at once.
timeout --kill-after=10 $((TIMEOUT + 30)) \
  "$JAVA" -jar "$RING_JAR" pingpong --out "$A" --in "$D" --no-echo --idle "$IDLE" --timeout "$TIMEOUT" "$@" &
pids+=($!)
wait "${pids[-1]}"
