package io.mmapring.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;

/**
 * In-process throughput of 132-byte People between a producer thread and a consumer thread
 * ({@code @Group}, one thread each). Each call makes one attempt, so nothing spins inside a call and
 * every iteration ends on time; the primary score counts attempts and is meaningless. Read the
 * {@code @AuxCounters} instead: {@code offers} (records published) and {@code polls} (records
 * consumed) per second; {@code orderErrors} counts ids received out of order (always 0).
 *
 * <p>Peers: the ring over a mapped file, one record per offer ({@code ring}) or claims of
 * {@link Records#BATCH} ({@code ringBatch}); Agrona's OneToOneRingBuffer over a mapped file
 * (zero-copy tryClaim/commit); JCTools' SpscArrayQueue of People objects (references only: nothing
 * is copied, so it is the in-heap ceiling rather than a like-for-like peer). Every consumer reads the
 * id of each record and checks the order; polls take up to {@link Records#POLL_LIMIT}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InProcessThroughput {

    /** Successful operations of one thread in the current iteration, reported per second. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Events {
        public long offers;
        public long polls;
        public long orderErrors;

        @Setup(Level.Iteration)
        public void reset() {
            offers = 0;
            polls = 0;
            orderErrors = 0;
        }
    }

    /** Checks ids arrive 0, 1, 2, ...; lives in the consumer thread's own state. */
    abstract static class Ordered {
        private int expected;
        long errors;

        final void check(int id) {
            if (id != expected) {
                errors++;
            }
            expected = id + 1;
        }

        final long takeErrors() {
            final long e = errors;
            errors = 0;
            return e;
        }
    }

    // Shared (Scope.Group) states hold only what both threads read; everything a thread writes lives in
    // its own Scope.Thread state, which JMH pads, so the benchmark adds no false sharing of its own.

    @State(Scope.Group)
    public static class RingState {
        private Path directory;
        RingFile file;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            directory = Records.scratchDirectory("inprocess-ring");
            file = RingFile.create(directory.resolve("ring"), People.spec(Records.RING_CAPACITY));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            file.close();
            Records.deleteRecursively(directory);
        }
    }

    /** The producer thread's side; takes the producer role in its own thread (its own allocation buffer). */
    @State(Scope.Thread)
    public static class RingProducerSide {
        private final byte[] name = Records.nameField();
        private RingProducer producer;
        private int nextId;

        @Setup(Level.Trial)
        public void setUp(RingState ring) throws IOException {
            producer = ring.file.producer();
        }

        boolean offer() {
            final RingProducer producer = this.producer;
            if (producer.claim(1) == 0) {
                return false;
            }
            final ByteBuffer buffer = producer.buffer();
            final int offset = producer.recordOffset(0);
            buffer.put(offset, name);
            buffer.putInt(offset + Records.ID_OFFSET, nextId++);
            producer.commit();
            return true;
        }

        int offerBatch() {
            final RingProducer producer = this.producer;
            final int count = producer.claim(Records.BATCH);
            if (count == 0) {
                return 0;
            }
            final ByteBuffer buffer = producer.buffer();
            final byte[] name = this.name;
            final int first = nextId;
            for (int i = 0; i < count; i++) {
                final int offset = producer.recordOffset(i);
                buffer.put(offset, name);
                buffer.putInt(offset + Records.ID_OFFSET, first + i);
            }
            producer.commit();
            nextId = first + count;
            return count;
        }
    }

    /** The consumer thread's side; takes the consumer role in its own thread. */
    @State(Scope.Thread)
    public static class RingConsumerSide extends Ordered {
        private RingConsumer consumer;
        private final RingConsumer.RecordHandler handler = this::onRecord;

        @Setup(Level.Trial)
        public void setUp(RingState ring) throws IOException {
            consumer = ring.file.consumer();
        }

        int poll() {
            return consumer.poll(handler, Records.POLL_LIMIT);
        }

        private void onRecord(ByteBuffer buffer, int offset) {
            check(buffer.getInt(offset + Records.ID_OFFSET));
        }
    }

    @State(Scope.Group)
    public static class AgronaState {
        private Path directory;
        OneToOneRingBuffer ring;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            directory = Records.scratchDirectory("inprocess-agrona");
            final Path path = directory.resolve("agrona");
            AgronaLink.create(path);
            ring = new OneToOneRingBuffer(AgronaLink.map(path));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            Records.deleteRecursively(directory);
        }
    }

    @State(Scope.Thread)
    public static class AgronaProducerSide {
        private final byte[] name = Records.nameField();
        private int nextId;

        boolean offer(OneToOneRingBuffer ring) {
            final int index = ring.tryClaim(1, Records.SIZE);
            if (index < 0) {
                return false;
            }
            ring.buffer().putBytes(index, name);
            ring.buffer().putInt(index + Records.ID_OFFSET, nextId++, ByteOrder.LITTLE_ENDIAN);
            ring.commit(index);
            return true;
        }
    }

    @State(Scope.Thread)
    public static class AgronaConsumerSide extends Ordered {
        private final MessageHandler handler = this::onMessage;

        int poll(OneToOneRingBuffer ring) {
            return ring.read(handler, Records.POLL_LIMIT);
        }

        private void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
            check(buffer.getInt(index + Records.ID_OFFSET, ByteOrder.LITTLE_ENDIAN));
        }
    }

    /** A People as a plain object, for the JCTools queue. */
    static final class Person {
        final byte[] name = Records.nameField();
        int id;
    }

    @State(Scope.Group)
    public static class JctoolsState {
        final SpscArrayQueue<Person> queue = new SpscArrayQueue<>(Records.RING_CAPACITY);
    }

    @State(Scope.Thread)
    public static class JctoolsProducerSide {
        /** Twice the queue's capacity: an object is reused only after the consumer is done with it. */
        private static final int POOL = 2 * Records.RING_CAPACITY;
        private final Person[] pool = new Person[POOL];
        private int nextId;

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < POOL; i++) {
                pool[i] = new Person();
            }
        }

        boolean offer(SpscArrayQueue<Person> queue) {
            final int id = nextId;
            final Person person = pool[id & (POOL - 1)];
            person.id = id;
            if (!queue.offer(person)) {
                return false;
            }
            nextId = id + 1;
            return true;
        }
    }

    @State(Scope.Thread)
    public static class JctoolsConsumerSide extends Ordered {
        private final MessagePassingQueue.Consumer<Person> consumer = this::onPerson;

        int poll(SpscArrayQueue<Person> queue) {
            return queue.drain(consumer, Records.POLL_LIMIT);
        }

        private void onPerson(Person person) {
            check(person.id);
        }
    }

    @Benchmark
    @Group("ring")
    @GroupThreads(1)
    public void ringOffer(RingProducerSide producer, Events events) {
        if (producer.offer()) {
            events.offers++;
        }
    }

    @Benchmark
    @Group("ring")
    @GroupThreads(1)
    public void ringPoll(RingConsumerSide consumer, Events events) {
        events.polls += consumer.poll();
        events.orderErrors += consumer.takeErrors();
    }

    @Benchmark
    @Group("ringBatch")
    @GroupThreads(1)
    public void ringBatchOffer(RingProducerSide producer, Events events) {
        events.offers += producer.offerBatch();
    }

    @Benchmark
    @Group("ringBatch")
    @GroupThreads(1)
    public void ringBatchPoll(RingConsumerSide consumer, Events events) {
        events.polls += consumer.poll();
        events.orderErrors += consumer.takeErrors();
    }

    @Benchmark
    @Group("agrona")
    @GroupThreads(1)
    @Fork(value = 1, jvmArgsAppend = Records.AGRONA_OPENS)
    public void agronaOffer(AgronaState agrona, AgronaProducerSide producer, Events events) {
        if (producer.offer(agrona.ring)) {
            events.offers++;
        }
    }

    @Benchmark
    @Group("agrona")
    @GroupThreads(1)
    @Fork(value = 1, jvmArgsAppend = Records.AGRONA_OPENS)
    public void agronaPoll(AgronaState agrona, AgronaConsumerSide consumer, Events events) {
        events.polls += consumer.poll(agrona.ring);
        events.orderErrors += consumer.takeErrors();
    }

    @Benchmark
    @Group("jctools")
    @GroupThreads(1)
    public void jctoolsOffer(JctoolsState jctools, JctoolsProducerSide producer, Events events) {
        if (producer.offer(jctools.queue)) {
            events.offers++;
        }
    }

    @Benchmark
    @Group("jctools")
    @GroupThreads(1)
    public void jctoolsPoll(JctoolsState jctools, JctoolsConsumerSide consumer, Events events) {
        events.polls += consumer.poll(jctools.queue);
        events.orderErrors += consumer.takeErrors();
    }
}
