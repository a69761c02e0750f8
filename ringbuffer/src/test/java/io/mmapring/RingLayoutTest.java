package io.mmapring;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingLayoutTest {
    @Test
    void magicIsMmapringInAsciiLittleEndian() {
        final byte[] ascii = "MMAPRING".getBytes(StandardCharsets.US_ASCII);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (ascii[i] & 0xFF);
        }
        assertEquals(value, RingLayout.MAGIC);
    }

    @Test
    void countersSitAloneOnTheirOwn128ByteBlocks() {
        assertEquals(128, RingLayout.TAIL_OFFSET);
        assertEquals(256, RingLayout.HEAD_OFFSET);
        assertEquals(384, RingLayout.DATA_OFFSET);
        assertEquals(RingLayout.COUNTER_BLOCK, RingLayout.HEAD_OFFSET - RingLayout.TAIL_OFFSET);
        assertTrue(RingLayout.DATA_OFFSET_OFFSET + 8 <= RingLayout.TAIL_OFFSET, "immutable fields end before the tail block");
    }

    @Test
    void everyInt64FieldIsEightByteAligned() {
        for (int offset : new int[] {RingLayout.MAGIC_OFFSET, RingLayout.CAPACITY_OFFSET, RingLayout.DATA_OFFSET_OFFSET,
            RingLayout.TAIL_OFFSET, RingLayout.HEAD_OFFSET, RingLayout.DATA_OFFSET}) {
            assertEquals(0, offset % 8, "offset " + offset);
        }
        for (int recordSize = 1; recordSize <= 300; recordSize++) {
            assertEquals(0, RingLayout.stride(recordSize) % 8);
            assertEquals(0, RingLayout.sequenceOffset(recordSize) % 8);
            assertTrue(RingLayout.sequenceOffset(recordSize) >= recordSize);
            assertEquals(RingLayout.sequenceOffset(recordSize) + 8, RingLayout.stride(recordSize));
        }
    }

    @Test
    void peopleSlotIs144BytesWithItsSequenceWordAt136() {
        final RingSpec spec = People.spec(4096);
        assertEquals(132, spec.recordSize());
        assertEquals(144, spec.stride());
        assertEquals(136, spec.sequenceOffset());
        assertEquals(384 + 4096 * 144, spec.fileLength());
    }

    @Test
    void specRejectsBadShapesNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RingSpec.of(132, 3)).getMessage()
            .contains("capacity 3 is not a power of two"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RingSpec.of(132, 0)).getMessage().contains("capacity 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RingSpec.of(0, 4)).getMessage().contains("record size 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RingSpec.of(1 << 20, 1 << 12)).getMessage()
            .contains("exceeds"));
    }
}
