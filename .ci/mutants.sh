#!/usr/bin/env bash
# Barrier mutants: copies of the REAL RingProducer/RingConsumer with one ordering point broken, run
# under the jcstress suite (jcstress-tests/target/jcstress.jar, built by `mvn -B verify`).
#
#   .ci/mutants.sh ci          every mutant that x86 can show (code reorderings, lifecycle races,
#                              and the broken variants of the JUnit proofs): each must be caught or
#                              the script fails. What CI runs. Mutants marked `rare` (caught on x86,
#                              but too seldom for a bounded run) and `not` are left to `all`.
#   .ci/mutants.sh all         every mutant, plain and reordered: a report; fails only if a mutant
#                              marked catchable is not caught
#   .ci/mutants.sh list        the mutants, one a line
#   .ci/mutants.sh ID...       the named mutants (a report, like `all`)
#
# A mutant is checked by jcstress (a FORBIDDEN outcome in the named tests = caught), by a JUnit
# test (run in a copy of the source tree with the patch applied, `mvn -o`; caught = that test fails
# with the expected message), or both.
#
#   MUTANT_FORKS      jcstress -f (default 1 for `ci`, 2 otherwise); on JDK 17 every fork runs twice
#                     (with and without biased locking)
#   MUTANT_FSM        jcstress -fsm: randomized forks per normal fork (default 1 for `ci`, else
#                     jcstress's own, 5)
#   MUTANT_ITERS      jcstress -iters (default 3)
#   MUTANT_TIME       jcstress -time in ms (default 200)
#   MUTANT_TESTS      override every mutant's test selection (a jcstress -t regex)
#   MUTANT_TIMEOUT    wall-clock limit per mutant in seconds (default 900)
#   MUTANT_MVN_ARGS   extra Maven arguments of the JUnit checks (default -Dfuzz.cases=3000)
#   JAVA_HOME         the JDK that compiles and runs the mutants (default: java on the PATH)
#
# How a mutant is made: the real source is copied, one exact text is replaced (the script fails if
# that text does not occur exactly once: a source change must not silently turn a mutant into the
# original), the copy is compiled with `javac --release 17` against the jcstress jar (which holds the
# real ringbuffer classes and agrona), and the mutant class directory is put AHEAD of the jar on the
# class path. jcstress runs every test in forked JVMs started with `-cp <java.class.path>` of the
# host JVM (org.openjdk.jcstress.vm.VMSupport), so the forks load the mutant class too.
#
# Every fork runs C2 only (-XX:-TieredCompilation) with C2's randomized scheduling
# (-XX:+StressLCM -XX:+StressGCM -XX:+StressIGVN -XX:+StressCCP, a random StressSeed per fork), which
# is the only way x86 can show a missing barrier: the hardware keeps stores in order with stores and
# loads in order with loads (TSO), so only a compiler reordering could expose a plain access.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

jar="$root/jcstress-tests/target/jcstress.jar"
src="$root/ringbuffer/src/main/java/io/mmapring"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
out="$root/jcstress-tests/target/mutants"

