package io.mmapring;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

import org.agrona.concurrent.IdleStrategy;

import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.HEAD_OFFSET;
import static io.mmapring.RingLayout.TAIL_OFFSET;

/**
 * The one producer of a ring. Not thread-safe: one thread at a time (the role is per process,
 * the object per thread).
 *
 * <p>Publication protocol, per slot at position {@code p}: write the record with plain stores, then
 * {@code setRelease(sequence word, p + 1)}; after the batch, {@code setRelease(tail, end)}. The
 * consumer learns of a record from the word in the slot it is about to read, never from {@code tail},
 * so the {@code tail} line stays in this core's cache. The producer reads the consumer's {@code head}
 * (acquire) only when its cached copy says there is not enough room.
 *
 * <p>Two ways to write: {@link #offer(byte[])} (one record, visible at once), or {@link #claim(int)}
 * n slots, fill them at {@link #recordOffset(int)} in {@link #buffer()}, and {@link #commit()} them with
 * one release per slot word and one of {@code tail}. Nothing here allocates or blocks, except the
 * variants that take an {@link IdleStrategy}.
 *
 * <p>After {@link #close()} (or {@link RingFile#close()}), every method that claims, writes or publishes
 * throws {@link IllegalStateException} naming the ring: a claim that was not committed is reported, never
 * dropped silently. For a close racing with a call in another thread, see {@link RingFile}.
 */
public final class RingProducer implements AutoCloseable {
    private static final VarHandle LONG = RingLayout.LONG;

    private final RingFile ring;
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
    private volatile boolean closed; // set by close() or RingFile.close(), from any thread

    RingProducer(RingFile ring, ByteBuffer buffer, long position, long head) {
        this.ring = ring;
        this.buffer = buffer;
        this.name = ring.name();
        this.capacity = ring.spec().capacity();
        this.mask = capacity - 1;
        this.stride = ring.spec().stride();
        this.sequenceOffset = ring.spec().sequenceOffset();
        this.recordSize = ring.spec().recordSize();
        this.position = position;
        this.cachedHead = head;
    }

    /**
     * Claims up to {@code n} free slots for writing. Returns how many were claimed: 0 when the ring is
     * full. Refreshes the cached {@code head} (one acquire load) only when the cache shows fewer than
     * {@code n} free slots. The claimed slots are invisible to the consumer until {@link #commit()}.
     * Never claims past position {@link RingLayout#MAX_POSITION} (2^62), the format's bound.
     *
     * @param n slots wanted, at least 1
     * @return slots claimed, from 0 (the ring is full) to {@code n}
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws IllegalStateException    if a previous claim was neither committed nor aborted, the producer is
     *                                  closed, or the position has reached 2^62
     * @throws RingFormatException      if the refreshed {@code head} moved outside {@code [cached head, position]}
     */
    public int claim(int n) {
        if (closed || claimed != 0) {
            throw closedOrClaimed();
        }
        if (n < 1) {
            throw new IllegalArgumentException("ring " + name + ": claim of " + n + " slots (must be at least 1)");
        }
        final long position = this.position;
        long free = capacity - (position - cachedHead);
        if (free < n) {
            try {
                free = capacity - (position - refreshHead());
            } catch (IllegalStateException e) {
                throw closedUnder("claim(" + n + ")", e);
            }
        }
        int count = (int) Math.min(n, free);
        if (position + count > RingLayout.MAX_POSITION) {
            count = claimBelowBound(position, count);
        }
        claimed = count;
        return count;
    }

