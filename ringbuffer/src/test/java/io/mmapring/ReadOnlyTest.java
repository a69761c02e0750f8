package io.mmapring;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read-only opening for inspectors: no role, nothing written, works with read permission only and on a read-only mount. */
class ReadOnlyTest {
    private final Path path = TestRings.newPath("readonly");

    @TempDir
    Path scratch;

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    @Test
    void readOnlyOpenTakesNoRoleAndWritesNothing() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(8)); RingProducer producer = ring.producer();
             RingConsumer consumer = ring.consumer()) {
            for (int i = 0; i < 5; i++) {
                producer.offer(new byte[People.SIZE]);
            }
            consumer.poll((b, o) -> { }, 2);
        }
        final byte[] before = Files.readAllBytes(path);
        try (RingFile ring = RingFile.openReadOnly(path)) {
            assertTrue(ring.isReadOnly());
            assertEquals(2, ring.head());
            assertEquals(5, ring.producerPosition());
            assertEquals(3, ring.backlog());
            assertFalse(ring.isProducerAlive());
            assertFalse(ring.isConsumerAlive());
            assertEquals("ring " + path + ": opened read-only: it cannot take the producer role",
                assertThrows(IllegalStateException.class, ring::producer).getMessage());
            assertEquals("ring " + path + ": opened read-only: it cannot take the consumer role",
                assertThrows(IllegalStateException.class, ring::consumer).getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(path), "a read-only open wrote to the file");
        try (Jvm holder = Jvm.start("hold-producer", path.toString()); RingFile ring = RingFile.openReadOnly(path)) {
            holder.await("holding", 30_000);
            assertTrue(ring.isProducerAlive(), "liveness is answered read-only too");
        }
    }

    @Test
    void aUserWhoMayOnlyReadCanInspectAndIsToldWhyTheRolesAreRefused() throws Exception {
        OtherUser.assumeAvailable();
        try (RingFile ring = RingFile.create(path, People.spec(8), PosixFilePermissions.fromString("rw-r--r--"), false);
             RingProducer producer = ring.producer()) {
            producer.offer(new byte[People.SIZE]);
        }
        final String output = OtherUser.run(scratch, "inspect", path.toString());
        assertTrue(output.contains("backlog 1 producer alive false"), output);
        assertTrue(output.contains("read-write open refused AccessDeniedException: " + path + ": permission denied opening the ring"
            + " for reading and writing (a producer or consumer needs both; RingFile.openReadOnly needs read permission only)"), output);
    }

    @Test
    void aUserWhoMayNotReadIsToldSo() throws Exception {
        OtherUser.assumeAvailable();
        RingFile.create(path, People.spec(8)).close(); // 0600, owned by root
        final String output = OtherUser.run(scratch, "inspect", path.toString());
        assertTrue(output.contains("read-only open refused AccessDeniedException: " + path
            + ": permission denied opening the ring for reading"), output);
    }

    @Test
    void aRingOnAReadOnlyMountCanBeInspected() throws Exception {
        OtherUser.assumeAvailable();
        final Path mount = Files.createDirectories(scratch.resolve("mount"));
        Assumptions.assumeTrue(OtherUser.runAsRoot("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()) == 0,
            "cannot mount a tmpfs here");
        try {
            final Path ring = mount.resolve("ring");
            try (RingFile created = RingFile.create(ring, People.spec(8)); RingProducer producer = created.producer()) {
                producer.offer(new byte[People.SIZE]);
            }
            // on Java 17-21 the closed ring's writable mapping lives until a GC and keeps the mount busy
            int remount = OtherUser.runAsRoot("mount", "-o", "remount,ro", mount.toString());
            for (int i = 0; remount != 0 && !RingMapping.unmapsOnClose() && i < 20; i++) {
                System.gc();
                Thread.sleep(50);
                remount = OtherUser.runAsRoot("mount", "-o", "remount,ro", mount.toString());
            }
            assertEquals(0, remount, "remount read-only");
            try (RingFile inspected = RingFile.openReadOnly(ring)) {
                assertEquals(1, inspected.backlog());
                assertFalse(inspected.isProducerAlive());
            }
            final FileSystemException e = assertThrows(FileSystemException.class, () -> RingFile.open(ring));
            assertEquals(ring + ": read-only file system: a producer or consumer needs write access"
                + " (RingFile.openReadOnly does not)", e.getMessage());
        } finally {
            OtherUser.runAsRoot("umount", "-l", mount.toString());
        }
    }

    @Test
    void aFileThatIsNotARingIsRefusedSayingSo() throws Exception {
        final byte[] text = new byte[4096];
        Arrays.fill(text, (byte) 'x');
        Files.write(path, text);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.openReadOnly(path));
        assertEquals("ring " + path + ": magic 0x7878787878787878 is not MMAPRING (0x474e495250414d4d): not a ring file",
            e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> RingFile.openReadOnly(path.resolveSibling("absent")));
    }
}
