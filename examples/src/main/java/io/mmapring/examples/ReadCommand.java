package io.mmapring.examples;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingFormatException;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code read}: the seed's reader, with every id and name checked. */
@Command(name = "read", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Waits for the ring file and a producer, then consumes People and prints them"
        + " (or, with --quiet, only counts and checks them).",
        "Stops after --count People: a producer that goes away before that may be restarted, so it says so"
            + " and waits up to --wait seconds for one to come back (--stop-when-producer-exits: stop at once).",
        "Without --count it stops when the producer is gone and the ring is drained.",
        "Reports lost, out-of-order and duplicate ids and names that do not match <prefix>-<id>;"
            + " exits 1 if there is any."})
final class ReadCommand implements Callable<Integer> {
    /** Bad names quoted in the report; the rest are only counted. */
    private static final int QUOTED_BAD_NAMES = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--ring", paramLabel = "FILE", description = "Ring file (default: ${DEFAULT-VALUE}).")
    Path ring = PeopleRingCli.defaultRing();

    @Option(names = {"-n", "--count"}, paramLabel = "N",
        description = "Stop after N People; 0: when the producer is gone and the ring is drained (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--stop-when-producer-exits",
        description = "With --count: stop as soon as the producer is gone and the ring is drained, instead of"
            + " waiting for a producer to come back.")
    boolean stopWhenProducerExits;

    @Option(names = {"-q", "--quiet"}, description = "Do not print each People; only count and check them.")
    boolean quiet;

    @Option(names = "--name", paramLabel = "PREFIX", description = "Expected name prefix (default: ${DEFAULT-VALUE}).")
    String prefix = PeopleNames.DEFAULT_PREFIX;

    @Option(names = "--first-id", paramLabel = "ID", description = "Expected first id (default: the ring's head position).")
    Integer firstId;

