#!/usr/bin/env bash
# Mutation testing of the library (PIT, the `pit` profile of ringbuffer/pom.xml) and its score per
# class. Takes 2.5 to 3.5 minutes on 2 shared vCPUs. The report: ringbuffer/target/pit-reports/index.html (mutations.csv, mutations.xml beside it).
#
#   .ci/pit.sh                      run PIT, print the per-class table
#   .ci/pit.sh --table              print the table of the last run only
#   PIT_MIN="RingProducer=90 RingConsumer=90 RingLayout=90 module=80" .ci/pit.sh
#                                   also fail when a class (or the module) scores below its minimum (%)
#
# Killed = KILLED, TIMED_OUT, MEMORY_ERROR or RUN_ERROR (PIT's own "killed" set); the score is
# killed / all mutants, NO_COVERAGE included. PIT runs every test class of ringbuffer except the
# cross-process ones (CrashTest, CrossProcessTest, ProducerCrashMidCommitTest), whose child JVMs
# would load the unmutated classes from target/classes.
set -euo pipefail
cd "$(dirname "$0")/.."
csv=ringbuffer/target/pit-reports/mutations.csv

# PIT kills a minion JVM when a mutant makes a test hang (TIMED_OUT); that test's ring file in
# /dev/shm (TestRings: mmapring-test-<what>-<pid>-<n>) is then never deleted; and a mutant of
# RingCreation's clean-up leaves the temporary file of a create (.<name>.creating-<pid>-<hex>), which
# only a later create of the same name would remove. Remove those of this run whose process is gone.
remove_orphan_rings() {
  local marker="$1" f base pid
  [[ -d /dev/shm ]] || return 0
  while IFS= read -r f; do
    base="${f##*/}"
    pid="${base%-*}"
    pid="${pid##*-}"
    if [[ "$pid" =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null; then
      rm -rf "$f"
    fi
  done < <(find /dev/shm -maxdepth 1 \( -name 'mmapring-test-*' -o -name '.mmapring-test-*.creating-*' \) -newer "$marker" 2>/dev/null)
}

if [[ "${1:-}" != --table ]]; then
  log=ringbuffer/target/pit.log
  mkdir -p ringbuffer/target
  marker=ringbuffer/target/pit.started
  touch "$marker"
  # compile, then PIT alone: the ordinary test run, the jars and the Javadoc of `verify` are not needed
  # here (CI has run them just before), and skipping them saves about a minute
  echo "pit: mvn -B -pl ringbuffer -Ppit test-compile org.pitest:pitest-maven:mutationCoverage (log $log)"
  status=0
  mvn -B -pl ringbuffer -Ppit test-compile org.pitest:pitest-maven:mutationCoverage >"$log" 2>&1 || status=$?
  remove_orphan_rings "$marker"
  if [[ $status -ne 0 ]]; then
    tail -n 40 "$log" >&2
    echo "pit: FAILED: the build or the PIT run failed (log $log)" >&2
    exit 1
  fi
  sed -n '/^- Statistics/,/^Enhanced/p' "$log" | grep '^>>' || true
fi
if [[ ! -s "$csv" ]]; then
  echo "pit: $csv is missing or empty" >&2
  exit 1
fi

# class;killed;survived;no coverage;total
table=$(perl -F, -lane '
    my $class = $F[1]; $class =~ s/^io\.mmapring\.//; $class =~ s/\$.*//;
    $total{$class}++; $total{module}++;
    if ($F[5] =~ /^(KILLED|TIMED_OUT|MEMORY_ERROR|RUN_ERROR)$/) { $killed{$class}++; $killed{module}++ }
    elsif ($F[5] eq "NO_COVERAGE") { $nocov{$class}++; $nocov{module}++ }
    else { $survived{$class}++; $survived{module}++ }
    END {
      for my $c ((sort grep { $_ ne "module" } keys %total), "module") {
        printf "%s;%d;%d;%d;%d\n", $c, $killed{$c} // 0, $survived{$c} // 0, $nocov{$c} // 0, $total{$c};
      }
    }' "$csv")

printf '%-16s %7s %9s %12s %7s %7s\n' class killed survived no-coverage total score
failed=0
while IFS=';' read -r class killed survived nocov total; do
  score=$(( 1000 * killed / total ))
  printf '%-16s %7d %9d %12d %7d %5d.%d%%\n' "$class" "$killed" "$survived" "$nocov" "$total" $((score / 10)) $((score % 10))
  for rule in ${PIT_MIN:-}; do
    if [[ "${rule%%=*}" == "$class" && $score -lt $(( ${rule#*=} * 10 )) ]]; then
      echo "pit: $class scores below its minimum of ${rule#*=}%" >&2
      failed=1
    fi
  done
done <<<"$table"
if [[ $failed -ne 0 ]]; then
  echo "pit: FAILED" >&2
  exit 1
fi
