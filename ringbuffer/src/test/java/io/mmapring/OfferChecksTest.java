package io.mmapring;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code offer(byte[])} keeps every check a claim makes: an open claim, the record size, a full ring, the closed producer. */
class OfferChecksTest {
    private final Path path = TestRings.newPath("offer");

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    @Test
    void offerWhileAClaimIsOpenIsRefusedAndTheClaimStays() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(4)); RingProducer producer = ring.producer();
             RingConsumer consumer = ring.consumer()) {
            assertEquals(2, producer.claim(2));
            assertEquals("ring " + path + ": commit or abort the claim of 2 slots first",
                assertThrows(IllegalStateException.class, () -> producer.offer(new byte[People.SIZE])).getMessage());
            assertEquals(0, ring.tail());
            producer.commit();
            assertTrue(producer.offer(new byte[People.SIZE]));
            assertEquals(3, consumer.poll((buffer, offset) -> { }, 10));
        }
    }

    @Test
    void offerOfARecordOfTheWrongSizeIsRefusedNamingBothSizes() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(4)); RingProducer producer = ring.producer()) {
            assertEquals("ring " + path + ": record of 131 bytes does not match the ring's record size 132",
                assertThrows(IllegalArgumentException.class, () -> producer.offer(new byte[131])).getMessage());
            assertEquals(0, producer.position());
        }
    }

    @Test
    void offerOnAClosedProducerThrowsAndPublishesNothing() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(4))) {
            final RingProducer producer = ring.producer();
            producer.close();
            assertEquals("ring " + path + ": producer is closed",
                assertThrows(IllegalStateException.class, () -> producer.offer(new byte[People.SIZE])).getMessage());
            assertEquals(0, ring.producerPosition());
        }
    }

    @Test
    void offerOnAFullRingReturnsFalseUntilTheConsumerReleasesASlot() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(4)); RingProducer producer = ring.producer();
             RingConsumer consumer = ring.consumer()) {
            for (int i = 0; i < 4; i++) {
                assertTrue(producer.offer(new byte[People.SIZE]));
            }
            assertFalse(producer.offer(new byte[People.SIZE]));
            assertFalse(producer.offer(new byte[People.SIZE]), "still full: head is read again, nothing written");
            assertEquals(4, ring.tail());
            assertEquals(1, consumer.poll((buffer, offset) -> { }, 1));
            assertTrue(producer.offer(new byte[People.SIZE]), "the released slot is seen at once");
            assertEquals(5, ring.tail());
        }
    }
}
