package io.mmapring.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers outlive producer restarts (issue 14 item 8): a reader with a count keeps waiting when its
 * producer leaves before the count, says so, and reads the rest from the next producer; the flag
 * (--stop-when-producer-exits, -x) keeps the old "stop when the producer leaves".
 */
class ProducerRestartTest {
    private static final String HALF = "500";
    private static final String ALL = "1000";

    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-restart-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void deleteRing() throws IOException {
        RingFiles.deleteWithLeftovers(ring);
    }

    @Test
    void readWithACountGetsEveryPeopleFromARestartedProducer() throws Exception {
        try (Child reader = Child.cli("read", "--ring", ring.toString(), "--quiet", "--count", ALL, "--wait", "30",
                 "--timeout", "90", "--idle", "yield")) {
            final CliRun first = new CliRun("write", "--ring", ring.toString(), "--count", HALF, "--capacity", "64", "--wait", "60");
            assertEquals(0, first.code, first::toString);
            reader.awaitOutput("read: ring " + ring + ": the producer is gone after 500 of 1000 People; waiting up to 30.0 s"
                + " (--wait) for a producer to come back", 60);
            final CliRun second = new CliRun("write", "--ring", ring.toString(), "--count", HALF, "--wait", "60");
            assertEquals(0, second.code, second::toString);
            assertTrue(second.out.contains("wrote 500 People (ids 500..999)"), second::toString);
            assertEquals(0, reader.waitFor(60), reader::output);
            assertTrue(reader.output().contains("read: ring " + ring + ": a producer is back after 500 of 1000 People"), reader::output);
            assertTrue(reader.output().contains("read 1000 People from " + ring)
                && reader.output().contains("lost 0, out of order 0, duplicates 0, bad names 0: OK"), reader::output);
        }
    }

    @Test
    void readStopsWhenTheProducerExitsWithTheFlag() throws Exception {
        try (Child reader = Child.cli("read", "--ring", ring.toString(), "--quiet", "--count", ALL, "--wait", "30",
                 "--timeout", "90", "--idle", "yield", "--stop-when-producer-exits")) {
            final CliRun first = new CliRun("write", "--ring", ring.toString(), "--count", HALF, "--capacity", "64", "--wait", "60");
            assertEquals(0, first.code, first::toString);
            assertEquals(PeopleRingCli.FAILED, reader.waitFor(60), reader::output);
            assertTrue(reader.output().contains("read 500 People") && reader.output().contains("missing 500 of 1000 (the producer left)"),
                reader::output);
        }
    }

    @Test
    void readWithACountGivesUpWhenNoProducerComesBackWithinTheWait() {
        assertEquals(0, new CliRun("write", "--ring", ring.toString(), "--count", "10", "--capacity", "16").code);
        final CliRun read = new CliRun("read", "--ring", ring.toString(), "--quiet", "--count", "20", "--wait", "0.5");
        assertEquals(PeopleRingCli.FAILED, read.code, read::toString);
        assertTrue(read.err.contains("the producer is gone after 10 of 20 People; waiting up to 0.5 s (--wait)"), read::toString);
        assertTrue(read.out.contains("read 10 People") && read.out.contains("missing 10 of 20 (no producer came back within"
            + " --wait 0.5 s)"), read::toString);
    }

    @Test
    void theCReaderWithACountGetsEveryPeopleFromARestartedProducer() throws Exception {
        final Path writer = CPrograms.program("people_writer");
        try (Child reader = Child.c(CPrograms.program("people_reader"), "-q", "-n", ALL, "-w", "30", "-t", "90", ring.toString())) {
            try (Child first = Child.c(writer, "-n", HALF, "-c", "64", "-w", "60", ring.toString())) {
                assertEquals(0, first.waitFor(60), first::output);
            }
            reader.awaitOutput("people_reader: ring " + ring + ": the producer is gone after 500 of 1000 People; waiting"
                + " up to 30 s (-w) for a producer to come back", 60);
            try (Child second = Child.c(writer, "-n", HALF, "-w", "60", ring.toString())) {
                assertEquals(0, second.waitFor(60), second::output);
                assertTrue(second.output().contains("wrote 500 People (ids 500..999)"), second::output);
            }
            assertEquals(0, reader.waitFor(60), reader::output);
            assertTrue(reader.output().contains("people_reader: ring " + ring + ": a producer is back"), reader::output);
            assertTrue(reader.output().contains("read 1000 People from " + ring)
                && reader.output().contains("lost 0, out of order or duplicate 0, bad names 0, missing 0: OK"), reader::output);
        }
    }

    @Test
    void theCReaderStopsWhenTheProducerExitsWithTheFlag() throws Exception {
        try (Child reader = Child.c(CPrograms.program("people_reader"), "-q", "-x", "-n", ALL, "-w", "30", "-t", "90", ring.toString())) {
            try (Child first = Child.c(CPrograms.program("people_writer"), "-n", HALF, "-c", "64", "-w", "60", ring.toString())) {
                assertEquals(0, first.waitFor(60), first::output);
            }
            assertEquals(1, reader.waitFor(60), reader::output);
            assertTrue(reader.output().contains("read 500 People") && reader.output().contains("missing 500 (the producer left)"),
                reader::output);
        }
    }

    @Test
    void theCReaderWithoutACountStillStopsWhenTheProducerIsGoneAndTheRingDrained() throws Exception {
        try (Child first = Child.c(CPrograms.program("people_writer"), "-n", "10", "-c", "16", ring.toString())) {
            assertEquals(0, first.waitFor(30), first::output);
        }
        assertTrue(Files.exists(ring));
        try (Child reader = Child.c(CPrograms.program("people_reader"), "-q", "-w", "5", ring.toString())) {
            assertEquals(0, reader.waitFor(30), reader::output);
            assertTrue(reader.output().contains("read 10 People") && reader.output().contains("missing 0: OK"), reader::output);
        }
    }
}
