package io.mmapring.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import io.mmapring.People;
import io.mmapring.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A creator that dies never leaves a path that blocks everyone (issue 14 item 7): a ring is made whole
 * under a temporary name and only then moved to its path; leftovers of dead creators are removed by the
 * next one; a half-made file of an older version is refused with an error that says what to do.
 */
class CreationTest {
    /** 8388608 People slots: a 1.2 GB file, long enough to create that the kill lands during creation. */
    private static final String BIG = "8388608";

    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-create-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void deleteRing() throws IOException {
        RingFiles.deleteWithLeftovers(ring);
    }

    @Test
    void aCWriterKilledDuringCreationLeavesNoHalfMadeRing() throws Exception {
        final long killed = killDuringCreation(Child.c(CPrograms.program("people_writer"), "-n", "0", "-c", BIG, ring.toString()));
        assertAbsentOrWhole(killed);
        // the next creator (C) removes the dead creator's temporary file; then every program works
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-n", "5", "-c", "16", ring.toString())) {
            assertEquals(0, writer.waitFor(30), writer::output);
        }
        assertEquals(List.of(), RingFiles.creatingFiles(ring), "the dead creator's temporary file is removed");
        assertEverySideWorks();
    }

    /** Needs the lead's atomic creation in RingFile.create (issue 14 item 7): on main the path is half-made. */
    @Test
    void aJavaWriterKilledDuringCreationLeavesNoHalfMadeRing() throws Exception {
        final long killed = killDuringCreation(Child.cli("write", "--ring", ring.toString(), "--capacity", BIG, "--count", "0"));
        assertAbsentOrWhole(killed);
        final CliRun write = new CliRun("write", "--ring", ring.toString(), "--count", "5", "--capacity", "16");
        assertEquals(0, write.code, write::toString);
        assertEquals(List.of(), RingFiles.creatingFiles(ring), "the dead creator's temporary file is removed");
        assertEverySideWorks();
    }

    @Test
    void theCWriterRemovesOnlyTheTemporaryFilesOfDeadCreators() throws Exception {
        final Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        final String prefix = "." + ring.getFileName() + ".creating-";
        final Path dead = Files.createFile(ring.resolveSibling(prefix + gone.pid() + "-0123456789abcdef"));
        final Path alive = Files.createFile(ring.resolveSibling(prefix + ProcessHandle.current().pid() + "-0123456789abcdef"));
        final Path notOurs = Files.createFile(ring.resolveSibling(prefix + "by-hand"));
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-n", "1", "-c", "16", ring.toString())) {
            assertEquals(0, writer.waitFor(30), writer::output);
        }
        assertTrue(Files.notExists(dead), "a dead creator's file is removed");
        assertTrue(Files.exists(alive), "a live creator's file is left alone");
        assertTrue(Files.exists(notOurs), "a name that is not <pid>-<hex> is left alone");
        try (RingFile file = RingFile.open(ring)) {
            assertEquals(1, file.producerPosition(), "the new ring is whole");
        }
    }

    @Test
    void aHalfMadeFileOfAnOlderCreatorGetsAMessageThatSaysWhatToDo() throws Exception {
        Files.write(ring, new byte[People.spec(16).fileLength()]); // full length, magic still 0
        final String message = "ring " + ring + ": magic is still 0 after waiting 1000 ms: not a complete ring file (its"
            + " creator probably died while creating it); delete it, or create the ring again with replace (-r)";
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-n", "1", "-w", "1", ring.toString())) {
            assertEquals(1, writer.waitFor(30), writer::output);
            assertTrue(writer.output().contains(message), writer::output);
        }
        try (Child reader = Child.c(CPrograms.program("people_reader"), "-q", "-w", "1", ring.toString())) {
            assertEquals(1, reader.waitFor(30), reader::output);
            assertTrue(reader.output().contains(message), reader::output);
        }
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-r", "-n", "3", "-c", "16", ring.toString())) {
            assertEquals(0, writer.waitFor(30), writer::output);
        }
        try (RingFile file = RingFile.open(ring)) {
            assertEquals(3, file.backlog(), "replaced by a whole ring");
        }
    }

    /** Needs the lead's message for a magic still 0 (issue 14 item 7). */
    @Test
    void aHalfMadeFileOfAnOlderCreatorGetsTheSameMessageFromReadAndWrite() throws Exception {
        Files.write(ring, new byte[People.spec(16).fileLength()]);
        final CliRun read = new CliRun("read", "--ring", ring.toString(), "--wait", "1");
        assertEquals(PeopleRingCli.FAILED, read.code, read::toString);
        assertTrue(read.err.contains("ring " + ring + ": magic is still 0 after waiting")
            && read.err.contains("not a complete ring file (its creator probably died while creating it)"), read::toString);
        final CliRun write = new CliRun("write", "--ring", ring.toString(), "--count", "1");
        assertEquals(PeopleRingCli.FAILED, write.code, write::toString);
        assertTrue(write.err.contains("its creator probably died while creating it"), write::toString);
    }

    /**
     * Kills (SIGKILL) the creator as soon as its file appears, under the ring's name or a temporary one;
     * returns its pid. Fails if it finished creating before it could be killed.
     */
    private long killDuringCreation(Child creator) throws Exception {
        try (creator) {
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Files.notExists(ring) && RingFiles.creatingFiles(ring).isEmpty()) {
                if (!creator.isAlive() || System.nanoTime() - deadline > 0) {
                    fail(creator + " did not start creating the ring: " + creator.output());
                }
                Thread.sleep(1);
            }
            if (creator.output().contains("wrote 0 People")) {
                fail(creator + " finished creating before it could be killed: " + creator.output());
            }
            return creator.pid();
        } // close: SIGKILL, and wait for the exit
    }

    private void assertAbsentOrWhole(long killed) throws IOException {
        final List<String> temps = RingFiles.creatingFiles(ring).stream().map(p -> p.getFileName().toString())
            .collect(Collectors.toList());
        assertTrue(temps.stream().allMatch(t -> t.contains(".creating-" + killed + "-")), temps::toString);
        if (Files.exists(ring)) {
            try (RingFile file = RingFile.open(ring, Duration.ofMillis(200))) {
                assertEquals(0, file.producerPosition(), "a whole, empty ring");
            } catch (IOException | RuntimeException e) {
                throw new AssertionError("the killed creator left a half-made file at " + ring + ": " + e.getMessage(), e);
            }
        }
    }

    /** After the recovery: Java write and read, the C writer and the C reader all work on the ring. */
    private void assertEverySideWorks() throws Exception {
        final CliRun read = new CliRun("read", "--ring", ring.toString(), "--quiet", "--count", "5", "--wait", "5");
        assertEquals(0, read.code, read::toString);
        final CliRun write = new CliRun("write", "--ring", ring.toString(), "--count", "5");
        assertEquals(0, write.code, write::toString);
        try (Child reader = Child.c(CPrograms.program("people_reader"), "-q", "-n", "5", "-w", "5", "-t", "20", ring.toString())) {
            assertEquals(0, reader.waitFor(30), reader::output);
        }
        try (Child writer = Child.c(CPrograms.program("people_writer"), "-n", "5", ring.toString())) {
            assertEquals(0, writer.waitFor(30), writer::output);
        }
        try (RingFile file = RingFile.open(ring)) {
            assertEquals(5, file.backlog());
        }
    }
}
