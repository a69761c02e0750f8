package io.mmapring.jmh;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.HEAD_OFFSET;
import static io.mmapring.RingLayout.TAIL_OFFSET;

/**
 * Benchmark-only prototypes of the ring's data path, for "where does the Java path lose against the C
 * floor?": the library's protocol (per-slot sequence word = position + 1, release per word, one release
 * of {@code tail} per commit, one release of {@code head} per poll, cached {@code head}), written as
 * lean as Java 17 allows over a {@code ByteBuffer} (no role, claim or closed bookkeeping, no handler
 * interface between the ring and the caller), over a slot layout chosen per variant:
 *
 * <ul>
 *   <li>{@link #V1}: the format's layout (stride 144, word at 136 after the record): the lean code alone;</li>
 *   <li>{@link #ALIGNED}: stride 192, three whole 64-byte lines per slot, so that no line holds parts of
 *       two slots (the producer writing slot p+1 never shares a line with the consumer reading slot p);
 *       word at 136, on the same line as the id;</li>
 *   <li>{@link #FIRST}: stride 192, word at 0 and the record at 8: the consumer spins on the slot's
 *       first line.</li>
 * </ul>
 *
 * The header is the format's (files made by {@link #create}); only {@code V1} files are also valid
 * ring files for the library. No validation: the benchmark owns both ends.
 */
final class LayoutRing {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The slot layout of a variant: bytes per slot, offset of the sequence word, offset of the record. */
    record Layout(String name, int stride, int sequenceOffset, int recordOffset) {
    }

    static final Layout V1 = new Layout("lean", 144, 136, 0);
    static final Layout ALIGNED = new Layout("aligned", 192, 136, 0);
    static final Layout FIRST = new Layout("first", 192, 0, 8);

    private LayoutRing() {
    }

    static Layout layout(String name) {
        for (Layout layout : new Layout[] {V1, ALIGNED, FIRST}) {
            if (layout.name().equals(name)) {
                return layout;
            }
        }
        throw new IllegalArgumentException("layout " + name + " is not one of lean, aligned, first");
    }

    /** Creates a zero-filled ring file of {@link Records#RING_CAPACITY} slots of this layout; every page touched. */
    static void create(Path path, Layout layout) throws IOException {
        if (layout == V1) {
            Records.createRing(path); // the library's own file: the lean code runs over the real format
            return;
        }
        final long length = DATA_OFFSET + (long) Records.RING_CAPACITY * layout.stride();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            final ByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, length).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < map.capacity(); i += 8) {
                map.putLong(i, 0L);
            }
        }
    }

    static ByteBuffer map(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** The producer: {@link #offer} one record, or {@link #offerBatch} up to n with one commit. */
    static final class Producer {
        private final ByteBuffer buffer;
        private final int capacity;
        private final int mask;
        private final int stride;
        private final int sequenceOffset;
        private final int recordOffset;
        private long position;
        private long cachedHead;

        Producer(ByteBuffer buffer, Layout layout) {
            this.buffer = buffer;
            this.capacity = Records.RING_CAPACITY;
            this.mask = capacity - 1;
            this.stride = layout.stride();
            this.sequenceOffset = layout.sequenceOffset();
            this.recordOffset = layout.recordOffset();
            this.position = (long) LONG.getAcquire(buffer, TAIL_OFFSET);
            this.cachedHead = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
        }

        /** Writes one People (name field, id) and publishes it: word, then tail. False if the ring is full. */
        boolean offer(byte[] name, int id) {
            final ByteBuffer buffer = this.buffer;
            final long p = position;
            if (p - cachedHead == capacity) {
                // acquire: pairs with the consumer's setRelease of head; it has finished reading below it
                cachedHead = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
                if (p - cachedHead == capacity) {
                    return false;
                }
            }
            final int slot = DATA_OFFSET + (int) (p & mask) * stride;
            buffer.put(slot + recordOffset, name);
            INT.set(buffer, slot + recordOffset + Records.ID_OFFSET, id);
            // release: the record above is visible to whoever acquires this word
            LONG.setRelease(buffer, slot + sequenceOffset, p + 1);
            // release: for restart and inspection; nobody spins on tail
            LONG.setRelease(buffer, TAIL_OFFSET, p + 1);
            position = p + 1;
            return true;
        }

        /** Writes up to n People with ids firstId.. and publishes them with one commit; returns how many (0: full). */
        int offerBatch(byte[] name, int firstId, int n) {
            final ByteBuffer buffer = this.buffer;
            final long start = position;
            long free = capacity - (start - cachedHead);
            if (free < n) {
                cachedHead = (long) LONG.getAcquire(buffer, HEAD_OFFSET); // acquire: as in offer
                free = capacity - (start - cachedHead);
            }
            final int count = (int) Math.min(n, free);
            if (count == 0) {
                return 0;
            }
            final int mask = this.mask;
            final int stride = this.stride;
            final int recordOffset = this.recordOffset;
            for (int i = 0; i < count; i++) {
                final int record = DATA_OFFSET + (int) ((start + i) & mask) * stride + recordOffset;
                buffer.put(record, name);
                INT.set(buffer, record + Records.ID_OFFSET, firstId + i);
            }
            final int sequenceOffset = this.sequenceOffset;
            for (int i = 0; i < count; i++) {
                final long p = start + i;
                // release, in position order: the records above are visible to whoever acquires this word
                LONG.setRelease(buffer, DATA_OFFSET + (int) (p & mask) * stride + sequenceOffset, p + 1);
            }
            final long end = start + count;
            LONG.setRelease(buffer, TAIL_OFFSET, end); // release: for restart and inspection
            position = end;
            return count;
        }
    }

    /** The consumer: hands the id of each published record to the sink, releases head once per poll. */
    static final class Consumer {
        private final ByteBuffer buffer;
        private final int mask;
        private final int stride;
        private final int sequenceOffset;
        private final int idOffset;
        private long position;

        Consumer(ByteBuffer buffer, Layout layout) {
            this.buffer = buffer;
            this.mask = Records.RING_CAPACITY - 1;
            this.stride = layout.stride();
            this.sequenceOffset = layout.sequenceOffset();
            this.idOffset = layout.recordOffset() + Records.ID_OFFSET;
            this.position = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
        }

        int poll(Link.IdSink sink, int limit) {
            final ByteBuffer buffer = this.buffer;
            final long start = position;
            int count = 0;
            while (count < limit) {
                final long p = start + count;
                final int slot = DATA_OFFSET + (int) (p & mask) * stride;
                // acquire: pairs with the producer's setRelease of this word; the record below it is complete
                if ((long) LONG.getAcquire(buffer, slot + sequenceOffset) != p + 1) {
                    break;
                }
                sink.onId((int) INT.get(buffer, slot + idOffset));
                count++;
            }
            if (count > 0) {
                position = start + count;
                // release: the reads above happen before the producer may reuse these slots
                LONG.setRelease(buffer, HEAD_OFFSET, position);
            }
            return count;
        }
    }
}
