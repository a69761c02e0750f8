package io.mmapring.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.mmapring.People;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code demo}: the same People through the ring, a Unix domain socket and a pipe, each checked by a
 * real second JVM; the round trips; the table; and the exit code when anything is lost.
 */
class DemoTest {
    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-demo-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void deleteRing() throws IOException {
        Files.deleteIfExists(ring);
    }

    /** Runs {@code demo} in this JVM (its peers are real JVMs), with {@code skipId} set on the command. */
    private static String[] runDemo(int skipId, String... args) {
        final CommandLine cli = new CommandLine(new PeopleRingCli()).setCaseInsensitiveEnumValuesAllowed(true);
        final DemoCommand demo = cli.getSubcommands().get("demo").getCommand();
        demo.skipId = skipId;
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        final String[] all = new String[args.length + 1];
        all[0] = "demo";
        System.arraycopy(args, 0, all, 1, args.length);
        final int code = cli.execute(all);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void everyPeopleArrivesOnEveryTransportAndTheTableComparesThem() throws Exception {
        // a second JVM, as the README runs it; yield: the test machine may have only two cores
        try (Child demo = Child.cli("demo", "--count", "200000", "--round-trips", "2000", "--warmup", "1000", "--idle", "yield")) {
            assertEquals(0, demo.waitFor(120), demo::output);
            final String out = demo.output();
            final List<String> lines = out.lines().collect(Collectors.toList());
            assertTrue(out.contains("  wait: the ring's two sides yield while they wait (--idle yield)"), out);
            for (String source : new String[] {"ring ", "socket ", "standard input"}) {
                assertTrue(lines.stream().anyMatch(line -> line.contains("read 200000 People from " + source)
                    && line.endsWith("lost 0, out of order 0, duplicates 0, bad names 0: OK")), () -> source + " in\n" + out);
            }
            assertEquals(3, lines.stream().filter(line -> line.contains(
                "20000 to warm up, then 140000 in batches of 64 (")).count(), out);
            assertEquals(2, lines.stream().filter(line -> line.contains("round trip (us): p50 ")
                && line.contains(", 2000 samples)")).count(), out);
            final Pattern number = Pattern.compile("\\d+\\.\\d\\d");
            final String value = "\\s+(\\d+\\.\\d\\d)";
            assertTrue(Pattern.compile("\\n  ring \\(mmap\\)" + value + value + value + " / " + number + "\\n").matcher(out).find(), out);
            assertTrue(Pattern.compile("\\n  Unix domain socket" + value + value + "\\s+" + number + " / " + number
                + "\\s+\\d[\\d.]*x; \\d[\\d.]*x; \\d[\\d.]*x; \\d[\\d.]*x\\n").matcher(out).find(), out);
            assertTrue(Pattern.compile("\\n  pipe \\(stdin\\)" + value + value + "\\s+-\\s+\\d[\\d.]*x; \\d[\\d.]*x\\n").matcher(out).find(), out);
            assertTrue(out.endsWith("demo: OK, every People arrived once, in order, with its name\n"), out);
        }
    }

    @Test
    void aPeopleLostOnTheWayFailsEveryTransportAndTheExitCode() {
        final String[] run = runDemo(54_321, "--count", "100000", "--round-trips", "0", "--idle", "yield");
        final String out = run[1];
        assertEquals("1", run[0], out + run[2]);
        for (String source : new String[] {"ring ", "socket ", "standard input"}) {
            assertTrue(out.contains("read 100000 People from " + source), () -> source + " in\n" + out);
        }
        assertEquals(3, out.lines().filter(line -> line.contains("lost 1, out of order 0, duplicates 1, bad names 0: FAILED")).count(), out);
        assertTrue(out.endsWith("demo: FAILED on ring (mmap), Unix domain socket, pipe (stdin) (see above)\n"), out);
    }

    @Test
    void theReceiverReportsEveryKindOfFaultOnItsStandardInputAndExitsOne() throws IOException {
        final DemoRecords records = new DemoRecords();
        try (DemoPeer receiver = DemoPeer.start(60, "receive", "--stdin", "--count", "6", "--mark", "2")) {
            receiver.awaitLine("ready", 30);
            final OutputStream in = receiver.input();
            for (int id : new int[] {0, 1, 3, 2, 2}) { // 4 never comes: lost; then 5 with a torn name
                in.write(records.next(id));
            }
            final byte[] torn = records.next(5).clone();
            torn[People.NAME_OFFSET + 3] = '!';
            in.write(torn);
            in.flush();
            assertEquals("checked 2 People", receiver.awaitLine("checked ", 30));
            final String report = receiver.awaitLine("read ", 30);
            assertTrue(report.startsWith("read 6 People from standard input: "), report);
            assertTrue(report.endsWith("lost 1, out of order 1, duplicates 1, bad names 1 (first: id 5 has name \"per!on-5\","
                + " expected \"person-5\" and zeros): FAILED"), report);
            assertEquals(1, receiver.waitFor(30));
        }
    }

    @Test
    void theRingReceiverStopsWhenTheProducerLeavesEarlyAndCountsTheMissing() throws IOException {
        try (RingFile file = RingFile.create(ring, People.spec(64))) {
            final RingProducer producer = file.producer();
            final DemoRecords records = new DemoRecords();
            for (int id = 0; id < 3; id++) {
                assertTrue(producer.offer(records.next(id)));
            }
            try (DemoPeer receiver = DemoPeer.start(60, "receive", "--ring", ring.toString(), "--count", "5", "--idle", "yield")) {
                receiver.awaitLine("ready", 30);
                producer.close(); // gone after 3 of 5
                final String report = receiver.awaitLine("read ", 30);
                assertTrue(report.startsWith("read 3 People from ring " + ring), report);
                assertTrue(report.endsWith("lost 0, out of order 0, duplicates 0, bad names 0, missing 2 of 5: FAILED"), report);
                assertEquals(1, receiver.waitFor(30));
            }
        }
    }

    @Test
    void theSocketReceiverReportsTheMissingWhenTheSenderClosesEarly() throws Exception {
        final Path socket = Path.of(ring + ".sock");
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            try (DemoPeer receiver = DemoPeer.start(60, "receive", "--socket", socket.toString(), "--count", "4")) {
                try (java.nio.channels.SocketChannel channel = server.accept()) {
                    receiver.awaitLine("ready", 30);
                    final ByteBuffer two = ByteBuffer.allocate(2 * People.SIZE + 7).order(ByteOrder.LITTLE_ENDIAN);
                    final DemoRecords records = new DemoRecords();
                    two.put(records.next(0)).put(records.next(1)).put(new byte[7]).flip(); // and 7 bytes of a third
                    while (two.hasRemaining()) {
                        channel.write(two);
                    }
                }
                final String report = receiver.awaitLine("read ", 30);
                assertTrue(report.endsWith("bad names 0, missing 2 of 4: FAILED"), report);
                assertEquals(1, receiver.waitFor(30));
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void theDemoSpinsByDefaultOnlyOnTwoOrMoreCpusThatAreNotAlreadyBusy() {
        assertEquals(PeopleRingCli.Idle.SPIN, DemoCommand.defaultWait(2, 0.3));
        assertEquals(PeopleRingCli.Idle.SPIN, DemoCommand.defaultWait(2, -1)); // no load average known: CPUs only
        assertEquals(PeopleRingCli.Idle.SPIN, DemoCommand.defaultWait(8, 6.5));
        assertEquals(PeopleRingCli.Idle.YIELD, DemoCommand.defaultWait(2, 1.0));
        assertEquals(PeopleRingCli.Idle.YIELD, DemoCommand.defaultWait(2, 13.2));
        assertEquals(PeopleRingCli.Idle.YIELD, DemoCommand.defaultWait(1, 0));
    }

    /** Error output of a command line the CLI refuses (exit code 2, a bad command line), run as {@code main} would. */
    private static String refused(String... args) {
        final StringWriter err = new StringWriter();
        assertEquals(PeopleRingCli.USAGE, PeopleRingCli.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err)));
        return err.toString();
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionAndTheValue() {
        assertTrue(refused("demo", "--count", "9").startsWith("demo: error: --count 9 must be at least 10 (a tenth warms up,"));
        assertTrue(refused("demo", "--batch", "8192", "--capacity", "4096")
            .startsWith("demo: error: --batch 8192 must be between 1 and --capacity 4096"));
        assertTrue(refused("demo", "--timeout", "0").startsWith("demo: error: --timeout 0.0 must be positive"));
        assertTrue(refused("demo", "--round-trips", "-1").startsWith("demo: error: --round-trips -1 and --warmup 20000 must be at least 0"));
    }
}
