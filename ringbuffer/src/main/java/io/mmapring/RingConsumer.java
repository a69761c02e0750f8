package io.mmapring;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

import org.agrona.concurrent.IdleStrategy;

import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.HEAD_OFFSET;

/**
 * The one consumer of a ring. Not thread-safe: one thread at a time.
 *
 * <p>The slot at position {@code h} is published when {@code getAcquire(sequence word) == h + 1}; a
 * word left from the previous lap reads {@code h + 1 - capacity} (or 0): not yet. The record is read
 * with plain loads; after the batch, one {@code setRelease(head, h + n)} hands the slots back to the
 * producer. A consumer that dies before that release leaves {@code head} where it was: the next
 * consumer re-reads that batch (at-least-once, at batch granularity).
 *
 * <p>Corruption is never read as messages: a sequence word ahead of the expected value, or a
 * {@code head} that changed under this consumer, stops it with a {@link RingFormatException}.
 *
 * <p>Nothing here allocates or blocks, except the {@code poll} that takes an {@link IdleStrategy}. After
 * {@link #close()} (or {@link RingFile#close()}) every method that reads or releases records throws
 * {@link IllegalStateException} naming the ring, and {@code head} is never written again. For a close
 * racing with a call in another thread, see {@link RingFile}.
 */
public final class RingConsumer implements AutoCloseable {
    private static final VarHandle LONG = RingLayout.LONG;

    /** Receives one record: {@code buffer} is the ring's, {@code offset} where the record starts. */
    @FunctionalInterface
    public interface RecordHandler {
        /**
         * Called once per record, in position order, on the polling thread.
         *
         * @param buffer the ring's buffer (little-endian): read with absolute gets, do not keep it
         * @param offset where the record starts, in bytes
         */
        void onRecord(ByteBuffer buffer, int offset);
    }

    /**
     * What a {@link ControlledRecordHandler} tells {@link #controlledPoll} to do after a record. Each
     * constant says whether the record counts as handled and whether the poll goes on.
     */
    public enum Action {
        /** The record is handled; go on with the next one, up to the limit. */
        CONTINUE,
        /**
         * The record is handled; release it and every record before it to the producer now (one release
         * store of {@code head}), then go on: a long poll that hands slots back as it goes.
         */
        RELEASE,
        /** The record is handled; end the poll after it (the records handled are released, as always). */
        BREAK,
        /**
         * The record is <em>not</em> handled; end the poll before it: it stays published and the next poll
         * hands it over again. The records before it are released.
         */
        ABORT
    }

    /** Receives one record and says how the poll goes on: {@link #controlledPoll(ControlledRecordHandler, int)}. */
    @FunctionalInterface
    public interface ControlledRecordHandler {
        /**
         * Called once per record, in position order, on the polling thread.
         *
         * @param buffer the ring's buffer (little-endian): read with absolute gets, do not keep it
         * @param offset where the record starts, in bytes
         * @return what to do with this record and the rest of the poll; never null
         */
        Action onRecord(ByteBuffer buffer, int offset);
    }

    private final RingFile ring;
    private final ByteBuffer buffer;
    private final String name;
    private final int capacity;
    private final int mask;
    private final int stride;
    private final int sequenceOffset;

    private long position;
    private int available;
    private volatile boolean closed; // set by close() or RingFile.close(), from any thread

    RingConsumer(RingFile ring, ByteBuffer buffer, long head) {
        this.ring = ring;
        this.buffer = buffer;
        this.name = ring.name();
        this.capacity = ring.spec().capacity();
        this.mask = capacity - 1;
        this.stride = ring.spec().stride();
        this.sequenceOffset = ring.spec().sequenceOffset();
        this.position = head;
    }

