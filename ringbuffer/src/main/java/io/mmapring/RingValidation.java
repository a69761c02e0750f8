package io.mmapring;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

import static io.mmapring.RingLayout.CAPACITY_OFFSET;
import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.DATA_OFFSET_OFFSET;
import static io.mmapring.RingLayout.HEAD_OFFSET;
import static io.mmapring.RingLayout.MAGIC;
import static io.mmapring.RingLayout.MAX_POSITION;
import static io.mmapring.RingLayout.RECORD_SIZE_OFFSET;
import static io.mmapring.RingLayout.SEQUENCE_OFFSET_OFFSET;
import static io.mmapring.RingLayout.STRIDE_OFFSET;
import static io.mmapring.RingLayout.TAIL_OFFSET;
import static io.mmapring.RingLayout.VERSION;
import static io.mmapring.RingLayout.VERSION_OFFSET;

/**
 * Checks of a ring's bytes: the immutable header, and consistent snapshots of the live counters
 * ({@code docs/FORMAT.md}, sections 5 and 7). Every failure is a {@link RingFormatException} naming the
 * ring, the field and the values. Stateless; nothing here writes.
 */
final class RingValidation {
    private static final VarHandle LONG = RingLayout.LONG;
    /** Snapshot attempts before giving up on a stable {@code tail} (a producer committing flat out). */
    private static final int SNAPSHOT_ATTEMPTS = 1000;
    /** Attempts made whatever the clock says: one preemption inside an attempt must not end the retries. */
    private static final int SNAPSHOT_MIN_ATTEMPTS = 16;
    private static final long SNAPSHOT_PATIENCE_NANOS = 5_000_000;

    private RingValidation() {
    }

    /**
     * One consistent look at the counters of a live ring.
     *
     * @param headBefore {@code head} read before the scan (acquire)
     * @param head       {@code head} read after the scan (acquire); never below {@code headBefore} in a valid ring
     * @param tail       {@code tail} read before the scan (acquire)
     * @param scan       where the scan stopped: {@code tail}, moved over the published slots after it
     * @param stopWord   the sequence word the scan stopped on, or {@code scan + 1} if it stopped after {@code capacity} slots
     * @param stale      whether {@code tail} moved during the look in every attempt: a producer committing flat
     *                   out, and the snapshot may mix two moments
     */
    record Snapshot(long headBefore, long head, long tail, long scan, long stopWord, boolean stale) {
        /**
         * The producer's position {@code P}: where the scan stopped; except when a producer lapped the scan
         * in every attempt (stale, and the scan stopped on a later lap's word): the scan then stopped short,
         * and {@code head}, read after it, is past the lapped slot (the consumer released it before the
         * producer could lap it), so {@code head} is the better lower bound. Never below a {@code head} or a
         * {@code tail} read before the snapshot.
         */
        long position() {
            return stale && stopWord > scan + 1 ? Math.max(scan, head) : scan;
        }

        /** Records published and not consumed: never above the capacity in a ring that passed {@link #checkPositions}. */
        long backlog() {
            return Math.max(0, position() - head);
        }
    }

    static void checkMagic(String name, long magic) {
        if (magic != MAGIC) {
            throw new RingFormatException("ring " + name + ": magic 0x" + Long.toHexString(magic)
                + " is not MMAPRING (0x" + Long.toHexString(MAGIC) + "): not a ring file");
        }
    }

