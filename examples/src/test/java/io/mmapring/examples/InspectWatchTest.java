package io.mmapring.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.mmapring.People;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code inspect --watch}: the live view, its end on a signal, and that it never writes to the ring. */
class InspectWatchTest {
    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-watch-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void deleteRing() throws IOException {
        Files.deleteIfExists(ring);
    }

    /** A quiet ring: 10 People published, nobody holding a role. */
    private void quietRing() throws IOException {
        try (RingFile file = RingFile.create(ring, People.spec(1024));
             PeopleProducer producer = new PeopleProducer(file.producer())) {
            for (int id = 0; id < 10; id++) {
                assertTrue(producer.offer(id, "person-" + id));
            }
        }
    }

    private static String[] run(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = PeopleRingCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** The data lines of a watch: they start with the time. */
    private static List<String[]> dataLines(String output) {
        return output.lines().filter(line -> line.matches("\\d\\d:\\d\\d:\\d\\d.*"))
            .map(line -> line.trim().split("\\s+")).collect(Collectors.toList());
    }

    /** Waits up to 60 s until the child's output satisfies {@code done}. */
    private static void await(ChildJvm child, Predicate<String> done, String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.test(child.output())) {
            if (!child.isAlive() || System.nanoTime() - deadline > 0) {
                fail(what + " did not happen; the watch's output:\n" + child.output());
            }
            Thread.sleep(50);
        }
    }

    /** Sends {@code signal} (INT or TERM) to {@code pid}, as Ctrl-C or {@code kill} would. */
    private static void signal(String signal, long pid) throws Exception {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    /** Whether this process ignores SIGINT: its children then inherit that, and Ctrl-C cannot reach them. */
    private static boolean sigintIgnored() throws IOException {
        final Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0; // bit of signal 2
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void watchOnALiveRingPrintsChangingPositionsAndExitsZeroOnASignal(String signal) throws Exception {
        if (signal.equals("INT")) {
            assumeFalse(sigintIgnored(), "this test JVM ignores SIGINT (started in the background of a non-interactive"
                + " shell), so its children do too: Ctrl-C cannot be simulated here");
        }
        try (ChildJvm writer = ChildJvm.start("write", "--ring", ring.toString(), "--count", "100000000", "--rate", "20000",
                 "--capacity", "1024", "--quiet", "--wait", "120");
             ChildJvm reader = ChildJvm.start("read", "--ring", ring.toString(), "--quiet", "--wait", "60", "--idle", "backoff");
             ChildJvm watch = startWatchWhenTheRingExists()) {
            await(watch, out -> dataLines(out).size() >= 5 && dataLines(out).get(dataLines(out).size() - 1)[7].equals("alive")
                && dataLines(out).get(dataLines(out).size() - 1)[8].equals("alive"), "five lines with both roles alive");
            if (signal.equals("INT")) {
                signal("INT", watch.pid());
            } else {
                ProcessHandle.of(watch.pid()).orElseThrow().destroy(); // SIGTERM
            }
            assertEquals(0, watch.waitFor(30), watch::output);
            final String out = watch.output();
            final List<String[]> lines = dataLines(out);
            final List<Long> producer = new ArrayList<>();
            final List<Long> consumer = new ArrayList<>();
            for (String[] line : lines) {
                producer.add(Long.parseLong(line[1]));
                consumer.add(Long.parseLong(line[2]));
            }
            for (int i = 1; i < lines.size(); i++) {
                assertTrue(producer.get(i) >= producer.get(i - 1) && consumer.get(i) >= consumer.get(i - 1), out);
            }
            assertTrue(producer.get(lines.size() - 1) > producer.get(0), () -> "the producer position moved\n" + out);
            assertTrue(consumer.get(lines.size() - 1) > consumer.get(0), () -> "the consumer position moved\n" + out);
            final String[] last = lines.get(lines.size() - 1);
            assertTrue(last[3].matches("\\d+(\\.\\d+[kM])?") && last[4].matches("\\d+(\\.\\d+[kM])?"), () -> "rates in\n" + out);
            assertTrue(out.startsWith("watching " + ring + ": 1024 slots of 144 bytes, every 200 ms, until interrupted (Ctrl-C);"), out);
            assertTrue(out.endsWith("inspect: stopped after " + lines.size() + " lines\n"), out);
            assertTrue(writer.isAlive() && reader.isAlive(), "the watch ended, the ring's users went on");
        }
    }

    /** Starts the watch once the writer has created the file (the watch's --wait covers a header still being written). */
    private ChildJvm startWatchWhenTheRingExists() throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(ring)) {
            if (System.nanoTime() - deadline > 0) {
                fail("the writer did not create " + ring);
            }
            Thread.sleep(20);
        }
        return ChildJvm.start("inspect", "--watch", "--interval", "200ms", "--wait", "10", ring.toString());
    }

