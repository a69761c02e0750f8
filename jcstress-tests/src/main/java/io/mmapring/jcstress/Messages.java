package io.mmapring.jcstress;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import io.mmapring.PeopleProducer;

/**
 * The messages the tests send: People whose every name byte is derived from the id, so that any
 * mix of two messages, or of a message and stale slot bytes, is caught by {@link #check}.
 *
 * <p>Id {@code k} (1 to 8) has a name of {@link People#MAX_NAME_BYTES} copies of {@code '@' + k}
 * ("AAA...A" for 1), NUL-terminated: all 132 bytes of the record depend on the id. Ids are single
 * digits so that a test can report a sequence of received messages as one decimal number
 * ({@code 12} = message 1, then message 2; {@code 0} = nothing).
 */
public final class Messages {
    /** Reported instead of an id when a record is not one whole message (torn, or garbage). */
    public static final int TORN = 9;
    /** Largest id a test may send. */
    public static final int MAX_ID = 8;

    private static final String[] NAMES = new String[MAX_ID + 1];

    static {
        for (int id = 1; id <= MAX_ID; id++) {
            NAMES[id] = String.valueOf((char) ('@' + id)).repeat(People.MAX_NAME_BYTES);
        }
    }

    private Messages() {
    }

    /** The name that goes with {@code id}. */
    public static String name(int id) {
        return NAMES[checkId(id)];
    }

    /** Offers message {@code id} through the real producer; false if the ring is full. */
    public static boolean offer(PeopleProducer producer, int id) {
        return producer.offer(checkId(id), NAMES[id]);
    }

    /** Fills a claimed slot (zero-copy batch path) with message {@code id}. */
    public static void fill(People slot, int id) {
        slot.id(checkId(id)).name(NAMES[id]);
    }

    /**
     * The id of the record if it is one whole message, else {@link #TORN}. {@code scratch} holds at
     * least 128 bytes (a per-consumer buffer: this allocates nothing).
     */
    public static int check(People record, byte[] scratch) {
        final int id = record.id();
        if (id < 1 || id > MAX_ID) {
            return TORN;
        }
        final int length = record.nameTo(scratch);
        if (length != People.MAX_NAME_BYTES) {
            return TORN;
        }
        final byte expected = (byte) ('@' + id);
        for (int i = 0; i < length; i++) {
            if (scratch[i] != expected) {
                return TORN;
            }
        }
        return id;
    }

    /** Appends one digit to a decimal sequence: {@code append(12, 3) == 123}. */
    public static int append(int digits, int digit) {
        return digits * 10 + digit;
    }

    /** Concatenates two digit sequences, 0 being the empty one: {@code concat(1, 23) == 123}, {@code concat(0, 4) == 4}. */
    public static int concat(int first, int second) {
        if (first == 0) {
            return second;
        }
        int shifted = first;
        for (int rest = second; rest != 0; rest /= 10) {
            shifted *= 10;
        }
        return shifted + second;
    }

    /**
     * A reusable handler for {@link PeopleConsumer#poll}: collects the ids it receives, as decimal
     * digits, and {@link #TORN} for a record that is not one whole message. One per consumer.
     */
    public static final class Received implements PeopleConsumer.PeopleHandler {
        private final byte[] scratch = new byte[People.NAME_LENGTH];
        private int digits;

        /** Polls up to {@code limit} messages and returns them as digits (0 when none). */
        public int poll(PeopleConsumer consumer, int limit) {
            digits = 0;
            consumer.poll(this, limit);
            return digits;
        }

        @Override
        public void onPeople(People people) {
            digits = append(digits, check(people, scratch));
        }
    }

    private static int checkId(int id) {
        if (id < 1 || id > MAX_ID) {
            throw new IllegalArgumentException("message id " + id + " is outside [1, " + MAX_ID + "]");
        }
        return id;
    }
}
