package io.mmapring.bridge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * producer -> ring -> bridge send -> UDP 127.0.0.1 -> bridge receive -> ring -> consumer, with both
 * bridges as separate JVMs (each with an embedded media driver) and the producer and consumer in this one.
 */
class BridgeEndToEndTest {
    private BridgeFixture fixture;
    private PeopleTraffic.Producer producer;
    private PeopleTraffic.Consumer consumer;

    @AfterEach
    void tearDown() throws Exception {
        for (Thread t : new Thread[] {producer, consumer}) {
            if (t != null) {
                t.interrupt();
                t.join(10_000);
            }
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Timeout(180)
    void millionPeopleCrossTheBridgeInOrderEachOnce() throws Exception {
        final int count = 1_000_000;
        fixture = new BridgeFixture("million");
        RingFile.create(fixture.sendingRing, People.spec(8192)).close();
        fixture.startReceiver(8192);
        fixture.startSender();
        consumer = new PeopleTraffic.Consumer(fixture.receivingRing, count, 256, 0);
        producer = new PeopleTraffic.Producer(fixture.sendingRing, count);
        final long start = System.nanoTime();
        consumer.start();
        producer.start();
        awaitOrFail("all " + count + " People consumed", Duration.ofSeconds(150), () -> consumer.consumed == count);
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("bridge: %d People through send/receive bridges over UDP loopback in %.1f s (%.0f/s)%n",
            count, seconds, count / seconds);
        assertEquals(count, producer.produced);
        // the sending bridge releases its ring only as the receiver acknowledges: in the end, everything
        try (RingFile sending = RingFile.open(fixture.sendingRing)) {
            awaitOrFail("the sending ring fully acknowledged", Duration.ofSeconds(10), () -> sending.head() == count);
        }
        try (RingFile receiving = RingFile.open(fixture.receivingRing)) {
            assertEquals(count, receiving.producerPosition(), "each People written to the receiving ring exactly once");
        }
    }

    @Test
    @Timeout(180)
    void bridgesKilledMidStreamAndRestartedLoseAndDuplicateNothing() throws Exception {
        final int count = 300_000;
        fixture = new BridgeFixture("restart");
        RingFile.create(fixture.sendingRing, People.spec(4096)).close();
        BridgeProcess receiver = fixture.startReceiver(4096);
        BridgeProcess sender = fixture.startSender();
        consumer = new PeopleTraffic.Consumer(fixture.receivingRing, count, 256, 0);
        producer = new PeopleTraffic.Producer(fixture.sendingRing, count);
        consumer.start();
        producer.start();

        awaitOrFail("a quarter through", Duration.ofSeconds(60), () -> consumer.consumed >= count / 4);
        final BridgeProcess firstSender = sender;
        sender.kill();
        final int atSenderKill = consumer.consumed;
        assertTrue(atSenderKill < count, "the sending bridge was killed mid-stream");
        sender = fixture.startSender();

        awaitOrFail("half through", Duration.ofSeconds(60), () -> consumer.consumed >= count / 2);
        final BridgeProcess firstReceiver = receiver;
        receiver.kill();
        final int atReceiverKill = consumer.consumed;
        assertTrue(atReceiverKill < count, "the receiving bridge was killed mid-stream");
        receiver = fixture.startReceiver(4096);

        awaitOrFail("all " + count + " People consumed", Duration.ofSeconds(120), () -> consumer.consumed == count);
        assertEquals(count, producer.produced);
        try (RingFile receiving = RingFile.open(fixture.receivingRing)) {
            assertEquals(count, receiving.producerPosition(), "each People written to the receiving ring exactly once");
        }
        try (RingFile sending = RingFile.open(fixture.sendingRing)) {
            awaitOrFail("the sending ring fully acknowledged", Duration.ofSeconds(10), () -> sending.head() == count);
        }
        sender.stop(Duration.ofSeconds(10));
        receiver.stop(Duration.ofSeconds(10));
        System.out.printf("bridge restart: %d People; sending bridge killed at %d consumed, receiving bridge at %d;"
            + " last words of each (status every second until the kill):%n  %s%n  %s%n  %s%n  %s%n", count, atSenderKill,
            atReceiverKill, lastLine(firstSender), lastLine(firstReceiver), lastLine(sender), lastLine(receiver));
    }

    @Test
    @Timeout(180)
    void fullRemoteRingPushesBackToTheProducerAndNothingIsLost() throws Exception {
        final int count = 50_000;
        final int capacity = 256;
        fixture = new BridgeFixture("backpressure");
        RingFile.create(fixture.sendingRing, People.spec(capacity)).close();
        fixture.startReceiver(capacity);
        fixture.startSender();
        consumer = new PeopleTraffic.Consumer(fixture.receivingRing, count, 32, 1_000_000);
        consumer.paused = true;
        consumer.start();
        producer = new PeopleTraffic.Producer(fixture.sendingRing, count);
        producer.start();

        try (RingFile sending = RingFile.open(fixture.sendingRing); RingFile receiving = RingFile.open(fixture.receivingRing)) {
            // with the remote consumer stopped, the remote ring fills, and then the local one: the producer sees it full
            // quiescent: the remote ring full, all of it acknowledged (the local head), and the local ring full again
            awaitOrFail("both rings full", Duration.ofSeconds(60),
                () -> receiving.backlog() == capacity && sending.head() == capacity && sending.backlog() == capacity);
            final long fullBefore = producer.fullRing;
            awaitOrFail("the producer to find its ring full", Duration.ofSeconds(10), () -> producer.fullRing > fullBefore);
            final int producedWhenFull = producer.produced;
            assertEquals(capacity, receiving.backlog(), "the remote ring is full");
            assertEquals(capacity, sending.backlog(), "the local ring is full");
            assertEquals(2 * capacity, producedWhenFull,
                "exactly both rings' worth was produced: nothing was released locally before the remote ring had it");
            Thread.sleep(500);
            assertEquals(producedWhenFull, producer.produced, "nothing moves while the remote consumer is stopped");
        }
        consumer.paused = false;
        awaitOrFail("all " + count + " People consumed by the slow consumer", Duration.ofSeconds(150), () -> consumer.consumed == count);
        System.out.printf("bridge back-pressure: %d People, rings of %d, producer found its ring full %d times%n",
            count, capacity, producer.fullRing);
    }

    @Test
    @Timeout(180)
    void newReceivingRingStartsAtTheSendersHeadAndKeepsThatOriginAcrossRestarts() throws Exception {
        fixture = new BridgeFixture("origin");
        try (RingFile sending = RingFile.create(fixture.sendingRing, People.spec(4096))) {
            produce(sending, 0, 2000);
            try (PeopleConsumer local = new PeopleConsumer(sending.consumer())) {
                assertEquals(500, local.poll(p -> { }, 500), "a local consumer took the first 500 before the bridge existed");
            }
        }
        BridgeProcess receiver = fixture.startReceiver(4096);
        fixture.startSender();
        consumer = new PeopleTraffic.Consumer(fixture.receivingRing, 500, 3500, 256, 0);
        consumer.start();
        awaitOrFail("People 500 .. 1999", Duration.ofSeconds(60), () -> consumer.consumed == 1500);
        final Path originFile = BridgeOrigin.beside(fixture.receivingRing);
        assertEquals(OptionalLong.of(500), BridgeOrigin.read(originFile), "receiving position 0 is sending position 500");

        receiver.stop(Duration.ofSeconds(10));
        try (RingFile sending = RingFile.open(fixture.sendingRing)) {
            produce(sending, 2000, 2000);
        }
        fixture.startReceiver(4096);
        awaitOrFail("People 2000 .. 3999", Duration.ofSeconds(60), () -> consumer.consumed == 3500);
        assertEquals(OptionalLong.of(500), BridgeOrigin.read(originFile));
        try (RingFile receiving = RingFile.open(fixture.receivingRing)) {
            assertEquals(3500, receiving.producerPosition(), "each People written to the receiving ring exactly once");
        }
    }

    private static void produce(RingFile ring, int firstId, int count) throws Exception {
        try (PeopleProducer out = new PeopleProducer(ring.producer())) {
            for (int id = firstId; id < firstId + count; id++) {
                assertTrue(out.offer(id, PeopleTraffic.nameOf(id), PeopleTraffic.idle()));
            }
        }
    }

    private static String lastLine(BridgeProcess process) throws Exception {
        final String[] lines = process.output().trim().split("\n");
        return lines[lines.length - 1];
    }

    private void awaitOrFail(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            for (PeopleTraffic.Consumer c : new PeopleTraffic.Consumer[] {consumer}) {
                if (c != null && c.error.get() != null) {
                    throw new AssertionError(c.error.get().getMessage() + "\n" + fixture.logs(), c.error.get());
                }
            }
            if (producer != null && producer.error.get() != null) {
                throw new AssertionError("producer failed\n" + fixture.logs(), producer.error.get());
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what + " (produced " + (producer == null ? 0 : producer.produced)
                    + ", consumed " + (consumer == null ? 0 : consumer.consumed) + ")\n" + fixture.logs());
            }
            Thread.sleep(10);
        }
    }
}
