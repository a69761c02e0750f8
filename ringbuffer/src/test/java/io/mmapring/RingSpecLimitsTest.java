package io.mmapring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The edges of a ring's shape: the smallest record and capacity are accepted, the largest record
 * size is accepted and one byte more is refused, and a capacity at the power-of-two limit passes
 * that check and is refused only for the file length it would need. (Whether 2^31 - 1 bytes exactly
 * is accepted cannot be tested: the header and every stride are multiples of 8, so no ring is
 * exactly that long; PIT's {@code >} to {@code >=} mutant of that check is equivalent.)
 */
class RingSpecLimitsTest {
    @Test
    void smallestRecordAndCapacityAreAccepted() {
        final RingSpec spec = RingSpec.of(1, 1);
        assertEquals(16, spec.stride(), "one byte, padded to 8, then the 8-byte word");
        assertEquals(8, spec.sequenceOffset());
        assertEquals(RingLayout.DATA_OFFSET + 16, spec.fileLength());
    }

    @Test
    void largestRecordSizeIsAcceptedAndOneMoreIsRefused() {
        assertEquals(RingLayout.MAX_RECORD_SIZE, RingSpec.of(RingLayout.MAX_RECORD_SIZE, 1).recordSize());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RingSpec.of(RingLayout.MAX_RECORD_SIZE + 1, 1));
        assertEquals("record size " + (RingLayout.MAX_RECORD_SIZE + 1) + " is outside [1, " + RingLayout.MAX_RECORD_SIZE + "]",
            e.getMessage());
    }

    @Test
    void capacityAtThePowerOfTwoLimitIsRefusedOnlyForItsFileLength() {
        final int limit = (int) RingLayout.MAX_CAPACITY;
        final IllegalArgumentException atLimit = assertThrows(IllegalArgumentException.class, () -> RingSpec.of(1, limit));
        assertEquals("file length " + RingLayout.fileLength(1, limit) + " for capacity " + limit + " and record size 1 exceeds "
            + RingLayout.MAX_FILE_LENGTH, atLimit.getMessage(), "2^30 is a valid capacity; its 16 GiB file is not");
        final IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class, () -> RingSpec.of(1, Integer.MIN_VALUE));
        assertEquals("capacity " + Integer.MIN_VALUE + " is not a power of two in [1, " + RingLayout.MAX_CAPACITY + "]",
            beyond.getMessage());
    }

    @Test
    void largestRingThatFitsOneMappingIsAccepted() {
        // 384 + 2^26 x 24 bytes = 1.5 GiB fits; twice the capacity does not
        assertEquals(RingLayout.DATA_OFFSET + (1L << 26) * 24, RingSpec.of(16, 1 << 26).fileLength());
        assertThrows(IllegalArgumentException.class, () -> RingSpec.of(16, 1 << 27));
    }
}
