package io.mmapring.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.mmapring.People;
import io.mmapring.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Java and C on one ring, as concurrent processes, through 1024 slots: a million People each way, so
 * the ring wraps around ~1000 times. The reader starts only once the writer has filled the ring, so
 * the writer's full path is exercised too.
 */
class CInteropTest {
    private static final int COUNT = 1_000_000;
    private static final int CAPACITY = 1024;

    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-interop-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void deleteRing() throws IOException {
        Files.deleteIfExists(ring);
    }

    @Test
    void javaWritesAMillionPeopleAndTheCReaderVerifiesThemAll() throws Exception {
        final Path reader = CPrograms.program("people_reader");
        try (Child writer = Child.cli("write", "--ring", ring.toString(), "--count", Integer.toString(COUNT),
                 "--capacity", Integer.toString(CAPACITY), "--quiet", "--idle", "yield", "--wait", "60")) {
            awaitFull(writer);
            try (Child c = Child.c(reader, "-q", "-n", Integer.toString(COUNT), "-w", "30", "-t", "90", ring.toString())) {
                assertEquals(0, c.waitFor(100), c::output);
                assertTrue(c.output().contains("read " + COUNT + " People")
                    && c.output().contains("lost 0, out of order or duplicate 0, bad names 0, missing 0: OK"), c::output);
            }
            assertEquals(0, writer.waitFor(30), writer::output);
        }
    }

    @Test
    void cWritesAMillionPeopleAndTheJavaReaderVerifiesThemAll() throws Exception {
        final Path writerProgram = CPrograms.program("people_writer");
        try (Child writer = Child.c(writerProgram, "-n", Integer.toString(COUNT), "-c", Integer.toString(CAPACITY),
                 "-w", "60", ring.toString())) {
            awaitFull(writer);
            try (Child java = Child.cli("read", "--ring", ring.toString(), "--quiet", "--count", Integer.toString(COUNT),
                     "--wait", "30", "--timeout", "90", "--idle", "yield")) {
                assertEquals(0, java.waitFor(100), java::output);
                assertTrue(java.output().contains("read " + COUNT + " People")
                    && java.output().contains("lost 0, out of order 0, duplicates 0, bad names 0: OK"), java::output);
            }
            assertEquals(0, writer.waitFor(30), writer::output);
            assertTrue(writer.output().contains("wrote " + COUNT + " People (ids 0..999999)"), writer::output);
        }
    }

    @Test
    void theProducerRoleIsExclusiveAcrossLanguages() throws Exception {
        final Path writerProgram = CPrograms.program("people_writer");
        try (RingFile file = RingFile.create(ring, People.spec(CAPACITY))) {
            file.producer(); // this JVM holds the role (fcntl lock on byte 128)
            try (Child c = Child.c(writerProgram, "-n", "1", ring.toString())) {
                assertEquals(1, c.waitFor(30), c::output);
                assertTrue(c.output().contains("the producer role is held by another process"), c::output);
            }
            assertEquals(0, file.producerPosition(), "the refused C writer must not have published anything");
        }
        // once the Java producer is gone, the C writer takes the role
        try (Child c = Child.c(writerProgram, "-n", "3", ring.toString())) {
            assertEquals(0, c.waitFor(30), c::output);
        }
        try (RingFile file = RingFile.open(ring)) {
            assertEquals(3, file.producerPosition());
        }
    }

    @Test
    void theConsumerRoleIsExclusiveAcrossLanguages() throws Exception {
        try (RingFile file = RingFile.create(ring, People.spec(CAPACITY));
             Child c = Child.c(CPrograms.program("people_reader"), "-q", "-w", "60", ring.toString())) {
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!file.isConsumerAlive()) { // the C reader takes the role, then waits for a producer
                if (!c.isAlive() || System.nanoTime() - deadline > 0) {
                    fail("the C reader did not take the consumer role: " + c.output());
                }
                Thread.sleep(5);
            }
            final java.io.StringWriter err = new java.io.StringWriter();
            final int code = PeopleRingCli.execute(new String[] {"read", "--ring", ring.toString(), "--wait", "1"},
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err));
            assertEquals(PeopleRingCli.FAILED, code, err::toString);
            assertTrue(err.toString().contains("ring " + ring + ": the consumer role is held by another process"), err::toString);
        }
    }

    @Test
    void theCReaderRefusesAFileThatIsNotARingNamingTheField() throws Exception {
        Files.write(ring, "this is not a ring file, just some text that is long enough to hold a header. "
            .repeat(10).getBytes(StandardCharsets.US_ASCII));
        try (Child c = Child.c(CPrograms.program("people_reader"), "-q", "-w", "1", ring.toString())) {
            assertEquals(1, c.waitFor(30), c::output);
            assertTrue(c.output().contains("ring " + ring + ": magic 0x") && c.output().contains("not a ring file"), c::output);
        }
    }

    @Test
    void theCWriterCreatesARingThatJavaValidates() throws Exception {
        try (Child c = Child.c(CPrograms.program("people_writer"), "-n", "5", "-c", "64", "-p", "ada", ring.toString())) {
            assertEquals(0, c.waitFor(30), c::output);
        }
        try (RingFile file = RingFile.open(ring)) {
            assertEquals(People.spec(64), file.spec());
            assertEquals(0, file.head());
            assertEquals(5, file.tail());
            assertEquals(5, file.backlog());
        }
        final java.io.StringWriter out = new java.io.StringWriter();
        final int code = PeopleRingCli.execute(new String[] {"read", "--ring", ring.toString(), "--name", "ada", "--wait", "1"},
            new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(0, code, out::toString);
        assertTrue(out.toString().startsWith("id=0 name=ada-0\nid=1 name=ada-1\n"), out::toString);
    }

    @Test
    void theCReaderReportsLostIdsAndBadNamesAndFails() throws Exception {
        final java.io.StringWriter out = new java.io.StringWriter();
        assertEquals(0, PeopleRingCli.execute(new String[] {"write", "--ring", ring.toString(), "--count", "100",
            "--capacity", "128", "--first-id", "5", "--name", "alice"}, new java.io.PrintWriter(out), new java.io.PrintWriter(out)), out::toString);
        try (Child c = Child.c(CPrograms.program("people_reader"), "-q", "-f", "0", "-w", "1", ring.toString())) {
            assertEquals(1, c.waitFor(30), c::output);
            assertTrue(c.output().contains("read 100 People") && c.output().contains("lost 5, out of order or duplicate 0, bad names 100")
                && c.output().contains("bad name: id 5 has name \"alice-5\"") && c.output().contains(": FAILED"), c::output);
        }
    }

    /** Waits until the writer has filled the ring (backlog == capacity), bounded; fails if the writer dies. */
    private void awaitFull(Child writer) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!writer.isAlive()) {
                fail(writer + " exited before the ring was full:\n" + writer.output());
            }
            if (Files.exists(ring)) {
                try (RingFile file = RingFile.open(ring, Duration.ofSeconds(10))) {
                    if (file.backlog() == CAPACITY) {
                        assertTrue(file.isProducerAlive());
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    // the writer is still creating it
                }
            }
            if (System.nanoTime() - deadline > 0) {
                fail("the ring was not full within 60 s:\n" + writer.output());
            }
            Thread.sleep(5);
        }
    }
}
