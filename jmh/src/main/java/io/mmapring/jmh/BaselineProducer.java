package io.mmapring.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mmapring.RingFormatException;
import io.mmapring.RingLayout;
import org.agrona.concurrent.IdleStrategy;

import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.HEAD_OFFSET;
import static io.mmapring.RingLayout.TAIL_OFFSET;

/**
 * Benchmark-local copy of the library's {@code RingProducer} as of commit 8f8dd99 (before the one-record
 * fast path and offset stepping), for before/after comparisons in the same session: the hot path
 * (claim, recordOffset, buffer, commit, offer, with every check) is the library's code of then, verbatim;
 * only the role bookkeeping with {@code RingFile} is left out (the benchmark owns both ends).
 */
final class BaselineProducer implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer buffer;
    private final String name;
    private final int capacity;
    private final int mask;
    private final int stride;
    private final int sequenceOffset;
    private final int recordSize;

    private long position;
    private long cachedHead;
    private int claimed;
    private volatile boolean closed; // set by close()

    BaselineProducer(ByteBuffer buffer, String name, int capacity, int stride, int sequenceOffset, int recordSize,
                     long position, long head) {
        this.buffer = buffer;
        this.name = name;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.stride = stride;
        this.sequenceOffset = sequenceOffset;
        this.recordSize = recordSize;
        this.position = position;
        this.cachedHead = head;
    }

    int claim(int n) {
        if (closed || claimed != 0) {
            throw closedOrClaimed();
        }
        if (n < 1) {
            throw new IllegalArgumentException("ring " + name + ": claim of " + n + " slots (must be at least 1)");
        }
        final long position = this.position;
        long free = capacity - (position - cachedHead);
        if (free < n) {
            free = capacity - (position - refreshHead());
        }
        int count = (int) Math.min(n, free);
        if (position + count > RingLayout.MAX_POSITION) {
            count = claimBelowBound(position, count);
        }
        claimed = count;
        return count;
    }

    int claim(int n, IdleStrategy idle) {
        int count;
        idle.reset();
        while ((count = claim(n)) == 0) {
            if (Thread.currentThread().isInterrupted()) {
                return 0;
            }
            idle.idle();
        }
        return count;
    }

    int recordOffset(int i) {
        if (closed) {
            throw closedOrClaimed();
        }
        if (i < 0 || i >= claimed) {
            throw new IndexOutOfBoundsException("ring " + name + ": record " + i + " of a claim of " + claimed);
        }
        return slotOffset(position + i);
    }

    ByteBuffer buffer() {
        if (closed) {
            throw closedOrClaimed();
        }
        return buffer;
    }

    void commit() {
        if (closed) {
            throw closedOrClaimed();
        }
        if (claimed == 0) {
            return; // nothing claimed: leave the tail line alone
        }
        final ByteBuffer buffer = this.buffer;
        final long start = position;
        final long end = start + claimed;
        long p = start;
        try {
            for (; p < end; p++) {
                // release: the record bytes written above are visible to whoever acquires this word
                // (pairs with getAcquire in RingConsumer.poll/available)
                LONG.setRelease(buffer, slotOffset(p) + sequenceOffset, p + 1);
            }
            // release: for restart and inspection only; nobody spins on tail
            LONG.setRelease(buffer, TAIL_OFFSET, end);
        } catch (IllegalStateException e) {
            // Java 22+: RingFile.close() in another thread unmapped the ring under this commit
            throw new IllegalStateException("ring " + name + ": closed during a commit: positions [" + start + ", " + p
                + ") are published, [" + p + ", " + end + ") are not", e);
        }
        position = end;
        claimed = 0;
    }

    void abort() {
        if (closed) {
            throw closedOrClaimed();
        }
        claimed = 0;
    }

    boolean offer(byte[] record) {
        if (record.length != recordSize) {
            throw new IllegalArgumentException("ring " + name + ": record of " + record.length
                + " bytes does not match the ring's record size " + recordSize);
        }
        if (claim(1) == 0) {
            return false;
        }
        buffer.put(recordOffset(0), record, 0, recordSize);
        commit();
        return true;
    }

    long position() {
        return position;
    }

    int recordSize() {
        return recordSize;
    }

    int capacity() {
        return capacity;
    }

    @Override
    public void close() {
        closed = true;
    }

    private int slotOffset(long p) {
        return DATA_OFFSET + (int) (p & mask) * stride;
    }

    private long refreshHead() {
        // acquire: pairs with the consumer's setRelease of head; it has finished reading every slot below it
        final long head = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
        if (head < cachedHead || head > position) {
            throw new RingFormatException("ring " + name + ": head " + head + " moved outside [" + cachedHead
                + ", " + position + "] (corrupted file, or a second consumer)");
        }
        cachedHead = head;
        return head;
    }

    private int claimBelowBound(long position, int count) {
        final long room = RingLayout.MAX_POSITION - position;
        if (room <= 0) {
            throw new IllegalStateException("ring " + name + ": position " + position + " has reached 2^62 ("
                + RingLayout.MAX_POSITION + "), the format's bound: nothing more can be published to this ring");
        }
        return (int) Math.min(count, room);
    }

    private IllegalStateException closedOrClaimed() {
        if (!closed) {
            return new IllegalStateException("ring " + name + ": commit or abort the claim of " + claimed + " slots first");
        }
        return new IllegalStateException("ring " + name + ": producer is closed" + (claimed == 0 ? ""
            : "; its claim of " + claimed + " slots at positions [" + position + ", " + (position + claimed)
                + ") was not published"));
    }
}