    /**
     * Hands up to {@code limit} published records to {@code handler}, in order, then releases them to
     * the producer with one release store of {@code head}. If the handler throws, the records it had
     * finished are released and the one it threw on is not, and the handler's exception is rethrown; but if
     * the consumer was closed meanwhile (by the handler, or its ring from another thread), nothing is
     * released and the {@link IllegalStateException} names the positions, with the handler's exception as
     * its cause. A handler that closes its consumer is still handed the rest of the records this poll
     * finds published (on Java 22+, where closing the {@link RingFile} unmaps it, the poll ends at the next
     * record); the poll then throws. Not reentrant: a handler must not call {@code poll},
     * {@code controlledPoll}, {@code available} or {@code consume} of the same consumer (records would be
     * handed over twice).
     *
     * @param handler receives each record
     * @param limit   most records to hand over, at least 1
     * @return how many records were handled; 0 if none is published
     * @throws IllegalArgumentException if {@code limit < 1}
     * @throws IllegalStateException    if the consumer is closed (also when it was closed during the handler:
     *                                  the records handled are then not released, and the next consumer reads
     *                                  them again)
     * @throws RingFormatException      if a sequence word or {@code head} shows a corrupted file
     */
    public int poll(RecordHandler handler, int limit) {
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
        } catch (RuntimeException | Error e) {
            afterFailure(e, start + count);
            throw e;
        }
        return finish(start, count);
    }

    /**
     * Like {@link #poll(RecordHandler, int)}, but the handler steers the poll with its return value: go on
     * ({@link Action#CONTINUE}), release what was handled so far and go on ({@link Action#RELEASE}, so a
     * long poll hands slots back to a waiting producer every k records), end after this record
     * ({@link Action#BREAK}) or before it ({@link Action#ABORT}: the record stays for the next poll), all
     * without throwing. Records handled and not yet released are released with one release store of
     * {@code head} when the poll ends. If the handler throws (or returns null, which throws
     * {@link NullPointerException}), the records it had finished are released and the one it threw on is
     * not, as with {@code poll}. Allocates nothing; never blocks.
     *
     * @param handler receives each record and returns what to do next
     * @param limit   most records to hand over, at least 1
     * @return how many records were handled (an aborted record is not counted); 0 if none is published
     * @throws IllegalArgumentException if {@code limit < 1}
     * @throws IllegalStateException    as {@link #poll(RecordHandler, int)}; also when the consumer was closed
     *                                  during the handler and it returned {@link Action#RELEASE}
     * @throws NullPointerException     if the handler returned null (that record is not handled)
     * @throws RingFormatException      if a sequence word or {@code head} shows a corrupted file
     */
    public int controlledPoll(ControlledRecordHandler handler, int limit) {
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
                final Action action = handler.onRecord(buffer, slot);
                if (action == Action.ABORT) {
                    break;
                }
                if (action == null) {
                    throw new NullPointerException("ring " + name + ": the handler returned no action for position " + p);
                }
                count++;
                if (action == Action.BREAK) {
                    break;
                }
                if (action == Action.RELEASE) {
                    release(start + count);
                }
            }
        } catch (RuntimeException | Error e) {
            afterFailure(e, start + count);
            throw e;
        }
        return finish(start, count);
    }

    /**
     * Like {@link #poll(RecordHandler, int)}, but idles while nothing is published: calls
     * {@code idle.idle()} between attempts, so it blocks as the idle strategy decides. Returns 0 only if
     * the thread is interrupted (its interrupt status stays set).
     *
     * @param handler receives each record
     * @param limit   most records to hand over, at least 1
     * @param idle    how to wait while nothing is published
     * @return how many records were handled, at least 1; 0 only if the thread is interrupted
     * @throws IllegalArgumentException if {@code limit < 1}
     * @throws IllegalStateException    as {@link #poll(RecordHandler, int)}
     */
    public int poll(RecordHandler handler, int limit, IdleStrategy idle) {
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

    /**
     * Zero-copy reading: counts the records published from the current position, up to {@code limit},
     * without consuming them (one acquire load of each slot's word). Read them at
     * {@link #recordOffset(int)}, then {@link #consume(int)}.
     *
     * @param limit most records to count, at least 1
     * @return records published from the current position, up to {@code limit}
     * @throws IllegalArgumentException if {@code limit < 1}
     * @throws IllegalStateException    if the consumer is closed
     * @throws RingFormatException      if a sequence word or {@code head} shows a corrupted file
     */
    public int available(int limit) {
        if (closed) {
            throw closed();
        }
        if (limit < 1) {
            throw badLimit(limit);
        }
        final long start = position;
        int count = 0;
        try {
            while (count < limit && isPublished(slotOffset(start + count), start + count)) {
                count++;
            }
            available = count;
            if (count == 0) {
                checkHead(start);
            }
        } catch (IllegalStateException e) {
            throw closedUnder("available()", e);
        }
        return count;
    }

    /**
     * Absolute offset in {@link #buffer()}, in bytes, of the {@code i}-th record counted by the last
     * {@link #available(int)}.
     *
     * @param i index among the records counted
     * @return where the record starts in {@link #buffer()}, in bytes
     * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, available)}
     * @throws IllegalStateException     if the consumer is closed
     */
    public int recordOffset(int i) {
        if (closed) {
            throw closed();
        }
        if (i < 0 || i >= available) {
            throw new IndexOutOfBoundsException("ring " + name + ": record " + i + " of " + available + " available");
        }
        return slotOffset(position + i);
    }

    /**
     * Releases the first {@code n} records counted by the last {@link #available(int)} to the producer
     * (one release store of {@code head}).
     *
     * @param n records to release, from the first counted
     * @throws IllegalArgumentException if {@code n} is not in {@code [0, available]}
     * @throws IllegalStateException    if the consumer is closed: nothing is released
     */
    public void consume(int n) {
        if (closed) {
            throw closed();
        }
        if (n < 0 || n > available) {
            throw new IllegalArgumentException("ring " + name + ": consume " + n + " of " + available + " available");
        }
        if (n > 0) {
            try {
                release(position + n);
            } catch (IllegalStateException e) {
                throw closedUnder("consume(" + n + ")", e);
            }
        }
    }

    /**
     * The ring's buffer (little-endian), for reading records with absolute gets only.
     *
     * @return the buffer (the same object every call)
     * @throws IllegalStateException if the consumer is closed
     */
    public ByteBuffer buffer() {
        if (closed) {
            throw closed();
        }
        return buffer;
    }

    /**
     * The position of the next record to read: the count of records ever consumed from this ring. Works
     * after close.
     *
     * @return the consumer's position, in records
     */
    public long position() {
        return position;
    }

    /**
     * The ring this consumer reads.
     *
     * @return the ring
     */
    public RingFile ring() {
        return ring;
    }

    /**
     * Gives up the consumer role. Records not yet released stay for the next consumer. Idempotent. Call
     * it from the consumer's thread: closed from another thread, a call in flight may complete its
     * release of {@code head} after the role is given back.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ring.releaseConsumer(this);
        }
    }

    /** Called by {@link RingFile#close()}: later calls throw; the role is given back by the ring. */
    void markClosed() {
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

    /**
     * After the handler threw (or the ring was closed under the poll): releases the records handled before
     * {@code end} if the consumer still holds the role, so that the caller can rethrow the handler's own
     * exception; if the consumer was closed meanwhile, nothing is released and a named
     * {@link IllegalStateException} with the failure as its cause is thrown instead.
     */
    private void afterFailure(Throwable failure, long end) {
        if (closed) {
            if (isOurs(failure)) {
                throw (IllegalStateException) failure;
            }
            throw notReleased(end, failure);
        }
        if (end > position) {
            release(end);
        }
    }

    /** After a poll that ended normally: releases what was handled, or checks {@code head} if nothing was. */
    private int finish(long start, int count) {
        try {
            if (count > 0) {
                release(start + count);
            } else if (closed) {
                throw closed(); // closed by the handler of the one record it was handed and gave back (ABORT)
            } else {
                checkHead(start);
            }
        } catch (IllegalStateException e) {
            if (closed && !isOurs(e)) {
                throw notReleased(start + count, e); // Java 22+: the ring was unmapped under the poll
            }
            throw e;
        }
        return count;
    }

    private IllegalStateException notReleased(long end, Throwable cause) {
        return new IllegalStateException("ring " + name + ": consumer closed during a poll: " + (end == position
            ? "no record was handled" : "positions [" + position + ", " + end + ") were handled but not released (the next"
            + " consumer reads them again)"), cause);
    }

    /**
     * Java 22+: an access to a ring that {@link RingFile#close()} unmapped under this call (from another
     * thread, or from a handler) throws the JDK's bare "Already closed"; this names the ring and the call.
     */
    private IllegalStateException closedUnder(String call, IllegalStateException e) {
        if (!closed || isOurs(e)) {
            return e;
        }
        return new IllegalStateException("ring " + name + ": closed during " + call, e);
    }

    /** Whether {@code e} is one of this consumer's own exceptions (they name the ring). */
    private boolean isOurs(Throwable e) {
        return e instanceof IllegalStateException && String.valueOf(e.getMessage()).startsWith("ring " + name + ":");
    }

    private int slotOffset(long p) {
        return DATA_OFFSET + (int) (p & mask) * stride;
    }

    /**
     * Whether the slot at {@code slot} holds the published record of position {@code p}. A word from
     * the previous lap (or 0) is not published; a word ahead of {@code p + 1} is corruption.
     */
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
