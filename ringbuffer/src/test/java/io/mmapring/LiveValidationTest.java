package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A healthy ring with both sides running flat out is never called corrupt, by an opener validating it,
 * by {@code backlog()}/{@code producerPosition()}, or by a consumer restarting under load, and a backlog is
 * never above the capacity. Small capacities make the producer lap the slots an observer scans: before
 * the consistent snapshot, {@code tail} lagging {@code head} plus a lapped slot read as "head is ahead of
 * the producer position".
 */
class LiveValidationTest {
    private static final long RUN_NANOS = 2_500_000_000L;

    private final Path path = TestRings.newPath("live");

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void observersAndRestartingConsumersNeverCallALiveRingCorrupt(int capacity) throws Exception {
        RingFile.create(path, RingSpec.of(8, capacity)).close();
        final AtomicBoolean stop = new AtomicBoolean();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong consumed = new AtomicLong();
        final AtomicLong restarts = new AtomicLong();
        final AtomicLong looks = new AtomicLong();
        final AtomicLong maxBacklog = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();

        threads.add(new Thread(() -> {
            final byte[] record = new byte[8];
            try (RingFile ring = RingFile.open(path); RingProducer producer = ring.producer()) {
                long id = 0;
                while (!stop.get()) {
                    ByteBuffer.wrap(record).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, id);
                    if (producer.offer(record)) {
                        id++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "producer"));

        threads.add(new Thread(() -> {
            try (RingFile ring = RingFile.open(path)) {
                final long[] expected = {0};
                final RingConsumer.RecordHandler check = (buffer, offset) -> {
                    final long id = buffer.getLong(offset);
                    if (id != expected[0]) {
                        throw new AssertionError("expected id " + expected[0] + ", got " + id);
                    }
                    expected[0]++;
                };
                while (!stop.get()) {
                    // restart: a new consumer on the same ring, taken while the producer runs
                    try (RingConsumer consumer = ring.consumer()) {
                        restarts.incrementAndGet();
                        for (int i = 0; i < 64 && !stop.get(); i++) {
                            consumed.addAndGet(consumer.poll(check, 16));
                        }
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "restarting consumer"));

        threads.add(new Thread(() -> {
            try {
                while (!stop.get()) {
                    try (RingFile ring = RingFile.openReadOnly(path)) {
                        for (int i = 0; i < 16; i++) {
                            final long backlog = ring.backlog();
                            maxBacklog.accumulateAndGet(backlog, Math::max);
                            if (backlog > capacity) {
                                throw new AssertionError("backlog " + backlog + " is above the capacity " + capacity);
                            }
                            ring.producerPosition();
                            looks.incrementAndGet();
                        }
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "validator"));

        threads.forEach(Thread::start);
        // at least RUN_NANOS and enough of everything, at most 8x as long (a loaded machine starves some thread)
        final long start = System.nanoTime();
        while (failures.isEmpty() && System.nanoTime() - start < 8 * RUN_NANOS
            && (System.nanoTime() - start < RUN_NANOS || consumed.get() < 10_000 || restarts.get() < 100 || looks.get() < 1_000)) {
            Thread.sleep(10);
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        if (!failures.isEmpty()) {
            final AssertionError error = new AssertionError("a live ring was called corrupt or mis-measured ("
                + consumed.get() + " records consumed, " + restarts.get() + " consumer restarts, " + looks.get()
                + " looks): " + failures.peek(), failures.peek());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        assertTrue(consumed.get() >= 10_000 && restarts.get() >= 100 && looks.get() >= 1_000,
            "the run really ran: " + consumed.get() + " consumed, " + restarts.get() + " restarts, " + looks.get() + " looks");
        assertTrue(maxBacklog.get() <= capacity);
        try (RingFile ring = RingFile.openReadOnly(path)) {
            assertEquals(ring.producerPosition(), ring.head() + ring.backlog());
        }
    }
}
