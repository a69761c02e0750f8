package io.mmapring.jcstress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;
import io.mmapring.RingSpec;

/**
 * A People ring over a pooled direct buffer for the lifecycle tests: the test takes, closes and takes
 * again the real roles itself ({@link RingFile#producer()}, {@link RingFile#consumer()}), and the ring
 * can start in the states a live or dead producer leaves: inside a commit (its slot words released,
 * {@code tail} not yet), or dead there.
 *
 * <p>Messages of a stream carry the id {@link #idAt} of their position, so a checker knows which id
 * comes next whatever the position a state starts at. The ring starts at {@link #START}, one lap and a
 * bit past 0, with a whole stale message {@link DirectRing#STALE_ID} in every slot (see
 * {@link DirectRing#takeAt}).
 */
public final class LiveRing {
    /** Where every lifecycle state starts: past a lap of stale messages, not a multiple of 7. */
    public static final long START = 20;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer buffer;
    private final RingSpec spec;
    private final RingFile ring;
    private final People people = new People();
    private RingProducer producer;
    private RingConsumer consumer;

    private LiveRing(int capacity) {
        this.buffer = DirectRing.pooledBuffer(capacity);
        this.spec = People.spec(capacity);
        this.ring = DirectRing.formatAt(buffer, capacity, START);
    }

    /** An empty ring at {@link #START}, no role taken. */
    public static LiveRing empty(int capacity) {
        return new LiveRing(capacity);
    }

    /**
     * A ring whose producer is inside {@link RingProducer#commit()}: it claimed {@code batch} slots at
     * {@link #START}, wrote them, and released their slot words (what commit's loop stores) but not yet
     * {@code tail}; the consumer then read the whole batch. So {@code head = START + batch} is ahead of
     * {@code tail = START}, as any reader of a live ring can see it while a producer is descheduled in a
     * commit. The producer's {@link RingProducer#commit()} then finishes the batch (the same word
     * values again, then {@code tail}). Both roles are held.
     */
    public static LiveRing producerInsideCommit(int capacity, int batch, StreamChecker checker) {
        final LiveRing live = new LiveRing(capacity);
        live.takeProducer();
        live.takeConsumer();
        live.writeBatchAndReleaseWords(batch, batch);
        live.consumer.poll(checker, batch); // the consumer reads the batch whose words are out
        if (live.consumer.position() != START + batch) {
            throw new IllegalStateException("ring " + live.ring.name() + ": the consumer read to " + live.consumer.position());
        }
        return live;
    }

    /**
     * A ring whose producer died inside {@link RingProducer#commit()}: it claimed {@code batch} slots at
     * {@link #START}, wrote them, released the first {@code released} slot words and neither the others
     * nor {@code tail}, and its role is gone. No consumer has read anything: {@code head = tail = START},
     * the producer position {@code START + released}. No role is held.
     */
    public static LiveRing producerDiedInsideCommit(int capacity, int batch, int released) {
        final LiveRing live = new LiveRing(capacity);
        live.takeProducer();
        live.writeBatchAndReleaseWords(batch, released);
        live.producer.close(); // the process dies: nothing more is written, the OS drops the role
        live.producer = null;
        return live;
    }

    /** The id of the message at {@code position}: 1 to 7, never the same for two neighbouring positions. */
    public static int idAt(long position) {
        return 1 + (int) Long.remainderUnsigned(position, 7);
    }

    /** Takes the producer role (the role take under test: scan, checks, tail repair). */
    public RingProducer takeProducer() {
        try {
            producer = ring.producer();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a buffer ring takes its roles without I/O
        }
        return producer;
    }

    /** Takes the consumer role (the role take under test: snapshot and checks against a live producer). */
    public RingConsumer takeConsumer() {
        try {
            consumer = ring.consumer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return consumer;
    }

    /** The producer taken last (null before). */
    public RingProducer producer() {
        return producer;
    }

    /** The consumer taken last (null before). */
    public RingConsumer consumer() {
        return consumer;
    }

    /** The ring. */
    public RingFile ring() {
        return ring;
    }

    /** The bytes under the ring, e.g. for {@link RingFile#wrap} by an observer. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The ring's capacity. */
    public int capacity() {
        return spec.capacity();
    }

    /** Offers the next message of the stream (id {@link #idAt} of its position); false if the ring is full. */
    public boolean offerNext() {
        if (producer.claim(1) == 0) {
            return false;
        }
        fill(0);
        producer.commit();
        return true;
    }

    /** Claims up to {@code n} slots and writes the stream's messages into them (not committed); returns how many. */
    public int claimAndFill(int n) {
        final int claimed = producer.claim(n);
        for (int i = 0; i < claimed; i++) {
            fill(i);
        }
        return claimed;
    }

    /** Gives the buffer back. Call once, from the arbiter, when both actors are done. */
    public void release() {
        try {
            ring.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DirectRing.giveBack(buffer, spec.capacity());
    }

    private void fill(int i) {
        Messages.fill(people.wrap(producer.buffer(), producer.recordOffset(i)), idAt(producer.position() + i));
    }

    /** Claims and writes {@code batch} slots, then release-stores the first {@code released} words as commit's loop does. */
    private void writeBatchAndReleaseWords(int batch, int released) {
        if (claimAndFill(batch) != batch) {
            throw new IllegalStateException("ring " + ring.name() + ": could not claim " + batch + " slots");
        }
        for (int i = 0; i < released; i++) {
            LONG.setRelease(buffer, producer.recordOffset(i) + spec.sequenceOffset(), producer.position() + i + 1);
        }
    }
}
