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
        void onPeople(People people);
    }

    private final RingConsumer consumer;
    private final RingFile ownedRing;
    private final People people = new People();
    private final RingConsumer.RecordHandler adapter = this::onRecord;
    private PeopleHandler handler;

    /** Reads People through {@code consumer}; closing this closes the consumer (not its ring). */
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

    /** Opens the ring file at {@code path} and takes its consumer role; closing this closes the file. */
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
     * Hands up to {@code limit} People to {@code handler}, in order, then releases them with one store
     * of {@code head}. Returns how many; 0 if none is published.
     */
    public int poll(PeopleHandler handler, int limit) {
        this.handler = handler;
        return consumer.poll(adapter, limit);
    }

    /** Like {@link #poll(PeopleHandler, int)}, but idles until at least one arrives. Returns 0 only if interrupted. */
    public int poll(PeopleHandler handler, int limit, IdleStrategy idle) {
        this.handler = handler;
        return consumer.poll(adapter, limit, idle);
    }

    /** The underlying consumer, for zero-copy reading with {@link RingConsumer#available(int)}. */
    public RingConsumer ring() {
        return consumer;
    }

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
}