    @Option(names = "--wait", paramLabel = "SECONDS",
        description = "How long to wait for the ring file and a producer: at the start, and each time the producer"
            + " goes away before --count People (default: ${DEFAULT-VALUE}).")
    double waitSeconds = 10;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long in all; 0: never (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--idle", paramLabel = "MODE", description = "How to wait on an empty ring: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PeopleRingCli.Idle idle = PeopleRingCli.Idle.YIELD;

    @Override
    public Integer call() throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("--count " + count + " is negative");
        }
        PeopleRingCli.checkSeconds("--wait", waitSeconds, false);
        PeopleRingCli.checkSeconds("--timeout", timeoutSeconds, false);
        final long start = System.nanoTime();
        final PrintWriter out = spec.commandLine().getOut();
        // --timeout bounds everything, the wait for the ring file and for a producer included
        final long waitNanos = timeoutSeconds > 0 ? (long) (Math.min(waitSeconds, timeoutSeconds) * 1e9) : (long) (waitSeconds * 1e9);
        final long deadline = start + waitNanos;
        try (RingFile file = awaitRing(ring, deadline, waitSeconds);
             PeopleConsumer consumer = new PeopleConsumer(file.consumer())) {
            awaitProducer(file, deadline);
            final Check check = new Check(firstId != null ? firstId : (int) consumer.ring().position(),
                new PeopleNames(prefix), quiet ? null : out);
            final long begin = System.nanoTime();
            final End end = consume(file, consumer, check, timeoutSeconds > 0 ? start + (long) (timeoutSeconds * 1e9) : 0);
            final long nanos = System.nanoTime() - begin;
            return report(file, check, nanos, end, out);
        }
    }

    /** Counts and checks each People; prints it unless quiet. Allocates only to report a bad name. */
    static final class Check implements PeopleConsumer.PeopleHandler {
        final IdCheck ids;
        final PeopleNames names;
        final PrintWriter print;
        final List<String> badNameExamples = new ArrayList<>();
        long badNames;

        Check(int first, PeopleNames names, PrintWriter print) {
            this.ids = new IdCheck(first);
            this.names = names;
            this.print = print;
        }

        @Override
        public void onPeople(People people) {
            ids.accept(people.id());
            if (!names.matches(people)) {
                if (badNames++ < QUOTED_BAD_NAMES) {
                    badNameExamples.add("id " + people.id() + " has name \"" + people.name() + "\"");
                }
            }
            if (print != null) {
                print.print("id=");
                print.print(people.id());
                print.print(" name=");
                print.println(people.name());
            }
        }

        boolean clean() {
            return ids.lost() == 0 && ids.outOfOrder() == 0 && ids.duplicates() == 0 && badNames == 0;
        }
    }

    /** Opens the ring once it exists, waiting until {@code deadline}. */
    static RingFile awaitRing(Path path, long deadline, double waitSeconds) throws IOException {
        while (true) {
            try {
                final long left = Math.max(0, deadline - System.nanoTime());
                final RingFile file = RingFile.open(path, Duration.ofNanos(Math.max(left, TimeUnit.MILLISECONDS.toNanos(100))));
                if (file.spec().recordSize() != People.SIZE) {
                    file.close();
                    throw new RingFormatException("ring " + path + ": record size " + file.spec().recordSize()
                        + " does not match People (" + People.SIZE + ")");
                }
                return file;
            } catch (NoSuchFileException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new PeopleRingCli.ExampleException("ring " + path + ": no such file after waiting "
                        + waitSeconds + " s (start a writer, or pass --ring)");
                }
                sleep(10);
            }
        }
    }

    private void awaitProducer(RingFile file, long deadline) throws IOException {
        while (!file.isProducerAlive() && file.backlog() == 0) {
            if (System.nanoTime() - deadline >= 0) {
                throw new PeopleRingCli.ExampleException("ring " + file.name() + ": no producer appeared within "
                    + waitSeconds + " s and the ring is empty");
            }
            sleep(1);
        }
    }

    /** Why {@link #consume} stopped. */
    enum End {
        /** The count was reached, or (no count, or --stop-when-producer-exits) the producer left and the ring is drained. */
        DONE,
        /** The producer left before the count and none came back within --wait. */
        NO_PRODUCER,
        /** --timeout passed. */
        TIMED_OUT
    }

    /**
     * Consumes until the count, or until the producer is gone and the ring drained. With a count, a
     * producer that goes away is waited for (up to --wait each time, --timeout in all), with one line on
     * the error stream when it goes and one when a producer is back: a restarted writer continues the
     * stream. Without a count, or with --stop-when-producer-exits, its leaving ends the run.
     */
    private End consume(RingFile file, PeopleConsumer consumer, Check check, long end) throws IOException {
        final IdleStrategy idle = this.idle.strategy();
        final PrintWriter err = spec.commandLine().getErr();
        final long target = count;
        final boolean stopWhenGone = target == 0 || stopWhenProducerExits;
        final long livenessEvery = TimeUnit.MILLISECONDS.toNanos(1);
        final long absenceLimit = (long) (waitSeconds * 1e9);
        long received = 0;
        long lastLiveness = System.nanoTime();
        long absentSince = 0;
        boolean absent = false;
        while (target == 0 || received < target) {
            final int limit = target == 0 ? 256 : (int) Math.min(256, target - received);
            final int n = consumer.poll(check, limit);
            if (n > 0) {
                if (absent) { // a producer came and went between two looks at its lock
                    absent = false;
                    producerBack(err, file, received);
                }
                received += n;
                idle.reset();
                continue;
            }
            final long now = System.nanoTime();
            if (now - lastLiveness >= livenessEvery) {
                lastLiveness = now;
                if (!file.isProducerAlive()) {
                    // the producer is gone: what it published before it left is still to be read
                    final int last = consumer.poll(check, limit);
                    if (last > 0) {
                        received += last;
                        continue;
                    }
                    if (stopWhenGone) {
                        break;
                    }
                    if (!absent) {
                        absent = true;
                        absentSince = now;
                        err.printf("read: ring %s: the producer is gone after %d of %d People; waiting up to %s s"
                            + " (--wait) for a producer to come back%n", file.name(), received, target, waitSeconds);
                        err.flush();
                    } else if (now - absentSince > absenceLimit) {
                        return End.NO_PRODUCER;
                    }
                } else if (absent) {
                    absent = false;
                    producerBack(err, file, received);
                }
                if (end != 0 && now - end >= 0) {
                    return End.TIMED_OUT;
                }
            }
            idle.idle();
        }
        return End.DONE;
    }

    private void producerBack(PrintWriter err, RingFile file, long received) {
        err.printf("read: ring %s: a producer is back after %d of %d People%n", file.name(), received, count);
        err.flush();
    }

    private int report(RingFile file, Check check, long nanos, End end, PrintWriter out) {
        final boolean timedOut = end == End.TIMED_OUT;
        final IdCheck ids = check.ids;
        final long missing = count > 0 ? count - ids.received() : 0;
        final boolean ok = check.clean() && missing == 0 && !timedOut;
        if (check.print != null) {
            check.print.flush();
        }
        out.printf("read %d People from %s in %.3f s (%s msgs/s): lost %d, out of order %d, duplicates %d,"
                + " bad names %d%s%s: %s%n",
            ids.received(), file.name(), nanos / 1e9, WriteCommand.rate(ids.received(), nanos), ids.lost(),
            ids.outOfOrder(), ids.duplicates(), check.badNames,
            missing > 0 ? ", missing " + missing + " of " + count + (end == End.NO_PRODUCER
                ? " (no producer came back within --wait " + waitSeconds + " s)" : timedOut ? "" : " (the producer left)") : "",
            timedOut ? ", timed out after " + timeoutSeconds + " s" : "",
            ok ? "OK" : "FAILED");
        for (String example : check.badNameExamples) {
            out.println("  bad name: " + example);
        }
        out.flush();
        return ok ? PeopleRingCli.OK : PeopleRingCli.FAILED;
    }

    static void sleep(long millis) throws InterruptedIOException {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting");
        }
    }
}
