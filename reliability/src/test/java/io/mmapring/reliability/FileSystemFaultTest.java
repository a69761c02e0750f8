package io.mmapring.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File-system faults: a ring truncated while mapped (in child JVMs, on JDK 17 and on JDK 25 when
 * installed), a ring deleted and re-created while mapped, and creation with too little space (a
 * 1 MiB tmpfs when the test may mount one, and a file size limit set with {@code ulimit -f}).
 * What each case does is written to {@code target/filesystem-faults.properties}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FileSystemFaultTest {
    static final String JDK25_HOME = System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");
    static final String JDK17_HOME = System.getProperty("jdk17.home",
        "17".equals(System.getProperty("java.specification.version")) ? System.getProperty("java.home") : "/usr/lib/jvm/java-17-openjdk-amd64");
    private static final Map<String, Object> FIGURES = new LinkedHashMap<>();

    private Path dir;
    private final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void scratch() throws IOException {
        dir = Reports.scratchDir("fsfault");
    }

    @AfterEach
    void cleanUp() throws IOException {
        children.forEach(ChildJvm::close);
        Reports.deleteTree(dir);
        Reports.write("filesystem-faults", FIGURES);
    }

    @Test
    void truncatedWhileMappedRaisesInternalErrorAndTheJvmSurvivesOnJdk17() throws Exception {
        final String java = ChildJvm.javaOf(JDK17_HOME);
        Assumptions.assumeTrue(java != null, "JDK 17 not installed at " + JDK17_HOME + " (set -Djdk17.home)");
        truncation("jdk17", java);
    }

    @Test
    void truncatedWhileMappedRaisesInternalErrorAndTheJvmSurvivesOnJdk25() throws Exception {
        final String java = ChildJvm.javaOf(JDK25_HOME);
        Assumptions.assumeTrue(java != null, "JDK 25 not installed at " + JDK25_HOME + " (set -Djdk25.home)");
        truncation("jdk25", java);
    }

    /**
     * Touching a page of a mapping beyond the end of its file raises SIGBUS. HotSpot turns a SIGBUS in an
     * Unsafe/ScopedMemoryAccess access (which is what VarHandles and ByteBuffer gets and puts on a mapped
     * buffer compile to) into an InternalError for that access, in the interpreter and in compiled code.
     * The test pins that: the read beyond end of file throws InternalError and delivers nothing, the write
     * raises exactly one InternalError (on JDK 17, in JIT-compiled code, asynchronously: the store is
     * skipped, the method returns, and the error surfaces at a later safepoint of the thread), and the
     * JVM survives. A JVM that died of the SIGBUS instead fails it.
     */
    private void truncation(String jdk, String java) throws Exception {
        for (int warm : new int[] {0, 20_000}) {
            final Path path = dir.resolve("ring-" + jdk + "-" + warm);
            try (RingFile ring = RingFile.create(path, People.spec(1024))) {
                assertEquals(1024, ring.spec().capacity());
            }
            final List<String> jvm = new ArrayList<>(ChildJvm.SMALL_JVM);
            jvm.add("-XX:ErrorFile=" + dir.resolve("hs_err_" + jdk + "_%p.log"));
            final ChildJvm child = ChildJvm.start("truncate-" + jdk + "-warm" + warm, ChildJvm.javaCommand(java,
                System.getProperty("java.class.path"), jvm, TruncatedRingChild.class, path.toString(), Integer.toString(warm), "4096"));
            children.add(child);
            final int exit = child.waitFor(Duration.ofSeconds(120));
            final String out = child.transcript();
            final String key = "truncate." + jdk + (warm == 0 ? ".cold" : ".jitWarm");
            FIGURES.put(key + ".exit", exit);
            FIGURES.put(key + ".consumerRead", line(out, "CONSUMER-READ "));
            FIGURES.put(key + ".producerWrite", line(out, "PRODUCER-WRITE "));
            FIGURES.put(key + ".hsErr", hsErr(jdk));
            System.out.println("[" + key + "] exit " + exit + "\n" + out);
            assertEquals(0, exit, "the JVM died of the SIGBUS (" + hsErr(jdk) + "); output:\n" + out);
            assertTrue(out.contains("ALIVE"), out);
            final String internal = "java.lang.InternalError";
            // the read beyond EOF delivers nothing: it throws, at the access or (compiled code, JDK 17) just after
            final String read = line(out, "CONSUMER-READ ");
            assertTrue(read.startsWith("threw " + internal) || read.startsWith("returned 0, then late " + internal), out);
            // the write beyond EOF raises one InternalError, at the access or just after
            final String write = line(out, "PRODUCER-WRITE ");
            assertTrue(write.startsWith("threw " + internal) || write.startsWith("returned, then late " + internal), out);
        }
    }

    @Test
    void deletedAndRecreatedWhileMappedSplitsTheRingInTwoUntilEachSideReopens() throws Exception {
        final Path path = dir.resolve("ring");
        RingFile.create(path, People.spec(256)).close();
        final byte[] field = new byte[People.NAME_LENGTH];
        try (RingFile old = RingFile.open(path)) {
            final RingConsumer oldConsumer = old.consumer();
            final ChildJvm producer = ChildJvm.start("producer-old-file", ProducerChild.class, path.toString(), "8", "1");
            children.add(producer);
            assertEquals("READY 0", producer.await("READY ", Duration.ofSeconds(60)));
            final long[] expected = {0};
            final RingConsumer.RecordHandler check = (buffer, offset) ->
                assertTrue(Traffic.matches(buffer, offset, expected[0]++, field), "record " + (expected[0] - 1));
            awaitRecords(oldConsumer, check, 1000);

            // replace the file while both sides map it
            try (RingFile fresh = RingFile.create(path, People.spec(256), RingFile.DEFAULT_PERMISSIONS, true)) {
                assertFalse(fresh.isProducerAlive(), "the new file's producer lock is free: the live producer locked the old inode");
                final long before = expected[0];
                awaitRecords(oldConsumer, check, before + 1000);
                assertEquals(0, fresh.producerPosition(), "the old producer keeps writing into the old (unlinked) file");
                try (RingConsumer newConsumer = fresh.consumer()) {
                    assertEquals(0, newConsumer.poll(check, 100), "a consumer of the new file sees nothing of the old");
                }
                FIGURES.put("replaced.oldSideKeepsWorking", "old producer -> old consumer moved " + (expected[0] - before)
                    + " more messages after the replacement; new file position " + fresh.producerPosition()
                    + ", new file isProducerAlive=" + fresh.isProducerAlive());
                // a producer restarted on the path attaches to the new file
                producer.kill();
                final ChildJvm restarted = ChildJvm.start("producer-new-file", ProducerChild.class, path.toString(), "8", "2");
                children.add(restarted);
                assertEquals("READY 0", restarted.await("READY ", Duration.ofSeconds(60)));
                try (RingConsumer newConsumer = fresh.consumer()) {
                    expected[0] = 0;
                    awaitRecords(newConsumer, check, 500);
                }
                assertTrue(fresh.isProducerAlive());
                restarted.send("stop");
                restarted.await("DONE ", Duration.ofSeconds(60));
                assertEquals(0, restarted.waitFor(Duration.ofSeconds(60)));
            }
        }
    }

    @Test
    void creationOnAFullTmpfsFailsAtCreationWithAClearError() throws Exception {
        final Path mount = dir.resolve("small");
        Files.createDirectories(mount);
        final Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        final boolean done = mounting.waitFor(30, TimeUnit.SECONDS);
        final String why = new String(mounting.getInputStream().readAllBytes());
        if (!done || mounting.exitValue() != 0) {
            mounting.destroyForcibly();
            FIGURES.put("tmpfs1m", "skipped: cannot mount a tmpfs here (" + why.trim() + ")");
            Assumptions.abort("skipped: cannot mount a 1 MiB tmpfs (needs root or CAP_SYS_ADMIN): " + why.trim());
        }
        try {
            final Path big = mount.resolve("big-ring");
            final IOException e = assertThrows(IOException.class, () -> RingFile.create(big, People.spec(8192)));
            assertTrue(e.getMessage().contains(big.toString()) && e.getMessage().contains("cannot allocate"), e.getMessage());
            assertFalse(Files.exists(big), "the half-made file is deleted");
            // a ring that fits is created, and every one of its slots can be written: no SIGBUS later
            final Path small = mount.resolve("small-ring");
            try (RingFile ring = RingFile.create(small, People.spec(4096)); RingProducer producer = ring.producer()) {
                final People people = new People();
                while (producer.claim(1) == 1) {
                    Traffic.write(people, producer.buffer(), producer.recordOffset(0), producer.position());
                    producer.commit();
                }
                assertEquals(4096, producer.position());
            }
            FIGURES.put("tmpfs1m", "create of a 1.18 MB ring fails at creation: " + e.getMessage()
                + "; a 590 KB ring is created and filled");
        } finally {
            // lazy: this JVM still maps the small ring until the buffer is collected (no unmap on JDK 17)
            final Process umount = new ProcessBuilder("umount", "-l", mount.toString()).redirectErrorStream(true).start();
            if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
                umount.destroyForcibly();
                throw new IllegalStateException("umount -l " + mount + " failed: " + new String(umount.getInputStream().readAllBytes()));
            }
        }
    }

    @Test
    void creationBeyondTheFileSizeLimitFailsAtCreationWithAClearError() throws Exception {
        final String java = ChildJvm.thisJava();
        final String classPath = System.getProperty("java.class.path");
        // ulimit -f counts 1024-byte blocks: 256 KiB; a capacity 4096 ring is 590,208 bytes, 1024 is 147,840
        final Path big = dir.resolve("big-ring");
        final String tooBig = runUnderFileLimit(java, classPath, big, 4096);
        assertTrue(tooBig.contains("CREATE-FAILED java.io.IOException: ring " + big + ": cannot allocate"), tooBig);
        assertTrue(tooBig.contains("FILE-LEFT false"), tooBig);
        final String fits = runUnderFileLimit(java, classPath, dir.resolve("small-ring"), 1024);
        assertTrue(fits.contains("FILLED 1024"), fits);
        FIGURES.put("ulimitF256", line(tooBig, "CREATE-FAILED "));
    }

    private String runUnderFileLimit(String java, String classPath, Path path, int capacity) throws Exception {
        final String command = "ulimit -f 256; exec " + String.join(" ", ChildJvm.javaCommand(quote(java), quote(classPath),
            List.of("-Xmx64m", "-XX:-UsePerfData"), CreateRingChild.class, quote(path.toString()), Integer.toString(capacity)));
        final ChildJvm child = ChildJvm.start("ulimit-create-" + capacity, List.of("bash", "-c", command));
        children.add(child);
        final int exit = child.waitFor(Duration.ofSeconds(120));
        assertEquals(0, exit, "child under ulimit -f exited with " + exit + " (153 = killed by SIGXFSZ):\n" + child.transcript());
        return child.transcript();
    }

    private static void awaitRecords(RingConsumer consumer, RingConsumer.RecordHandler handler, long until) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (consumer.position() < until) {
            if (consumer.poll(handler, 256) == 0) {
                Thread.sleep(1);
            }
            assertTrue(System.nanoTime() < deadline, "no traffic: consumer at " + consumer.position() + ", waiting for " + until);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst().orElse("(none)");
    }

    private String hsErr(String jdk) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            final Path file = files.filter(p -> p.getFileName().toString().startsWith("hs_err_" + jdk)).findFirst().orElse(null);
            if (file == null) {
                return "none";
            }
            return Files.readAllLines(file).stream().filter(l -> l.contains("SIG")).findFirst().orElse("present");
        }
    }
}
