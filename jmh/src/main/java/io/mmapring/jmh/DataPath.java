package io.mmapring.jmh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the ring's code path alone: one thread holds both roles of one ring file in /dev/shm,
 * publishes {@link Records#BATCH} People (one commit per record, or one commit for all), then consumes
 * them, checking every id. Every cache line stays in this core, so the score (records per second) is
 * what the instructions cost: per-access checks of the ByteBuffer VarHandles, bounds checks of the bulk
 * copy, the claim/commit bookkeeping, handler dispatch. The C program {@code jmh/c/datapath} does the
 * same work; the alternating runner compares them ({@code pathOffer}, {@code pathBatch}, {@code leanPath*}, {@code cPath*}).
 *
 * <p>{@code link}: {@code ring} is the library ({@link RingLink}), {@code lean} the prototype over the
 * same file format ({@link LayoutRing#V1}), {@code baseline} the library's code as of commit 8f8dd99
 * ({@link BaselineLink}), the "before" of changes to the hot path.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DataPath {

    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public int offer(Ring ring) throws IOException {
        final Link link = ring.linkObject;
        final int first = ring.next;
        for (int i = 0; i < Records.BATCH; i++) {
            if (!link.trySend(first + i)) {
                throw new IllegalStateException("ring full after " + i + " records of an empty ring");
            }
        }
        ring.next = first + Records.BATCH;
        return ring.receiveAll();
    }

    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public int batch(Ring ring) throws IOException {
        final int first = ring.next;
        if (ring.linkObject.trySendBatch(first, Records.BATCH) != Records.BATCH) {
            throw new IllegalStateException("a claim of " + Records.BATCH + " on an empty ring got fewer slots");
        }
        ring.next = first + Records.BATCH;
        return ring.receiveAll();
    }

    @State(Scope.Thread)
    public static class Ring {
        @Param({"ring", "lean", "baseline"})
        public String link;

        Link linkObject;
        private Path directory;
        int next;
        private int expected;
        private long errors;
        private final Link.IdSink check = this::check;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            directory = Records.scratchDirectory("datapath");
            final Path file = directory.resolve("ring");
            Records.createRing(file);
            linkObject = switch (link) {
                case "ring" -> new RingLink(file, file); // both roles of one file in this process
                case "lean" -> new LayoutLink(LayoutRing.V1, file, file);
                case "baseline" -> new BaselineLink(file, file);
                default -> throw new IllegalArgumentException("link " + link + " is not one of ring, lean, baseline");
            };
        }

        int receiveAll() {
            final int n;
            try {
                n = linkObject.tryReceive(check, Records.BATCH);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (n != Records.BATCH) {
                throw new IllegalStateException("received " + n + " of the " + Records.BATCH + " records just published");
            }
            return n;
        }

        private void check(int id) {
            if (id != expected) {
                errors++;
            }
            expected = id + 1;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            linkObject.close();
            Records.deleteRecursively(directory);
            if (errors != 0) {
                throw new IllegalStateException(errors + " ids read were not the ones written");
            }
        }
    }
}
