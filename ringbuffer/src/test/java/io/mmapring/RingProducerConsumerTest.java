package io.mmapring;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publication protocol over a direct buffer: the same code path as a mapped file. */
class RingProducerConsumerTest {
    private static final int CAPACITY = 4;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(People.spec(CAPACITY).fileLength());
    private RingFile ring;
    private PeopleProducer out;
    private PeopleConsumer in;
    private final List<String> seen = new ArrayList<>();
    private final PeopleConsumer.PeopleHandler collect = p -> seen.add(p.id() + ":" + p.name());

    @BeforeEach
    void setUp() throws Exception {
        ring = RingFile.format(buffer, People.spec(CAPACITY));
        out = new PeopleProducer(ring.producer());
        in = new PeopleConsumer(ring.consumer());
    }

    @AfterEach
    void tearDown() throws Exception {
        ring.close();
    }

    @Test
    void offeredPeopleArriveInOrder() {
        assertTrue(out.offer(1, "one"));
        assertTrue(out.offer(2, "two"));
        assertEquals(2, in.poll(collect, 10));
        assertEquals(List.of("1:one", "2:two"), seen);
        assertEquals(0, in.poll(collect, 10));
    }

    @Test
    void offerPublishesTheSlotWordThenTheTail() {
        out.offer(9, "nine");
        final ByteBuffer le = buffer.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, le.getLong(RingLayout.DATA_OFFSET + 136), "slot 0 word = position + 1");
        assertEquals(1, le.getLong(RingLayout.TAIL_OFFSET));
        assertEquals(0, le.getLong(RingLayout.HEAD_OFFSET));
        in.poll(collect, 1);
        assertEquals(1, le.getLong(RingLayout.HEAD_OFFSET), "one release of head per batch");
    }

    @Test
    void fullRingRefusesAndStaysUnchanged() {
        for (int i = 0; i < CAPACITY; i++) {
            assertTrue(out.offer(i, "p" + i));
        }
        final ByteBuffer before = snapshot();
        assertFalse(out.offer(99, "refused"));
        assertEquals(before, snapshot(), "a refused offer writes nothing");
        assertEquals(CAPACITY, ring.backlog());
        assertEquals(1, in.poll(collect, 1));
        assertTrue(out.offer(4, "p4"), "one slot freed");
        assertEquals(CAPACITY, in.poll(collect, 100));
        assertEquals(List.of("0:p0", "1:p1", "2:p2", "3:p3", "4:p4"), seen);
    }

    @Test
    void invalidNameIsRejectedBeforeAnythingIsWritten() {
        out.offer(1, "one");
        final ByteBuffer before = snapshot();
        assertThrows(IllegalArgumentException.class, () -> out.offer(2, "n".repeat(200)));
        assertThrows(IllegalArgumentException.class, () -> out.offer(2, "nul\0"));
        assertEquals(before, snapshot());
        assertEquals(1, out.ring().position());
        assertTrue(out.offer(2, "two"), "the producer is still usable");
    }

    @Test
    void wrapAroundReusesSlotsWithoutRedeliveringStaleOnes() {
        for (int i = 0; i < 10 * CAPACITY + 1; i++) {
            assertTrue(out.offer(i, "p" + i));
            assertEquals(1, in.poll(collect, 10));
            assertEquals(0, in.poll(collect, 10), "a word from the previous lap is not published");
        }
        assertEquals(10 * CAPACITY + 1, seen.size());
        assertEquals("40:p40", seen.get(40));
    }

    @Test
    void batchIsInvisibleUntilCommitThenVisibleWhole() {
        assertEquals(3, out.claim(3));
        for (int i = 0; i < 3; i++) {
            out.people(i).id(i).name("b" + i);
        }
        assertEquals(0, in.poll(collect, 10), "claimed but not committed");
        out.commit();
        assertEquals(3, in.poll(collect, 10));
        assertEquals(List.of("0:b0", "1:b1", "2:b2"), seen);
    }

    @Test
    void claimGetsOnlyTheFreeSlots() {
        out.offer(0, "a");
        out.offer(1, "b");
        assertEquals(2, out.claim(10));
        out.abort();
        assertEquals(2, out.ring().position(), "an aborted claim publishes nothing");
        assertEquals(2, in.poll(collect, 10));
        assertEquals(4, out.claim(10));
        out.abort();
    }

    @Test
    void claimingTwiceWithoutCommitIsAnError() {
        out.claim(1);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> out.claim(1));
        assertTrue(e.getMessage().contains("commit or abort the claim of 1 slots first"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> {
            out.abort();
            out.claim(0);
        });
    }

    @Test
    void pollReleasesOnlyWhatTheHandlerFinishedWhenItThrows() {
        for (int i = 0; i < 3; i++) {
            out.offer(i, "p" + i);
        }
        assertThrows(IllegalStateException.class, () -> in.poll(p -> {
            if (p.id() == 1) {
                throw new IllegalStateException("handler failed");
            }
        }, 10));
        assertEquals(1, ring.head(), "record 0 released, record 1 not");
        assertEquals(2, in.poll(collect, 10));
        assertEquals(List.of("1:p1", "2:p2"), seen);
    }

    @Test
    void zeroCopyConsumerReadsInPlaceThenConsumes() {
        out.offer(5, "five");
        out.offer(6, "six");
        final RingConsumer consumer = in.ring();
        assertEquals(2, consumer.available(10));
        final People view = new People();
        assertEquals(5, view.wrap(consumer.buffer(), consumer.recordOffset(0)).id());
        assertEquals("six", view.wrap(consumer.buffer(), consumer.recordOffset(1)).name());
        assertThrows(IndexOutOfBoundsException.class, () -> consumer.recordOffset(2));
        consumer.consume(1);
        assertEquals(1, ring.head());
        assertEquals(1, in.poll(collect, 10));
        assertEquals(List.of("6:six"), seen);
    }

    @Test
    void producerAndConsumerTakenAgainAfterACleanCloseContinueAtTailAndAtHead() throws Exception {
        out.offer(0, "a");
        out.offer(1, "b");
        in.poll(collect, 1);
        out.close();
        in.close();
        try (PeopleProducer out2 = new PeopleProducer(ring.producer());
             PeopleConsumer in2 = new PeopleConsumer(ring.consumer())) {
            assertEquals(2, out2.ring().position());
            assertEquals(1, in2.ring().position());
            out2.offer(2, "c");
            assertEquals(2, in2.poll(collect, 10));
        }
        assertEquals(List.of("0:a", "1:b", "2:c"), seen);
    }

    @Test
    void consumerStopsWhenHeadIsChangedUnderIt() {
        RingLayout.LONG.setRelease(buffer, RingLayout.HEAD_OFFSET, 3L);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> in.poll(collect, 10));
        assertTrue(e.getMessage().contains("head changed from 0 to 3 under the consumer"), e.getMessage());
    }

    @Test
    void consumerStopsOnASequenceWordAheadOfItsPosition() {
        RingLayout.LONG.setRelease(buffer, RingLayout.DATA_OFFSET + 136, 77L);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> in.poll(collect, 10));
        assertTrue(e.getMessage().contains("sequence word 77 of position 0 is ahead of it"), e.getMessage());
        assertTrue(seen.isEmpty(), "nothing delivered");
    }

    @Test
    void producerStopsWhenHeadRunsAheadOfIt() {
        for (int i = 0; i < CAPACITY; i++) {
            out.offer(i, "p" + i);
        }
        RingLayout.LONG.setRelease(buffer, RingLayout.HEAD_OFFSET, 1000L);
        final RingFormatException e = assertThrows(RingFormatException.class, () -> out.offer(9, "x"));
        assertTrue(e.getMessage().contains("head 1000 moved outside [0, 4]"), e.getMessage());
    }

    @Test
    void closedProducerAndConsumerRefuseWork() throws Exception {
        out.close();
        in.close();
        assertTrue(assertThrows(IllegalStateException.class, () -> out.offer(1, "x")).getMessage().contains("producer is closed"));
        assertTrue(assertThrows(IllegalStateException.class, () -> in.poll(collect, 1)).getMessage().contains("consumer is closed"));
    }

    @Test
    void genericRecordsOfTheRingsSizeOnly() throws Exception {
        try (RingFile raw = RingFile.format(ByteBuffer.allocateDirect(RingSpec.of(16, 2).fileLength()), RingSpec.of(16, 2));
             RingProducer producer = raw.producer();
             RingConsumer consumer = raw.consumer()) {
            final byte[] record = new byte[16];
            record[15] = 42;
            assertTrue(producer.offer(record));
            assertThrows(IllegalArgumentException.class, () -> producer.offer(new byte[15]));
            final byte[] got = new byte[16];
            assertEquals(1, consumer.poll((b, offset) -> b.get(offset, got), 10));
            assertEquals(42, got[15]);
        }
    }

    private ByteBuffer snapshot() {
        final ByteBuffer copy = ByteBuffer.allocate(buffer.capacity());
        copy.put(buffer.duplicate().clear());
        return copy.flip();
    }
}
