package io.mmapring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls that fail because of what is at the path, of the arguments, or of a close under them say so,
 * naming the ring: a FIFO or a directory is refused without opening it (opening a FIFO would block until
 * a writer came); an open timeout too long to count in nanoseconds waits, not overflows; a create in a
 * missing directory names the path, not the temporary file; a handler's own exception survives a close
 * in the handler; and on Java 22+, where {@link RingFile#close()} unmaps at once, an access racing the
 * close throws an exception that names the ring instead of the JDK's bare "Already closed".
 */
class ClosedUnderCallTest {
    private final Path path = TestRings.newPath("closed-under");
    private final List<Path> extra = new ArrayList<>();

    @AfterEach
    void deleteFiles() throws IOException {
        TestRings.delete(path);
        for (Path each : extra) {
            Files.deleteIfExists(each);
        }
    }

    @Test
    void aFifoIsRefusedUnopenedAsNotARegularFile() throws Exception {
        final Path fifo = path.resolveSibling(path.getFileName() + ".fifo");
        extra.add(fifo);
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        for (boolean readOnly : new boolean[] {true, false}) {
            final RingFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                RingFormatException.class, () -> (readOnly ? RingFile.openReadOnly(fifo) : RingFile.open(fifo)).close()));
            assertEquals("ring " + fifo + ": not a regular file (a FIFO, socket or device): not a ring file", e.getMessage());
        }
    }

    @Test
    void aDirectoryIsRefusedAsNotARegularFile() throws Exception {
        final Path directory = Files.createDirectory(path.resolveSibling(path.getFileName() + ".dir"));
        extra.add(directory);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.openReadOnly(directory).close());
        assertEquals("ring " + directory + ": not a regular file (a directory): not a ring file", e.getMessage());
    }

    @Test
    void anOpenTimeoutBeyondLongNanosecondsWaitsInsteadOfOverflowing() throws Exception {
        RingFile.create(path, People.spec(4)).close();
        try (RingFile ring = RingFile.open(path, ChronoUnit.FOREVER.getDuration())) {
            assertEquals(0, ring.backlog());
        }
        try (RingFile ring = RingFile.openReadOnly(path, Duration.ofSeconds(Long.MAX_VALUE))) {
            assertEquals(0, ring.backlog());
        }
        assertEquals("ring " + path + ": open timeout PT-1S (must be a duration of at least 0)",
            assertThrows(IllegalArgumentException.class, () -> RingFile.open(path, Duration.ofSeconds(-1))).getMessage());
        assertEquals("ring " + path + ": open timeout null (must be a duration of at least 0)",
            assertThrows(IllegalArgumentException.class, () -> RingFile.openReadOnly(path, null)).getMessage());
    }

    @Test
    void aCreateInAMissingDirectoryNamesThePathAndTheDirectory() {
        final Path missing = path.resolveSibling(path.getFileName() + ".no-such-dir").resolve("ring");
        final NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> RingFile.create(missing, People.spec(4)));
        assertEquals(missing + ": cannot create the ring: directory " + missing.getParent() + " does not exist", e.getMessage());
    }

    @Test
    void aHandlerThatClosesItsConsumerAndThrowsKeepsItsExceptionAsTheCause() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(4)); RingProducer producer = ring.producer()) {
            assertTrue(producer.offer(new byte[People.SIZE]));
            assertTrue(producer.offer(new byte[People.SIZE]));
            final RingConsumer consumer = ring.consumer();
            final RuntimeException own = new RuntimeException("the handler's own failure");
            final int[] calls = {0};
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.poll((buffer, offset) -> {
                if (++calls[0] == 2) { // the first record handled, then a close and a failure on the second
                    consumer.close();
                    throw own;
                }
            }, 10));
            assertEquals("ring " + path + ": consumer closed during a poll: positions [0, 1) were handled but not released"
                + " (the next consumer reads them again)", e.getMessage());
            assertSame(own, e.getCause());
            assertEquals(0, ring.head(), "nothing released without the role");
        }
    }

    @Test
    void aHandlerThatClosesItsConsumerAndAbortsIsToldTheConsumerIsClosed() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(4)); RingProducer producer = ring.producer()) {
            assertTrue(producer.offer(new byte[People.SIZE]));
            final RingConsumer consumer = ring.consumer();
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.controlledPoll((buffer, offset) -> {
                consumer.close();
                return RingConsumer.Action.ABORT;
            }, 10));
            assertEquals("ring " + path + ": consumer is closed", e.getMessage());
            assertEquals(0, ring.head());
        }
    }

    @Test
    void aRingClosedInsideTheHandlerFailsThePollNamingTheRing() throws Exception {
        final RingFile ring = RingFile.create(path, People.spec(4));
        try (RingProducer producer = ring.producer()) {
            for (int i = 0; i < 4; i++) {
                assertTrue(producer.offer(new byte[People.SIZE]));
            }
            final RingConsumer consumer = ring.consumer();
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.poll((buffer, offset) -> {
                try {
                    ring.close();
                } catch (IOException io) {
                    throw new AssertionError(io);
                }
            }, 10));
            assertTrue(e.getMessage().startsWith("ring " + path + ": consumer closed during a poll: positions [0, "), e.getMessage());
        } finally {
            ring.close();
        }
    }

    /** A close from another thread under a producer that refreshes head on every claim (a full ring): every failure names the ring. */
    @Test
    void everyFailureOfAProducerRacingACloseNamesTheRing() throws Exception {
        for (int round = 0; round < 100; round++) {
            TestRings.delete(path);
            final RingFile ring = RingFile.create(path, People.spec(1));
            final RingProducer producer = ring.producer();
            assertTrue(producer.offer(new byte[People.SIZE])); // full: every claim now refreshes head
            final Thread closer = closeSoon(ring);
            final Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    while (true) {
                        producer.offer(new byte[People.SIZE]);
                    }
                } catch (RuntimeException e) {
                    return e;
                }
            });
            closer.join();
            assertInstanceOf(IllegalStateException.class, failure);
            assertTrue(failure.getMessage().startsWith("ring " + path + ": "), failure.toString());
        }
    }

    /** The same for a consumer polling an empty ring (each empty poll reads head) and one counting with available(). */
    @Test
    void everyFailureOfAConsumerRacingACloseNamesTheRing() throws Exception {
        for (int round = 0; round < 100; round++) {
            TestRings.delete(path);
            final RingFile ring = RingFile.create(path, People.spec(1));
            final RingConsumer consumer = ring.consumer();
            final boolean zeroCopy = round % 2 == 1;
            final Thread closer = closeSoon(ring);
            final Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    while (true) {
                        if (zeroCopy) {
                            consumer.consume(consumer.available(1));
                        } else {
                            consumer.poll((buffer, offset) -> { }, 1);
                        }
                    }
                } catch (RuntimeException e) {
                    return e;
                }
            });
            closer.join();
            assertInstanceOf(IllegalStateException.class, failure);
            assertTrue(failure.getMessage().startsWith("ring " + path + ": "), failure.toString());
        }
    }

    private static Thread closeSoon(RingFile ring) {
        final long delayNanos = ThreadLocalRandom.current().nextLong(1_000, 200_000);
        final Thread closer = new Thread(() -> {
            final long until = System.nanoTime() + delayNanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            try {
                ring.close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "closer");
        closer.start();
        return closer;
    }
}
