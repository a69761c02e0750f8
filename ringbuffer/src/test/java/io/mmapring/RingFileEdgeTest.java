package io.mmapring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edges of opening, creating and closing ring files: a file exactly a header long, a magic that
 * appears while an opener waits, an interrupt during that wait, a file as long as the largest ring,
 * a ring longer than one chunk of zeros, creators' leftovers that are not ours, failed opens and
 * closed rings giving back what they held.
 */
class RingFileEdgeTest {
    private final List<Path> paths = new ArrayList<>();

    @AfterEach
    void deleteRings() throws IOException {
        for (Path path : paths) {
            TestRings.delete(path);
        }
    }

    @Test
    void aFileExactlyAHeaderLongIsJudgedByItsHeaderAtOnce() throws IOException {
        final Path path = newPath("header-only");
        writeHeaderOnly(path, RingLayout.MAGIC);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.open(path, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains(": file length 384 does not match the header"), e.getMessage());
    }

    @Test
    void aHeaderLongFileWhoseMagicIsZeroIsReportedAsSuch() throws IOException {
        final Path path = newPath("magic-zero");
        writeHeaderOnly(path, 0);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.open(path, Duration.ZERO));
        assertTrue(e.getMessage().contains(": magic is still 0 after waiting 0 ms"), e.getMessage());
    }

    @Test
    void anOpenerLooksAgainAndAgainUntilTheMagicAppears() throws Exception {
        final Path path = newPath("late-magic");
        final RingSpec spec = RingSpec.of(8, 4);
        RingFile.create(path, spec).close();
        putLong(path, RingLayout.MAGIC_OFFSET, 0); // as an older creator still writing the header
        final Thread creator = new Thread(() -> {
            try {
                Thread.sleep(50);
                putLong(path, RingLayout.MAGIC_OFFSET, RingLayout.MAGIC);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        creator.start();
        try (RingFile ring = RingFile.open(path, Duration.ofSeconds(10))) {
            assertEquals(spec, ring.spec());
        } finally {
            creator.join();
        }
    }

    @Test
    void anInterruptWhileWaitingForTheHeaderEndsTheWaitAndStaysSet() throws Exception {
        final Path path = newPath("interrupted-wait");
        writeHeaderOnly(path, 0);
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AtomicBoolean stillInterrupted = new AtomicBoolean();
        final Thread opener = new Thread(() -> {
            try {
                RingFile.open(path, Duration.ofSeconds(30)).close();
            } catch (Throwable e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        opener.start();
        Thread.sleep(100);
        opener.interrupt();
        opener.join(10_000);
        assertFalse(opener.isAlive());
        assertInstanceOf(InterruptedIOException.class, thrown.get());
        assertEquals("ring " + path + ": interrupted while waiting for its header", thrown.get().getMessage());
        assertTrue(stillInterrupted.get(), "the interrupt status stays set");
    }

    @Test
    void aFileAsLongAsTheLargestRingIsMappedAndJudgedByItsHeader() throws IOException {
        final Path path = newPath("largest");
        writeHeaderOnly(path, RingLayout.MAGIC);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(RingLayout.MAX_FILE_LENGTH); // no-op: truncate only shrinks
            channel.write(ByteBuffer.allocate(1), RingLayout.MAX_FILE_LENGTH - 1); // sparse: no pages used
        }
        assertEquals(RingLayout.MAX_FILE_LENGTH, Files.size(path));
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.open(path, Duration.ZERO));
        assertTrue(e.getMessage().contains(": file length 2147483647 does not match the header"), e.getMessage());
    }

    @Test
    void aRingLongerThanOneChunkOfZerosHasExactlyItsLength() throws IOException {
        final Path path = newPath("long");
        final RingSpec spec = People.spec(8192); // 1,180,032 bytes: one 1 MiB chunk and a partial one
        try (RingFile ring = RingFile.create(path, spec)) {
            assertEquals(spec.fileLength(), Files.size(path));
            assertEquals(0, ring.backlog());
        }
    }

    @Test
    void leftoversThatAreNotOfADeadCreatorOfThisRingAreKept() throws IOException {
        final Path path = newPath("leftovers");
        final Path dashed = path.resolveSibling("." + path.getFileName() + ".creating--123");
        final Path named = path.resolveSibling("." + path.getFileName() + ".creating-abc");
        paths.add(dashed);
        paths.add(named);
        Files.createFile(dashed);
        Files.createFile(named);
        RingFile.create(path, RingSpec.of(8, 1)).close();
        assertTrue(Files.exists(dashed), "not <pid>-<random>: not a creator's file");
        assertTrue(Files.exists(named));
    }

    @Test
    void closingOneRingFileGivesItsRolesBackToTheOtherRingFilesOfTheSameFile() throws IOException {
        final Path path = newPath("roles-back");
        RingFile.create(path, RingSpec.of(8, 4)).close();
        try (RingFile second = RingFile.open(path)) {
            final RingFile first = RingFile.open(path);
            first.producer();
            first.consumer();
            assertThrows(IllegalStateException.class, second::producer);
            first.close();
            second.producer().close();
            second.consumer().close();
        }
    }

    @Test
    void failedOpensLeaveNoDescriptorOfTheFileOpen() throws IOException {
        final Path path = newPath("failed-opens");
        RingFile.create(path, RingSpec.of(8, 4)).close();
        final ByteBuffer version = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 7);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(version, RingLayout.VERSION_OFFSET);
        }
        for (int i = 0; i < 3; i++) {
            assertThrows(RingFormatException.class, () -> RingFile.open(path, Duration.ZERO));
        }
        assertEquals(0, descriptorsOf(path), "descriptors of " + path + " left open by failed opens");
    }

    @Test
    void aReadWriteOpenOfAFileAlreadyOpenReadOnlyHereGetsAWritableChannelAndMapping() throws IOException {
        final Path path = newPath("upgrade");
        RingFile.create(path, RingSpec.of(8, 4)).close();
        try (RingFile inspector = RingFile.openReadOnly(path)) {
            assertTrue(inspector.isReadOnly());
            try (RingFile ring = RingFile.open(path)) {
                assertFalse(ring.isReadOnly());
                try (RingProducer producer = ring.producer(); RingConsumer consumer = ring.consumer()) {
                    assertTrue(producer.offer(new byte[8]));
                    assertEquals(1, consumer.poll((b, o) -> { }, 4));
                    assertTrue(inspector.isProducerAlive(), "the inspector sees the role held in this process");
                }
            }
            // the read-write ring is closed; the inspector's share of the file's channel is still open
            assertFalse(inspector.isProducerAlive());
            assertEquals(1, inspector.producerPosition(), "the inspector sees the same bytes");
        }
    }

    @Test
    void aRoleLockTakenInThisJvmOutsideTheLibraryCountsAsHeld() throws IOException {
        final Path path = newPath("outside-lock");
        RingFile.create(path, RingSpec.of(8, 4)).close();
        try (RingFile ring = RingFile.openReadOnly(path);
             FileChannel outside = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = outside.lock(RingLayout.PRODUCER_LOCK_OFFSET, 1, false)) {
            assertTrue(lock.isValid());
            assertTrue(ring.isProducerAlive());
            assertFalse(ring.isConsumerAlive());
        }
    }

    @Test
    void forceWorksOnAMappedRingAndIsANoOpOnABuffer() throws IOException {
        final Path path = newPath("force");
        try (RingFile ring = RingFile.create(path, RingSpec.of(8, 4))) {
            ring.force();
        }
        final RingFile buffered = RingFile.format(ByteBuffer.allocateDirect(RingSpec.of(8, 4).fileLength()), RingSpec.of(8, 4));
        buffered.force();
        buffered.close();
        assertThrows(IllegalStateException.class, buffered::force);
    }

    private Path newPath(String what) {
        final Path path = TestRings.newPath(what);
        paths.add(path);
        return path;
    }

    /** A file exactly the header long: a valid header of an 8-byte, 1-slot ring, with {@code magic}. */
    private static void writeHeaderOnly(Path path, long magic) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(RingLayout.DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(RingLayout.MAGIC_OFFSET, magic);
        header.putInt(RingLayout.VERSION_OFFSET, RingLayout.VERSION);
        header.putInt(RingLayout.RECORD_SIZE_OFFSET, 8);
        header.putInt(RingLayout.STRIDE_OFFSET, RingLayout.stride(8));
        header.putInt(RingLayout.SEQUENCE_OFFSET_OFFSET, RingLayout.sequenceOffset(8));
        header.putLong(RingLayout.CAPACITY_OFFSET, 1);
        header.putLong(RingLayout.DATA_OFFSET_OFFSET, RingLayout.DATA_OFFSET);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (header.hasRemaining()) {
                channel.write(header);
            }
        }
    }

    private static void putLong(Path path, int offset, long value) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
        }
    }

    /** Open descriptors of this process that point at {@code path} (Linux: /proc/self/fd). */
    private static long descriptorsOf(Path path) throws IOException {
        final Path real = path.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile, or not a link
                }
            }).count();
        }
    }
}
