package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edges of validation over direct buffers ({@code docs/FORMAT.md} 5 and 7): the limits of each
 * header field on both sides, the restart scan at its ends (a tail of 0, a tail lagging by a whole ring),
 * a word of a later lap on a ring that stands still, and that every look at the counters checks them.
 */
class ValidationEdgeTest {
    private static final int CAPACITY = 4;
    private static final RingSpec SPEC = RingSpec.of(8, CAPACITY);

    @Test
    void recordSizesFromOneToTheLimitAreAcceptedAndOneBeyondEitherEndIsRefused() {
        assertEquals(1, RingFile.wrap(formatted(RingSpec.of(1, 1))).spec().recordSize());
        assertEquals(RingLayout.MAX_RECORD_SIZE,
            RingFile.wrap(formatted(RingSpec.of(RingLayout.MAX_RECORD_SIZE, 1))).spec().recordSize());
        for (int recordSize : new int[] {0, RingLayout.MAX_RECORD_SIZE + 1}) {
            final ByteBuffer buffer = formatted(SPEC);
            buffer.putInt(RingLayout.RECORD_SIZE_OFFSET, recordSize);
            final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.wrap(buffer));
            assertTrue(e.getMessage().contains(": record size " + recordSize + " is outside [1, " + RingLayout.MAX_RECORD_SIZE + "]"),
                e.getMessage());
        }
    }

    @Test
    void aWordOfALaterLapAtTheProducerPositionOfAStillRingIsRefused() {
        final ByteBuffer buffer = formatted(SPEC);
        putWord(buffer, 0, CAPACITY + 1); // slot 0 says "position 4 published" while head = tail = 0
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.wrap(buffer));
        assertTrue(e.getMessage().endsWith(": sequence word 5 of position 0 is from a later lap while tail 0 stands still"),
            e.getMessage());
    }

    @Test
    void aTailLaggingByAWholeRingOfPublishedWordsIsAccepted() {
        final ByteBuffer buffer = formatted(SPEC);
        for (int p = 0; p < CAPACITY; p++) {
            putWord(buffer, p, p + 1); // a producer died after releasing four words, before its first tail
        }
        final RingFile ring = RingFile.wrap(buffer);
        assertEquals(0, ring.tail());
        assertEquals(CAPACITY, ring.producerPosition());
        assertEquals(CAPACITY, ring.backlog());
    }

    @Test
    void theRestartScanStartsAtATailOfZero() {
        final ByteBuffer buffer = formatted(SPEC);
        putWord(buffer, 0, 1);
        putWord(buffer, 1, 2);
        assertEquals(2, RingFile.wrap(buffer).producerPosition());
    }

    @Test
    void wrapOfABufferExactlyAsLongAsTheHeaderReadsItsMagic() {
        final RingFormatException e = assertThrows(RingFormatException.class,
            () -> RingFile.wrap(ByteBuffer.allocateDirect(RingLayout.DATA_OFFSET)));
        assertTrue(e.getMessage().startsWith("ring buffer@"), "a buffer ring is named in errors: " + e.getMessage());
        assertTrue(e.getMessage().endsWith(": magic 0x0 is not MMAPRING (0x474e495250414d4d): not a ring file"), e.getMessage());
    }

    @Test
    void wrapChecksThePositions() {
        final ByteBuffer buffer = formatted(SPEC);
        buffer.putLong(RingLayout.HEAD_OFFSET, 3);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.wrap(buffer));
        assertTrue(e.getMessage().endsWith(": head 3 is ahead of the producer position 0 (tail 0)"), e.getMessage());
    }

    @Test
    void formatZeroesEveryByteOfAReusedBuffer() {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SPEC.fileLength()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < buffer.capacity(); i += 8) {
            buffer.putLong(i, -1L);
        }
        final RingFile ring = RingFile.format(buffer, SPEC);
        assertEquals(0, ring.head());
        assertEquals(0, ring.tail());
        assertEquals(0, ring.producerPosition());
        for (int i = RingLayout.DATA_OFFSET; i < buffer.capacity(); i += 8) {
            assertEquals(0L, buffer.getLong(i), "byte " + i);
        }
        assertFalse(ring.isReadOnly());
    }

    @Test
    void everyLookAtTheCountersChecksThem() throws Exception {
        final ByteBuffer buffer = formatted(SPEC);
        final RingFile ring = RingFile.wrap(buffer);
        try (RingProducer producer = ring.producer()) {
            assertTrue(producer.offer(new byte[8]));
        }
        assertEquals(1, ring.backlog());
        buffer.putLong(RingLayout.HEAD_OFFSET, 5); // corrupted after the ring was opened
        assertTrue(assertThrows(RingFormatException.class, ring::backlog).getMessage().contains("head 5"));
        assertTrue(assertThrows(RingFormatException.class, ring::producerPosition).getMessage().contains("head 5"));
    }

    private static ByteBuffer formatted(RingSpec spec) {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(spec.fileLength()).order(ByteOrder.LITTLE_ENDIAN);
        RingFile.format(buffer, spec);
        return buffer;
    }

    private static void putWord(ByteBuffer buffer, long position, long word) {
        final int slot = RingLayout.DATA_OFFSET + (int) (position & (CAPACITY - 1)) * SPEC.stride();
        RingLayout.LONG.setRelease(buffer, slot + SPEC.sequenceOffset(), word);
    }
}
