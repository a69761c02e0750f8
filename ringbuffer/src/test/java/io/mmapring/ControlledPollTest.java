package io.mmapring;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.mmapring.RingConsumer.Action.ABORT;
import static io.mmapring.RingConsumer.Action.BREAK;
import static io.mmapring.RingConsumer.Action.CONTINUE;
import static io.mmapring.RingConsumer.Action.RELEASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code controlledPoll}: a handler that ends a batch early without throwing (after a record, or before
 * it, which then comes again), and a long poll that releases {@code head} every k records.
 */
class ControlledPollTest {
    private static final int CAPACITY = 16;
    private final java.nio.file.Path path = TestRings.newPath("controlled-poll");
    private RingFile ring;
    private RingProducer producer;
    private RingConsumer consumer;
    private final List<Integer> ids = new ArrayList<>();
    private final byte[] record = new byte[People.SIZE];

    @BeforeEach
    void setUp() throws Exception {
        ring = RingFile.create(path, People.spec(CAPACITY));
        producer = ring.producer();
        consumer = ring.consumer();
    }

    @AfterEach
    void tearDown() throws Exception {
        ring.close();
        TestRings.delete(path);
    }

    @Test
    void continueHandsOverEveryPublishedRecordUpToTheLimitAndReleasesOnce() {
        offer(0, 10);
        assertEquals(6, consumer.controlledPoll((buffer, offset) -> {
            ids.add(id(buffer, offset));
            assertEquals(0, ring.head(), "CONTINUE releases nothing before the poll ends");
            return CONTINUE;
        }, 6));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), ids);
        assertEquals(6, ring.head());
        assertEquals(4, consumer.controlledPoll(collect(CONTINUE), 100));
        assertEquals(0, consumer.controlledPoll(collect(CONTINUE), 100));
    }

    @Test
    void breakEndsThePollAfterThatRecordWithoutThrowing() {
        offer(0, 10);
        assertEquals(3, consumer.controlledPoll((buffer, offset) -> {
            ids.add(id(buffer, offset));
            return id(buffer, offset) == 2 ? BREAK : CONTINUE;
        }, 100));
        assertEquals(List.of(0, 1, 2), ids);
        assertEquals(3, ring.head(), "the records handled, the one that said BREAK included, are released");
        assertEquals(7, consumer.poll((buffer, offset) -> ids.add(id(buffer, offset)), 100), "the next poll goes on after it");
        assertEquals(10, ids.size());
    }

    @Test
    void abortEndsThePollBeforeThatRecordWhichComesAgain() {
        offer(0, 5);
        assertEquals(2, consumer.controlledPoll((buffer, offset) -> {
            ids.add(id(buffer, offset));
            return id(buffer, offset) == 2 ? ABORT : CONTINUE;
        }, 100));
        assertEquals(2, ring.head(), "the aborted record is not released");
        assertEquals(2, consumer.position());
        assertEquals(0, consumer.controlledPoll((buffer, offset) -> ABORT, 100), "aborting the first record hands over nothing");
        assertEquals(2, ring.head());
        ids.clear();
        assertEquals(3, consumer.controlledPoll(collect(CONTINUE), 100));
        assertEquals(List.of(2, 3, 4), ids, "the aborted record is handed over again, then the rest");
    }

    @Test
    void releaseEveryKRecordsHandsSlotsBackDuringALongPoll() {
        offer(0, 10);
        final List<Long> headSeen = new ArrayList<>();
        assertEquals(10, consumer.controlledPoll((buffer, offset) -> {
            headSeen.add(ring.head());
            return (id(buffer, offset) + 1) % 3 == 0 ? RELEASE : CONTINUE;
        }, 100));
        assertEquals(List.of(0L, 0L, 0L, 3L, 3L, 3L, 6L, 6L, 6L, 9L), headSeen, "head released after every third record");
        assertEquals(10, ring.head(), "and the rest at the end of the poll");
    }

    @Test
    void releaseLetsAProducerWaitingOnAFullRingGoOnDuringThePoll() {
        offer(0, CAPACITY);
        assertFalse(producer.offer(record), "the ring is full");
        final List<Boolean> offered = new ArrayList<>();
        assertEquals(CAPACITY, consumer.controlledPoll((buffer, offset) -> {
            if (id(buffer, offset) == 4) {
                offered.add(producer.offer(record(100))); // the slots of 0..3 were released by the record before
            }
            return id(buffer, offset) == 3 ? RELEASE : CONTINUE;
        }, CAPACITY));
        assertEquals(List.of(true), offered);
        ids.clear();
        assertEquals(1, consumer.controlledPoll(collect(CONTINUE), 100));
        assertEquals(List.of(100), ids);
    }

    @Test
    void aHandlerThatReturnsNullIsReportedAndItsRecordComesAgain() {
        offer(0, 3);
        final NullPointerException e = assertThrows(NullPointerException.class,
            () -> consumer.controlledPoll((buffer, offset) -> id(buffer, offset) == 1 ? null : CONTINUE, 100));
        assertEquals("ring " + path + ": the handler returned no action for position 1", e.getMessage());
        assertEquals(1, ring.head(), "the record before it is released, not the one without an action");
        assertEquals(2, consumer.controlledPoll(collect(CONTINUE), 100));
        assertEquals(List.of(1, 2), ids);
    }

    @Test
    void aHandlerThatThrowsReleasesTheRecordsBeforeItOnly() {
        offer(0, 3);
        assertThrows(IllegalStateException.class, () -> consumer.controlledPoll((buffer, offset) -> {
            if (id(buffer, offset) == 2) {
                throw new IllegalStateException("handler failed");
            }
            return CONTINUE;
        }, 100));
        assertEquals(2, ring.head());
        assertEquals(1, consumer.controlledPoll(collect(CONTINUE), 100));
        assertEquals(List.of(2), ids);
    }

    @Test
    void aLimitBelowOneAndAClosedConsumerAreRefusedWithClearErrors() {
        offer(0, 1);
        assertEquals("ring " + path + ": limit 0 (must be at least 1)",
            assertThrows(IllegalArgumentException.class, () -> consumer.controlledPoll(collect(CONTINUE), 0)).getMessage());
        consumer.close();
        assertEquals("ring " + path + ": consumer is closed",
            assertThrows(IllegalStateException.class, () -> consumer.controlledPoll(collect(CONTINUE), 1)).getMessage());
        assertEquals(0, ring.head());
    }

    @Test
    void aConsumerClosedDuringThePollNeverWritesHeadAgain() {
        offer(0, 4);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.controlledPoll((buffer, offset) -> {
            if (id(buffer, offset) == 1) {
                consumer.close();
                return RELEASE;
            }
            return CONTINUE;
        }, 100));
        assertEquals("ring " + path + ": consumer closed during a poll: positions [0, 2) were handled but not released"
            + " (the next consumer reads them again)", e.getMessage());
        assertEquals(0, ring.head());
    }

    @Test
    void peopleConsumerStopsWhereItsHandlerSays() throws Exception {
        try (PeopleProducer out = new PeopleProducer(producer); PeopleConsumer in = new PeopleConsumer(consumer)) {
            for (int i = 0; i < 5; i++) {
                assertTrue(out.offer(i, "p" + i));
            }
            final List<String> seen = new ArrayList<>();
            assertEquals(2, in.controlledPoll(p -> {
                seen.add(p.id() + ":" + p.name());
                return p.id() == 1 ? BREAK : CONTINUE;
            }, 100));
            assertEquals(3, in.controlledPoll(p -> {
                seen.add(p.id() + ":" + p.name());
                return CONTINUE;
            }, 100));
            assertEquals(List.of("0:p0", "1:p1", "2:p2", "3:p3", "4:p4"), seen);
        }
    }

    private RingConsumer.ControlledRecordHandler collect(RingConsumer.Action action) {
        return (buffer, offset) -> {
            ids.add(id(buffer, offset));
            return action;
        };
    }

    private void offer(int firstId, int n) {
        for (int i = 0; i < n; i++) {
            assertTrue(producer.offer(record(firstId + i)));
        }
    }

    private byte[] record(int id) {
        ByteBuffer.wrap(record).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(People.ID_OFFSET, id);
        return record;
    }

    private static int id(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + People.ID_OFFSET);
    }
}
