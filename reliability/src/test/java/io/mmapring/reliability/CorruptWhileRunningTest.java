package io.mmapring.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingFormatException;
import io.mmapring.RingLayout;
import io.mmapring.RingProducer;
import io.mmapring.RingSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counters and sequence words corrupted while a producer and a consumer run: each side stops with a
 * {@link RingFormatException} naming the ring instead of delivering garbage or overrunning unread slots.
 * In-process over a direct buffer (the same code path as a mapped file); the corruption is written
 * with plain stores as a foreign process would.
 */
class CorruptWhileRunningTest {
    private static final int CAPACITY = 16;
    private static final RingSpec SPEC = People.spec(CAPACITY);

    private ByteBuffer raw;
    private RingFile ring;
    private RingProducer producer;
    private RingConsumer consumer;
    private final People people = new People();
    private final byte[] field = new byte[People.NAME_LENGTH];
    private final List<Long> delivered = new ArrayList<>();

    @BeforeEach
    void newRing() throws IOException {
        raw = ByteBuffer.allocateDirect(SPEC.fileLength()).order(ByteOrder.LITTLE_ENDIAN);
        ring = RingFile.format(raw, SPEC);
        producer = ring.producer();
        consumer = ring.consumer();
    }

    @Test
    void consumerStopsWhenHeadMovesForwardUnderIt() {
        publish(3);
        assertEquals(3, poll(10));
        raw.putLong(RingLayout.HEAD_OFFSET, 1000);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> poll(10));
        assertNamed(e, "head changed from 3 to 1000");
        assertThrows(RingFormatException.class, () -> consumer.available(10));
    }

    @Test
    void consumerStopsWhenHeadMovesBackUnderIt() {
        publish(5);
        assertEquals(5, poll(10));
        raw.putLong(RingLayout.HEAD_OFFSET, 1);
        assertNamed(assertThrows(RingFormatException.class, () -> poll(10)), "head changed from 5 to 1");
    }

    @Test
    void consumerStopsAtASequenceWordAheadOfItsPosition() {
        publish(4);
        assertEquals(2, poll(2));
        // the word of position 2 claims a later lap: never delivered, the consumer says why
        raw.putLong(sequenceWord(2), 2 + 1 + CAPACITY);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> poll(10));
        assertNamed(e, "sequence word " + (3 + CAPACITY) + " of position 2 is ahead");
        assertEquals(List.of(0L, 1L), delivered, "nothing delivered past the corrupt word");
        raw.putLong(sequenceWord(2), Long.MAX_VALUE);
        assertThrows(RingFormatException.class, () -> consumer.available(10));
    }

    @Test
    void staleOrNegativeSequenceWordsAreNotPublications() {
        publish(2);
        raw.putLong(sequenceWord(2), 2); // one short: an unpublished slot
        raw.putLong(sequenceWord(3), Long.MIN_VALUE);
        assertEquals(2, poll(10));
        assertEquals(0, poll(10), "nothing beyond the last real publication");
    }

    @Test
    void producerStopsWhenHeadMovesBeyondItsPosition() {
        publish(CAPACITY);
        raw.putLong(RingLayout.HEAD_OFFSET, CAPACITY + 5);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> producer.claim(1));
        assertNamed(e, "head " + (CAPACITY + 5) + " moved outside [0, " + CAPACITY + "]");
    }

    @Test
    void producerStopsWhenHeadMovesBack() {
        publish(CAPACITY);
        assertEquals(CAPACITY, poll(CAPACITY));
        publish(CAPACITY); // refreshes its cached head to 16 on the way
        raw.putLong(RingLayout.HEAD_OFFSET, 3);
        assertNamed(assertThrows(RingFormatException.class, () -> producer.claim(1)), "head 3 moved outside");
        raw.putLong(RingLayout.HEAD_OFFSET, Long.MIN_VALUE);
        assertThrows(RingFormatException.class, () -> producer.claim(1));
    }

    @Test
    void aHeadThatLiesWithinRangeMakesTheProducerOverwriteAndTheConsumerDetectsTheOverrun() {
        publish(CAPACITY);
        assertEquals(3, poll(3));
        // a hostile writer claims the consumer has read everything: the producer believes it and laps it
        raw.putLong(RingLayout.HEAD_OFFSET, CAPACITY);
        publish(CAPACITY);
        // the consumer's own position is 3: the slot words there now say a later lap
        final RingFormatException e = assertThrows(RingFormatException.class, () -> poll(CAPACITY));
        assertNamed(e, "is ahead of it");
        assertEquals(List.of(0L, 1L, 2L), delivered, "no record of the wrong lap was delivered");
    }

    @Test
    void aCorruptedTailDisturbsNeitherSideAndIsRefusedByTheNextOpener() {
        publish(5);
        raw.putLong(RingLayout.TAIL_OFFSET, 1L << 40);
        assertEquals(5, poll(10), "the consumer learns of records from the slot words, not from tail");
        publish(3);
        assertEquals(3, poll(10));
        raw.putLong(RingLayout.TAIL_OFFSET, 1L << 40);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.wrap(raw));
        assertNamed(e, "tail " + (1L << 40) + " is more than capacity");
    }

    @Test
    void restartedRolesRefuseCorruptedCounters() throws IOException {
        publish(6);
        assertEquals(4, poll(4));
        producer.close();
        consumer.close();
        raw.putLong(RingLayout.HEAD_OFFSET, Long.MIN_VALUE); // position - head would overflow to a small number
        assertNamed(assertThrows(RingFormatException.class, () -> ring.producer()), "head " + Long.MIN_VALUE + " is negative");
        assertNamed(assertThrows(RingFormatException.class, () -> ring.consumer()), "head " + Long.MIN_VALUE + " is negative");
        raw.putLong(RingLayout.HEAD_OFFSET, 7); // ahead of the producer position 6
        assertThrows(RingFormatException.class, () -> ring.producer());
        assertThrows(RingFormatException.class, () -> ring.consumer());
        raw.putLong(RingLayout.HEAD_OFFSET, 4); // repaired: both roles can be taken again and resume exactly
        producer = ring.producer();
        consumer = ring.consumer();
        assertEquals(6, producer.position());
        assertEquals(4, consumer.position());
        publish(2);
        assertEquals(4, poll(10));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), delivered);
    }

    private void publish(int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(1, producer.claim(1), "ring full");
            Traffic.write(people, producer.buffer(), producer.recordOffset(0), producer.position());
            producer.commit();
        }
    }

    /** Polls, checking that every delivered record is the message of its position. */
    private int poll(int limit) {
        final long[] position = {consumer.position()};
        return consumer.poll((buffer, offset) -> {
            assertTrue(Traffic.matches(buffer, offset, position[0], field), "garbage delivered at " + position[0]);
            delivered.add(position[0]++);
        }, limit);
    }

    private static int sequenceWord(long position) {
        return RingLayout.DATA_OFFSET + (int) (position & (CAPACITY - 1)) * SPEC.stride() + SPEC.sequenceOffset();
    }

    private void assertNamed(RingFormatException e, String detail) {
        assertTrue(e.getMessage().startsWith("ring " + ring.name() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(detail), "'" + e.getMessage() + "' does not say '" + detail + "'");
    }
}
