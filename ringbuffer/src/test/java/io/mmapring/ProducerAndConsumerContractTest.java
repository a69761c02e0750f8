package io.mmapring;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edges of the producer's and the consumer's contracts, one by one, over a direct buffer: when the
 * producer reads {@code head}, what the idle-strategy variants do with their strategy, the bounds of
 * {@code claim}, {@code recordOffset}, {@code available} and {@code consume}, and when the consumer
 * checks {@code head}. Each test pins one documented sentence of the Javadoc.
 */
class ProducerAndConsumerContractTest {
    private static final int CAPACITY = 4;
    private static final int RECORD = 8;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(RingSpec.of(RECORD, CAPACITY).fileLength());
    private RingFile ring;
    private RingProducer producer;
    private RingConsumer consumer;
    private final List<Long> seen = new ArrayList<>();
    private final RingConsumer.RecordHandler collect = (b, offset) -> seen.add(b.getLong(offset));

    @BeforeEach
    void setUp() throws Exception {
        ring = RingFile.format(buffer, RingSpec.of(RECORD, CAPACITY));
        producer = ring.producer();
        consumer = ring.consumer();
    }

    @AfterEach
    void tearDown() throws Exception {
        ring.close();
    }

    @Test
    void producerReadsHeadOnlyWhenItsCachedCopyShowsTooLittleRoom() {
        // one lap: the producer's cached head becomes 2 (it had to read head to claim 4 at position 2)
        offer(0);
        offer(1);
        assertEquals(2, consumer.poll(collect, CAPACITY));
        assertEquals(CAPACITY, producer.claim(CAPACITY));
        producer.abort();
        // a head that no consumer could have written: the producer must not look while its cache has room
        RingLayout.LONG.setRelease(buffer, RingLayout.HEAD_OFFSET, 99L);
        assertEquals(CAPACITY, producer.claim(CAPACITY), "the cache shows exactly the 4 slots asked for: no read of head");
        producer.abort();
        final RingFormatException e = assertThrows(RingFormatException.class, () -> producer.claim(CAPACITY + 1),
            "asking for more than the cache shows reads head, and refuses it");
        assertEquals("ring " + ring.name() + ": head 99 moved outside [2, 2] (corrupted file, or a second consumer)", e.getMessage());
    }

    @Test
    void claimWithAnIdleStrategyResetsItThenIdlesUntilRoomIsFree() {
        for (long id = 0; id < CAPACITY; id++) {
            offer(id);
        }
        final RecordingIdle idle = new RecordingIdle(() -> consumer.poll(collect, 1));
        assertEquals(1, producer.claim(1, idle), "a slot became free while it idled");
        producer.abort();
        assertEquals(List.of("reset", "idle"), idle.calls);
    }

    @Test
    void pollWithAnIdleStrategyResetsItThenIdlesUntilARecordIsPublished() {
        final RecordingIdle idle = new RecordingIdle(() -> offer(7));
        assertEquals(1, consumer.poll(collect, CAPACITY, idle));
        assertEquals(List.of(7L), seen);
        assertEquals(List.of("reset", "idle"), idle.calls);
    }

    @Test
    void offerToAFullRingReturnsFalseAndPublishesNothing() {
        for (long id = 0; id < CAPACITY; id++) {
            assertTrue(producer.offer(record(id)));
        }
        assertFalse(producer.offer(record(9)));
        assertEquals(CAPACITY, producer.position());
        assertEquals(CAPACITY, ring.producerPosition());
        assertEquals(CAPACITY, producer.capacity());
        assertEquals(RECORD, producer.recordSize());
    }

    @Test
    void recordOffsetIsDefinedInsideTheClaimOnly() {
        assertEquals(2, producer.claim(2));
        assertEquals(RingLayout.DATA_OFFSET + RingLayout.stride(RECORD), producer.recordOffset(1));
        assertThrows(IndexOutOfBoundsException.class, () -> producer.recordOffset(2));
        assertThrows(IndexOutOfBoundsException.class, () -> producer.recordOffset(-1));
        producer.abort();
    }

    @Test
    void availableCountsNoMoreThanItsLimit() {
        offer(0);
        offer(1);
        offer(2);
        assertEquals(2, consumer.available(2));
        assertEquals(3, consumer.available(CAPACITY));
    }

    @Test
    void availableOnAnEmptyRingNoticesAHeadChangedUnderTheConsumer() {
        RingLayout.LONG.setRelease(buffer, RingLayout.HEAD_OFFSET, 3L);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> consumer.available(1));
        assertEquals("ring " + ring.name() + ": head changed from 0 to 3 under the consumer (corrupted file, or a second consumer)",
            e.getMessage());
    }

    @Test
    void consumeTakesZeroToAvailableRecordsAndZeroKeepsThemCounted() {
        offer(0);
        offer(1);
        assertEquals(2, consumer.available(CAPACITY));
        consumer.consume(0);
        assertEquals(0, ring.head(), "consume(0) releases nothing");
        assertEquals(RingLayout.DATA_OFFSET + RingLayout.stride(RECORD), consumer.recordOffset(1), "and the two stay counted");
        assertThrows(IllegalArgumentException.class, () -> consumer.consume(-1));
        assertThrows(IllegalArgumentException.class, () -> consumer.consume(3));
        consumer.consume(2);
        assertEquals(2, ring.head());
        assertEquals(2, consumer.position());
        assertThrows(IndexOutOfBoundsException.class, () -> consumer.recordOffset(0), "consumed records are no longer counted");
    }

    @Test
    void aConsumerClosedDuringItsPollReleasesNothingAndSaysWhichRecordsWereNotReleased() throws Exception {
        offer(0);
        offer(1);
        final RingConsumer.RecordHandler closeMidway = (b, offset) -> {
            seen.add(b.getLong(offset));
            consumer.close(); // e.g. a shutdown hook on another path of the same thread
        };
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.poll(closeMidway, CAPACITY),
            "a consumer closed during its poll releases nothing: head is not written without the consumer role");
        // today the poll hands the rest of its batch to the handler before it notices the close ([0, 2)); [0, 1) would be tighter
        assertTrue(e.getMessage().matches("ring " + java.util.regex.Pattern.quote(ring.name())
            + ": consumer closed during a poll: positions \\[0, [12]\\) were handled but not released"
            + " \\(the next consumer reads them again\\)"), e.getMessage());
        assertEquals(0, ring.head(), "head is not written without the consumer role");
        seen.clear();
        try (RingConsumer next = ring.consumer()) {
            assertEquals(2, next.poll(collect, CAPACITY), "the next consumer reads both again");
        }
        assertEquals(List.of(0L, 1L), seen);
    }

    private void offer(long id) {
        assertTrue(producer.offer(record(id)));
    }

    private static byte[] record(long id) {
        final byte[] record = new byte[RECORD];
        ByteBuffer.wrap(record).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, id);
        return record;
    }

    /** An idle strategy that records its calls and runs {@code onIdle} at each idle (single-threaded: no real wait). */
    private static final class RecordingIdle implements IdleStrategy {
        final List<String> calls = new ArrayList<>();
        private final Runnable onIdle;

        RecordingIdle(Runnable onIdle) {
            this.onIdle = onIdle;
        }

        @Override
        public void idle(int workCount) {
            if (workCount == 0) {
                idle();
            }
        }

        @Override
        public void idle() {
            calls.add("idle");
            onIdle.run();
        }

        @Override
        public void reset() {
            calls.add("reset");
        }
    }
}