# id; class; x86 (catchable, rare or not); jcstress -t regex (- for none); JUnit test module:Class[#method]
# (- for none); text the JUnit failure must contain; what it breaks. The texts to replace are in
# patch_text/patch_with below, by id.
MUTANTS=(
  "word-release-plain;RingProducer;not;jcstress\.(WholeMessage|MappedWholeMessage|Fifo|WrapAround|BatchPublication|StreamLoop)Test;-;-;(a) slot word set plainly in commit (was setRelease)"
  "head-release-plain;RingConsumer;not;jcstress\.(StaleCachedHead|BatchConsumption|FullRing|HighHeadPosition|StreamLoop)Test;-;-;(b) head set plainly in release (was setRelease)"
  "word-acquire-plain;RingConsumer;not;jcstress\.(WholeMessage|MappedWholeMessage|Fifo|WrapAround|BatchPublication|StreamLoop)Test;-;-;(c) slot word read plainly in isPublished (was getAcquire)"
  "head-acquire-plain;RingProducer;not;jcstress\.(StaleCachedHead|BatchConsumption|FullRing|HighHeadPosition|StreamLoop)Test;-;-;(d) head read plainly in refreshHead (was getAcquire)"
  "tail-release-plain;RingProducer;not;jcstress\.(HighTailPosition|TailAfterBatch|StreamLoop)Test;-;-;(e) tail set plainly in commit (was setRelease)"
  "words-released-in-reverse;RingProducer;catchable;jcstress\.(BatchPublication|StreamLoop)Test;ringbuffer:ProducerCrashMidCommitTest;the dead producer left a hole, not a prefix;(a) reordered: a batch's words released last to first (no consumer can see it, a crash mid-commit can)"
  "word-release-at-claim;RingProducer;catchable;jcstress\.(WholeMessage|Fifo|StreamLoop)Test;-;-;(a) reordered: slot words released at claim, before the records are written"
  "tail-release-before-words;RingProducer;catchable;jcstress\.(HighTailPosition|TailAfterBatch)Test;ringbuffer:ProducerCrashMidCommitTest;is not published;(e) reordered: tail released before the slot words in commit"
  "head-release-before-read;RingConsumer;catchable;jcstress\.(StaleCachedHead|BatchConsumption|StreamLoop)Test;-;-;(b) reordered, the control: head released before the record is read"
  "producer-starts-at-tail;RingFile;catchable;-;ringbuffer:ProducerRestartTest;did not start at the restart scan;restart: a new producer starts at the header's tail instead of the scan past it"
  "file-length-unchecked;RingValidation;catchable;-;reliability:CorruptFileFuzzTest#everyCorruptionIsRefusedWithAClearErrorOrLeavesAValidRing;open of a corrupt file threw java.lang.IndexOutOfBoundsException;validation: the file length is not compared with the header (the ring maps what the file holds, so a short file is read past its end)"
  "corrupt-word-wrong-exception;RingConsumer;catchable;-;reliability:SecurityTest#hostileWriterCannotMakeEitherSideTouchOutsideTheMappingOrFailOtherThanWithRingFormatException;other exceptions than RingFormatException;error contract: a sequence word ahead of the consumer is reported as IllegalStateException"
  "word-as-flag;RingConsumer;catchable;jcstress\.SingleSlotStreamTest;-;-;multi-lap: any lap's sequence word counts as published (a flag instead of a position)"
  "batch-offsets-without-wrap;RingProducer;catchable;jcstress\.(WrappingBatchStream|BatchPublication)Test;-;-;wrap: a claimed batch's slots computed as one contiguous range (no modulo the capacity)"
  "controlled-release-before-read;RingConsumer;catchable;jcstress\.ControlledPollStreamTest;-;-;controlledPoll: head released before the handler reads the record (a RELEASE made too early)"
  "available-releases-head;RingConsumer;catchable;jcstress\.ZeroCopyStreamTest;-;-;zero-copy: available() releases head for the records it counts, before they are read in place"
  "consumer-starts-at-tail;RingFile;catchable;jcstress\.ConsumerRestartTest;-;-;restart: a new consumer starts at the header's tail instead of head (skips the backlog)"
  "consumer-releases-after-close;RingConsumer;catchable;-;ringbuffer:ProducerAndConsumerContractTest#aConsumerClosedDuringItsPollReleasesNothingAndSaysWhichRecordsWereNotReleased;head is not written without the consumer role;close: a consumer closed during its poll still releases head"
  "commit-returns-after-close;RingProducer;catchable;-;ringbuffer:ClosingTest;but nothing was thrown;close: commit after close returns normally and publishes nothing"
  "tail-not-repaired;RingFile;catchable;jcstress\.TailRepairTest;ringbuffer:ProducerRestartTest;the new producer repairs the lagging tail;restart: a new producer leaves a lagging tail as it found it"
  "role-take-without-slot-check;RingValidation;catchable;-;reliability:CorruptFileFuzzTest#everyCorruptionIsRefusedWithAClearErrorOrLeavesAValidRing -Dfuzz.cases=8000;the messages do not move;role take: the slots of [head, producer position) are not checked, so a tail moved forward inside the bounds opens and hangs the consumer"
  "validation-single-pass;RingValidation;catchable;jcstress\.ValidationUnderTrafficTest;-;-;validation: one pass over head, tail and the slots, tail never re-read (the validation before the snapshot rule)"
  "snapshot-one-attempt;RingValidation;rare;jcstress\.ValidationUnderTrafficTest;-;-;validation: the snapshot gives up after one attempt when tail moved (no retry)"
)

