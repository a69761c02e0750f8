package io.mmapring.jmh;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingLayout;
import io.mmapring.RingSpec;

import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.HEAD_OFFSET;
import static io.mmapring.RingLayout.TAIL_OFFSET;

/**
 * Benchmark-only variant of the ring, for the design question "per-slot sequence word or head/tail
 * only?": the same file layout (files made by {@link Records#createRing}), but the slot sequence
 * words are never written. The producer publishes with {@code setRelease(tail)} after each commit; the consumer spins on
 * {@code getAcquire(tail)} and hands slots back with {@code setRelease(head)} after each batch. Each side
 * caches the other's counter and re-reads it only when the cache says full (producer) or empty
 * (consumer). No roles, no validation: the benchmark owns both ends.
 */
final class HeadTailRing {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private HeadTailRing() {
    }

    /** Maps a ring file made by {@link Records#createRing}; the mapping outlives the channel. */
    static ByteBuffer map(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** The producer side: claim(n), write at recordOffset(i), commit() with one release of tail. */
    static final class Producer {
        private final ByteBuffer buffer;
        private final int capacity;
        private final int mask;
        private final int stride;
        private long position;
        private long cachedHead;
        private int claimed;

        Producer(ByteBuffer buffer, int capacity) {
            this.buffer = buffer;
            this.capacity = capacity;
            this.mask = capacity - 1;
            this.stride = RingSpec.of(People.SIZE, capacity).stride();
            this.position = (long) LONG.getAcquire(buffer, TAIL_OFFSET);
            this.cachedHead = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
        }

        int claim(int n) {
            long free = capacity - (position - cachedHead);
            if (free < n) {
                // acquire: pairs with the consumer's setRelease of head; it has finished reading below it
                cachedHead = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
                free = capacity - (position - cachedHead);
            }
            claimed = (int) Math.min(n, free);
            return claimed;
        }

        int recordOffset(int i) {
            return DATA_OFFSET + (int) ((position + i) & mask) * stride;
        }

        ByteBuffer buffer() {
            return buffer;
        }

        void commit() {
            position += claimed;
            claimed = 0;
            // release: the records written above are visible to whoever acquires tail (the consumer spins on it)
            LONG.setRelease(buffer, TAIL_OFFSET, position);
        }
    }

    /** The consumer side: spins on tail, reads, releases head once per batch. */
    static final class Consumer {
        private final ByteBuffer buffer;
        private final int mask;
        private final int stride;
        private long position;
        private long cachedTail;

        Consumer(ByteBuffer buffer, int capacity) {
            this.buffer = buffer;
            this.mask = capacity - 1;
            this.stride = RingSpec.of(People.SIZE, capacity).stride();
            this.position = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
            this.cachedTail = position;
        }

        int poll(RingConsumer.RecordHandler handler, int limit) {
            final ByteBuffer buffer = this.buffer;
            final long start = position;
            long available = cachedTail - start;
            if (available == 0) {
                // acquire: pairs with the producer's setRelease of tail; the records below it are complete
                cachedTail = (long) LONG.getAcquire(buffer, TAIL_OFFSET);
                available = cachedTail - start;
                if (available == 0) {
                    return 0;
                }
            }
            final int count = (int) Math.min(available, limit);
            for (int i = 0; i < count; i++) {
                handler.onRecord(buffer, DATA_OFFSET + (int) ((start + i) & mask) * stride);
            }
            position = start + count;
            // release: the reads above happen before the producer may reuse these slots
            LONG.setRelease(buffer, HEAD_OFFSET, position);
            return count;
        }
    }

    static int capacityOf(ByteBuffer buffer) {
        return (int) buffer.getLong(RingLayout.CAPACITY_OFFSET);
    }
}
