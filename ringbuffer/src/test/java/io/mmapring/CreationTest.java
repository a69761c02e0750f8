package io.mmapring;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ring's path is always either absent or a whole ring, whoever dies while creating it. */
class CreationTest {
    private final Path path = TestRings.newPath("creation");

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
        for (Path leftover : leftovers()) {
            Files.deleteIfExists(leftover);
        }
    }

    @Test
    void creatorKilledWhileCreatingLeavesNoFileAtThePathAndTheNextCreatorCleansUp() throws Exception {
        try (Jvm creator = Jvm.start("create", path.toString(), "8388608")) { // 1.2 GB of zeros to write
            creator.await("creating", 30_000);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (leftovers().isEmpty() && !Files.exists(path) && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // until it is writing its zeros
            }
            creator.kill();
            assertFalse(creator.output().contains("created"), "killed before it finished: " + creator.output());
        }
        assertFalse(Files.exists(path), "a dead creator left a half-made file at the path");
        assertEquals(1, leftovers().size(), "its temporary file is left, under a name no reader opens: " + leftovers());
        try (RingFile ring = RingFile.create(path, People.spec(8))) {
            assertEquals(8, ring.spec().capacity());
        }
        assertEquals(List.of(), leftovers(), "the next creator removed the dead creator's temporary file");
        try (RingFile ring = RingFile.open(path)) {
            assertEquals(0, ring.backlog());
        }
    }

    @Test
    void temporaryFileOfALiveCreatorIsKept() throws Exception {
        final Path live = path.resolveSibling("." + path.getFileName() + ".creating-" + ProcessHandle.current().pid() + "-1");
        Files.write(live, new byte[10]);
        RingFile.create(path, People.spec(8)).close();
        assertTrue(Files.exists(live), "a creator that is alive (this process) keeps its temporary file");
        Files.delete(live);
    }

    @Test
    void createRefusesAnExistingRingAndLeavesItUntouched() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(8)); RingProducer producer = ring.producer()) {
            producer.offer(new byte[People.SIZE]);
            final FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> RingFile.create(path, People.spec(16)));
            assertEquals(path + ": ring file already exists (create with replace=true to overwrite it)", e.getMessage());
            assertEquals(1, ring.backlog());
            assertEquals(List.of(), leftovers());
        }
    }

    @Test
    void replaceSwapsTheFileAtomicallyAndTheOldMappingKeepsItsRing() throws Exception {
        try (RingFile old = RingFile.create(path, People.spec(8)); RingProducer producer = old.producer()) {
            producer.offer(new byte[People.SIZE]);
            try (RingFile fresh = RingFile.create(path, People.spec(16), RingFile.DEFAULT_PERMISSIONS, true)) {
                assertEquals(16, fresh.spec().capacity());
                assertEquals(0, fresh.backlog());
            }
            assertEquals(1, old.backlog(), "a process that maps the old file keeps it");
            try (RingFile reopened = RingFile.open(path)) {
                assertEquals(16, reopened.spec().capacity());
            }
        }
    }

    /** An opener racing with a creator sees no file or a whole ring, never a half-made one. */
    @Test
    void openersRacingWithACreatorNeverSeeAHalfMadeRing() throws Exception {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong opened = new AtomicLong();
        final Thread creator = new Thread(() -> {
            try {
                while (!stop.get()) {
                    RingFile.create(path, People.spec(1024)).close();
                    Files.delete(path);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "creator");
        creator.start();
        final long end = System.nanoTime() + 1_500_000_000L;
        try {
            while (System.nanoTime() < end && failure.get() == null) {
                try (RingFile ring = RingFile.open(path, Duration.ZERO)) { // no waiting: the file must be whole when seen
                    assertEquals(1024, ring.spec().capacity());
                    opened.incrementAndGet();
                } catch (NoSuchFileException absent) {
                    // between a delete and the next create
                }
            }
        } finally {
            stop.set(true);
            creator.join();
        }
        assertNull(failure.get());
        assertTrue(opened.get() > 0, "some opens met the ring: " + opened.get());
    }

    private List<Path> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(path.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith("." + path.getFileName() + ".creating-"))
                .collect(Collectors.toList());
        }
    }
}