patch_text() {
  case "$1" in
    word-release-plain)        echo '                LONG.setRelease(buffer, slotOffset(p) + sequenceOffset, p + 1);' ;;
    head-release-plain)        echo '        LONG.setRelease(buffer, HEAD_OFFSET, end);' ;;
    word-acquire-plain)        echo '        final long sequence = (long) LONG.getAcquire(buffer, slot + sequenceOffset);' ;;
    head-acquire-plain)        echo '        final long head = (long) LONG.getAcquire(buffer, HEAD_OFFSET);' ;;
    tail-release-plain)        echo '            LONG.setRelease(buffer, TAIL_OFFSET, end);' ;;
    word-release-at-claim)     echo '        claimed = count;' ;;
    tail-release-before-words) echo '            for (; p < end; p++) {' ;;
    head-release-before-read)  echo '                handler.onRecord(buffer, slot);' ;;
    words-released-in-reverse) echo '            for (; p < end; p++) {' ;;
    producer-starts-at-tail)   echo '            producer = new RingProducer(this, duplicate(), snapshot.position(), snapshot.head());' ;;
    file-length-unchecked)     echo '        if (fileLength >= 0 && fileLength != expected) {' ;;
    corrupt-word-wrong-exception) echo '            throw new RingFormatException("ring " + name + ": sequence word " + sequence' ;;
    word-as-flag)              echo '        if (sequence == p + 1) {' ;;
    batch-offsets-without-wrap) echo '        return slotOffset(position + i);' ;;
    available-releases-head)   echo '        available = count;' ;;
    controlled-release-before-read) echo '                final Action action = handler.onRecord(buffer, slot);' ;;
    consumer-starts-at-tail)   echo '            consumer = new RingConsumer(this, duplicate(), snapshot.head());' ;;
    consumer-releases-after-close) printf '%s\n' '        if (closed) {' \
                                 '            // closed during the handler: without the role, head is not ours to write' ;;
    commit-returns-after-close) printf '%s\n' '    public void commit() {' \
                                 '        if (closed) {' \
                                 '            throw closedOrClaimed();' ;;
    tail-not-repaired)         echo '            if (snapshot.tail() != snapshot.position()) {' ;;
    role-take-without-slot-check) echo '        for (long p = head; p < position; p++) {' ;;
    validation-single-pass)    printf '%s\n' '            if (!stale || attempt == SNAPSHOT_ATTEMPTS' \
                                 '                || attempt >= SNAPSHOT_MIN_ATTEMPTS && System.nanoTime() - start > SNAPSHOT_PATIENCE_NANOS) {' \
                                 '                return new Snapshot(headBefore, head, tail, position, word, stale);' ;;
    snapshot-one-attempt)      echo '    private static final int SNAPSHOT_ATTEMPTS = 1000;' ;;
    *) echo "unknown mutant $1" >&2; return 1 ;;
  esac
}