    /** Reads and checks every immutable header field; {@code fileLength < 0} skips the length check. */
    static RingSpec readSpec(String name, ByteBuffer header, long fileLength) {
        final String ring = "ring " + name + ": ";
        final int version = header.getInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw new RingFormatException(ring + "version " + version + " is not supported (this library reads " + VERSION + ")");
        }
        final int recordSize = header.getInt(RECORD_SIZE_OFFSET);
        if (recordSize < 1 || recordSize > RingLayout.MAX_RECORD_SIZE) {
            throw new RingFormatException(ring + "record size " + recordSize + " is outside [1, " + RingLayout.MAX_RECORD_SIZE + "]");
        }
        final int stride = header.getInt(STRIDE_OFFSET);
        if (stride != RingLayout.stride(recordSize)) {
            throw new RingFormatException(ring + "slot stride " + stride + " does not match record size "
                + recordSize + " (expected " + RingLayout.stride(recordSize) + ")");
        }
        final int sequenceOffset = header.getInt(SEQUENCE_OFFSET_OFFSET);
        if (sequenceOffset != RingLayout.sequenceOffset(recordSize)) {
            throw new RingFormatException(ring + "sequence offset " + sequenceOffset + " does not match record size "
                + recordSize + " (expected " + RingLayout.sequenceOffset(recordSize) + ")");
        }
        final long capacity = header.getLong(CAPACITY_OFFSET);
        if (capacity < 1 || Long.bitCount(capacity) != 1 || capacity > RingLayout.MAX_CAPACITY) {
            throw new RingFormatException(ring + "capacity " + capacity + " is not a power of two in [1, "
                + RingLayout.MAX_CAPACITY + "]");
        }
        final long dataOffset = header.getLong(DATA_OFFSET_OFFSET);
        if (dataOffset != DATA_OFFSET) {
            throw new RingFormatException(ring + "data offset " + dataOffset + " is not " + DATA_OFFSET);
        }
        final long expected = RingLayout.fileLength(recordSize, capacity);
        if (expected > RingLayout.MAX_FILE_LENGTH) {
            throw new RingFormatException(ring + "ring length " + expected + " (capacity " + capacity + " x stride "
                + stride + ") exceeds " + RingLayout.MAX_FILE_LENGTH);
        }
        if (fileLength >= 0 && fileLength != expected) {
            throw new RingFormatException(ring + "file length " + fileLength + " does not match the header ("
                + DATA_OFFSET + " + capacity " + capacity + " x stride " + stride + " = " + expected + ")");
        }
        return new RingSpec(recordSize, (int) capacity);
    }

    /**
     * Takes a consistent snapshot of {@code head}, {@code tail} and the producer's position: reads
     * {@code head}, {@code tail}, scans the published slots after {@code tail}, reads both counters again,
     * and retries (bounded: {@value #SNAPSHOT_ATTEMPTS} attempts, or 5 ms once {@value #SNAPSHOT_MIN_ATTEMPTS}
     * attempts are made) while {@code tail} moved, which means a live producer overtook the look (it may have
     * lapped a slot the scan read).
     */
    static Snapshot snapshot(ByteBuffer buffer, RingSpec spec) {
        final int capacity = spec.capacity();
        final int mask = capacity - 1;
        final int stride = spec.stride();
        final int sequenceOffset = spec.sequenceOffset();
        final long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            final long headBefore = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
            final long tail = (long) LONG.getAcquire(buffer, TAIL_OFFSET);
            long position = tail;
            long word = position + 1;
            if (tail >= 0 && tail <= MAX_POSITION) {
                // a slot is published when its word holds position + 1 (acquire: pairs with the producer's release)
                while (position - tail < capacity
                    && (word = (long) LONG.getAcquire(buffer, DATA_OFFSET + (int) (position & mask) * stride + sequenceOffset))
                    == position + 1) {
                    position++;
                }
                if (position - tail == capacity) {
                    word = position + 1;
                }
            }
            final long head = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
            final boolean stale = (long) LONG.getAcquire(buffer, TAIL_OFFSET) != tail;
            if (!stale || attempt == SNAPSHOT_ATTEMPTS
                || attempt >= SNAPSHOT_MIN_ATTEMPTS && System.nanoTime() - start > SNAPSHOT_PATIENCE_NANOS) {
                return new Snapshot(headBefore, head, tail, position, word, stale);
            }
            if (attempt > 10) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The position invariants every opener checks ({@code docs/FORMAT.md}, section 5), on a snapshot.
     * Only one thing can make a healthy ring look inconsistent: a producer that lapped the slot where the
     * scan stopped (a word from a later lap) after the scan read a {@code tail} that lagged {@code head}.
     * That producer must have moved {@code tail} (its commit of that lap came after a {@code tail} store
     * past the slot), so the evidence is excused only on a stale snapshot; with {@code tail} standing still,
     * a later lap's word is corruption.
     */
    static void checkPositions(String name, Snapshot s, int capacity) {
        final String ring = "ring " + name + ": ";
        if (s.headBefore() < 0 || s.head() < 0) {
            throw new RingFormatException(ring + "head " + Math.min(s.headBefore(), s.head()) + " is negative");
        }
        if (s.tail() < 0) {
            throw new RingFormatException(ring + "tail " + s.tail() + " is negative");
        }
        if (s.head() > MAX_POSITION || s.tail() > MAX_POSITION) {
            throw new RingFormatException(ring + "head " + s.head() + " or tail " + s.tail() + " is beyond 2^62 ("
                + MAX_POSITION + "), which no real stream reaches");
        }
        if (s.head() < s.headBefore()) {
            throw new RingFormatException(ring + "head went back from " + s.headBefore() + " to " + s.head());
        }
        if (s.tail() - s.head() > capacity) {
            throw new RingFormatException(ring + "tail " + s.tail() + " is more than capacity " + capacity
                + " ahead of head " + s.head());
        }
        if (s.scan() - s.head() > capacity) {
            throw new RingFormatException(ring + "producer position " + s.scan() + " (tail " + s.tail()
                + " and the published slots after it) is more than capacity " + capacity + " ahead of head " + s.head());
        }
        final boolean laterLap = s.stopWord() > s.scan() + 1;
        if (laterLap && s.stale()) {
            return; // explained by a producer that lapped the scan while tail moved: not evidence of corruption
        }
        if (s.headBefore() > s.scan()) {
            throw new RingFormatException(ring + "head " + s.headBefore() + " is ahead of the producer position "
                + s.scan() + " (tail " + s.tail() + ")");
        }
        if (laterLap) {
            throw new RingFormatException(ring + "sequence word " + s.stopWord() + " of position " + s.scan()
                + " is from a later lap while tail " + s.tail() + " stands still");
        }
    }

    /**
     * The check a new producer or consumer makes of the records it takes over: every slot of
     * {@code [head, position)} holds the word its position requires ({@code p + 1}). A {@code tail} or
     * {@code head} moved by a corruption inside the bounds fails here instead of hanging the consumer.
     * The caller holds a role, so these slots cannot change under the check.
     */
    static void checkPublished(String name, ByteBuffer buffer, RingSpec spec, long head, long position) {
        final int mask = spec.capacity() - 1;
        final int stride = spec.stride();
        final int sequenceOffset = spec.sequenceOffset();
        for (long p = head; p < position; p++) {
            final int slot = (int) (p & mask);
            final long word = (long) LONG.getAcquire(buffer, DATA_OFFSET + slot * stride + sequenceOffset);
            if (word != p + 1) {
                throw new RingFormatException("ring " + name + ": slot " + slot + " (position " + p + ") holds sequence word "
                    + word + ", expected " + (p + 1) + ": the records in [head " + head + ", producer position " + position
                    + ") must all be published (tail or head was moved: corrupted file)");
            }
        }
    }
}
