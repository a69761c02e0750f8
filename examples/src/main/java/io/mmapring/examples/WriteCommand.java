package io.mmapring.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.mmapring.People;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;
import io.mmapring.RingFormatException;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code write}: the seed's writer as a stream of People named after their ids. */
@Command(name = "write", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Creates (or opens) a ring and publishes People named <prefix>-<id>, ids consecutive.",
        "Ids start at the ring's producer position unless --first-id is given, so successive writers"
            + " continue where the last one stopped.",
        "Prints messages/s and the backlog once a second on long runs, and a summary at the end."})
final class WriteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ring", paramLabel = "FILE", description = "Ring file (default: ${DEFAULT-VALUE}).")
    Path ring = PeopleRingCli.defaultRing();

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "People to publish (default: ${DEFAULT-VALUE}).")
    long count = 1_000_000;

    @Option(names = "--name", paramLabel = "PREFIX", description = "Name prefix (default: ${DEFAULT-VALUE}).")
    String prefix = PeopleNames.DEFAULT_PREFIX;

    @Option(names = "--rate", paramLabel = "MSGS_PER_S",
        description = "Publish at this fixed rate, one offer at a time; 0: as fast as possible, in batches (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--batch", paramLabel = "N",
        description = "Slots claimed and committed at once when not rate-limited (default: ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--capacity", paramLabel = "SLOTS",
        description = "Capacity of a ring this command creates, a power of two (default: ${DEFAULT-VALUE}).")
    int capacity = 4096;

    @Option(names = "--replace", description = "Delete and re-create the ring even if it exists.")
    boolean replace;

    @Option(names = "--first-id", paramLabel = "ID", description = "Id of the first People (default: the ring's producer position).")
    Integer firstId;

    @Option(names = "--idle", paramLabel = "MODE", description = "How to wait on a full ring: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PeopleRingCli.Idle idle = PeopleRingCli.Idle.YIELD;

    @Option(names = "--wait", paramLabel = "SECONDS",
        description = "Give up when the ring stays full this long (no consumer) (default: ${DEFAULT-VALUE}).")
    double waitSeconds = 30;

    @Option(names = "--quiet", description = "No progress lines, only the summary.")
    boolean quiet;

    /** Checked now and then while the ring is full: a consumer known to be gone ends the wait (the demo's reader). */
    BooleanSupplier consumerRunning = () -> true;

    @Override
    public Integer call() throws IOException {
        check();
        try (RingFile file = openOrCreate(ring, capacity, replace)) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--capacity") && file.spec().capacity() != capacity) {
                // never ignored: the ring exists with another capacity, and write opens rings that exist as they are
                throw new IllegalArgumentException("--capacity " + capacity + ": ring " + file.name() + " exists with capacity "
                    + file.spec().capacity() + "; leave out --capacity to write to it, or add --replace to create it anew");
            }
            final Result result = write(file, spec.commandLine().getOut());
            final PrintWriter out = spec.commandLine().getOut();
            out.printf("wrote %d People (ids %d..%d) to %s in %.3f s: %s msgs/s%n", result.count, result.firstId,
                result.firstId + result.count - 1, file.name(), result.nanos / 1e9, rate(result.count, result.nanos));
            out.flush();
        }
        return PeopleRingCli.OK;
    }

    /** What a write did. */
    static final class Result {
        final long count;
        final long firstId;
        final long nanos;

        Result(long count, long firstId, long nanos) {
            this.count = count;
            this.firstId = firstId;
            this.nanos = nanos;
        }
    }

    void check() {
        if (count < 0) {
            throw new IllegalArgumentException("--count " + count + " is negative");
        }
        if (Double.isNaN(rate)) {
            throw new IllegalArgumentException("--rate " + rate + " is not a number");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate " + rate + " is negative");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch " + batch + " must be at least 1");
        }
        PeopleRingCli.checkSeconds("--wait", waitSeconds, true);
        try {
            People.spec(capacity);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--capacity " + capacity + ": " + e.getMessage() + " (ring " + ring + ")", e);
        }
        PeopleNames.checkPrefix(prefix);
    }

    /** Opens the ring at {@code path}, or creates it with {@code capacity} People slots. */
    static RingFile openOrCreate(Path path, int capacity, boolean replace) throws IOException {
        if (replace || !Files.exists(path)) {
            try {
                return RingFile.create(path, People.spec(capacity), RingFile.DEFAULT_PERMISSIONS, replace);
            } catch (FileAlreadyExistsException e) {
                // another process created it first: open theirs
            }
        }
        final RingFile file = RingFile.open(path);
        if (file.spec().recordSize() != People.SIZE) {
            file.close();
            throw new RingFormatException("ring " + path + ": record size " + file.spec().recordSize()
                + " does not match People (" + People.SIZE + ")");
        }
        return file;
    }

    /** Takes the producer role of {@code file}, publishes {@link #count} People, gives the role back. */
    Result write(RingFile file, PrintWriter out) throws IOException {
        try (PeopleProducer producer = new PeopleProducer(file.producer())) {
            final int first = firstId != null ? firstId : (int) producer.ring().position();
            final long start = System.nanoTime();
            if (rate > 0) {
                writeAtRate(producer, first, out, start);
            } else {
                writeBatches(producer, first, out, start);
            }
            return new Result(count, first, System.nanoTime() - start);
        }
    }

    private void writeBatches(PeopleProducer producer, int first, PrintWriter out, long start) {
        final IdleStrategy idle = this.idle.strategy();
        final StringBuilder name = new StringBuilder(prefix).append('-');
        final int prefixLength = name.length();
        final long total = count;
        final long reportEvery = TimeUnit.SECONDS.toNanos(1);
        long nextReport = start + reportEvery;
        long lastReportCount = 0;
        long written = 0;
        int id = first;
        while (written < total) {
            final int claimed = claim(producer, (int) Math.min(batch, total - written), idle, written);
            for (int i = 0; i < claimed; i++) {
                name.setLength(prefixLength);
                name.append(id);
                producer.people(i).id(id).name(name);
                id++;
            }
            producer.commit();
            written += claimed;
            final long now = System.nanoTime();
            if (now - nextReport >= 0) {
                lastReportCount = progress(producer, out, written, lastReportCount, now - nextReport + reportEvery);
                nextReport = now + reportEvery;
            }
        }
    }

    private void writeAtRate(PeopleProducer producer, int first, PrintWriter out, long start) {
        final IdleStrategy idle = this.idle.strategy();
        final StringBuilder name = new StringBuilder(prefix).append('-');
        final int prefixLength = name.length();
        final double interval = 1e9 / rate;
        final long reportEvery = TimeUnit.SECONDS.toNanos(1);
        long nextReport = start + reportEvery;
        long lastReportCount = 0;
        int id = first;
        for (long written = 0; written < count; written++) {
            final long intended = start + (long) (written * interval);
            long now;
            idle.reset();
            while ((now = System.nanoTime()) - intended < 0) {
                if (intended - now > 2_000_000) {
                    LockSupport.parkNanos(intended - now - 1_000_000);
                } else {
                    idle.idle();
                }
            }
            claim(producer, 1, idle, written);
            name.setLength(prefixLength);
            name.append(id);
            producer.people(0).id(id).name(name);
            producer.commit();
            id++;
            if (now - nextReport >= 0) {
                lastReportCount = progress(producer, out, written + 1, lastReportCount, now - nextReport + reportEvery);
                nextReport = now + reportEvery;
            }
        }
    }

    /** Claims up to {@code n} slots, idling while the ring is full; fails after {@link #waitSeconds} full. */
    private int claim(PeopleProducer producer, int n, IdleStrategy idle, long written) {
        int claimed = producer.claim(n);
        if (claimed > 0) {
            return claimed;
        }
        final long fullSince = System.nanoTime();
        final long limit = (long) (waitSeconds * 1e9);
        idle.reset();
        int spins = 0;
        while ((claimed = producer.claim(n)) == 0) {
            if ((++spins & 0x3FF) == 0 && !consumerRunning.getAsBoolean()) {
                throw new PeopleRingCli.ExampleException("ring " + producer.ring().ring().name()
                    + ": the consumer exited while the ring was full (published " + written + " of " + count + ")");
            }
            if (System.nanoTime() - fullSince > limit) {
                throw new PeopleRingCli.ExampleException("ring " + producer.ring().ring().name() + ": full for "
                    + waitSeconds + " s, no consumer made room (published " + written + " of " + count + ")");
            }
            idle.idle();
        }
        return claimed;
    }

    private long progress(PeopleProducer producer, PrintWriter out, long written, long lastCount, long nanos) {
        if (!quiet) {
            out.printf("write: %d People, %s msgs/s, backlog %d%n", written, rate(written - lastCount, nanos),
                producer.ring().ring().backlog());
            out.flush();
        }
        return written;
    }

    /** Messages per second, human-readable. */
    static String rate(long count, long nanos) {
        final double perSecond = nanos <= 0 ? 0 : count * 1e9 / nanos;
        if (perSecond >= 1e6) {
            return String.format("%.2f M", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format("%.1f k", perSecond / 1e3);
        }
        return String.format("%.0f", perSecond);
    }
}
