package io.mmapring.examples;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import io.mmapring.PeopleConsumer;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;

/**
 * The second JVM of the lifecycle tests, doing what an ordinary user program does next to a peer.
 *
 * <ul>
 * <li>{@code hold-producer RING WAY}: takes the producer role ({@link PeopleProducer#open}), commits one
 *     People, opens and closes the same path once more in this JVM (WAY: {@code backlog}, {@code consumer},
 *     {@code interrupted}, {@code read-only}), prints {@code reopened WAY}, waits for the file
 *     {@code RING.go}, commits one more People and prints {@code committed, producer position N}.</li>
 * <li>{@code probe RING STOP_FILE}: loops on {@link RingFile#isProducerAlive()} (a liveness probe, as a
 *     health check does) until STOP_FILE exists; prints {@code probing} first and the count at the end.</li>
 * </ul>
 */
final class LifecycleChild {
    private static final long WAIT_SECONDS = 60;

    private LifecycleChild() {
    }

    public static void main(String[] args) throws Exception {
        final Path ring = Paths.get(args[1]);
        switch (args[0]) {
            case "hold-producer":
                holdProducer(ring, args[2]);
                break;
            case "probe":
                probe(ring, Paths.get(args[2]));
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void holdProducer(Path ring, String way) throws Exception {
        try (PeopleProducer producer = PeopleProducer.open(ring)) {
            commit(producer, 0);
            reopenAndClose(ring, way);
            System.out.println("reopened " + way);
            System.out.flush();
            awaitFile(Paths.get(ring + ".go"));
            commit(producer, 1);
            System.out.println("committed, producer position " + producer.ring().position());
            System.out.flush();
        }
    }

    /** Opens the path again in this JVM, in one of the ways a program does, and closes it. */
    private static void reopenAndClose(Path ring, String way) throws Exception {
        switch (way) {
            case "backlog": // a health check
                try (RingFile again = RingFile.open(ring)) {
                    System.out.println("backlog " + again.backlog());
                }
                break;
            case "consumer": // a consumer in the same JVM, closed later
                try (PeopleConsumer consumer = PeopleConsumer.open(ring)) {
                    System.out.println("consumer at " + consumer.ring().position());
                }
                break;
            case "interrupted": // an open on a thread whose interrupt flag is set
                Thread.currentThread().interrupt();
                try (RingFile again = RingFile.open(ring)) {
                    System.out.println("open on an interrupted thread succeeded, backlog " + again.backlog());
                } catch (IOException e) {
                    System.out.println("open on an interrupted thread failed: " + e);
                } finally {
                    Thread.interrupted();
                }
                break;
            case "read-only": // an inspector's open; RingFile.openReadOnly(Path) is the lead's API of issue 14
                final Method openReadOnly;
                try {
                    openReadOnly = RingFile.class.getMethod("openReadOnly", Path.class);
                } catch (NoSuchMethodException e) {
                    System.out.println("RingFile.openReadOnly(Path) does not exist in this build");
                    System.exit(3);
                    return;
                }
                try (RingFile again = (RingFile) openReadOnly.invoke(null, ring)) {
                    System.out.println("read-only backlog " + again.backlog());
                } catch (InvocationTargetException e) {
                    throw (Exception) e.getCause();
                }
                break;
            default:
                throw new IllegalArgumentException("unknown way " + way);
        }
    }

    private static void commit(PeopleProducer producer, int id) {
        if (!producer.offer(id, "person-" + id)) {
            throw new IllegalStateException("ring full: the test expects room");
        }
    }

    private static void probe(Path ring, Path stop) throws Exception {
        long probes = 0;
        long alive = 0;
        try (RingFile file = RingFile.open(ring)) {
            System.out.println("probing");
            System.out.flush();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!Files.exists(stop) && System.nanoTime() - deadline < 0) {
                for (int i = 0; i < 1000; i++) {
                    probes++;
                    if (file.isProducerAlive()) {
                        alive++;
                    }
                }
            }
        }
        System.out.println("probes " + probes + ", producer alive in " + alive);
    }

    private static void awaitFile(Path file) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!Files.exists(file)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no " + file + " within " + WAIT_SECONDS + " s");
            }
            Thread.sleep(2);
        }
    }
}
