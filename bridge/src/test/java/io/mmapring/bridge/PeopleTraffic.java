package io.mmapring.bridge;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The two ends the tests drive, each on its own thread of the test JVM: a producer of People
 * {@code 0 .. count-1} into the sending ring, and a consumer of the receiving ring that checks every
 * People arrives once, in order, with its name. Both back off when idle.
 */
final class PeopleTraffic {
    private PeopleTraffic() {
    }

    static String nameOf(int id) {
        return "person-" + id;
    }

    static IdleStrategy idle() {
        return new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** Offers People 0 .. count-1 with non-blocking offers, counting how often it found the ring full. */
    static final class Producer extends Thread {
        private final Path ring;
        private final int count;
        volatile int produced;
        volatile long fullRing;
        final AtomicReference<Throwable> error = new AtomicReference<>();

        Producer(Path ring, int count) {
            super("people-producer");
            this.ring = ring;
            this.count = count;
            setDaemon(true);
        }

        @Override
        public void run() {
            final IdleStrategy idle = idle();
            try (PeopleProducer out = PeopleProducer.open(ring)) {
                for (int id = 0; id < count && !isInterrupted(); ) {
                    if (out.offer(id, nameOf(id))) {
                        produced = ++id;
                        idle.reset();
                    } else {
                        fullRing++;
                        idle.idle();
                    }
                }
            } catch (Throwable t) {
                error.set(t);
            }
        }
    }

    /** Consumes the receiving ring, checking that People {@code 0, 1, 2, ...} arrive in order, each once. */
    static final class Consumer extends Thread {
        private final Path ring;
        private final int count;
        private final int batch;
        private final long pauseNanosPerBatch;
        private final int firstId;
        volatile int consumed;
        volatile boolean paused;
        final AtomicReference<Throwable> error = new AtomicReference<>();

        /** @param pauseNanosPerBatch sleep this long after each batch (a slow consumer), 0 for none */
        Consumer(Path ring, int count, int batch, long pauseNanosPerBatch) {
            this(ring, 0, count, batch, pauseNanosPerBatch);
        }

        /** Expects People {@code firstId, firstId + 1, ...}; {@code count} of them. */
        Consumer(Path ring, int firstId, int count, int batch, long pauseNanosPerBatch) {
            super("people-consumer");
            this.firstId = firstId;
            this.ring = ring;
            this.count = count;
            this.batch = batch;
            this.pauseNanosPerBatch = pauseNanosPerBatch;
            setDaemon(true);
        }

        @Override
        public void run() {
            final IdleStrategy idle = idle();
            try (RingFile file = RingFile.open(ring); PeopleConsumer in = new PeopleConsumer(file.consumer())) {
                while (consumed < count && !isInterrupted()) {
                    if (paused) {
                        Thread.sleep(1);
                        continue;
                    }
                    final int n = in.poll(this::check, batch);
                    idle.idle(n);
                    if (n > 0 && pauseNanosPerBatch > 0) {
                        TimeUnit.NANOSECONDS.sleep(pauseNanosPerBatch);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                error.set(t);
            }
        }

        private void check(People people) {
            final int expected = firstId + consumed;
            if (people.id() != expected) {
                throw new AssertionError("receiving ring " + ring + ": expected People " + expected + ", got " + people.id()
                    + (people.id() < expected ? " (a duplicate)" : " (People " + expected + " was lost)"));
            }
            if (!people.name().equals(nameOf(expected))) {
                throw new AssertionError("receiving ring " + ring + ": People " + expected + " has name '" + people.name()
                    + "', expected '" + nameOf(expected) + "'");
            }
            consumed = expected + 1 - firstId;
        }
    }
}
