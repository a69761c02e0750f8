package io.mmapring.jmh;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import io.mmapring.People;
import io.mmapring.RingSpec;

import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.HEAD_OFFSET;
import static io.mmapring.RingLayout.TAIL_OFFSET;

/**
 * Benchmark-only experiment on the library's batch path: a send-only producer for a library ring file,
 * read by the library's own {@code RingConsumer} in the partner, with the library's protocol except for
 * the order of the commit: a batch's sequence words are released from the last slot to the first, so
 * the word a caught-up consumer spins on (the first) is written last, and the consumer then finds the
 * whole batch published instead of chasing the producer through the commit loop. The release of the
 * first word still orders every record and word of the batch before it.
 */
final class ReverseCommitLink implements Link {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] name = Records.nameField();
    private final ByteBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int stride;
    private final int sequenceOffset;
    private long position;
    private long cachedHead;

    /** Maps a ring file made by {@link Records#createRing}; the benchmark owns the producer side. */
    ReverseCommitLink(Path outPath) throws IOException {
        buffer = HeadTailRing.map(outPath);
        capacity = HeadTailRing.capacityOf(buffer);
        mask = capacity - 1;
        final RingSpec spec = RingSpec.of(People.SIZE, capacity);
        stride = spec.stride();
        sequenceOffset = spec.sequenceOffset();
        position = (long) LONG.getAcquire(buffer, TAIL_OFFSET);
        cachedHead = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
    }

    @Override
    public boolean trySend(int id) {
        return trySendBatch(id, 1) == 1;
    }

    @Override
    public int trySendBatch(int firstId, int n) {
        final ByteBuffer buffer = this.buffer;
        final long start = position;
        long free = capacity - (start - cachedHead);
        if (free < n) {
            // acquire: pairs with the consumer's setRelease of head
            cachedHead = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
            free = capacity - (start - cachedHead);
        }
        final int count = (int) Math.min(n, free);
        if (count == 0) {
            return 0;
        }
        final byte[] name = this.name;
        for (int i = 0; i < count; i++) {
            final int offset = DATA_OFFSET + (int) ((start + i) & mask) * stride;
            buffer.put(offset, name);
            buffer.putInt(offset + Records.ID_OFFSET, firstId + i);
        }
        final long end = start + count;
        for (long p = end - 1; p >= start; p--) {
            // release, last slot first: the first slot's word, released last, publishes the whole batch
            LONG.setRelease(buffer, DATA_OFFSET + (int) (p & mask) * stride + sequenceOffset, p + 1);
        }
        LONG.setRelease(buffer, TAIL_OFFSET, end);
        position = end;
        return count;
    }

    @Override
    public int tryReceive(IdSink sink, int limit) {
        throw new UnsupportedOperationException("send-only link");
    }

    @Override
    public void close() {
        // the mapping is released by the GC; the benchmark deletes the file
    }
}
