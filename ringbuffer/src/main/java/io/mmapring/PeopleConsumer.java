package io.mmapring;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.agrona.concurrent.IdleStrategy;

/**
 * Receives {@link People} records from a ring, through a reusable flyweight. Not thread-safe;
 * allocates nothing in steady state.
 *
 * <pre>{@code
 * try (PeopleConsumer in = PeopleConsumer.open(path)) {
 *     int n = in.poll(p -> total += p.id(), 256);
 * }
 * }</pre>
 */
public final class PeopleConsumer implements AutoCloseable {
    /** Receives one People. The flyweight is valid only during the call. */
    @FunctionalInterface
    public interface PeopleHandler {
        /**
         * Called once per record, in position order, on the polling thread.
         *
         * @param people a flyweight over the record in the ring; do not keep it past the call
         */
        void onPeople(People people);
    }

    /**
     * Receives one People and says how the poll goes on (see {@link RingConsumer.Action}). The flyweight
     * is valid only during the call.
     */
    @FunctionalInterface
    public interface ControlledPeopleHandler {
        /**
         * Called once per record, in position order, on the polling thread.
         *
         * @param people a flyweight over the record in the ring; do not keep it past the call
         * @return what to do with this record and the rest of the poll; never null
         */
        RingConsumer.Action onPeople(People people);
    }

    private final RingConsumer consumer;
    private final RingFile ownedRing;
    private final People people = new People();
    private final RingConsumer.RecordHandler adapter = this::onRecord;
    private final RingConsumer.ControlledRecordHandler controlledAdapter = this::onControlledRecord;
    private PeopleHandler handler;
    private ControlledPeopleHandler controlledHandler;

    /**
     * Reads People through {@code consumer}; closing this closes the consumer (not its ring).
     *
     * @param consumer the consumer of a ring of 132-byte records
     * @throws IllegalArgumentException if the ring's record size is not 132
     */
    public PeopleConsumer(RingConsumer consumer) {
        this(consumer, null);
    }

    private PeopleConsumer(RingConsumer consumer, RingFile ownedRing) {
        final int recordSize = consumer.ring().spec().recordSize();
        if (recordSize != People.SIZE) {
            throw new IllegalArgumentException("ring " + consumer.ring().name() + ": record size "
                + recordSize + " does not match People (" + People.SIZE + ")");
        }
        this.consumer = consumer;
        this.ownedRing = ownedRing;
    }

    /**
     * Opens the ring file at {@code path} and takes its consumer role; closing this closes the file.
     *
     * @param path the ring file
     * @return the consumer, positioned at {@code head}
     * @throws IOException           as {@link RingFile#open(Path)}
     * @throws IllegalStateException if another consumer holds the role
     */
    public static PeopleConsumer open(Path path) throws IOException {
        final RingFile ring = RingFile.open(path);
        try {
            return new PeopleConsumer(ring.consumer(), ring);
        } catch (IOException | RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    /**
     * Hands up to {@code limit} People to {@code handler}, in order, then releases them with one release
     * store of {@code head} (see {@link RingConsumer#poll(RingConsumer.RecordHandler, int)}). Allocates nothing.
     *
     * @param handler receives each People
     * @param limit   most records to hand over, at least 1
     * @return how many were handled; 0 if none is published
     */
    public int poll(PeopleHandler handler, int limit) {
        this.handler = handler;
        return consumer.poll(adapter, limit);
    }

    /**
     * Like {@link #poll(PeopleHandler, int)}, but idles until at least one arrives (blocks as {@code idle} decides).
     *
     * @param handler receives each People
     * @param limit   most records to hand over, at least 1
     * @param idle    how to wait while nothing is published
     * @return how many were handled; 0 only if the thread is interrupted
     */
    public int poll(PeopleHandler handler, int limit, IdleStrategy idle) {
        this.handler = handler;
        return consumer.poll(adapter, limit, idle);
    }

    /**
     * Like {@link #poll(PeopleHandler, int)}, but the handler steers the poll with its return value:
     * {@link RingConsumer.Action#CONTINUE}, {@link RingConsumer.Action#RELEASE} (hand the slots handled so
     * far back to the producer now, and go on), {@link RingConsumer.Action#BREAK} (end after this one) or
     * {@link RingConsumer.Action#ABORT} (end before this one, which the next poll hands over again); see
     * {@link RingConsumer#controlledPoll(RingConsumer.ControlledRecordHandler, int)}. Allocates nothing.
     *
     * @param handler receives each People and returns what to do next
     * @param limit   most records to hand over, at least 1
     * @return how many were handled (an aborted one is not counted); 0 if none is published
     * @throws IllegalArgumentException if {@code limit < 1}
     * @throws IllegalStateException    if the consumer is closed
     * @throws NullPointerException     if the handler returned null (that record is not handled)
     */
    public int controlledPoll(ControlledPeopleHandler handler, int limit) {
        this.controlledHandler = handler;
        return consumer.controlledPoll(controlledAdapter, limit);
    }

    /**
     * The underlying consumer, for zero-copy reading with {@link RingConsumer#available(int)}.
     *
     * @return the ring's consumer
     */
    public RingConsumer ring() {
        return consumer;
    }

    /**
     * Gives the consumer role back; closes the ring file too if {@link #open(Path)} opened it.
     *
     * @throws IOException if the ring file cannot be closed
     */
    @Override
    public void close() throws IOException {
        consumer.close();
        if (ownedRing != null) {
            ownedRing.close();
        }
    }

    private void onRecord(ByteBuffer buffer, int offset) {
        handler.onPeople(people.wrap(buffer, offset));
    }

    private RingConsumer.Action onControlledRecord(ByteBuffer buffer, int offset) {
        return controlledHandler.onPeople(people.wrap(buffer, offset));
    }
}