    @Test
    void watchNeverChangesAByteOfAQuietRing() throws Exception {
        quietRing();
        final byte[] before = Files.readAllBytes(ring);
        final FileTime modified = Files.getLastModifiedTime(ring);
        Thread.sleep(20); // a write now would move the modification time visibly
        try (ChildJvm watch = ChildJvm.start("inspect", "--watch", "--interval", "50ms", ring.toString())) {
            await(watch, out -> dataLines(out).size() >= 10, "ten lines");
            ProcessHandle.of(watch.pid()).orElseThrow().destroy();
            assertEquals(0, watch.waitFor(30), watch::output);
        }
        assertEquals(0, Integer.parseInt(run("inspect", ring.toString())[0]));
        assertEquals(0, Integer.parseInt(run("inspect", "--watch", "--interval", "10ms", "--samples", "5", ring.toString())[0]));
        assertArrayEquals(before, Files.readAllBytes(ring), "inspect and inspect --watch changed the ring file");
        assertEquals(modified, Files.getLastModifiedTime(ring));
    }

    @Test
    void aQuietRingShowsItsPositionsBacklogAndRolesAndNoRateOnTheFirstLine() throws Exception {
        quietRing();
        final String[] run = run("inspect", "--watch", "--interval", "20ms", "--samples", "3", ring.toString());
        assertEquals("0", run[0], run[2]);
        final List<String> lines = run[1].lines().collect(Collectors.toList());
        assertEquals(6, lines.size(), run[1]);
        assertEquals("watching " + ring + ": 1024 slots of 144 bytes, every 20 ms, 3 lines; read-only, no role taken", lines.get(0));
        assertEquals("time                producer        consumer       in/s      out/s    backlog   full  producer  consumer",
            lines.get(1));
        final List<String[]> data = dataLines(run[1]);
        assertArrayEquals(new String[] {"10", "0", "-", "-", "10", "1.0%", "none", "none"},
            java.util.Arrays.copyOfRange(data.get(0), 1, 9), lines.get(2));
        for (int i = 1; i < 3; i++) {
            assertArrayEquals(new String[] {"10", "0", "0", "0", "10", "1.0%", "none", "none"},
                java.util.Arrays.copyOfRange(data.get(i), 1, 9), lines.get(2 + i));
        }
        assertEquals("inspect: stopped after 3 lines", lines.get(5));
    }

    @Test
    void watchEndsByItselfWhenNobodyReadsItsOutputAnyMore() throws Exception {
        quietRing();
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String pipeline = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
            + PeopleRingCli.class.getName() + " inspect --watch --interval 20ms '" + ring + "' | head -n 4; echo \"watch: ${PIPESTATUS[0]}\"";
        try (ChildJvm shell = ChildJvm.exec(List.of("bash", "-c", pipeline))) {
            assertEquals(0, shell.waitFor(60), shell::output); // a watch that ignored the closed pipe would never end
            final String out = shell.output();
            assertEquals(2, dataLines(out).size(), out);
            assertTrue(out.endsWith("watch: 0\n"), out);
        }
    }

    @Test
    void aRingReplacedWhileWatchedIsReopenedAndADeletedOneEndsTheWatchWithAnError() throws Exception {
        quietRing();
        try (ChildJvm watch = ChildJvm.start("inspect", "--watch", "--interval", "50ms", ring.toString())) {
            await(watch, out -> dataLines(out).size() >= 2, "two lines");
            RingFile.create(ring, People.spec(64), RingFile.DEFAULT_PERMISSIONS, true).close();
            await(watch, out -> out.contains("ring " + ring + " was replaced by a new file (64 slots of 144 bytes): watching the new one"),
                "the replacement");
            Files.delete(ring);
            assertEquals(PeopleRingCli.FAILED, watch.waitFor(30), watch::output);
            assertTrue(watch.output().contains("inspect: error: ring " + ring + ": the file was deleted while being watched"),
                watch::output);
        }
    }

