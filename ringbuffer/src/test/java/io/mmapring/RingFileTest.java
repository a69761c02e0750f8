package io.mmapring;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingFileTest {
    private Path path = TestRings.newPath("file");

    @AfterEach
    void deleteRing() throws IOException {
        TestRings.delete(path);
    }

    @Test
    void createWritesTheHeaderByteByByteAndSizesTheFile() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        final ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(384 + 8 * 144, file.capacity());
        assertEquals("MMAPRING", new String(Arrays.copyOfRange(file.array(), 0, 8), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, file.getInt(8));
        assertEquals(132, file.getInt(12));
        assertEquals(144, file.getInt(16));
        assertEquals(136, file.getInt(20));
        assertEquals(8, file.getLong(24));
        assertEquals(384, file.getLong(32));
        assertEquals(0, file.getLong(128), "tail");
        assertEquals(0, file.getLong(256), "head");
        for (int i = 40; i < file.capacity(); i++) {
            if (i < 128 || i >= 136 && i < 256 || i >= 264) {
                assertEquals(0, file.get(i), "byte " + i + " is zero");
            }
        }
    }

    @Test
    void createdFileIsOwnerReadWriteOnly() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }

    @Test
    void createTakesOtherPermissionsWhenAsked() throws IOException {
        RingFile.create(path, People.spec(8), PosixFilePermissions.fromString("rw-rw----"), false).close();
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }

    @Test
    void createRefusesAnExistingFileUnlessAskedToReplace() throws IOException {
        Files.write(path, new byte[] {1, 2, 3});
        final FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> RingFile.create(path, People.spec(8)));
        assertTrue(e.getMessage().contains(path.toString()));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(path), "the existing file is untouched");
        RingFile.create(path, People.spec(8), RingFile.DEFAULT_PERMISSIONS, true).close();
        assertEquals(People.spec(8).fileLength(), Files.size(path));
    }

    @Test
    void openReadsTheSpecBack() throws IOException {
        RingFile.create(path, People.spec(64)).close();
        try (RingFile ring = RingFile.open(path)) {
            assertEquals(People.spec(64), ring.spec());
            assertEquals(path.toString(), ring.name());
            assertEquals(0, ring.head());
            assertEquals(0, ring.tail());
            assertEquals(0, ring.backlog());
        }
    }

    @Test
    void openingAMissingFileSaysWhichFile() {
        final NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> RingFile.open(path));
        assertTrue(e.getMessage().contains(path.toString()));
    }

    @Test
    void openingNeverWritesToTheFile() throws IOException {
        try (RingFile ring = RingFile.create(path, People.spec(8)); PeopleProducer out = new PeopleProducer(ring.producer())) {
            out.offer(1, "one");
            out.offer(2, "two");
        }
        final byte[] before = Files.readAllBytes(path);
        try (RingFile ring = RingFile.open(path)) {
            ring.isProducerAlive();
            ring.isConsumerAlive();
            ring.backlog();
        }
        assertArrayEquals(before, Files.readAllBytes(path));
    }

    @Test
    void wrongMagicIsRefusedAsNotARing() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putLong(0, 0x1234L);
        assertRefused("magic 0x1234 is not MMAPRING");
    }

    @Test
    void wrongVersionIsRefused() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putInt(8, 2);
        assertRefused("version 2 is not supported");
    }

    @Test
    void slotSizeThatIsNotPeopleIsRefusedByThePeopleApi() throws IOException {
        RingFile.create(path, RingSpec.of(64, 8)).close();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeopleProducer.open(path));
        assertEquals("ring " + path + ": record size 64 does not match People (132)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PeopleConsumer.open(path));
        try (RingFile ring = RingFile.open(path)) {
            assertTrue(!ring.isProducerAlive() && !ring.isConsumerAlive(), "a refused open released its role");
        }
    }

    @Test
    void recordSizeStrideAndSequenceOffsetMustAgree() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putInt(12, 0);
        assertRefused("record size 0 is outside");
        putInt(12, 132);
        putInt(16, 136);
        assertRefused("slot stride 136 does not match record size 132 (expected 144)");
        putInt(16, 144);
        putInt(20, 132);
        assertRefused("sequence offset 132 does not match record size 132 (expected 136)");
    }

    @Test
    void capacityThatIsNotAPowerOfTwoIsRefused() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putLong(24, 6);
        assertRefused("capacity 6 is not a power of two");
        putLong(24, 0);
        assertRefused("capacity 0 is not a power of two");
        putLong(24, 1L << 40);
        assertRefused("capacity 1099511627776 is not a power of two in [1, 1073741824]");
    }

    @Test
    void capacityWhoseRingWouldNotFitOneMappingIsRefused() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putLong(24, 1L << 30);
        assertRefused("exceeds 2147483647");
    }

    @Test
    void dataOffsetOtherThan384IsRefused() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putLong(32, 512);
        assertRefused("data offset 512 is not 384");
    }

    @Test
    void fileLongerOrShorterThanTheHeaderSaysIsRefused() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(384 + 7 * 144);
        }
        assertRefused("file length 1392 does not match the header (384 + capacity 8 x stride 144 = 1536)");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[144 * 2]), 384 + 7 * 144);
        }
        assertRefused("file length 1680 does not match");
    }

    @Test
    void fileShorterThanTheHeaderIsRefusedAfterTheBoundedWait() throws IOException {
        Files.write(path, new byte[100]);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.open(path, Duration.ofMillis(50)));
        assertEquals("ring " + path + ": file length 100 is shorter than the header (384 bytes) after waiting 50 ms:"
            + " not a complete ring file (its creator probably died while creating it); delete it, or create the ring"
            + " again with replace", e.getMessage());
    }

    @Test
    void halfMadeFileOfADeadCreatorIsRefusedWithHowToReplaceIt() throws IOException {
        Files.write(path, new byte[People.spec(8).fileLength()]);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.open(path, Duration.ofMillis(50)));
        assertEquals("ring " + path + ": magic is still 0 after waiting 50 ms: not a complete ring file (its creator"
            + " probably died while creating it); delete it, or create the ring again with replace", e.getMessage());
    }

    @Test
    void openWaitsForACreatorThatIsStillWritingTheHeader() throws Exception {
        // a half-created file: full length, every field but the magic
        RingFile.create(path, People.spec(8)).close();
        putLong(0, 0);
        final Thread creator = new Thread(() -> {
            try {
                Thread.sleep(200);
                putLong(0, RingLayout.MAGIC);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        creator.start();
        try (RingFile ring = RingFile.open(path, Duration.ofSeconds(10))) {
            assertEquals(People.spec(8), ring.spec());
        }
        creator.join();
    }

    @Test
    void negativeHeadOrTailIsRefused() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putLong(256, -1);
        assertRefused("head -1 is negative");
        putLong(256, 0);
        putLong(128, -5);
        assertRefused("tail -5 is negative");
    }

    @Test
    void tailMoreThanCapacityAheadOfHeadIsRefused() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putLong(128, 9);
        assertRefused("tail 9 is more than capacity 8 ahead of head 0");
    }

    @Test
    void headAheadOfTheProducerIsRefused() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putLong(128, 3);
        putLong(256, 5);
        assertRefused("head 5 is ahead of the producer position 3 (tail 3)");
    }

    @Test
    void positionsBeyondTwoToThe62AreRefused() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        putLong(128, Long.MAX_VALUE - 1);
        putLong(256, Long.MAX_VALUE - 1);
        assertRefused("is beyond 2^62");
    }

    @Test
    void publishedSlotsPastTheTailCountTowardsTheCapacity() throws IOException {
        try (RingFile ring = RingFile.create(path, People.spec(8)); PeopleProducer out = new PeopleProducer(ring.producer())) {
            for (int i = 0; i < 8; i++) {
                out.offer(i, "p" + i);
            }
        }
        putLong(128, 6);
        putLong(256, 0);
        // forge a ninth published slot: slot 0 claims position 8 while head is still 0, so the
        // true position (tail 6, then slots 6, 7 and 0 published) is 9 > head + capacity
        putLong(RingLayout.DATA_OFFSET + 136, 9);
        assertRefused("producer position 9 (tail 6 and the published slots after it) is more than capacity 8 ahead of head 0");
    }

    @Test
    void producerPositionRunsPastATailThatACrashLeftBehind() throws IOException {
        try (RingFile ring = RingFile.create(path, People.spec(8)); PeopleProducer out = new PeopleProducer(ring.producer())) {
            for (int i = 0; i < 5; i++) {
                out.offer(i, "p" + i);
            }
        }
        putLong(128, 2); // as if the producer died after releasing words 3..5 but not the tail
        try (RingFile ring = RingFile.open(path)) {
            assertEquals(2, ring.tail());
            assertEquals(5, ring.producerPosition());
            assertEquals(5, ring.backlog());
            try (RingProducer producer = ring.producer()) {
                assertEquals(5, producer.position(), "a new producer continues after the last published slot");
                assertEquals(5, ring.tail(), "and repairs the tail");
            }
        }
    }

    @Test
    void formatAndWrapWorkOverADirectBuffer() {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(People.spec(4).fileLength());
        try (RingFile ring = RingFile.format(buffer, People.spec(4));
             PeopleProducer out = new PeopleProducer(ring.producer())) {
            out.offer(7, "seven");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        final RingFile again = RingFile.wrap(buffer);
        assertEquals(People.spec(4), again.spec());
        assertEquals(1, again.backlog());
    }

    @Test
    void heapAndShortBuffersAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RingFile.format(ByteBuffer.allocate(2000), People.spec(4)))
            .getMessage().contains("direct"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RingFile.format(ByteBuffer.allocateDirect(500), People.spec(4)))
            .getMessage().contains("shorter than the ring"));
        assertTrue(assertThrows(RingFormatException.class, () -> RingFile.wrap(ByteBuffer.allocateDirect(1000)))
            .getMessage().contains("not MMAPRING"));
    }

    private void assertRefused(String expected) {
        final RingFormatException e = assertThrows(RingFormatException.class, () -> RingFile.open(path, Duration.ofMillis(10)));
        assertTrue(e.getMessage().startsWith("ring " + path + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private void putLong(int offset, long value) throws IOException {
        final ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(bytes, offset);
        }
    }

    private void putInt(int offset, int value) throws IOException {
        final ByteBuffer bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(bytes, offset);
        }
    }
}
