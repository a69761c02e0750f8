package io.mmapring.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;
import io.mmapring.RingLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The C programs check what Java checks (issue 14 items 4 and 9): the slots of [head, P) at role take,
 * the file length limit before anything is created, head moving backwards under a running writer, and
 * the 2^62 position bound.
 */
class CChecksTest {
    private static final int CAPACITY = 16;

    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-checks-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void deleteRing() throws IOException {
        RingFiles.deleteWithLeftovers(ring);
    }

    @Test
    void aTailMovedForwardWithinTheBoundsIsRefusedByTheCReaderAndWriterNamingTheSlot() throws Exception {
        try (RingFile file = RingFile.create(ring, People.spec(CAPACITY));
             PeopleProducer out = new PeopleProducer(file.producer())) {
            for (int id = 0; id < 4; id++) {
                assertTrue(out.offer(id, "person-" + id));
            }
        }
        // tail 4 -> 7: still <= head + capacity, so every bound holds; slots 4..6 were never published
        RingFiles.putLong(ring, RingLayout.TAIL_OFFSET, 7);
        final String refusal = "ring " + ring + ": slot 4 (position 4) holds sequence word 0, expected 5: tail or head was"
            + " moved (corrupted file)";
        try (Child reader = Child.c(CPrograms.program("people_reader"), "-q", "-n", "7", "-w", "1", "-t", "20", ring.toString())) {
            assertEquals(1, reader.waitFor(30), reader::output);
            assertTrue(reader.output().contains(refusal), reader::output);
            assertTrue(!reader.output().contains("read "), "refused before reading anything: " + reader.output());
        }
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-n", "1", "-w", "1", ring.toString())) {
            assertEquals(1, writer.waitFor(30), writer::output);
            assertTrue(writer.output().contains(refusal), writer::output);
        }
        assertEquals(7, RingFiles.getLong(ring, RingLayout.TAIL_OFFSET), "the refused writer must not move tail");
        assertEquals(0, RingFiles.getLong(ring, RingFiles.sequenceWord(CAPACITY, 7)), "nor publish past it");
    }

    /**
     * A word from a later lap under a tail that does not move cannot come from a valid producer (it
     * releases tail before the batch that laps): a snapshot refuses it at once instead of retrying it as a
     * producer at work, and the C reader refuses the file before reading anything.
     */
    @Test
    void aSequenceWordFromALaterLapUnderAStableTailIsCorruptionNotAStaleSnapshot() throws Exception {
        try (RingFile file = RingFile.create(ring, People.spec(CAPACITY));
             PeopleProducer out = new PeopleProducer(file.producer())) {
            for (int id = 0; id < 4; id++) {
                assertTrue(out.offer(id, "person-" + id));
            }
        }
        RingFiles.putLong(ring, RingFiles.sequenceWord(CAPACITY, 4), 4 + CAPACITY + 1);
        final String refusal = "ring " + ring + ": slot 4 (position 4) holds sequence word 21, from a later lap than tail 4"
            + " allows (corrupted file)";
        try (Child inspector = Child.c(CPrograms.program("people_reader"), "-i", "-w", "1", ring.toString())) {
            assertEquals(1, inspector.waitFor(30), inspector::output);
            assertTrue(inspector.output().contains(refusal), inspector::output);
        }
        try (Child reader = Child.c(CPrograms.program("people_reader"), "-q", "-w", "1", "-t", "20", ring.toString())) {
            assertEquals(1, reader.waitFor(30), reader::output);
            assertTrue(reader.output().contains(refusal) && !reader.output().contains("read "), reader::output);
        }
    }

    @Test
    void aFifoIsRefusedAtOnceByTheCReaderAndInspectorAsNotARegularFile() throws Exception {
        final Process mkfifo = new ProcessBuilder("mkfifo", ring.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        for (String mode : new String[] {"-i", "-q"}) {
            try (Child reader = Child.c(CPrograms.program("people_reader"), mode, "-w", "5", "-t", "20", ring.toString())) {
                assertEquals(1, reader.waitFor(4), reader::output); // at once: not after the 5 s wait for a header
                assertTrue(reader.output().contains("not a regular file (a FIFO, socket or device): not a ring file"), reader::output);
            }
        }
    }

    @Test
    void theCWriterRefusesACapacityBeyondTheFileLengthLimitBeforeCreatingAnything() throws Exception {
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-n", "1", "-c", "16777216", ring.toString())) {
            assertEquals(2, writer.waitFor(30), writer::output);
            assertTrue(writer.output().contains("people_writer: -c 16777216 makes a ring of 384 + 16777216 x 144 = 2415919488"
                + " bytes, more than the format's limit of 2147483647 bytes (at most -c 8388608 for People)"), writer::output);
        }
        assertTrue(Files.notExists(ring), "no file at the path");
        assertEquals(0, RingFiles.creatingFiles(ring).size(), "no temporary file either");
    }

    @Test
    void aHeadMovedBackwardsUnderARunningCWriterStopsItWithTheValues() throws Exception {
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-n", "1000", "-c", Integer.toString(CAPACITY),
                 "-w", "60", ring.toString())) {
            awaitProducerPosition(writer, CAPACITY);
            try (PeopleConsumer consumer = PeopleConsumer.open(ring)) {
                assertEquals(8, consumer.poll((people) -> { }, 8));
            }
            awaitProducerPosition(writer, 8 + CAPACITY); // the writer refreshed head = 8 and filled the ring again
            RingFiles.putLong(ring, RingLayout.HEAD_OFFSET, 2);
            assertEquals(1, writer.waitFor(20), writer::output);
            assertTrue(writer.output().contains("ring " + ring + ": head 2 moved outside [8, 24] (corrupted file, or a"
                + " second consumer)"), writer::output);
        }
        assertEquals(24, RingFiles.getLong(ring, RingLayout.TAIL_OFFSET), "the writer never moved backwards");
    }

    @Test
    void theCWriterStopsAtThe2To62BoundWithAClearError() throws Exception {
        RingFile.create(ring, People.spec(CAPACITY)).close();
        final long nearTheBound = RingLayout.MAX_POSITION - 3;
        RingFiles.putLong(ring, RingLayout.HEAD_OFFSET, nearTheBound);
        RingFiles.putLong(ring, RingLayout.TAIL_OFFSET, nearTheBound);
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-n", "10", "-w", "1", ring.toString())) {
            assertEquals(1, writer.waitFor(30), writer::output);
            assertTrue(writer.output().contains("ring " + ring + ": producer position 4611686018427387904 reached the"
                + " format's bound 2^62 (4611686018427387904): no more People can be published (published 3 of 10)"),
                writer.output());
        }
        assertEquals(RingLayout.MAX_POSITION, RingFiles.getLong(ring, RingLayout.TAIL_OFFSET));
        assertEquals(0, RingFiles.getLong(ring, RingFiles.sequenceWord(CAPACITY, RingLayout.MAX_POSITION)),
            "nothing published past the bound");
        // the three People below the bound are whole and readable
        try (Child reader = Child.c(CPrograms.program("people_reader"), "-q", "-n", "3", "-w", "1", "-t", "20", ring.toString())) {
            assertEquals(0, reader.waitFor(30), reader::output);
            assertTrue(reader.output().contains("read 3 People"), reader::output);
        }
        // and the next writer is stopped at once
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-n", "1", "-w", "1", ring.toString())) {
            assertEquals(1, writer.waitFor(30), writer::output);
            assertTrue(writer.output().contains("reached the format's bound 2^62") && writer.output().contains("published 0 of 1"),
                writer::output);
        }
    }

    /** Waits until the header's tail reaches {@code position} (read from the file, no role taken). */
    private void awaitProducerPosition(Child writer, long position) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(ring) || RingFiles.getLong(ring, RingLayout.TAIL_OFFSET) != position) {
            if (!writer.isAlive() || System.nanoTime() - deadline > 0) {
                fail("the writer did not reach position " + position + ": " + writer.output());
            }
            Thread.sleep(5);
        }
    }
}
