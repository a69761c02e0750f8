package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a closed ring gives back, on each Java version: on Java 22+ (the multi-release jar's Arena mapping)
 * the mapping, and a deleted file's space, at once; on 17-21 at the next garbage collection, without
 * piling up mappings when the same ring is opened again and again, and without crashing when space runs out.
 * Every test prints what it measured.
 */
class ResourceTest {
    private final Path path = TestRings.newPath("resources");

    @TempDir
    Path scratch;

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    /** On Java 22+ from the jar (failsafe runs every test on it), the Arena version; from target/classes, or on 17-21, the other. */
    @Test
    void theMappingIsTheOneForThisJavaVersion() {
        final boolean fromJar = RingMapping.class.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith(".jar");
        final boolean expected = fromJar && Runtime.version().feature() >= 22;
        System.out.println("[resources] Java " + Runtime.version().feature() + ", RingMapping from " + (fromJar ? "the jar" : "classes")
            + ": unmaps on close = " + RingMapping.unmapsOnClose());
        assertEquals(expected, RingMapping.unmapsOnClose());
    }

    @Test
    void closeReleasesTheMappingAtOnceOnJava22AndLaterAndAtGcBefore() throws Exception {
        Assumptions.assumeTrue(Resources.available(), "needs /proc/self/maps");
        final ByteBuffer stale;
        try (RingFile ring = RingFile.create(path, People.spec(8)); RingProducer producer = ring.producer()) {
            producer.offer(new byte[People.SIZE]);
            stale = producer.buffer();
            assertTrue(Resources.mappingsOf(path) >= 1, "mapped while open");
        }
        final long after = Resources.mappingsOf(path);
        System.out.println("[resources] mappings of the ring after close: " + after);
        if (RingMapping.unmapsOnClose()) {
            assertEquals(0, after, "Java 22+: close() unmaps at once");
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> stale.getLong(RingLayout.TAIL_OFFSET));
            System.out.println("[resources] a buffer kept past close: " + e.getMessage());
        } else {
            assertTrue(after >= 1, "Java 17-21: the mapping stays until a garbage collection (documented)");
            assertEquals(1L, stale.getLong(RingLayout.TAIL_OFFSET), "and a kept buffer still reads it");
        }
    }

    /**
     * Create a 4.7 MB ring on a 16 MiB tmpfs, write to it, close it and delete it, 1,000 times. On Java
     * 22+ the space is back after every close; on 17-21 it comes back at a GC, which creation asks for
     * (once) when the file system is full, so the loop completes either way.
     */
    @Test
    void createWriteCloseDeleteOnASmallTmpfsNeverRunsOutOfSpace() throws Exception {
        OtherUser.assumeAvailable();
        final Path mount = Files.createDirectories(scratch.resolve("tmpfs"));
        Assumptions.assumeTrue(OtherUser.runAsRoot("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString()) == 0, "cannot mount a tmpfs");
        try {
            final FileStore store = Files.getFileStore(mount);
            final long empty = store.getUsableSpace();
            final Path ring = mount.resolve("ring");
            int spaceHeldAfterClose = 0;
            long mostHeld = 0;
            final long started = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                try (RingFile created = RingFile.create(ring, People.spec(32_768)); RingProducer producer = created.producer()) {
                    producer.offer(new byte[People.SIZE]);
                }
                Files.delete(ring);
                final long held = empty - store.getUsableSpace();
                if (held > 0) {
                    spaceHeldAfterClose++;
                    mostHeld = Math.max(mostHeld, held);
                }
            }
            System.out.println("[resources] 1000 x (create 4.7 MB ring, write, close, delete) on a 16 MiB tmpfs in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms: space still held after "
                + spaceHeldAfterClose + " closes (at most " + mostHeld + " bytes)");
            if (RingMapping.unmapsOnClose()) {
                assertEquals(0, spaceHeldAfterClose, "Java 22+: the space is back after every close");
            }
        } finally {
            OtherUser.runAsRoot("umount", "-l", mount.toString());
        }
    }

    /**
     * 100,000 open/close cycles of one ring in a JVM that disables explicit GC (the JDK's own map retry
     * then cannot free anything): mappings and descriptors stay flat. Before, this ended in "Map failed"
     * and a native out-of-memory abort.
     */
    @Test
    void openCloseCyclesLeaveMappingsAndDescriptorsFlat() throws Exception {
        Assumptions.assumeTrue(Resources.available(), "needs /proc/self/maps");
        RingFile.create(path, People.spec(8)).close();
        final List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java",
            "-XX:+DisableExplicitGC", "-cp", System.getProperty("java.class.path"), ChildProcess.class.getName(),
            "open-close", path.toString(), "100000"));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try {
            assertTrue(child.waitFor(300, TimeUnit.SECONDS), "100,000 cycles within 5 minutes");
        } finally {
            output = new String(child.getInputStream().readAllBytes());
            child.destroyForcibly();
        }
        System.out.println("[resources] 100,000 open/close cycles, -XX:+DisableExplicitGC:\n" + output);
        assertEquals(0, child.exitValue(), output);
        final Matcher start = Pattern.compile("start maps (\\d+) fds (\\d+)").matcher(output);
        final Matcher done = Pattern.compile("done maps (\\d+) fds (\\d+)").matcher(output);
        assertTrue(start.find() && done.find(), output);
        final long mapsGrowth = Long.parseLong(done.group(1)) - Long.parseLong(start.group(1));
        final long fdsGrowth = Long.parseLong(done.group(2)) - Long.parseLong(start.group(2));
        // a few mappings come and go with JIT threads and code cache growth; 100,000 opens would add 100,000
        assertTrue(mapsGrowth < 64, "mappings grew by " + mapsGrowth + ": " + output);
        assertTrue(fdsGrowth <= 2, "descriptors grew by " + fdsGrowth + ": " + output);
    }

    /** The Java 22+ mapping needs no JVM flag: FileChannel.map with an Arena is not a restricted method. */
    @Test
    void noWarningIsPrinted() throws Exception {
        RingFile.create(path, People.spec(8)).close();
        try (Jvm child = Jvm.start("open-close", path.toString(), "10")) {
            assertEquals(0, child.waitFor(60_000));
            assertFalse(child.output().contains("WARNING"), child.output());
            assertTrue(child.output().contains("done maps"), child.output());
        }
    }
}
