package io.mmapring;

/**
 * The immutable shape of a ring: record size and capacity. Everything else (stride, offsets, file
 * length) follows from these two through {@link RingLayout}.
 *
 * @param recordSize bytes of one record, 1 to {@link RingLayout#MAX_RECORD_SIZE} (132 for {@link People})
 * @param capacity   slots, a power of two from 1 to {@link RingLayout#MAX_CAPACITY}, and small enough
 *                   that the file fits one mapping ({@link RingLayout#MAX_FILE_LENGTH} bytes)
 */
public record RingSpec(int recordSize, int capacity) {

    /**
     * Checks both values.
     *
     * @param recordSize bytes of one record, 1 to {@link RingLayout#MAX_RECORD_SIZE}
     * @param capacity   slots, a power of two, small enough that the file fits one mapping
     * @throws IllegalArgumentException naming the field and its limit
     */
    public RingSpec {
        if (recordSize < 1 || recordSize > RingLayout.MAX_RECORD_SIZE) {
            throw new IllegalArgumentException(
                "record size " + recordSize + " is outside [1, " + RingLayout.MAX_RECORD_SIZE + "]");
        }
        if (capacity < 1 || Integer.bitCount(capacity) != 1 || capacity > RingLayout.MAX_CAPACITY) {
            throw new IllegalArgumentException(
                "capacity " + capacity + " is not a power of two in [1, " + RingLayout.MAX_CAPACITY + "]");
        }
        final long length = RingLayout.fileLength(recordSize, capacity);
        if (length > RingLayout.MAX_FILE_LENGTH) {
            throw new IllegalArgumentException("file length " + length + " for capacity " + capacity
                + " and record size " + recordSize + " exceeds " + RingLayout.MAX_FILE_LENGTH);
        }
    }

    /**
     * Same as the constructor.
     *
     * @param recordSize bytes of one record
     * @param capacity   slots, a power of two
     * @return the spec
     * @throws IllegalArgumentException naming the field and its limit
     */
    public static RingSpec of(int recordSize, int capacity) {
        return new RingSpec(recordSize, capacity);
    }

    /**
     * Bytes from one slot to the next.
     *
     * @return the slot stride, in bytes
     */
    public int stride() {
        return RingLayout.stride(recordSize);
    }

    /**
     * Offset of the sequence word inside a slot.
     *
     * @return the offset, in bytes
     */
    public int sequenceOffset() {
        return RingLayout.sequenceOffset(recordSize);
    }

    /**
     * Total length of the ring file (or buffer).
     *
     * @return the length, in bytes
     */
    public int fileLength() {
        return (int) RingLayout.fileLength(recordSize, capacity);
    }
}
