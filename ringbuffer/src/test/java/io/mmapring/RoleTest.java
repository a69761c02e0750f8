package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One producer and one consumer at a time, enforced by OS locks across processes. */
class RoleTest {
    private final Path path = TestRings.newPath("roles");

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    @Test
    void secondProducerInThisProcessIsRefusedWithClearError() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(8)); RingProducer first = ring.producer()) {
            assertEquals(0, first.position());
            final IllegalStateException e = assertThrows(IllegalStateException.class, ring::producer);
            assertEquals("ring " + path + ": the producer role is already held in this process", e.getMessage());
            try (RingFile other = RingFile.open(path)) {
                assertThrows(IllegalStateException.class, other::producer);
                assertTrue(other.isProducerAlive());
                assertFalse(other.isConsumerAlive());
            }
        }
    }

    @Test
    void secondConsumerInThisProcessIsRefusedWithClearError() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(8)); RingConsumer first = ring.consumer()) {
            assertEquals(0, first.position());
            final IllegalStateException e = assertThrows(IllegalStateException.class, ring::consumer);
            assertEquals("ring " + path + ": the consumer role is already held in this process", e.getMessage());
        }
    }

    @Test
    void producerRoleHeldByAnotherProcessIsRefusedAndFreedWhenItDies() throws Exception {
        RingFile.create(path, People.spec(8)).close();
        try (RingFile ring = RingFile.open(path); Jvm holder = Jvm.start("hold-producer", path.toString())) {
            holder.await("holding", 30_000);
            assertTrue(ring.isProducerAlive());
            assertFalse(ring.isConsumerAlive());
            final IllegalStateException e = assertThrows(IllegalStateException.class, ring::producer);
            assertEquals("ring " + path + ": the producer role is held by another process", e.getMessage());
            try (RingConsumer consumer = ring.consumer()) {
                assertEquals(0, consumer.position());
                assertTrue(ring.isConsumerAlive(), "the consumer role is independent");
            }
            holder.kill();
            assertFalse(ring.isProducerAlive(), "the OS dropped the dead process's lock");
            try (RingProducer producer = ring.producer()) {
                assertEquals(0, producer.position());
                assertTrue(ring.isProducerAlive());
            }
            assertFalse(ring.isProducerAlive(), "closing the producer gives the role back");
        }
    }

    @Test
    void rolesOverABufferAreEnforcedPerRing() throws Exception {
        try (RingFile ring = RingFile.format(ByteBuffer.allocateDirect(People.spec(2).fileLength()), People.spec(2))) {
            final RingProducer producer = ring.producer();
            assertThrows(IllegalStateException.class, ring::producer);
            assertTrue(ring.isProducerAlive());
            producer.close();
            assertFalse(ring.isProducerAlive());
            ring.producer().close();
        }
    }

    @Test
    void closingTheRingClosesItsProducerAndConsumer() throws Exception {
        final RingFile ring = RingFile.create(path, People.spec(8));
        final RingProducer producer = ring.producer();
        final RingConsumer consumer = ring.consumer();
        ring.close();
        assertThrows(IllegalStateException.class, () -> producer.claim(1));
        assertThrows(IllegalStateException.class, () -> consumer.poll((b, o) -> { }, 1));
        assertThrows(IllegalStateException.class, ring::producer);
        try (RingFile again = RingFile.open(path)) {
            assertFalse(again.isProducerAlive());
            assertFalse(again.isConsumerAlive());
        }
    }
}
