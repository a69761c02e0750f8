package io.mmapring.jcstress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;
import io.mmapring.RingLayout;
import io.mmapring.RingSpec;

/**
 * A People ring over a direct buffer, owned by one jcstress state: the real {@link RingFile},
 * {@link PeopleProducer} and {@link PeopleConsumer}, the same code path a mapped file takes.
 *
 * <p>jcstress 0.16 keeps {@code strideSize x strideCount} states alive (up to 10,240) and replaces
 * each one with a new instance right after its {@code @Arbiter} ran, in the same thread. Allocating
 * a direct buffer per state would leave the native memory to the garbage collector, so the buffers
 * are pooled: a state {@link #take}s one in its constructor, which re-formats it (zeroes every byte
 * and writes a fresh header with {@link RingFile#format}), and gives it back in its arbiter with
 * {@link #release}, when both actors are done with it.
 */
public final class DirectRing {
    /** Id of the stale messages {@link #takeAt} leaves in every slot: delivering one is a bug. */
    public static final int STALE_ID = Messages.MAX_ID;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_CAPACITY_LOG2 = 4;
    /** One pool per capacity, indexed by its log2. */
    private static final List<ConcurrentLinkedQueue<ByteBuffer>> POOLS = Stream
        .generate(ConcurrentLinkedQueue<ByteBuffer>::new).limit(MAX_CAPACITY_LOG2 + 1).collect(Collectors.toUnmodifiableList());

    private final ByteBuffer buffer;
    private final RingSpec spec;
    private final RingFile ring;
    private final PeopleProducer producer;
    private final PeopleConsumer consumer;
    private final Messages.Received received = new Messages.Received();

    private DirectRing(ByteBuffer buffer, RingSpec spec, RingFile ring) {
        this.buffer = buffer;
        this.spec = spec;
        this.ring = ring;
        try {
            this.producer = new PeopleProducer(ring.producer());
            this.consumer = new PeopleConsumer(ring.consumer());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a buffer ring takes its roles without I/O
        }
    }

    /** An empty ring at position 0, on a pooled buffer. */
    public static DirectRing take(int capacity) {
        final RingSpec spec = People.spec(capacity);
        final ByteBuffer buffer = buffer(capacity, spec);
        return new DirectRing(buffer, spec, RingFile.format(buffer, spec));
    }

    /**
     * An empty ring whose head and tail are both {@code position} (at least the capacity): as if
     * {@code position} messages had been sent and read. {@link RingFile#format} always starts at 0,
     * so this formats the buffer and then writes, before any producer or consumer exists, what the
     * previous lap would have left: for each position {@code q} in {@code [position - capacity,
     * position)} the slot of {@code q} holds a whole message {@link #STALE_ID} and the sequence word
     * {@code q + 1}; then head and tail (release stores). {@link RingFile#wrap} then validates the
     * result like any opener would. jcstress publishes the state to the actors after this
     * constructor, so the actors see these plain and release stores.
     */
    public static DirectRing takeAt(int capacity, long position) {
        final RingSpec spec = People.spec(capacity);
        final ByteBuffer buffer = buffer(capacity, spec);
        return new DirectRing(buffer, spec, formatAt(buffer, capacity, position));
    }

    /**
     * Formats {@code buffer} as an empty People ring of {@code capacity} slots whose head and tail are
     * both {@code position}, with a whole stale message {@link #STALE_ID} and the previous lap's word in
     * every slot (see {@link #takeAt}), and returns it as {@link RingFile#wrap} validates it. No role is taken.
     */
    static RingFile formatAt(ByteBuffer buffer, int capacity, long position) {
        if (position < capacity) {
            throw new IllegalArgumentException("position " + position + " is less than the capacity " + capacity);
        }
        final RingSpec spec = People.spec(capacity);
        RingFile.format(buffer, spec);
        final People stale = new People();
        final int mask = capacity - 1;
        for (long q = position - capacity; q < position; q++) {
            final int slot = RingLayout.DATA_OFFSET + (int) (q & mask) * spec.stride();
            Messages.fill(stale.wrap(buffer, slot), STALE_ID);
            LONG.setRelease(buffer, slot + spec.sequenceOffset(), q + 1);
        }
        LONG.setRelease(buffer, RingLayout.HEAD_OFFSET, position);
        LONG.setRelease(buffer, RingLayout.TAIL_OFFSET, position);
        return RingFile.wrap(buffer);
    }

    /** The real producer of this ring. */
    public PeopleProducer producer() {
        return producer;
    }

    /** The real consumer of this ring. */
    public PeopleConsumer consumer() {
        return consumer;
    }

    /** The ring. */
    public RingFile ring() {
        return ring;
    }

    /** The ring's spec. */
    public RingSpec spec() {
        return spec;
    }

    /** The buffer under the ring: only for the negative control, which writes a slot by hand. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Offers message {@code id}; false if the ring is full. */
    public boolean offer(int id) {
        return Messages.offer(producer, id);
    }

    /** Polls up to {@code limit} messages; returns their ids as digits (0 for none, 9 for a torn one). */
    public int poll(int limit) {
        return received.poll(consumer, limit);
    }

    /** Polls whatever is left, as digits. Call only when both actors are done (from an arbiter). */
    public int drain() {
        return poll(spec.capacity());
    }

    /** Sends and reads {@code ids} one by one, so that the positions move past them and the slots hold them. */
    public void advance(int... ids) {
        for (int id : ids) {
            if (!offer(id) || poll(1) != id) {
                throw new IllegalStateException("ring " + ring.name() + ": could not advance past message " + id);
            }
        }
    }

    /** Gives the buffer back to the pool. Call once, from the arbiter, when both actors are done. */
    public void release() {
        try {
            ring.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a buffer ring has no channel to close
        }
        POOLS.get(log2(spec.capacity())).offer(buffer);
    }

    /**
     * A pooled buffer for a People ring of {@code capacity} slots, as it was left (not formatted): for
     * tests that lay out the ring and take its roles themselves ({@link LiveRing}). Give it back with
     * {@link #giveBack}.
     */
    static ByteBuffer pooledBuffer(int capacity) {
        return buffer(capacity, People.spec(capacity));
    }

    /** Returns a buffer of {@link #pooledBuffer} to its pool, once no ring over it is used any more. */
    static void giveBack(ByteBuffer buffer, int capacity) {
        POOLS.get(log2(capacity)).offer(buffer);
    }

    private static ByteBuffer buffer(int capacity, RingSpec spec) {
        final ByteBuffer pooled = POOLS.get(log2(capacity)).poll();
        return pooled != null ? pooled : ByteBuffer.allocateDirect(spec.fileLength());
    }

    private static int log2(int capacity) {
        final int log2 = Integer.numberOfTrailingZeros(capacity);
        if (Integer.bitCount(capacity) != 1 || log2 > MAX_CAPACITY_LOG2) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two up to " + (1 << MAX_CAPACITY_LOG2));
        }
        return log2;
    }
}
