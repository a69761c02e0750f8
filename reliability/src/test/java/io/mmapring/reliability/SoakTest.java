package io.mmapring.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bounded soak: continuous traffic between a producer process and a consumer process for
 * {@code -Dsoak.seconds} (60 by default), restarting one side or the other every 0.5 to 3 s, half the
 * time by kill -9 and half by a clean stop. Same exact accounting as the crash test: 0 losses, and
 * duplicates only after consumer kills, at most one batch each.
 */
class SoakTest {
    private Path dir;

    @AfterEach
    void deleteFiles() {
        Reports.deleteTree(dir);
    }

    @Test
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.HOURS)
    void continuousTrafficWithRestartsOfBothSidesLosesNothing() throws Exception {
        final long seed = Reports.seed("soak");
        final int seconds = Reports.intProperty("soak.seconds", 60);
        dir = Reports.scratchDir("soak");
        final long started = System.nanoTime();
        final long deadline = started + seconds * 1_000_000_000L;
        try (TrafficSession session = new TrafficSession(dir, 4096, 32, 256, seed)) {
            session.startConsumer();
            session.startProducer();
            while (System.nanoTime() < deadline) {
                session.pause(500, 3000);
                final boolean kill = session.coin();
                if (session.coin()) {
                    if (kill) {
                        session.killProducer();
                    } else {
                        session.stopProducer();
                    }
                    session.startProducer();
                } else {
                    if (kill) {
                        session.killConsumer();
                    } else {
                        session.stopConsumer();
                    }
                    session.startConsumer();
                }
            }
            session.stopProducer();
            session.drain(Duration.ofSeconds(120));
            final Map<String, Object> figures = session.figures();
            final double elapsed = (System.nanoTime() - started) / 1_000_000_000.0;
            figures.put("seed", seed);
            figures.put("seconds", elapsed);
            figures.put("restarts", session.producerKills + session.producerStops + session.consumerKills
                + session.consumerStops - 2);
            Reports.write("soak", figures);
            session.assertExact();
        }
    }
}
