package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Corruptions inside the bounds, the format's 2^62 bound, and limits below 1: clear errors, never a hang. */
class PositionLimitsTest {
    private final Path path = TestRings.newPath("limits");

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    @Test
    void tailMovedForwardInsideTheBoundsIsRefusedAtRoleTakeNamingTheSlot() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(16)); RingProducer producer = ring.producer();
             RingConsumer consumer = ring.consumer()) {
            for (int i = 0; i < 10; i++) {
                assertTrue(producer.offer(new byte[People.SIZE]));
            }
            assertEquals(5, consumer.poll((b, o) -> { }, 5));
        }
        writeLong(RingLayout.TAIL_OFFSET, 13); // still <= head + capacity: passes the bounds, but 10..12 were never published
        try (RingFile ring = RingFile.open(path)) {
            assertEquals(13, ring.producerPosition());
            final String expected = "ring " + path + ": slot 10 (position 10) holds sequence word 0, expected 11: the records"
                + " in [head 5, producer position 13) must all be published (tail or head was moved: corrupted file)";
            assertEquals(expected, assertThrows(RingFormatException.class, ring::consumer).getMessage(),
                "a consumer must not take a ring on which it would wait forever with a backlog of 8");
            assertEquals(expected, assertThrows(RingFormatException.class, ring::producer).getMessage());
            assertTrue(!ring.isConsumerAlive() && !ring.isProducerAlive(), "a refused take gives the role back");
        }
    }

    @Test
    void producerRefusesToPassTheFormatsBoundWithAClearError() throws Exception {
        final long start = RingLayout.MAX_POSITION - 2;
        RingFile.create(path, People.spec(4)).close();
        writeLong(RingLayout.TAIL_OFFSET, start);
        writeLong(RingLayout.HEAD_OFFSET, start);
        try (RingFile ring = RingFile.open(path); RingProducer producer = ring.producer(); RingConsumer consumer = ring.consumer()) {
            assertEquals(start, producer.position());
            assertEquals(2, producer.claim(4), "a claim stops at the bound");
            producer.commit();
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> producer.offer(new byte[People.SIZE]));
            assertEquals("ring " + path + ": position " + RingLayout.MAX_POSITION + " has reached 2^62 ("
                + RingLayout.MAX_POSITION + "), the format's bound: nothing more can be published to this ring", e.getMessage());
            assertEquals(2, consumer.poll((b, o) -> { }, 8), "what was published below the bound is read");
        }
        try (RingFile ring = RingFile.open(path)) {
            assertEquals(RingLayout.MAX_POSITION, ring.producerPosition(), "the file stays valid at the bound");
        }
    }

    @Test
    void pollAndAvailableRefuseALimitBelowOne() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(4)); RingConsumer consumer = ring.consumer()) {
            assertEquals("ring " + path + ": limit 0 (must be at least 1)",
                assertThrows(IllegalArgumentException.class, () -> consumer.poll((b, o) -> { }, 0)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> consumer.available(-1));
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(IllegalArgumentException.class,
                () -> consumer.poll((b, o) -> { }, 0, new BusySpinIdleStrategy())), "the blocking poll used to spin forever");
        }
    }

    private void writeLong(int offset, long value) throws Exception {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
        }
    }
}
