package io.mmapring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Descriptor of the shared layout of a ring: every offset of the file format, computed in one place.
 * Nothing else in the project writes a bare header offset. {@code docs/FORMAT.md} is the prose
 * version of this class and {@code examples/c/mmapring.h} carries the same numbers for C.
 *
 * <pre>
 * offset  width  field              written
 * ------  -----  -----------------  ------------------------------------------------------
 *      0      8  magic "MMAPRING"   once, by the creator, LAST (release): marks the header ready
 *      8      4  version (1)        once, by the creator, before the magic
 *     12      4  record size        once (132 for People)
 *     16      4  slot stride        once (align8(record size) + 8 = 144 for People)
 *     20      4  sequence offset    once (align8(record size) = 136 for People)
 *     24      8  capacity           once (slots, a power of two)
 *     32      8  data offset        once (384)
 *     40     88  reserved, zero
 *    128      8  tail               producer position, release-stored after each commit
 *    136    120  padding            (tail alone on its 128-byte block)
 *    256      8  head               consumer position, release-stored after each consumed batch
 *    264    120  padding            (head alone on its 128-byte block)
 *    384         slot[0] .. slot[capacity - 1], each stride bytes:
 *
 *   slot:  +------------------------------+---------+-------------------+
 *          | record bytes [0, recordSize) | pad (0) | sequence (int64)  |
 *          +------------------------------+---------+-------------------+
 *          0                      recordSize   sequenceOffset    stride
 * </pre>
 *
 * <p>All fields are little-endian; every 64-bit field is 8-byte aligned, as VarHandle atomic access
 * modes require. Positions only grow; the slot of position {@code p} is {@code p & (capacity - 1)}.
 * The slot of position {@code p} is published when its sequence word holds {@code p + 1}.
 */
public final class RingLayout {
    /** "MMAPRING" in ASCII, read as a little-endian int64. */
    public static final long MAGIC = 0x474E495250414D4DL;
    /** The only format version this code reads and writes. */
    public static final int VERSION = 1;

    /** Offset of the magic, int64: written last by the creator. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the format version, int32. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the record size in bytes, int32. */
    public static final int RECORD_SIZE_OFFSET = 12;
    /** Offset of the slot stride in bytes, int32. */
    public static final int STRIDE_OFFSET = 16;
    /** Offset of the sequence word's offset inside a slot, int32. */
    public static final int SEQUENCE_OFFSET_OFFSET = 20;
    /** Offset of the capacity in slots, int64. */
    public static final int CAPACITY_OFFSET = 24;
    /** Offset of the data offset (of slot 0), int64. */
    public static final int DATA_OFFSET_OFFSET = 32;

    /** Width of the block that holds each hot counter alone (the adjacent-line prefetcher pulls pairs of 64-byte lines). */
    public static final int COUNTER_BLOCK = 128;
    /** Producer position: int64, alone on its block. */
    public static final int TAIL_OFFSET = COUNTER_BLOCK;
    /** Consumer position: int64, alone on its block. */
    public static final int HEAD_OFFSET = 2 * COUNTER_BLOCK;
    /** Header length, and the offset of slot 0. */
    public static final int DATA_OFFSET = 3 * COUNTER_BLOCK;

    /** Width of the per-slot sequence word. */
    public static final int SEQUENCE_WIDTH = 8;
    /** Largest record size accepted (1 MiB). */
    public static final int MAX_RECORD_SIZE = 1 << 20;
    /** Largest capacity accepted, in slots. */
    public static final long MAX_CAPACITY = 1L << 30;
    /**
     * Largest head or tail an opener accepts: 2^62, about 146 years at a billion messages a second.
     * Keeps every position sum ({@code position + capacity}, {@code position + 1}) far from overflow.
     */
    public static final long MAX_POSITION = 1L << 62;
    /** Largest file: one {@code MappedByteBuffer} addresses at most {@code Integer.MAX_VALUE} bytes. */
    public static final long MAX_FILE_LENGTH = Integer.MAX_VALUE;

    /**
     * Byte offset (in the file) of the OS byte-range lock that holds the producer role: the first byte of
     * the tail block. The locks are advisory (fcntl) and guard nothing but the role; a C program takes the
     * same bytes.
     */
    public static final long PRODUCER_LOCK_OFFSET = TAIL_OFFSET;
    /** Byte offset (in the file) of the lock that holds the consumer role: the first byte of the head block. */
    public static final long CONSUMER_LOCK_OFFSET = HEAD_OFFSET;

    /** Atomic access to any 8-aligned int64 of a ring buffer. Coordinates: (ByteBuffer, int index). */
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RingLayout() {
    }

    /**
     * Offset of the sequence word inside a slot: the record size rounded up to 8.
     *
     * @param recordSize bytes of one record
     * @return the offset, in bytes
     */
    public static int sequenceOffset(int recordSize) {
        return align8(recordSize);
    }

    /**
     * Slot stride for a record size: the record, padding to 8, the sequence word.
     *
     * @param recordSize bytes of one record
     * @return the stride, in bytes
     */
    public static int stride(int recordSize) {
        return align8(recordSize) + SEQUENCE_WIDTH;
    }

    /**
     * File length of a ring; may exceed {@link #MAX_FILE_LENGTH} (callers check).
     *
     * @param recordSize bytes of one record
     * @param capacity   slots
     * @return {@code 384 + capacity * stride(recordSize)}, in bytes
     */
    public static long fileLength(int recordSize, long capacity) {
        return DATA_OFFSET + capacity * stride(recordSize);
    }

    static int align8(int n) {
        return (n + 7) & ~7;
    }
}