patch_with() {
  case "$1" in
    word-release-plain)        echo '                LONG.set(buffer, slotOffset(p) + sequenceOffset, p + 1); // MUTANT: plain' ;;
    head-release-plain)        echo '        LONG.set(buffer, HEAD_OFFSET, end); // MUTANT: plain' ;;
    word-acquire-plain)        echo '        final long sequence = (long) LONG.get(buffer, slot + sequenceOffset); // MUTANT: plain' ;;
    head-acquire-plain)        echo '        final long head = (long) LONG.get(buffer, HEAD_OFFSET); // MUTANT: plain' ;;
    tail-release-plain)        echo '            LONG.set(buffer, TAIL_OFFSET, end); // MUTANT: plain' ;;
    word-release-at-claim)     printf '%s\n' '        claimed = count;' \
                                 '        for (long p = this.position; p < this.position + count; p++) { // MUTANT: published before written' \
                                 '            LONG.setRelease(buffer, slotOffset(p) + sequenceOffset, p + 1);' \
                                 '        }' ;;
    tail-release-before-words) printf '%s\n' '            LONG.setRelease(buffer, TAIL_OFFSET, end); // MUTANT: tail before the words' \
                                 '            for (; p < end; p++) {' ;;
    head-release-before-read)  printf '%s\n' '                LONG.setRelease(buffer, HEAD_OFFSET, p + 1); // MUTANT: head released before the read' \
                                 '                handler.onRecord(buffer, slot);' ;;
    words-released-in-reverse) echo '            for (p = end - 1; p >= start; p--) { // MUTANT: last word first' ;;
    producer-starts-at-tail)   echo '            producer = new RingProducer(this, duplicate(), snapshot.tail(), snapshot.head()); // MUTANT: no scan past tail' ;;
    file-length-unchecked)     echo '        if (fileLength < -1 && fileLength != expected) { // MUTANT: never true' ;;
    corrupt-word-wrong-exception) echo '            throw new IllegalStateException("ring " + name + ": sequence word " + sequence // MUTANT' ;;
    word-as-flag)              echo '        if (sequence != 0 && sequence <= p + 1) { // MUTANT: any lap'"'"'s word says published' ;;
    batch-offsets-without-wrap) echo '        return slotOffset(position) + i * stride; // MUTANT: contiguous, no wrap' ;;
    controlled-release-before-read) printf '%s\n' '                release(p + 1); // MUTANT: head released before the handler reads the record' \
                                 '                final Action action = handler.onRecord(buffer, slot);' ;;
    available-releases-head)   printf '%s\n' '        available = count;' \
                                 '        if (count > 0) {' \
                                 '            LONG.setRelease(buffer, HEAD_OFFSET, start + count); // MUTANT: released before they are read' \
                                 '        }' ;;
    consumer-starts-at-tail)   echo '            consumer = new RingConsumer(this, duplicate(), snapshot.tail()); // MUTANT: skips the backlog' ;;
    consumer-releases-after-close) printf '%s\n' '        if (false) { // MUTANT: head written after close' \
                                 '            // closed during the handler: without the role, head is not ours to write' ;;
    commit-returns-after-close) printf '%s\n' '    public void commit() {' \
                                 '        if (closed) {' \
                                 '            claimed = 0; // MUTANT: returns normally, publishes nothing' \
                                 '            return;' \
                                 '        }' \
                                 '        if (closed) {' \
                                 '            throw closedOrClaimed();' ;;
    tail-not-repaired)         echo '            if (false) { // MUTANT: the lagging tail is left as found' ;;
    role-take-without-slot-check) echo '        for (long p = head; p < head; p++) { // MUTANT: no slot checked' ;;
    validation-single-pass)    printf '%s\n' '            if (true) { // MUTANT: one pass, tail never re-read (the old validation)' \
                                 '                return new Snapshot(headBefore, head, tail, position, word, false);' ;;
    snapshot-one-attempt)      echo '    private static final int SNAPSHOT_ATTEMPTS = 1; // MUTANT: no retry' ;;
  esac
}

field() { # field <line> <n>
  cut -d';' -f"$2" <<<"$1"
}

lookup() { # lookup <id>: the MUTANTS line of that id
  local line
  for line in "${MUTANTS[@]}"; do
    if [[ "$(field "$line" 1)" == "$1" ]]; then
      echo "$line"
      return 0
    fi
  done
  echo "mutants: unknown mutant '$1' (see: .ci/mutants.sh list)" >&2
  return 1
}

# build <id>: patches a copy of the real source, compiles it into $out/<id>/classes
build() {
  local id="$1" line class dir from to
  line=$(lookup "$id")
  class=$(field "$line" 2)
  dir="$out/$id"
  rm -rf "$dir"
  mkdir -p "$dir/src" "$dir/classes"
  from=$(patch_text "$id")
  to=$(patch_with "$id")
  # exact text, exactly once (perl: no regex in the pattern, multi-line safe)
  FROM="$from" TO="$to" perl -0777 -ne '
      my ($from, $to) = ($ENV{FROM}, $ENV{TO});
      my $n = () = /\Q$from\E/g;
      if ($n != 1) { print STDERR "found $n times, expected exactly once: $from\n"; exit 3 }
      s/\Q$from\E/$to/;
      print;' "$src/$class.java" >"$dir/src/$class.java" || {
    echo "mutants: $id: the patch does not apply to $src/$class.java; update .ci/mutants.sh" >&2
    return 1
  }
  diff -u "$src/$class.java" "$dir/src/$class.java" >"$dir/patch.diff" || true
  "$javac" --release 17 -Xlint:all -nowarn -cp "$jar" -d "$dir/classes" "$dir/src/$class.java"
  if [[ ! -f "$dir/classes/io/mmapring/$class.class" ]]; then
    echo "mutants: $id: compilation produced no $class.class" >&2
    return 1
  fi
}

