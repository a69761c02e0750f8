package io.mmapring.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.mmapring.People;
import io.mmapring.RingFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A producer child and a consumer child over one ring file, with exact accounting across any number
 * of kills and restarts of either side.
 *
 * <p>Why the accounting is exact: the message at position {@code p} has id {@code p}, so after any
 * producer exit or kill the committed set is {@code [0, producerPosition())}, read by this process
 * from its own (role-less) view of the file. Each consumer incarnation checks every record it reads
 * against the message of its position and writes, before releasing each batch, how far it has
 * delivered ({@link ConsumerState}). The next consumer starts at the ring's {@code head}: if that is
 * beyond where the previous one delivered, messages were lost; if it is before, the difference was
 * delivered twice, which the at-least-once rule allows only after a kill, and at most one batch.
 */
final class TrafficSession implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path ringPath;
    private final int maxBatch;
    private final int consumerLimit;
    private final SplittableRandom random;
    private final RingFile observer;

    private ChildJvm producer;
    private ChildJvm consumer;
    private int producerIncarnations;
    private int consumerIncarnations;
    private long previousConsumerEnd;
    private boolean previousConsumerKilled;

    long producerKills;
    long producerStops;
    long consumerKills;
    long consumerStops;
    long duplicates;
    long maxDuplicatesAtOneKill;
    long delivered;
    long lost;
    long torn;
    long misplaced;

    TrafficSession(Path dir, int capacity, int maxBatch, int consumerLimit, long seed) throws IOException {
        this.dir = dir;
        this.ringPath = dir.resolve("ring");
        this.maxBatch = maxBatch;
        this.consumerLimit = consumerLimit;
        this.random = new SplittableRandom(seed);
        RingFile.create(ringPath, People.spec(capacity)).close();
        this.observer = RingFile.open(ringPath);
    }

    /** Messages committed so far: the ring's true producer position. */
    long committed() {
        return observer.producerPosition();
    }

    void startProducer() throws IOException, InterruptedException {
        assertFalse(observer.isProducerAlive(), "a producer still holds the role before a restart");
        final long expected = observer.producerPosition();
        producer = ChildJvm.start("producer-" + producerIncarnations++, ProducerChild.class,
            ringPath.toString(), Integer.toString(maxBatch), Long.toString(random.nextLong()));
        final long position = Long.parseLong(producer.await("READY ", START_TIMEOUT).substring(6));
        assertEquals(expected, position, producer.name() + " did not resume at the committed position");
    }

    void killProducer() throws InterruptedException {
        producer.kill();
        producerKills++;
    }

    void stopProducer() throws IOException, InterruptedException {
        producer.send("stop");
        final long position = Long.parseLong(producer.await("DONE ", START_TIMEOUT).substring(5));
        assertEquals(0, producer.waitFor(START_TIMEOUT), producer.name() + " exit code; output:\n" + producer.transcript());
        assertEquals(position, observer.producerPosition(), "a stopped producer's position is the ring's");
        producerStops++;
    }

    void startConsumer() throws IOException, InterruptedException {
        startConsumer(-1);
    }

    /** Starts a consumer that, if {@code pauseAt >= 0}, stops mid-batch once a batch reaches that position. */
    void startConsumer(long pauseAt) throws IOException, InterruptedException {
        final int incarnation = consumerIncarnations++;
        consumer = ChildJvm.start("consumer-" + incarnation, ConsumerChild.class,
            ringPath.toString(), statePath(incarnation).toString(), Integer.toString(consumerLimit), Long.toString(pauseAt));
        final long start = Long.parseLong(consumer.await("READY ", START_TIMEOUT).substring(6));
        if (start > previousConsumerEnd) {
            lost += start - previousConsumerEnd;
        }
        final long again = Math.max(0, previousConsumerEnd - start);
        assertTrue(previousConsumerKilled || again == 0,
            consumer.name() + " re-read " + again + " messages after a clean stop");
        assertTrue(again <= consumerLimit, consumer.name() + " re-read " + again + " messages, more than one batch ("
            + consumerLimit + ")");
        duplicates += again;
        maxDuplicatesAtOneKill = Math.max(maxDuplicatesAtOneKill, again);
    }

    /** The running consumer child. */
    ChildJvm consumer() {
        return consumer;
    }

    void killConsumer() throws IOException, InterruptedException {
        consumer.kill();
        consumerKills++;
        account(consumer, consumerIncarnations - 1, true);
    }

    void stopConsumer() throws IOException, InterruptedException {
        consumer.send("stop");
        consumer.await("DONE ", START_TIMEOUT);
        assertEquals(0, consumer.waitFor(START_TIMEOUT), consumer.name() + " exit code; output:\n" + consumer.transcript());
        consumerStops++;
        account(consumer, consumerIncarnations - 1, false);
    }

    /** With the producer stopped: lets the consumer read everything and stop. */
    void drain(Duration timeout) throws IOException, InterruptedException {
        assertFalse(producer.isAlive(), "drain needs the producer stopped");
        consumer.send("drain");
        consumer.await("DONE ", timeout);
        assertEquals(0, consumer.waitFor(START_TIMEOUT), consumer.name() + " exit code; output:\n" + consumer.transcript());
        consumerStops++;
        account(consumer, consumerIncarnations - 1, false);
        assertEquals(committed(), previousConsumerEnd, "the last consumer stopped before the end of the stream");
    }

    /** Random idle between actions. */
    void pause(int minMillis, int maxMillis) throws InterruptedException {
        Thread.sleep(minMillis + random.nextInt(maxMillis - minMillis + 1));
    }

    boolean coin() {
        return random.nextBoolean();
    }

    /** The figures, after {@link #drain}: committed, delivered, lost, duplicates, torn, misplaced, kills. */
    Map<String, Object> figures() {
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("messages.committed", committed());
        figures.put("messages.delivered", delivered);
        figures.put("messages.lost", lost);
        figures.put("messages.duplicates", duplicates);
        figures.put("messages.duplicates.maxAtOneKill", maxDuplicatesAtOneKill);
        figures.put("messages.torn", torn);
        figures.put("messages.misplaced", misplaced);
        figures.put("producer.kills", producerKills);
        figures.put("producer.cleanStops", producerStops);
        figures.put("consumer.kills", consumerKills);
        figures.put("consumer.cleanStops", consumerStops);
        figures.put("producer.incarnations", producerIncarnations);
        figures.put("consumer.incarnations", consumerIncarnations);
        figures.put("consumer.batchLimit", consumerLimit);
        figures.put("producer.maxBatch", maxBatch);
        figures.put("ring.capacity", observer.spec().capacity());
        return figures;
    }

    /** The global invariants, after {@link #drain}. */
    void assertExact() {
        assertEquals(0, lost, "messages lost");
        assertEquals(0, torn, "torn messages delivered");
        assertEquals(0, misplaced, "messages delivered at the wrong position");
        // two independent counts of the duplicates: overlaps at restarts, and deliveries minus commits
        assertEquals(committed() + duplicates, delivered, "delivered = committed + duplicates");
        assertTrue(duplicates <= consumerKills * consumerLimit, "at most one batch re-read per consumer kill");
    }

    private void account(ChildJvm child, int incarnation, boolean killed) throws IOException {
        final ConsumerState state = ConsumerState.read(statePath(incarnation));
        assertEquals(state.end() - state.start(), state.delivered(), child.name() + " state is inconsistent: " + state);
        delivered += state.delivered();
        torn += state.torn();
        misplaced += state.misplaced();
        assertEquals(0, state.torn() + state.misplaced(), child.name() + " delivered bad records: " + state
            + "\n" + child.transcript());
        previousConsumerEnd = state.end();
        previousConsumerKilled = killed;
    }

    private Path statePath(int incarnation) {
        return dir.resolve("consumer-" + incarnation + ".state");
    }

    @Override
    public void close() throws IOException {
        try {
            if (producer != null) {
                producer.close();
            }
        } finally {
            try {
                if (consumer != null) {
                    consumer.close();
                }
            } finally {
                observer.close();
            }
        }
    }
}
