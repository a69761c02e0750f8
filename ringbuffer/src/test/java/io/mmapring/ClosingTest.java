package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing is safe from any thread and never loses a commit silently: after close every role method
 * throws, a commit that cannot publish says so, and a closed consumer never writes {@code head}.
 */
class ClosingTest {
    private final Path path = TestRings.newPath("closing");

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    @Test
    void commitAfterTheRingWasClosedThrowsAndSaysWhatWasNotPublished() throws Exception {
        final RingFile ring = RingFile.create(path, People.spec(8));
        final PeopleProducer out = new PeopleProducer(ring.producer());
        assertEquals(4, out.claim(4));
        for (int i = 0; i < 4; i++) {
            out.people(i).id(i).name("claimed-" + i);
        }
        ring.close(); // e.g. from a shutdown hook
        final IllegalStateException e = assertThrows(IllegalStateException.class, out::commit);
        assertEquals("ring " + path + ": producer is closed; its claim of 4 slots at positions [0, 4) was not published",
            e.getMessage());
        try (RingFile again = RingFile.open(path)) {
            assertEquals(0, again.producerPosition());
            assertEquals(0, again.backlog());
        }
    }

    @Test
    void closedConsumerNeverWritesHead() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(8)); RingProducer producer = ring.producer()) {
            for (int i = 0; i < 4; i++) {
                assertTrue(producer.offer(new byte[People.SIZE]));
            }
            final RingConsumer consumer = ring.consumer();
            assertEquals(4, consumer.available(8));
            consumer.close();
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.consume(4));
            assertEquals("ring " + path + ": consumer is closed", e.getMessage());
            assertEquals(0, ring.head(), "head is not written without the consumer role");
            try (RingConsumer next = ring.consumer()) {
                assertEquals(0, next.position());
                assertEquals(4, next.available(8), "the next consumer reads the four records again");
            }
        }
    }

    @Test
    void everyRoleMethodThrowsAfterClose() throws Exception {
        final RingFile ring = RingFile.create(path, People.spec(8));
        final RingProducer producer = ring.producer();
        final RingConsumer consumer = ring.consumer();
        producer.offer(new byte[People.SIZE]);
        assertEquals(1, consumer.available(1));
        ring.close();
        final List<Executable> calls = List.of(
            () -> producer.claim(1), () -> producer.commit(), producer::abort, () -> producer.recordOffset(0),
            producer::buffer, () -> producer.offer(new byte[People.SIZE]),
            () -> consumer.poll((b, o) -> { }, 1), () -> consumer.available(1), () -> consumer.consume(1),
            () -> consumer.recordOffset(0), consumer::buffer,
            ring::head, ring::tail, ring::backlog, ring::producerPosition, ring::isProducerAlive,
            ring::isConsumerAlive, ring::producer, ring::consumer, ring::force);
        for (Executable call : calls) {
            final IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().startsWith("ring " + path + ": "), e.getMessage());
        }
        ring.close(); // idempotent
        producer.close();
        consumer.close();
        try (RingFile again = RingFile.open(path)) {
            assertEquals(0, again.head());
            assertEquals(1, again.backlog());
        }
    }

    /**
     * A producer thread commits batches while another thread closes the ring: every commit that
     * returned normally is published, a commit that threw says so, the JVM survives (on Java 22+ the
     * mapping is gone at once and a racing access throws).
     */
    @Test
    void closeRacingWithCommitsNeverLosesACommitSilently() throws Exception {
        for (int round = 0; round < 20; round++) {
            TestRings.delete(path);
            final RingFile ring = RingFile.create(path, RingSpec.of(8, 1024));
            final RingProducer producer = ring.producer();
            final AtomicLong committed = new AtomicLong();
            final AtomicReference<Throwable> stoppedBy = new AtomicReference<>();
            final Thread writer = new Thread(() -> {
                try {
                    long id = 0;
                    while (true) {
                        final int n = producer.claim(8);
                        if (n == 0) {
                            // full: nobody consumes here; wait for the close
                            Thread.onSpinWait();
                            continue;
                        }
                        final ByteBuffer buffer = producer.buffer();
                        for (int i = 0; i < n; i++) {
                            buffer.putLong(producer.recordOffset(i), id + i);
                        }
                        producer.commit();
                        id += n;
                        committed.set(id);
                    }
                } catch (IllegalStateException e) {
                    stoppedBy.set(e);
                } catch (Throwable e) {
                    stoppedBy.set(new AssertionError("unexpected", e));
                }
            }, "writer");
            writer.start();
            Thread.sleep(round % 5);
            ring.close();
            writer.join(10_000);
            assertTrue(stoppedBy.get() instanceof IllegalStateException, "the writer was stopped by an ISE: " + stoppedBy.get());
            try (RingFile again = RingFile.open(path); RingConsumer consumer = again.consumer()) {
                final long published = again.producerPosition();
                assertTrue(published >= committed.get(), "every commit that returned is published: "
                    + published + " < " + committed.get() + " (" + stoppedBy.get() + ")");
                final long[] expected = {0};
                while (consumer.poll((b, o) -> assertEquals(expected[0]++, b.getLong(o)), 256) > 0) {
                    // read everything published, in order
                }
                assertEquals(published, expected[0]);
            }
        }
    }
}
