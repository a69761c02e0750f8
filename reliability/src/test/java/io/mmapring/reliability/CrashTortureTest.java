package io.mmapring.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the producer process and of the consumer process at random points of a live stream,
 * each followed by a restart of the killed side; global accounting over all rounds (see
 * {@link TrafficSession}): every committed message delivered, in order, none torn, and duplicates
 * only after consumer kills, at most one batch each. {@code -Dcrash.rounds=N} kills each side N times.
 */
class CrashTortureTest {
    private Path dir;

    @AfterEach
    void deleteFiles() {
        Reports.deleteTree(dir);
    }

    @Test
    @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void consumerKilledMidBatchRereadsThatBatchOnly() throws Exception {
        final long seed = Reports.seed("mid-batch");
        dir = Reports.scratchDir("midbatch");
        try (TrafficSession session = new TrafficSession(dir, 1024, 16, 64, seed)) {
            session.startProducer();
            session.startConsumer(5_000);
            final String[] batch = session.consumer().await("MIDBATCH ", TrafficSession.START_TIMEOUT).split(" ");
            final long batchSize = Long.parseLong(batch[2]);
            System.out.println("[mid-batch] consumer killed holding a batch of " + batchSize + " records from position " + batch[1]);
            session.killConsumer(); // the batch was read and recorded, head not yet released
            session.startConsumer();
            assertEquals(batchSize, session.duplicates, "the restarted consumer re-reads exactly the unreleased batch");
            session.stopProducer();
            session.drain(Duration.ofSeconds(120));
            session.assertExact();
            assertEquals(batchSize, session.duplicates, "and nothing else");
            assertTrue(batchSize >= 1 && batchSize <= 64);
        }
    }

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killNineOfEitherSideLosesNothingAndDuplicatesAtMostOneBatchPerConsumerKill() throws Exception {
        final long seed = Reports.seed("crash-torture");
        final int rounds = Reports.intProperty("crash.rounds", 20);
        final Random random = new Random(seed);
        final List<Boolean> killProducer = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            killProducer.add(true);
            killProducer.add(false);
        }
        Collections.shuffle(killProducer, random);
        dir = Reports.scratchDir("crash");
        final long started = System.nanoTime();
        try (TrafficSession session = new TrafficSession(dir, 1024, 16, 64, random.nextLong())) {
            session.startConsumer();
            session.startProducer();
            for (boolean producerSide : killProducer) {
                session.pause(20, 300); // a random point of the stream
                if (producerSide) {
                    session.killProducer();
                    session.startProducer();
                } else {
                    session.killConsumer();
                    session.startConsumer();
                }
            }
            session.pause(100, 300);
            session.stopProducer();
            session.drain(Duration.ofSeconds(120));
            final Map<String, Object> figures = session.figures();
            figures.put("seed", seed);
            figures.put("rounds.perSide", rounds);
            figures.put("seconds", (System.nanoTime() - started) / 1_000_000_000.0);
            Reports.write("crash-torture", figures);
            session.assertExact();
        }
    }
}
