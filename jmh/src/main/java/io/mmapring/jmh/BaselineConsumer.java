package io.mmapring.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mmapring.RingConsumer.RecordHandler;
import io.mmapring.RingFormatException;
import org.agrona.concurrent.IdleStrategy;

import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.HEAD_OFFSET;

/**
 * Benchmark-local copy of the library's {@code RingConsumer} as of commit 8f8dd99 (before offset
 * stepping), for before/after comparisons in the same session: poll, available, recordOffset, consume,
 * with every check, verbatim; only the role bookkeeping with {@code RingFile} is left out.
 */
final class BaselineConsumer implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer buffer;
    private final String name;
    private final int capacity;
    private final int mask;
    private final int stride;
    private final int sequenceOffset;

    private long position;
    private int available;
    private volatile boolean closed; // set by close()

    BaselineConsumer(ByteBuffer buffer, String name, int capacity, int stride, int sequenceOffset, long head) {
        this.buffer = buffer;
        this.name = name;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.stride = stride;
        this.sequenceOffset = sequenceOffset;
        this.position = head;
    }

    int poll(RecordHandler handler, int limit) {
        if (closed) {
            throw closed();
        }
        if (limit < 1) {
            throw badLimit(limit);
        }
        final ByteBuffer buffer = this.buffer;
        final long start = position;
        int count = 0;
        try {
            while (count < limit) {
                final long p = start + count;
                final int slot = slotOffset(p);
                if (!isPublished(slot, p)) {
                    break;
                }
                handler.onRecord(buffer, slot);
                count++;
            }
        } finally {
            if (count > 0) {
                release(start + count);
            }
        }
        if (count == 0) {
            checkHead(start);
        }
        return count;
    }

    int poll(RecordHandler handler, int limit, IdleStrategy idle) {
        int count;
        idle.reset();
        while ((count = poll(handler, limit)) == 0) {
            if (Thread.currentThread().isInterrupted()) {
                return 0;
            }
            idle.idle();
        }
        return count;
    }

    int available(int limit) {
        if (closed) {
            throw closed();
        }
        if (limit < 1) {
            throw badLimit(limit);
        }
        final long start = position;
        int count = 0;
        while (count < limit && isPublished(slotOffset(start + count), start + count)) {
            count++;
        }
        available = count;
        if (count == 0) {
            checkHead(start);
        }
        return count;
    }

    int recordOffset(int i) {
        if (closed) {
            throw closed();
        }
        if (i < 0 || i >= available) {
            throw new IndexOutOfBoundsException("ring " + name + ": record " + i + " of " + available + " available");
        }
        return slotOffset(position + i);
    }

    void consume(int n) {
        if (closed) {
            throw closed();
        }
        if (n < 0 || n > available) {
            throw new IllegalArgumentException("ring " + name + ": consume " + n + " of " + available + " available");
        }
        if (n > 0) {
            release(position + n);
        }
    }

    ByteBuffer buffer() {
        if (closed) {
            throw closed();
        }
        return buffer;
    }

    long position() {
        return position;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void release(long end) {
        if (closed) {
            // closed during the handler: without the role, head is not ours to write
            throw new IllegalStateException("ring " + name + ": consumer closed during a poll: positions ["
                + position + ", " + end + ") were handled but not released (the next consumer reads them again)");
        }
        position = end;
        available = 0;
        // release: every read of the slots below end happens before the producer may reuse them
        // (pairs with getAcquire of head in RingProducer.refreshHead)
        LONG.setRelease(buffer, HEAD_OFFSET, end);
    }

    private int slotOffset(long p) {
        return DATA_OFFSET + (int) (p & mask) * stride;
    }

    private boolean isPublished(int slot, long p) {
        // acquire: pairs with the producer's setRelease of this word; the record below it is complete
        final long sequence = (long) LONG.getAcquire(buffer, slot + sequenceOffset);
        if (sequence == p + 1) {
            return true;
        }
        if (sequence > p + 1) {
            throw new RingFormatException("ring " + name + ": sequence word " + sequence + " of position " + p
                + " is ahead of it (corrupted file, or a producer that overran the consumer)");
        }
        return false;
    }

    private void checkHead(long expected) {
        // opaque: head is this consumer's own line; it only changes under us if the file is corrupted
        final long head = (long) LONG.getOpaque(buffer, HEAD_OFFSET);
        if (head != expected) {
            throw new RingFormatException("ring " + name + ": head changed from " + expected + " to " + head
                + " under the consumer (corrupted file, or a second consumer)");
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException("ring " + name + ": consumer is closed");
    }

    private IllegalArgumentException badLimit(int limit) {
        return new IllegalArgumentException("ring " + name + ": limit " + limit + " (must be at least 1)");
    }
}
