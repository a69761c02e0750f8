package io.mmapring.jcstress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;

/**
 * A People ring in a real memory-mapped file made by {@link RingFile#create}, under {@code /dev/shm}
 * where it exists (else {@code java.io.tmpdir}), taken from a pool that is reused across states.
 *
 * <p>jcstress 0.16 keeps up to 10,240 states alive at once, far too many files to give each its
 * own. But only a few states are between their first actor's start and their last actor's end at
 * any moment, so a state holds a ring through a {@link Lease} only for that span: the first actor to
 * arrive takes a ring from the pool (the other actor finds it through the lease), and the last actor
 * to finish drains it and gives it back. The pool grows to the largest number of states in flight
 * (a few dozen) and stays there for the life of the fork.
 *
 * <p>A pooled ring keeps its producer, consumer and positions from one state to the next, so every
 * state starts on an empty ring at some position past earlier laps, with the previous messages
 * still in the slots. Each file is unlinked as soon as it is created: the mapping and the channel
 * (and its role locks) stay valid, and nothing is left behind when jcstress kills a fork.
 */
public final class MappedRing {
    private static final Path DIRECTORY = directory();
    private static final AtomicInteger FILES = new AtomicInteger();
    private static final int MAX_CAPACITY_LOG2 = 4;
    /** One pool per capacity, indexed by its log2. */
    private static final List<ConcurrentLinkedQueue<MappedRing>> POOLS = Stream
        .generate(ConcurrentLinkedQueue<MappedRing>::new).limit(MAX_CAPACITY_LOG2 + 1).collect(Collectors.toUnmodifiableList());

    private final RingFile ring;
    private final PeopleProducer producer;
    private final PeopleConsumer consumer;
    private final Messages.Received received = new Messages.Received();

    private MappedRing(RingFile ring) throws IOException {
        this.ring = ring;
        this.producer = new PeopleProducer(ring.producer());
        this.consumer = new PeopleConsumer(ring.consumer());
    }

    /** The real producer of this ring (use only from the actor that produces). */
    public PeopleProducer producer() {
        return producer;
    }

    /** The real consumer of this ring (use only from the actor that consumes). */
    public PeopleConsumer consumer() {
        return consumer;
    }

    /** The ring. */
    public RingFile ring() {
        return ring;
    }

    /** Offers message {@code id}; false if the ring is full. */
    public boolean offer(int id) {
        return Messages.offer(producer, id);
    }

    /** Polls up to {@code limit} messages; returns their ids as digits (0 for none, 9 for a torn one). */
    public int poll(int limit) {
        return received.poll(consumer, limit);
    }

    /** The id the tests send at producer position {@code position}: 1 to 7, never the same twice in a row. */
    public static int idAt(long position) {
        return 1 + (int) Long.remainderUnsigned(position, 7);
    }

    private static MappedRing take(int capacity) {
        final MappedRing pooled = POOLS.get(log2(capacity)).poll();
        if (pooled != null) {
            return pooled;
        }
        final Path path = DIRECTORY.resolve("mmapring-jcstress-" + ProcessHandle.current().pid() + "-"
            + FILES.incrementAndGet() + ".ring");
        try {
            final RingFile ring = RingFile.create(path, People.spec(capacity), RingFile.DEFAULT_PERMISSIONS, true);
            Files.delete(path);
            return new MappedRing(ring);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create ring file " + path, e);
        }
    }

    private void give() {
        POOLS.get(log2(ring.spec().capacity())).offer(this);
    }

    private static int log2(int capacity) {
        final int log2 = Integer.numberOfTrailingZeros(capacity);
        if (Integer.bitCount(capacity) != 1 || log2 > MAX_CAPACITY_LOG2) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two up to " + (1 << MAX_CAPACITY_LOG2));
        }
        return log2;
    }

    private static Path directory() {
        final Path shm = Paths.get("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /**
     * One state's hold on a pooled ring, shared by its actors: {@link #ring()} from each actor before
     * it touches the ring, {@link #finish()} from each actor when it is done with it.
     */
    public static final class Lease {
        private final int capacity;
        private final int actors;
        private final AtomicReference<MappedRing> ring = new AtomicReference<>();
        private final AtomicInteger finished = new AtomicInteger();

        /** A lease for {@code actors} actors on a ring of {@code capacity} slots; takes nothing yet. */
        public Lease(int capacity, int actors) {
            log2(capacity);
            this.capacity = capacity;
            this.actors = actors;
        }

        /** The state's ring: the first caller takes it from the pool, the others get the same one. */
        public MappedRing ring() {
            final MappedRing held = ring.get();
            if (held != null) {
                return held;
            }
            final MappedRing taken = take(capacity);
            if (ring.compareAndSet(null, taken)) {
                return taken;
            }
            taken.give(); // the other actor was first
            return ring.get();
        }

        /**
         * Marks one actor done. The last one gets the ring back to drain it (returns it), and must then
         * call {@link #release}; the others get null.
         */
        public MappedRing finish() {
            return finished.incrementAndGet() == actors ? ring.get() : null;
        }

        /** Gives the drained ring back to the pool. */
        public void release() {
            final MappedRing held = ring.getAndSet(null);
            if (held != null) {
                held.give();
            }
        }
    }
}
