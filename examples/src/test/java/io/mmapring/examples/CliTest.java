package io.mmapring.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import io.mmapring.People;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The CLI: in-process through {@link PeopleRingCli#execute}, and across processes as real JVMs. */
class CliTest {
    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-cli-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void deleteRing() throws IOException {
        Files.deleteIfExists(ring);
    }

    @ParameterizedTest
    @ValueSource(strings = {"write", "read", "demo", "pingpong", "pong", "inspect"})
    void everySubcommandHasHelp(String command) {
        final CliRun run = new CliRun(command, "--help");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith("Usage: people-ring " + command), run::toString);
    }

    @Test
    void noCommandIsAUsageError() {
        final CliRun run = new CliRun();
        assertEquals(PeopleRingCli.USAGE, run.code, run::toString);
        assertTrue(run.err.contains("a command is required"), run::toString);
    }

    @Test
    void writeAndReadAcrossTwoProcessesThroughASmallRing() throws Exception {
        try (Child writer = Child.cli("write", "--ring", ring.toString(), "--count", "300000", "--capacity", "1024",
                 "--idle", "yield", "--wait", "60");
             Child reader = Child.cli("read", "--ring", ring.toString(), "--quiet", "--wait", "30", "--timeout", "90",
                 "--idle", "yield")) {
            assertEquals(0, writer.waitFor(100), writer::output);
            assertEquals(0, reader.waitFor(100), reader::output);
            assertTrue(writer.output().contains("wrote 300000 People (ids 0..299999) to " + ring), writer::output);
            // no --count: the reader stopped because the producer left and the ring was drained
            assertTrue(reader.output().contains("read 300000 People from " + ring)
                && reader.output().contains("lost 0, out of order 0, duplicates 0, bad names 0: OK"), reader::output);
        }
    }

    @Test
    void successiveWritersContinueTheIdsAndTheReaderPrintsThem() {
        assertEquals(0, new CliRun("write", "--ring", ring.toString(), "--count", "2", "--capacity", "16").code);
        assertEquals(0, new CliRun("write", "--ring", ring.toString(), "--count", "2", "--name", "p").code);
        final CliRun read = new CliRun("read", "--ring", ring.toString(), "--count", "2", "--wait", "1");
        assertEquals(0, read.code, read::toString);
        assertTrue(read.out.startsWith("id=0 name=person-0\nid=1 name=person-1\nread 2 People"), read::toString);
        final CliRun rest = new CliRun("read", "--ring", ring.toString(), "--name", "p", "--wait", "1");
        assertEquals(0, rest.code, rest::toString);
        assertTrue(rest.out.startsWith("id=2 name=p-2\nid=3 name=p-3\nread 2 People"), rest::toString);
    }

    @Test
    void readReportsLostIdsAndFails() {
        assertEquals(0, new CliRun("write", "--ring", ring.toString(), "--count", "100", "--capacity", "128",
            "--first-id", "5").code);
        final CliRun read = new CliRun("read", "--ring", ring.toString(), "--quiet", "--first-id", "0", "--wait", "1");
        assertEquals(PeopleRingCli.FAILED, read.code, read::toString);
        assertTrue(read.out.contains("read 100 People") && read.out.contains("lost 5, out of order 0, duplicates 0")
            && read.out.endsWith(": FAILED\n"), read::toString);
    }

    @Test
    void readReportsDuplicateAndOutOfOrderIdsAndBadNames() throws IOException {
        try (RingFile file = RingFile.create(ring, People.spec(16));
             PeopleProducer out = new PeopleProducer(file.producer())) {
            out.offer(0, "person-0");
            out.offer(2, "person-2");
            out.offer(1, "person-1"); // late: out of order
            out.offer(1, "person-1"); // again: duplicate
            out.offer(3, "mallory");  // right id, wrong name
        }
        final CliRun read = new CliRun("read", "--ring", ring.toString(), "--quiet", "--wait", "1");
        assertEquals(PeopleRingCli.FAILED, read.code, read::toString);
        assertTrue(read.out.contains("read 5 People") && read.out.contains("lost 0, out of order 1, duplicates 1, bad names 1")
            && read.out.contains("bad name: id 3 has name \"mallory\""), read::toString);
    }

    @Test
    void readWithCountFailsWhenTheProducerLeavesEarly() {
        assertEquals(0, new CliRun("write", "--ring", ring.toString(), "--count", "10", "--capacity", "16").code);
        final CliRun read = new CliRun("read", "--ring", ring.toString(), "--quiet", "--count", "20", "--wait", "1");
        assertEquals(PeopleRingCli.FAILED, read.code, read::toString);
        assertTrue(read.out.contains("read 10 People") && read.out.contains("missing 10 of 20"), read::toString);
    }

    @Test
    void readGivesUpWithAClearErrorWhenNoRingAppears() {
        final CliRun read = new CliRun("read", "--ring", ring.toString(), "--wait", "0.2");
        assertEquals(PeopleRingCli.FAILED, read.code, read::toString);
        assertTrue(read.err.contains("ring " + ring + ": no such file after waiting 0.2 s"), read::toString);
    }

    @Test
    void writeRefusesANameThatCannotHoldTheId() {
        final CliRun run = new CliRun("write", "--ring", ring.toString(), "--count", "1", "--name", "x".repeat(120));
        assertEquals(PeopleRingCli.USAGE, run.code, run::toString);
        assertTrue(run.err.contains("--name prefix of 120 UTF-8 bytes exceeds 115"), run::toString);
        assertTrue(Files.notExists(ring), "nothing is created for a refused command line");
    }

    @Test
    void inspectPrintsTheHeaderAndTheState() throws Exception {
        assertEquals(0, new CliRun("write", "--ring", ring.toString(), "--count", "10", "--capacity", "1024").code);
        final CliRun idle = new CliRun("inspect", ring.toString());
        assertEquals(0, idle.code, idle::toString);
        final List<String> lines = idle.out.lines().collect(Collectors.toList());
        for (String line : new String[] {"ring               " + ring, "magic              0x474e495250414d4d (\"MMAPRING\")",
            "format version     1", "record size        132 bytes (People: char name[128] + int id)",
            "slot stride        144 bytes", "sequence offset    136", "capacity           1024 slots",
            "data offset        384", "file length        147840 bytes", "head               0 (consumer position)",
            "tail               10", "producer position  10", "backlog            10 of 1024",
            "producer           none", "consumer           none"}) {
            assertTrue(lines.contains(line), () -> line + " in\n" + idle);
        }
        assertEquals(15, lines.size(), idle::toString);
        // a writer in another JVM blocked on the full ring holds the producer role: inspect sees it alive
        try (Child writer = Child.cli("write", "--ring", ring.toString(), "--count", "2000", "--wait", "60", "--idle", "backoff")) {
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            CliRun busy;
            do {
                if (!writer.isAlive() || System.nanoTime() - deadline > 0) {
                    fail("the writer did not fill the ring: " + writer.output());
                }
                Thread.sleep(20);
                busy = new CliRun("inspect", ring.toString());
            } while (!busy.out.contains("backlog            1024 of 1024"));
            assertTrue(busy.out.contains("producer           alive") && busy.out.contains("consumer           none"), busy::toString);
        }
    }

    @Test
    void inspectRefusesAFileThatIsNotARingWithTheLibrarysError() throws IOException {
        Files.write(ring, "#!/bin/sh\necho this is a shell script, not a ring\n".repeat(20).getBytes(StandardCharsets.US_ASCII));
        final CliRun run = new CliRun("inspect", ring.toString());
        assertEquals(PeopleRingCli.FAILED, run.code, run::toString);
        assertTrue(run.err.contains("ring " + ring + ": magic 0x") && run.err.contains("is not MMAPRING")
            && run.err.contains("not a ring file"), run::toString);
        assertEquals("", run.out);
    }

    @Test
    void inspectRefusesAShortFileAndAMissingOne() throws IOException {
        Files.write(ring, new byte[10]);
        final CliRun shortFile = new CliRun("inspect", "--wait", "0", ring.toString());
        assertEquals(PeopleRingCli.FAILED, shortFile.code, shortFile::toString);
        assertTrue(shortFile.err.contains("ring " + ring + ": file length 10 is shorter than the header (384 bytes)"), shortFile::toString);
        final CliRun missing = new CliRun("inspect", ring + ".missing");
        assertEquals(PeopleRingCli.FAILED, missing.code, missing::toString);
        assertTrue(missing.err.contains("no such file: " + ring + ".missing"), missing::toString);
    }

    @Test
    void pingpongPrintsPercentilesAndWritesAnHgrmFile() throws IOException {
        final Path hgrm = Paths.get(System.getProperty("basedir", "."), "target", "pingpong-test-" + ProcessHandle.current().pid() + ".hgrm");
        try {
            final CliRun run = new CliRun("pingpong", "--count", "3000", "--warmup", "1000", "--idle", "yield", "--hgrm", hgrm.toString());
            assertEquals(0, run.code, run::toString);
            assertTrue(run.out.contains("round trip (us): p50 ") && run.out.contains(", p99.9 ")
                && run.out.contains("3000 samples)"), run::toString);
            final String distribution = Files.readString(hgrm);
            assertTrue(distribution.contains("Value     Percentile TotalCount 1/(1-Percentile)")
                && distribution.contains("Total count    =         3000]"), distribution);
        } finally {
            Files.deleteIfExists(hgrm);
        }
    }

    @Test
    void pingpongOpenLoopRecordsEverySend() {
        final CliRun run = new CliRun("pingpong", "--rate", "20000", "--count", "4000", "--warmup", "500", "--idle", "yield");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.contains("open loop at 20000.0 msgs/s") && run.out.contains("4000 samples)"), run::toString);
    }

    @Test
    void pingpongOverExistingRingsWithAPongStartedByHand() throws Exception {
        final Path out = Paths.get(ring + "-out");
        final Path in = Paths.get(ring + "-in");
        try {
            RingFile.create(out, People.spec(64)).close();
            RingFile.create(in, People.spec(64)).close();
            try (Child pong = Child.cli("pong", "--ping", out.toString(), "--pong", in.toString(), "--idle", "yield",
                     "--timeout", "90")) {
                final CliRun run = new CliRun("pingpong", "--out", out.toString(), "--in", in.toString(), "--no-echo",
                    "--count", "3000", "--warmup", "500", "--idle", "yield", "--timeout", "90");
                assertEquals(0, run.code, () -> run + "\npong:\n" + pong.output());
                assertTrue(run.out.contains("<-> an echo run elsewhere (--no-echo) over " + out + " -> " + in)
                    && run.out.contains("round trip (us): p50 ") && run.out.contains(", p99.9 ")
                    && run.out.contains("3000 samples)"), run::toString);
                // the pinger's producer is gone and everything is echoed: the pong started by hand ends too
                assertEquals(0, pong.waitFor(30), pong::output);
            }
            assertTrue(Files.exists(out) && Files.exists(in), "rings it did not create are left in place");
            try (RingFile echoed = RingFile.open(in)) {
                assertEquals(3500, echoed.producerPosition(), "one echo per round trip, warm-up included");
                assertEquals(0, echoed.backlog(), "every echo was read");
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(in);
        }
    }

    @Test
    void pingpongWithNoEchoFailsClearlyWhenNobodyEchoes() throws IOException {
        final Path out = Paths.get(ring + "-out");
        final Path in = Paths.get(ring + "-in");
        try {
            RingFile.create(out, People.spec(64)).close();
            RingFile.create(in, People.spec(64)).close();
            final CliRun run = new CliRun("pingpong", "--out", out.toString(), "--in", in.toString(), "--no-echo",
                "--timeout", "0.5");
            assertEquals(PeopleRingCli.FAILED, run.code, run::toString);
            assertTrue(run.err.contains("no echo within 0.5 s: ring " + out + " has no consumer, ring " + in
                + " has no producer"), run::toString);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(in);
        }
    }

    @Test
    void pingpongRefusesNoEchoWithoutRingsAndARingWithLeftovers() throws IOException {
        final CliRun noRings = new CliRun("pingpong", "--no-echo");
        assertEquals(PeopleRingCli.USAGE, noRings.code, noRings::toString);
        assertTrue(noRings.err.contains("--no-echo needs --out and --in"), noRings::toString);
        final CliRun half = new CliRun("pingpong", "--out", ring.toString());
        assertEquals(PeopleRingCli.USAGE, half.code, half::toString);
        assertTrue(half.err.contains("--out and --in go together"), half::toString);
        final Path in = Paths.get(ring + "-in");
        try {
            try (RingFile file = RingFile.create(in, People.spec(16));
                 PeopleProducer old = new PeopleProducer(file.producer())) {
                old.offer(7, "left-over");
            }
            RingFile.create(ring, People.spec(16)).close();
            final CliRun leftover = new CliRun("pingpong", "--out", ring.toString(), "--in", in.toString(), "--no-echo");
            assertEquals(PeopleRingCli.FAILED, leftover.code, leftover::toString);
            assertTrue(leftover.err.contains("--in ring " + in + ": backlog 1 (head 0, producer position 1)"), leftover::toString);
        } finally {
            Files.deleteIfExists(in);
        }
    }

    @Test
    void demoMovesAMillionPeopleAndExitsZero() throws Exception {
        try (Child demo = Child.cli("demo")) {
            assertEquals(0, demo.waitFor(110), demo::output);
            final String out = demo.output();
            assertTrue(out.contains("read 1000000 People from ring ")
                && out.contains("read 1000000 People from ")
                && out.contains("lost 0, out of order 0, duplicates 0, bad names 0: OK")
                && out.contains("round trip (us): p50 ")
                && out.endsWith("demo: OK, every People arrived once, in order, with its name\n"), out);
        }
    }
}