# C2 only, with every scheduling/optimization randomizer this JDK has (17.0.15 has the first four;
# 25 adds macro expansion, incremental inlining and unstable-if traps). Each fork picks a random StressSeed.
stress_flags() {
  local flags="-XX:-TieredCompilation -XX:+UnlockDiagnosticVMOptions -XX:+StressLCM -XX:+StressGCM -XX:+StressIGVN -XX:+StressCCP"
  local extra
  for extra in StressMacroExpansion StressIncrementalInlining StressUnstableIfTraps; do
    if "$java" -XX:+UnlockDiagnosticVMOptions "-XX:+$extra" -version >/dev/null 2>&1; then
      flags="$flags -XX:+$extra"
    fi
  done
  echo "$flags"
}

# run_jcstress <id> <forks>: runs jcstress on the mutant's classes; prints the FORBIDDEN rows
run_jcstress() {
  local id="$1" forks="$2" line tests dir log status=0
  line=$(lookup "$id")
  tests="${MUTANT_TESTS:-$(field "$line" 4)}"
  dir="$out/$id"
  log="$dir/jcstress.txt"
  (cd "$dir" && timeout --kill-after=30 "${MUTANT_TIMEOUT:-900}" "$java" -cp "$dir/classes:$jar" org.openjdk.jcstress.Main \
      -v -t "$tests" -f "$forks" ${MUTANT_FSM:+-fsm "$MUTANT_FSM"} -iters "${MUTANT_ITERS:-3}" -time "${MUTANT_TIME:-200}" -sc false \
      -jvmArgs "$(stress_flags)" -r "$dir/results") >"$log" 2>&1 || status=$?
  if ! grep -q '^RUN RESULTS:' "$log"; then
    echo "    jcstress did not finish (exit status $status); log $log" >&2
    tail -n 30 "$log" >&2
    return 2
  fi
  # FORBIDDEN rows of the summary ("Results across all configurations"): test, outcome, samples
  perl -ne '
    $summary = 1 if /^RUN RESULTS:/;
    next unless $summary;
    if (/\[(OK|FAILED|ERROR)\] (\S+)/) { ($test = $2) =~ s/^io\.mmapring\.jcstress\.//; }
    if (/^ +(.*\S) +([0-9,]+) +[<0-9.]+% +Forbidden +(.*)$/) {
      my ($outcome, $samples, $desc) = ($1, $2, $3);
      $samples =~ s/,//g;
      printf "      %s: outcome [%s] x %s (%s)\n", $test, $outcome, $samples, $desc if $samples > 0;
    }' "$log" >"$dir/forbidden.txt"
  local samples
  samples=$(perl -ne '$s = 1 if /^RUN RESULTS:/; if ($s && /^ +.*\S +([0-9,]+) +[<0-9.]+% +(Acceptable|Forbidden|Interesting) /) { ($n = $1) =~ s/,//g; $t += $n } END { print $t + 0 }' "$log")
  if [[ -s "$dir/forbidden.txt" ]]; then
    echo "    jcstress ($tests): CAUGHT, FORBIDDEN outcomes among $samples samples:"
    cat "$dir/forbidden.txt"
    return 0
  fi
  echo "    jcstress ($tests): not caught, 0 FORBIDDEN among $samples samples (report: $dir/results/index.html)"
  return 1
}

# run_unit <id>: runs the mutant's JUnit test in a copy of the source tree with the patch applied
run_unit() {
  local id="$1" line spec module test text dir tree log class status=0
  line=$(lookup "$id")
  spec=$(field "$line" 5)
  module="${spec%%:*}"
  test="${spec#*:}"
  local args="${MUTANT_MVN_ARGS:--Dfuzz.cases=3000}"
  if [[ "$test" == *" "* ]]; then # Maven arguments of this mutant's check follow the test
    args="${test#* }"
    test="${test%% *}"
  fi
  text=$(field "$line" 6)
  class=$(field "$line" 2)
  dir="$out/$id"
  tree="$dir/tree"
  log="$dir/junit.txt"
  rm -rf "$tree"
  mkdir -p "$tree"
  # the tracked and new (not ignored) files of this checkout, as they are now
  git -C "$root" ls-files -z -co --exclude-standard | (cd "$root" && xargs -0 tar -cf - --) | tar -xf - -C "$tree"
  cp "$dir/src/$class.java" "$tree/ringbuffer/src/main/java/io/mmapring/$class.java"
  (cd "$tree" && timeout --kill-after=30 "${MUTANT_TIMEOUT:-900}" mvn -B -pl "$module" -am verify -Dtest="$test" \
      -Dsurefire.failIfNoSpecifiedTests=false $args) >"$log" 2>&1 || status=$?
  if [[ $status -ne 0 ]] && grep -qF -- "$text" "$log"; then
    echo "    JUnit $module $test: CAUGHT:"
    grep -m 1 -F -- "$text" "$log" | sed -E 's/^[[:space:]]*/      /' | cut -c1-400
    rm -rf "$tree"
    return 0
  fi
  if [[ $status -ne 0 ]]; then
    echo "    JUnit $module $test: failed, but without \"$text\" (exit $status): not counted as caught; log $log" >&2
    grep -E 'Tests run:|ERROR\]' "$log" | head -n 10 >&2
    return 1
  fi
  echo "    JUnit $module $test: not caught (the test passed on the mutant); log $log"
  rm -rf "$tree"
  return 1
}

main() {
  local mode="${1:-ci}" ids=() id line forks failed=0 started
  case "$mode" in
    list)
      for line in "${MUTANTS[@]}"; do
        printf '%-26s %-13s x86: %-9s %s\n' "$(field "$line" 1)" "$(field "$line" 2)" "$(field "$line" 3)" "$(field "$line" 7)"
      done
      return 0 ;;
    ci)
      for line in "${MUTANTS[@]}"; do
        [[ "$(field "$line" 3)" == catchable ]] && ids+=("$(field "$line" 1)")
      done
      forks="${MUTANT_FORKS:-1}"
      MUTANT_FSM="${MUTANT_FSM:-1}" ;; # one randomized fork per configuration: every catchable mutant shows within it
    all)
      for line in "${MUTANTS[@]}"; do ids+=("$(field "$line" 1)"); done
      forks="${MUTANT_FORKS:-2}" ;;
    *)
      ids=("$@")
      forks="${MUTANT_FORKS:-2}" ;;
  esac
  if [[ ! -f "$jar" ]]; then
    echo "mutants: $jar not found; run 'mvn -B verify' first" >&2
    return 1
  fi
  mkdir -p "$out"
  echo "mutants: $("$java" -version 2>&1 | head -n 1); jcstress -f $forks${MUTANT_FSM:+ -fsm $MUTANT_FSM} -iters ${MUTANT_ITERS:-3} -time ${MUTANT_TIME:-200} -sc false -jvmArgs \"$(stress_flags)\""
  for id in "${ids[@]}"; do
    started=$(date +%s)
    line=$(lookup "$id")
    echo "  $id ($(field "$line" 2); x86: $(field "$line" 3)): $(field "$line" 7)"
    build "$id"
    local caught=1 result
    # `ci` stops at the first check that catches the mutant; a report runs every check
    if [[ "$(field "$line" 5)" != - ]]; then
      result=0
      run_unit "$id" || result=$?
      [[ $result -eq 0 ]] && caught=0
    fi
    if [[ "$(field "$line" 4)" != - && ( "$mode" != ci || $caught -ne 0 ) ]]; then
      result=0
      run_jcstress "$id" "$forks" || result=$?
      [[ $result -eq 0 ]] && caught=0
      [[ $result -eq 2 ]] && failed=1
    fi
    if [[ $caught -eq 0 ]]; then
      echo "  => CAUGHT ($(( $(date +%s) - started )) s)"
    else
      echo "  => not caught ($(( $(date +%s) - started )) s)"
      if [[ "$(field "$line" 3)" == catchable ]]; then
        echo "mutants: FAILED: $id is catchable on x86 and was not caught" >&2
        failed=1
      fi
    fi
  done
  if [[ $failed -ne 0 ]]; then
    echo "mutants: FAILED" >&2
    return 1
  fi
  echo "mutants: every catchable mutant was caught"
}

main "$@"
