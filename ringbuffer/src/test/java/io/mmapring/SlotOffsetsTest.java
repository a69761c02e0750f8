package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over many laps of a small ring, with every way to write (offer, claim/commit, commit of a prefix, abort)
 * and read (poll, controlled poll, available/consume) mixed at random, every record arrives once, in
 * order, at the offset the format gives its position.
 */
class SlotOffsetsTest {
    private static final int CAPACITY = 8;
    private final Path path = TestRings.newPath("stepping");

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    @Test
    void everyWayToWriteAndReadMixedOverManyLapsKeepsOrderAndOffsets() throws Exception {
        final Random random = new Random(20261130);
        final byte[] record = new byte[People.SIZE];
        final ByteBuffer recordView = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        try (RingFile ring = RingFile.create(path, People.spec(CAPACITY)); RingProducer producer = ring.producer();
             RingConsumer consumer = ring.consumer()) {
            final int stride = ring.spec().stride();
            final long[] next = {0}; // the id expected next, = its position
            int written = 0;
            while (next[0] < 5_000) {
                // write: offer(byte[]), or a claim committed whole or as a prefix
                switch (random.nextInt(3)) {
                    case 0:
                        recordView.putInt(People.ID_OFFSET, written);
                        if (producer.offer(record)) {
                            written++;
                        }
                        break;
                    case 1:
                    case 2: {
                        final int claimed = producer.claim(1 + random.nextInt(CAPACITY));
                        for (int i = 0; i < claimed; i++) {
                            final int offset = producer.recordOffset(i);
                            assertEquals(slotOffset(written + i, stride), offset, "producer offset of position " + (written + i));
                            producer.buffer().putInt(offset + People.ID_OFFSET, written + i);
                        }
                        final int committed = random.nextBoolean() ? claimed : random.nextInt(claimed + 1);
                        producer.commit(committed);
                        written += committed;
                        break;
                    }
                    default:
                        throw new AssertionError();
                }
                // read: poll, controlledPoll, or available/recordOffset/consume
                final int limit = 1 + random.nextInt(CAPACITY + 2);
                final RingConsumer.RecordHandler check = (buffer, offset) -> {
                    assertEquals(slotOffset(next[0], stride), offset, "consumer offset of position " + next[0]);
                    assertEquals(next[0], buffer.getInt(offset + People.ID_OFFSET), "id at position " + next[0]);
                    next[0]++;
                };
                switch (random.nextInt(3)) {
                    case 0:
                        consumer.poll(check, limit);
                        break;
                    case 1: {
                        final int stopAt = random.nextInt(CAPACITY);
                        final int[] seen = {0};
                        consumer.controlledPoll((buffer, offset) -> {
                            if (seen[0] == stopAt) {
                                return RingConsumer.Action.ABORT; // not handled: it must come again
                            }
                            seen[0]++;
                            check.onRecord(buffer, offset);
                            return random.nextInt(4) == 0 ? RingConsumer.Action.RELEASE : RingConsumer.Action.CONTINUE;
                        }, limit);
                        break;
                    }
                    default: {
                        final int available = consumer.available(limit);
                        final int consumed = random.nextInt(available + 1);
                        for (int i = 0; i < consumed; i++) {
                            check.onRecord(consumer.buffer(), consumer.recordOffset(i));
                        }
                        if (available > 0) {
                            assertEquals(slotOffset(consumer.position() + available - 1, stride), consumer.recordOffset(available - 1));
                        }
                        consumer.consume(consumed);
                        break;
                    }
                }
                assertEquals(next[0], consumer.position());
                assertEquals(next[0], ring.head());
                assertEquals(written, producer.position());
                assertTrue(written - next[0] <= CAPACITY);
            }
            assertTrue(next[0] / CAPACITY > 500, "many laps: " + next[0] / CAPACITY);
        }
    }

    @Test
    void aConsumerTakenAtAnyPositionStartsAtThatPositionsSlot() throws Exception {
        final byte[] record = new byte[People.SIZE];
        final ByteBuffer recordView = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        RingFile.create(path, People.spec(CAPACITY)).close();
        for (int start = 0; start < 2 * CAPACITY + 1; start++) {
            try (RingFile ring = RingFile.open(path); RingProducer producer = ring.producer(); RingConsumer consumer = ring.consumer()) {
                assertEquals(start, consumer.position());
                recordView.putInt(People.ID_OFFSET, start);
                assertTrue(producer.offer(record));
                final int expected = slotOffset(start, ring.spec().stride());
                assertEquals(1, consumer.poll((buffer, offset) -> assertEquals(expected, offset), 1));
            }
        }
    }

    private static int slotOffset(long position, int stride) {
        return RingLayout.DATA_OFFSET + (int) (position % CAPACITY) * stride;
    }
}
