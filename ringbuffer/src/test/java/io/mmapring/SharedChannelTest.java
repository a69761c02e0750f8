package io.mmapring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Roles held by this process survive any other open and close of the same file in this process (one
 * shared channel per file), and liveness probes never make a role take fail. Each scenario gave another
 * process the role (or refused a legitimate producer) before the channel registry.
 */
class SharedChannelTest {
    private final Path path = TestRings.newPath("shared");

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    /** Ways in which code of the role holder's own process opens and closes the ring again. */
    enum Reopen {
        /** {@code RingFile.open(p).backlog()}, as a health check does. */
        HEALTH_CHECK {
            @Override
            void run(Path path) throws IOException {
                try (RingFile ring = RingFile.open(path)) {
                    ring.backlog();
                }
            }
        },
        /** A consumer opened in the same process, closed later. */
        CONSUMER {
            @Override
            void run(Path path) throws IOException {
                try (PeopleConsumer in = PeopleConsumer.open(path)) {
                    in.poll(p -> { }, 16);
                }
            }
        },
        /** An open on an interrupted thread, which fails (and used to close the channel on its way out). */
        INTERRUPTED_OPEN {
            @Override
            void run(Path path) {
                Thread.currentThread().interrupt();
                try {
                    assertThrows(IOException.class, () -> RingFile.open(path));
                } finally {
                    Thread.interrupted();
                }
            }
        },
        /** An inspector's read-only open. */
        READ_ONLY {
            @Override
            void run(Path path) throws IOException {
                try (RingFile ring = RingFile.openReadOnly(path)) {
                    ring.backlog();
                    ring.isProducerAlive();
                }
            }
        },
        /** A second producer refused in this process, its RingFile closed. */
        REFUSED_SECOND_PRODUCER {
            @Override
            void run(Path path) throws IOException {
                try (RingFile ring = RingFile.open(path)) {
                    assertThrows(IllegalStateException.class, ring::producer);
                }
            }
        };

        abstract void run(Path path) throws IOException;
    }

    @ParameterizedTest
    @EnumSource(Reopen.class)
    void producerRoleSurvivesAnotherOpenAndCloseInTheSameProcess(Reopen reopen) throws Exception {
        RingFile.create(path, People.spec(64)).close();
        try (PeopleProducer out = PeopleProducer.open(path)) {
            assertTrue(out.offer(1, "before"));
            reopen.run(path);
            try (Jvm other = Jvm.start("try-role", path.toString(), "producer")) {
                assertEquals("alive true", other.await("alive", 30_000), "another process still sees the producer");
                final String outcome = other.await("", 30_000);
                assertEquals("refused ring " + path + ": the producer role is held by another process", outcome,
                    "another process must not get the producer role while this one holds it");
            }
            assertTrue(out.offer(2, "after"), "the producer keeps committing");
        }
    }

    @Test
    void consumerRoleSurvivesAHealthCheckInTheSameProcess() throws Exception {
        RingFile.create(path, People.spec(64)).close();
        try (PeopleConsumer in = PeopleConsumer.open(path)) {
            Reopen.HEALTH_CHECK.run(path);
            Reopen.READ_ONLY.run(path);
            try (Jvm other = Jvm.start("try-role", path.toString(), "consumer")) {
                assertEquals("alive true", other.await("alive", 30_000));
                assertEquals("refused ring " + path + ": the consumer role is held by another process", other.await("", 30_000));
            }
            assertEquals(0, in.poll(p -> { }, 16));
        }
    }

    @Test
    void probesInThisProcessNeverMakeAnotherProcessRefuseTheRole() throws Exception {
        RingFile.create(path, People.spec(64)).close();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong probes = new AtomicLong();
        final Thread prober = new Thread(() -> {
            try (RingFile ring = RingFile.openReadOnly(path)) {
                while (!stop.get()) {
                    ring.isProducerAlive();
                    probes.incrementAndGet();
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "prober");
        prober.start();
        try (Jvm churner = Jvm.start("churn-producer", path.toString(), "300")) {
            churner.await("churning", 30_000);
            final String outcome = churner.await("refused", 120_000);
            assertEquals("refused 0 of 300", outcome, "a liveness probe must never make a role take fail ("
                + probes.get() + " probes meanwhile)");
        } finally {
            stop.set(true);
            prober.join();
        }
        assertTrue(probes.get() > 300, "the prober really probed: " + probes.get());
    }

    @Test
    void probesInAnotherProcessNeverMakeThisProcessRefuseTheRole() throws Exception {
        RingFile.create(path, People.spec(64)).close();
        try (Jvm prober = Jvm.start("probe-producer", path.toString())) {
            prober.await("probing", 30_000);
            int refused = 0;
            for (int i = 0; i < 300; i++) {
                try (RingFile ring = RingFile.open(path); RingProducer producer = ring.producer()) {
                    producer.position();
                } catch (IllegalStateException e) {
                    refused++;
                }
            }
            assertTrue(prober.isAlive(), "the prober ran during every take: " + prober.output());
            assertEquals(0, refused, "producer takes refused because of a probe");
        }
    }

    @Test
    void aSecondProducerInThisProcessIsStillRefusedThroughAnotherRingFile() throws Exception {
        RingFile.create(path, People.spec(8)).close();
        try (RingFile first = RingFile.open(path); RingFile second = RingFile.open(path)) {
            try (RingProducer producer = first.producer()) {
                final IllegalStateException e = assertThrows(IllegalStateException.class, second::producer);
                assertEquals("ring " + path + ": the producer role is already held in this process", e.getMessage());
                assertTrue(second.isProducerAlive());
                assertEquals(0, producer.position());
            }
            assertFalse(second.isProducerAlive());
            try (RingProducer producer = second.producer()) {
                assertEquals(0, producer.position());
            }
        }
    }
}
