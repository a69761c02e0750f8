package io.mmapring;

import java.io.IOException;
import java.nio.file.Path;

import org.agrona.concurrent.IdleStrategy;

/**
 * Publishes {@link People} records into a ring. Not thread-safe; allocates nothing in steady state.
 *
 * <pre>{@code
 * try (PeopleProducer out = PeopleProducer.open(path)) {
 *     while (!out.offer(253, "helloworld")) idle.idle();
 * }
 * }</pre>
 */
public final class PeopleProducer implements AutoCloseable {
    private final RingProducer producer;
    private final RingFile ownedRing;
    private final People people = new People();
    private final byte[] nameField = new byte[People.NAME_LENGTH];

    /**
     * Writes People through {@code producer}; closing this closes the producer (not its ring).
     *
     * @param producer the producer of a ring of 132-byte records
     * @throws IllegalArgumentException if the ring's record size is not 132
     */
    public PeopleProducer(RingProducer producer) {
        this(producer, null);
    }

    private PeopleProducer(RingProducer producer, RingFile ownedRing) {
        if (producer.recordSize() != People.SIZE) {
            throw new IllegalArgumentException("ring " + producer.ring().name() + ": record size "
                + producer.recordSize() + " does not match People (" + People.SIZE + ")");
        }
        this.producer = producer;
        this.ownedRing = ownedRing;
    }

    /**
     * Opens the ring file at {@code path} and takes its producer role; closing this closes the file.
     *
     * @param path the ring file
     * @return the producer
     * @throws IOException           as {@link RingFile#open(Path)}
     * @throws IllegalStateException if another producer holds the role
     */
    public static PeopleProducer open(Path path) throws IOException {
        final RingFile ring = RingFile.open(path);
        try {
            return new PeopleProducer(ring.producer(), ring);
        } catch (IOException | RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    /**
     * Publishes one People at once (one release of its slot's word, one of {@code tail}). Allocates nothing.
     *
     * @param id   the id
     * @param name the name, at most 127 UTF-8 bytes, no NUL
     * @return false, with the ring unchanged, if the ring is full
     * @throws IllegalArgumentException if the name is invalid (see {@link People#encodeName}); nothing is written
     * @throws IllegalStateException    if the producer is closed, or the position reached 2^62
     */
    public boolean offer(int id, CharSequence name) {
        People.encodeName(name, nameField);
        return producer.claim(1) != 0 && publishOne(id);
    }

    /**
     * Like {@link #offer(int, CharSequence)}, but idles while the ring is full (blocks as {@code idle} decides).
     *
     * @param id   the id
     * @param name the name
     * @param idle how to wait while the ring is full
     * @return true once published; false only if the thread is interrupted (nothing published)
     * @throws IllegalArgumentException if the name is invalid; nothing is written
     * @throws IllegalStateException    if the producer is closed
     */
    public boolean offer(int id, CharSequence name, IdleStrategy idle) {
        People.encodeName(name, nameField);
        return producer.claim(1, idle) != 0 && publishOne(id);
    }

    /**
     * Claims up to {@code n} slots for zero-copy writing (see {@link RingProducer#claim(int)}).
     *
     * @param n slots wanted, at least 1
     * @return slots claimed, 0 if the ring is full
     */
    public int claim(int n) {
        return producer.claim(n);
    }

    /**
     * Like {@link #claim(int)}, but idles until at least one slot is free (see {@link RingProducer#claim(int, IdleStrategy)}).
     *
     * @param n    slots wanted, at least 1
     * @param idle how to wait while the ring is full
     * @return slots claimed; 0 only if the thread is interrupted
     */
    public int claim(int n, IdleStrategy idle) {
        return producer.claim(n, idle);
    }

    /**
     * The reusable flyweight over the {@code i}-th claimed slot: set its id and name, then {@link #commit()}.
     *
     * @param i index in the current claim
     * @return the flyweight (the same object every call)
     */
    public People people(int i) {
        return people.wrap(producer.buffer(), producer.recordOffset(i));
    }

    /** Publishes the claimed slots, in order (see {@link RingProducer#commit()}). */
    public void commit() {
        producer.commit();
    }

    /**
     * Publishes the first {@code n} claimed slots, in order, and gives the rest of the claim back
     * unpublished (see {@link RingProducer#commit(int)}): claim 64, fill 10, {@code commit(10)}.
     *
     * @param n slots to publish, from 0 to the slots claimed
     * @throws IllegalArgumentException if {@code n} is negative or more than the slots claimed; nothing is published
     * @throws IllegalStateException    if the producer is closed (nothing is published)
     */
    public void commit(int n) {
        producer.commit(n);
    }

    /** Drops the current claim; nothing is published (see {@link RingProducer#abort()}). */
    public void abort() {
        producer.abort();
    }

    /**
     * The underlying producer.
     *
     * @return the ring's producer
     */
    public RingProducer ring() {
        return producer;
    }

    /**
     * Gives the producer role back; closes the ring file too if {@link #open(Path)} opened it.
     *
     * @throws IOException if the ring file cannot be closed
     */
    @Override
    public void close() throws IOException {
        producer.close();
        if (ownedRing != null) {
            ownedRing.close();
        }
    }

    /** Writes the encoded name and {@code id} into the one claimed slot and publishes it. */
    private boolean publishOne(int id) {
        people.wrap(producer.buffer(), producer.recordOffset(0)).name(nameField).id(id);
        producer.commit();
        return true;
    }
}
