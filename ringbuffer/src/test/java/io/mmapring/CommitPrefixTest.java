package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code commit(n)}: a writer that claimed more slots than it filled publishes the filled prefix, without an abort and a new claim. */
class CommitPrefixTest {
    private static final int CAPACITY = 8;
    private final Path path = TestRings.newPath("commit-prefix");
    private final List<Integer> ids = new ArrayList<>();
    private final RingConsumer.RecordHandler collect = (buffer, offset) -> ids.add(buffer.getInt(offset + People.ID_OFFSET));

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    @Test
    void commitOfAPrefixPublishesThoseSlotsAndGivesTheRestBack() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(CAPACITY)); RingProducer producer = ring.producer();
             RingConsumer consumer = ring.consumer()) {
            assertEquals(6, producer.claim(6));
            for (int i = 0; i < 6; i++) {
                producer.buffer().putInt(producer.recordOffset(i) + People.ID_OFFSET, 100 + i);
            }
            producer.commit(2);
            assertEquals(2, producer.position());
            assertEquals(2, ring.tail(), "tail is released at the end of the prefix");
            assertEquals(0, word(ring, 2), "the slots after the prefix are not published");
            assertEquals(2, consumer.poll(collect, 10));
            assertEquals(List.of(100, 101), ids);
            // the claim is over: the next one starts right after the prefix, in the slots given back
            assertEquals(3, producer.claim(3));
            assertEquals(RingLayout.DATA_OFFSET + 2 * ring.spec().stride(), producer.recordOffset(0));
            for (int i = 0; i < 3; i++) {
                producer.buffer().putInt(producer.recordOffset(i) + People.ID_OFFSET, 200 + i);
            }
            producer.commit();
            ids.clear();
            assertEquals(3, consumer.poll(collect, 10));
            assertEquals(List.of(200, 201, 202), ids);
        }
    }

    @Test
    void commitOfAPrefixAcrossTheWrapPublishesInPositionOrder() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(CAPACITY)); RingProducer producer = ring.producer();
             RingConsumer consumer = ring.consumer()) {
            for (int lap = 0; lap < 3; lap++) {
                // positions 6..13 cross the end of the slots on every lap
                final long start = producer.position();
                assertEquals(CAPACITY, producer.claim(CAPACITY));
                for (int i = 0; i < CAPACITY; i++) {
                    producer.buffer().putInt(producer.recordOffset(i) + People.ID_OFFSET, (int) (start + i));
                }
                producer.commit(5);
                ids.clear();
                assertEquals(5, consumer.poll(collect, 100));
                assertEquals(List.of((int) start, (int) start + 1, (int) start + 2, (int) start + 3, (int) start + 4), ids);
                assertEquals(start + 5, ring.head());
            }
        }
    }

    @Test
    void commitOfNothingPublishesNothingAndLeavesTheTailAlone() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(CAPACITY)); RingProducer producer = ring.producer();
             RingConsumer consumer = ring.consumer()) {
            assertEquals(4, producer.claim(4));
            producer.commit(0);
            assertEquals(0, producer.position());
            assertEquals(0, ring.tail());
            assertEquals(0, consumer.poll(collect, 10));
            assertEquals(2, producer.claim(2), "commit(0) ended the claim, as abort does");
            producer.commit();
            assertEquals(2, consumer.poll(collect, 10));
        }
    }

    @Test
    void commitOfMoreThanClaimedIsRefusedWithClearErrorAndTheClaimStays() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(CAPACITY)); RingProducer producer = ring.producer();
             RingConsumer consumer = ring.consumer()) {
            assertEquals(2, producer.claim(2));
            assertEquals("ring " + path + ": commit of 3 slots of a claim of 2 (must be from 0 to the slots claimed)",
                assertThrows(IllegalArgumentException.class, () -> producer.commit(3)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> producer.commit(-1));
            assertEquals(0, ring.tail(), "nothing was published");
            producer.commit(2);
            assertEquals(2, consumer.poll(collect, 10));
            assertEquals("ring " + path + ": commit of 1 slots of a claim of 0 (must be from 0 to the slots claimed)",
                assertThrows(IllegalArgumentException.class, () -> producer.commit(1)).getMessage(),
                "without a claim there is nothing to commit");
        }
    }

    @Test
    void commitOfAPrefixAfterCloseThrowsAndPublishesNothing() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(CAPACITY))) {
            final RingProducer producer = ring.producer();
            assertEquals(4, producer.claim(4));
            producer.close();
            assertEquals("ring " + path + ": producer is closed; its claim of 4 slots at positions [0, 4) was not published",
                assertThrows(IllegalStateException.class, () -> producer.commit(2)).getMessage());
            assertEquals(0, ring.tail());
            assertEquals(0, ring.producerPosition());
        }
    }

    @Test
    void peopleProducerCommitsThePeopleItFilled() throws Exception {
        try (RingFile ring = RingFile.create(path, People.spec(CAPACITY));
             PeopleProducer out = new PeopleProducer(ring.producer()); PeopleConsumer in = new PeopleConsumer(ring.consumer())) {
            assertEquals(8, out.claim(8));
            out.people(0).id(1).name("one");
            out.people(1).id(2).name("two");
            out.commit(2);
            final List<String> seen = new ArrayList<>();
            assertEquals(2, in.poll(p -> seen.add(p.id() + ":" + p.name()), 10));
            assertEquals(List.of("1:one", "2:two"), seen);
            assertThrows(IllegalArgumentException.class, () -> out.commit(1), "the claim ended with the prefix");
        }
    }

    private static long word(RingFile ring, long position) throws Exception {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(Path.of(ring.name()))) {
            final ByteBuffer word = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            final int slot = RingLayout.DATA_OFFSET + (int) (position % CAPACITY) * ring.spec().stride();
            channel.read(word, slot + ring.spec().sequenceOffset());
            return word.getLong(0);
        }
    }
}