    /** {@code setpriv} as found on the PATH, or null. */
    private static Path setpriv() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            final Path candidate = Path.of(dir, "setpriv");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * This test's class path copied where any user may read it (the local Maven repository is usually
     * private to its owner); entries in order, separated by ':'.
     */
    private static String readableClassPath(Path into) throws IOException {
        final StringBuilder classPath = new StringBuilder();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            final Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            final Path target = into.resolve(Integer.toString(n++) + (Files.isDirectory(source) ? "" : ".jar"));
            try (java.util.stream.Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    final Path copy = target.resolve(source.relativize(file).toString());
                    Files.copy(file, Files.isDirectory(source) ? copy : target);
                }
            }
            classPath.append(classPath.length() == 0 ? "" : java.io.File.pathSeparator).append(target);
        }
        return classPath.toString();
    }

    /** Runs the CLI in a JVM as user and group {@code nobody} (65534) through setpriv; returns its exit code and output. */
    private static String[] runAsNobody(Path setpriv, String classPath, String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534",
            "--clear-groups", "--", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:-UsePerfData", "-cp", classPath, PeopleRingCli.class.getName()));
        command.addAll(List.of(args));
        try (ChildJvm child = ChildJvm.exec(command)) {
            final int code = child.waitFor(60);
            return new String[] {Integer.toString(code), child.output()};
        }
    }

    @Test
    void inspectWorksForAUserWhoMayOnlyReadTheRingWhileItsProducerIsAlive() throws Exception {
        final Path setpriv = setpriv();
        assumeTrue("root".equals(System.getProperty("user.name")) && setpriv != null,
            "needs root and setpriv to run inspect as another user (user " + System.getProperty("user.name")
                + ", setpriv " + (setpriv == null ? "not found" : setpriv) + ")");
        final Path readable = Files.createTempDirectory("examples-watch-cp-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            final String classPath = readableClassPath(readable);
            try (RingFile file = RingFile.create(ring, People.spec(1024))) {
                assertTrue(file.spec().capacity() == 1024);
            }
            // a producer in another JVM fills the ring and keeps its role while it waits for room
            try (ChildJvm writer = ChildJvm.start("write", "--ring", ring.toString(), "--count", "2000", "--wait", "120",
                "--idle", "backoff")) {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!run("inspect", ring.toString())[1].contains("backlog            1024 of 1024")) {
                    if (!writer.isAlive() || System.nanoTime() - deadline > 0) {
                        fail("the writer did not fill the ring: " + writer.output());
                    }
                    Thread.sleep(20);
                }
                Files.setPosixFilePermissions(ring, PosixFilePermissions.fromString("r--r--r--"));
                final byte[] before = Files.readAllBytes(ring);

                final String[] plain = runAsNobody(setpriv, classPath, "inspect", ring.toString());
                assertEquals("0", plain[0], plain[1]);
                assertTrue(plain[1].contains("backlog            1024 of 1024\n")
                    && plain[1].contains("producer           alive (role lock held)\n")
                    && plain[1].contains("consumer           none\n"), plain[1]);
                final String[] watch = runAsNobody(setpriv, classPath, "inspect", "--watch", "--interval", "50ms",
                    "--samples", "3", ring.toString());
                assertEquals("0", watch[0], watch[1]);
                assertEquals(3, dataLines(watch[1]).size(), watch[1]);
                assertEquals("alive", dataLines(watch[1]).get(2)[7], watch[1]);
                // the same user may not take a role: the file really is read-only to it
                final String[] read = runAsNobody(setpriv, classPath, "read", "--ring", ring.toString(), "--wait", "0");
                assertEquals(Integer.toString(PeopleRingCli.FAILED), read[0], read[1]);
                assertTrue(read[1].contains(ring.toString()) && read[1].toLowerCase().contains("denied"), read[1]);
                assertArrayEquals(before, Files.readAllBytes(ring));
                assertTrue(writer.isAlive(), writer::output);
            }
        } finally {
            try (java.util.stream.Stream<Path> files = Files.walk(readable)) {
                for (Path file : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void badIntervalsAndSamplesWithoutWatchAreRefusedNamingTheOption() throws Exception {
        quietRing();
        final String[] word = run("inspect", "--watch", "--interval", "soon", ring.toString());
        assertEquals(Integer.toString(PeopleRingCli.USAGE), word[0]);
        assertTrue(word[2].contains("Invalid value for option '--interval': 'soon' is not a duration (examples: 1s, 500ms, 2.5s, 1m, 1h)"),
            word[2]);
        final String[] tiny = run("inspect", "--watch", "--interval", "5ms", ring.toString());
        assertTrue(tiny[2].contains("Invalid value for option '--interval': '5ms' is outside 10ms..1h"), tiny[2]);
        final String[] samples = run("inspect", "--samples", "3", ring.toString());
        assertEquals(Integer.toString(PeopleRingCli.USAGE), samples[0]);
        assertTrue(samples[2].contains("inspect: error: --samples 3 needs --watch"), samples[2]);
        assertEquals(new InspectCommand.IntervalConverter().convert("2.5s"), java.time.Duration.ofMillis(2500));
        assertEquals(new InspectCommand.IntervalConverter().convert("2"), java.time.Duration.ofSeconds(2));
        assertEquals(new InspectCommand.IntervalConverter().convert("1m"), java.time.Duration.ofMinutes(1));
    }
}
