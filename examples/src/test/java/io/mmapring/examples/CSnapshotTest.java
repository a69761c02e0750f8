package io.mmapring.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mmapring.People;
import io.mmapring.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No false "corrupt" from a live ring (issue 14 item 3, C side). On a ring of 1 or 2 slots a producer
 * publishes flat out while C readers consume, restarting one after another (each takes the consumer
 * role, snapshots the positions and checks the slots, then reads 2 000 People), and two C inspectors
 * ({@code people_reader -i}) take snapshots without a role next to them: tail lags head and the
 * producer laps the scanned slot all the time, and yet no snapshot is refused and none shows a backlog
 * above the capacity.
 *
 * <p>The producers: the Java {@code write}, and {@code lagging_producer} (src/test/c), a valid producer
 * that yields between each word release and its tail release, where a real producer lags whenever the
 * OS deschedules it. With it the single-pass check of main (head, tail, scan, head) calls this live ring
 * corrupt several times a second at 1 slot.
 */
class CSnapshotTest {
    private static final long SECONDS = 3;
    private static final int INSPECTORS = 2;
    private static final Pattern INSPECTION = Pattern.compile(
        "(\\d+) snapshots, (\\d+) retried \\(tail moved during the scan\\), (\\d+) still moving at the last attempt,"
            + " max backlog (\\d+) of (\\d+)");

    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-snapshot-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong maxBacklog = new AtomicLong();
    private final AtomicLong inspections = new AtomicLong();
    private final AtomicLong consumerRuns = new AtomicLong();

    @AfterEach
    void deleteRing() throws IOException {
        Files.deleteIfExists(ring);
    }

    @ParameterizedTest(name = "{0} producer, {1} slots")
    @CsvSource({"java, 1", "java, 2", "lagging, 1", "lagging, 2"})
    void aLiveRingIsNeverCalledCorruptNorShownWithABacklogAboveItsCapacity(String producer, int capacity) throws Exception {
        RingFile.create(ring, People.spec(capacity)).close();
        final Path reader = CPrograms.program("people_reader");
        try (Child writer = "java".equals(producer)
            ? Child.cli("write", "--ring", ring.toString(), "--count", "1000000000", "--quiet", "--idle", "yield", "--wait", "60")
            : Child.c(CPrograms.testProgram("lagging_producer"), ring.toString(), Long.toString(SECONDS + 30))) {
            awaitProducer(writer);
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            final List<Thread> threads = new ArrayList<>();
            threads.add(new Thread(() -> consumerRestarts(reader, end), "consumer-restarts"));
            for (int i = 0; i < INSPECTORS; i++) {
                threads.add(new Thread(() -> inspections(reader, capacity, end), "inspector-" + i));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(90));
            }
            assertTrue(writer.isAlive(), () -> "the producer stopped: " + writer.output());
        }
        final String summary = producer + " producer, " + capacity + " slots: " + consumerRuns + " consumer restarts, "
            + inspections + " inspector runs, " + snapshots + " snapshots (" + retried + " retried), max backlog " + maxBacklog;
        System.out.println("CSnapshotTest " + summary);
        assertEquals(List.of(), failures, summary);
        assertTrue(maxBacklog.get() <= capacity, summary);
        assertTrue(consumerRuns.get() > 0 && inspections.get() > 0, summary);
    }

    /**
     * mmr_snapshot itself, against every interleaving: src/test/c/snapshot_torture.c interrupts a snapshot
     * loop with a timer signal every 20 us, and the handler takes random valid producer and consumer steps
     * between two of its loads. Main's single pass is refused hundreds of times in these 2 s at 1 and 2 slots.
     */
    @ParameterizedTest(name = "{0} slots")
    @ValueSource(ints = {1, 2, 4})
    void noInterleavingOfAValidProducerAndConsumerMakesASnapshotRefuseTheRing(int capacity) throws Exception {
        try (Child torture = Child.c(CPrograms.testProgram("snapshot_torture"), Integer.toString(capacity), "2")) {
            assertEquals(0, torture.waitFor(60), torture::output);
            final Matcher counts = Pattern.compile("(\\d+) snapshots, (\\d+) protocol steps .* (\\d+) retried, 0 refused,"
                + " 0 with a backlog above the capacity").matcher(torture.output());
            assertTrue(counts.find(), torture::output);
            System.out.println("CSnapshotTest " + torture.output().trim());
            assertTrue(Long.parseLong(counts.group(2)) > 1000 && Long.parseLong(counts.group(3)) > 0,
                () -> "the signal did not interleave enough steps to mean anything: " + torture.output());
        }
    }

    private void awaitProducer(Child writer) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (RingFile file = RingFile.open(ring)) {
            while (!file.isProducerAlive()) {
                assertTrue(writer.isAlive() && System.nanoTime() - deadline < 0, () -> "no producer: " + writer.output());
                Thread.sleep(5);
            }
        }
    }

    /** C readers as the consumer, one after another, each checking 2 000 People. */
    private void consumerRestarts(Path reader, long end) {
        try {
            while (System.nanoTime() - end < 0) {
                try (Child c = Child.c(reader, "-q", "-n", "2000", "-w", "10", "-t", "60", ring.toString())) {
                    if (c.waitFor(70) != 0 || !c.output().contains("read 2000 People")) {
                        failures.add("consumer: " + c.output());
                    }
                }
                consumerRuns.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            failures.add("consumer: " + e);
        }
    }

    /** C inspectors, one after another, each taking 20 000 snapshots. */
    private void inspections(Path reader, int capacity, long end) {
        try {
            while (System.nanoTime() - end < 0) {
                try (Child inspector = Child.c(reader, "-i", "-n", "20000", "-w", "10", ring.toString())) {
                    final int code = inspector.waitFor(70);
                    final Matcher found = INSPECTION.matcher(inspector.output());
                    if (code != 0 || !found.find() || Long.parseLong(found.group(5)) != capacity) {
                        failures.add("inspector: " + inspector.output());
                        continue;
                    }
                    inspections.incrementAndGet();
                    snapshots.addAndGet(Long.parseLong(found.group(1)));
                    retried.addAndGet(Long.parseLong(found.group(2)));
                    maxBacklog.accumulateAndGet(Long.parseLong(found.group(4)), Math::max);
                }
            }
        } catch (IOException | RuntimeException e) {
            failures.add("inspector: " + e);
        }
    }
}