    /**
     * Like {@link #claim(int)}, but idles while the ring is full: calls {@code idle.idle()} between
     * attempts, so it blocks as the idle strategy decides. Returns 0 only if the thread is interrupted
     * (its interrupt status stays set).
     *
     * @param n    slots wanted, at least 1
     * @param idle how to wait while the ring is full
     * @return slots claimed, at least 1; 0 only if the thread is interrupted
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws IllegalStateException    as {@link #claim(int)}
     */
    public int claim(int n, IdleStrategy idle) {
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

    /**
     * Absolute offset in {@link #buffer()} of the {@code i}-th record of the current claim, in bytes.
     *
     * @param i index in the current claim
     * @return where the record starts in {@link #buffer()}, in bytes
     * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, claimed)}
     * @throws IllegalStateException     if the producer is closed
     */
    public int recordOffset(int i) {
        if (closed) {
            throw closedOrClaimed();
        }
        if (i < 0 || i >= claimed) {
            throw new IndexOutOfBoundsException("ring " + name + ": record " + i + " of a claim of " + claimed);
        }
        return slotOffset(position + i);
    }

    /**
     * The ring's buffer (little-endian), for writing claimed records with absolute puts only.
     *
     * @return the buffer (the same object every call)
     * @throws IllegalStateException if the producer is closed
     */
    public ByteBuffer buffer() {
        if (closed) {
            throw closedOrClaimed();
        }
        return buffer;
    }

    /**
     * Publishes every slot of the current claim, in order (one release store of each slot's sequence
     * word), and then the {@code tail} (one release store). With nothing claimed it does nothing.
     *
     * @throws IllegalStateException if the producer is closed: the claim, if any, was not published (the
     *                               message says which positions); or, on Java 22+, if the ring was closed
     *                               by another thread during the commit (the message says which positions
     *                               were published)
     */
    public void commit() {
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

    /**
     * Publishes the first {@code n} slots of the current claim, in order (one release store of each of
     * their sequence words, then one of {@code tail}), and gives the rest of the claim back unpublished,
     * as {@link #abort()} would: the next claim starts right after the {@code n} published slots. For a
     * writer that claimed more slots than it had records for: claim 64, fill 10, {@code commit(10)}.
     * {@code commit(0)} publishes nothing and leaves the {@code tail} line alone (an abort).
     *
     * @param n slots to publish, from the first of the claim: {@code 0 <= n <=} the count {@link #claim(int)} returned
     * @throws IllegalArgumentException if {@code n} is negative or more than the slots claimed; nothing is published
     * @throws IllegalStateException    as {@link #commit()}
     */
    public void commit(int n) {
        if (closed) {
            throw closedOrClaimed();
        }
        if (n < 0 || n > claimed) {
            throw new IllegalArgumentException("ring " + name + ": commit of " + n + " slots of a claim of " + claimed
                + " (must be from 0 to the slots claimed)");
        }
        claimed = n; // the rest of the claim is given back: commit() publishes the first n and ends the claim
        commit();
    }

    /**
     * Drops the current claim without publishing anything: the next claim reuses the same slots.
     *
     * @throws IllegalStateException if the producer is closed
     */
    public void abort() {
        if (closed) {
            throw closedOrClaimed();
        }
        claimed = 0;
    }

    /**
     * Copies one record into the ring and publishes it at once (one release of its slot's word, one of
     * {@code tail}): {@code claim(1)}, a copy at {@code recordOffset(0)} and {@code commit()}, in one call.
     * Allocates nothing; never blocks.
     *
     * @param record exactly {@link #recordSize()} bytes
     * @return false, with the ring unchanged, if the ring is full
     * @throws IllegalArgumentException if {@code record.length} is not the ring's record size
     * @throws IllegalStateException    as {@link #claim(int)} and {@link #commit()}
     */
    public boolean offer(byte[] record) {
        if (record.length != recordSize) {
            throw new IllegalArgumentException("ring " + name + ": record of " + record.length
                + " bytes does not match the ring's record size " + recordSize);
        }
        if (claim(1) == 0) {
            return false;
        }
        try {
            buffer.put(recordOffset(0), record, 0, recordSize);
        } catch (IllegalStateException e) {
            throw closedUnder("offer", e);
        }
        commit();
        return true;
    }

    /**
     * The position the next claimed slot will have: the count of records ever committed to this ring.
     * Works after close (it says where the producer stopped).
     *
     * @return the producer's position, in records
     */
    public long position() {
        return position;
    }

    /**
     * Record size of the ring.
     *
     * @return the record size, in bytes
     */
    public int recordSize() {
        return recordSize;
    }

    /**
     * Capacity of the ring.
     *
     * @return the capacity, in slots
     */
    public int capacity() {
        return capacity;
    }

    /**
     * The ring this producer writes.
     *
     * @return the ring
     */
    public RingFile ring() {
        return ring;
    }

    /**
     * Gives up the producer role. Committed records stay; an uncommitted claim is not published (a later
     * {@link #commit()} throws and says so). Idempotent. Call it from the producer's thread: closed from
     * another thread, a call in flight may complete its stores after the role is released.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ring.releaseProducer(this);
        }
    }

    /** Called by {@link RingFile#close()}: later calls throw; the role is given back by the ring. */
    void markClosed() {
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

    /**
     * Java 22+: an access to a ring that {@link RingFile#close()} unmapped under this call (from another
     * thread) throws the JDK's bare "Already closed"; this names the ring and the call. Nothing was published.
     */
    private IllegalStateException closedUnder(String call, IllegalStateException e) {
        if (!closed || String.valueOf(e.getMessage()).startsWith("ring " + name + ":")) {
            return e;
        }
        return new IllegalStateException("ring " + name + ": closed during " + call + "; nothing was published", e);
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
