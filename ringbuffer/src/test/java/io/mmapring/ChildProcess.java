package io.mmapring;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The second process of the cross-process tests. Ids equal ring positions, so that any reader can
 * check order, loss and duplication exactly: the record at position p has id p and name nameOf(p).
 *
 * <pre>
 * produce PATH COUNT BATCH   publish positions [producerPosition, COUNT), BATCH per commit
 * consume PATH COUNT BATCH   consume and verify up to position COUNT, BATCH per poll
 * hold-producer PATH         take the producer role and wait for stdin to close
 * try-role PATH ROLE         ROLE producer or consumer: print "alive true|false", then "took P" or "refused MESSAGE"
 * churn-producer PATH N      N times: open the ring, take the producer role, close; print "refused K of N"
 * probe-producer PATH        loop on isProducerAlive() until killed
 * create PATH CAPACITY       create a People ring (a big one takes a while: the parent may kill us meanwhile)
 * open-close PATH N          N times: open, backlog, close; print "maps M fds F" before, every N/10, and "done ..."
 * inspect PATH               openReadOnly: print "backlog B producer alive A", then try open (read-write)
 * </pre>
 */
public final class ChildProcess {
    private ChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        final Path path = Paths.get(args[1]);
        switch (args[0]) {
            case "produce":
                produce(path, Long.parseLong(args[2]), Integer.parseInt(args[3]));
                break;
            case "consume":
                System.exit(consume(path, Long.parseLong(args[2]), Integer.parseInt(args[3])));
                break;
            case "hold-producer":
                try (RingFile ring = RingFile.open(path); RingProducer producer = ring.producer()) {
                    System.out.println("holding at " + producer.position());
                    while (System.in.read() >= 0) {
                        // until the parent closes our stdin or kills us
                    }
                }
                break;
            case "try-role":
                try (RingFile ring = RingFile.open(path)) {
                    final boolean producer = "producer".equals(args[2]);
                    System.out.println("alive " + (producer ? ring.isProducerAlive() : ring.isConsumerAlive()));
                    try (AutoCloseable role = producer ? ring.producer() : ring.consumer()) {
                        System.out.println("took " + (producer ? ((RingProducer) role).position() : ((RingConsumer) role).position()));
                    } catch (IllegalStateException e) {
                        System.out.println("refused " + e.getMessage());
                    }
                }
                break;
            case "probe-producer":
                try (RingFile ring = RingFile.open(path)) {
                    System.out.println("probing");
                    while (true) {
                        ring.isProducerAlive();
                    }
                }
            case "open-close":
                openClose(path, Integer.parseInt(args[2]));
                break;
            case "inspect":
                try (RingFile ring = RingFile.openReadOnly(path)) {
                    System.out.println("backlog " + ring.backlog() + " producer alive " + ring.isProducerAlive());
                } catch (java.io.IOException e) {
                    System.out.println("read-only open refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                try (RingFile ring = RingFile.open(path)) {
                    System.out.println("read-write open took " + ring.backlog());
                } catch (java.io.IOException e) {
                    System.out.println("read-write open refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                break;
            case "churn-producer":
                churnProducer(path, Integer.parseInt(args[2]));
                break;
            case "create":
                System.out.println("creating");
                try (RingFile ring = RingFile.create(path, People.spec(Integer.parseInt(args[2])))) {
                    System.out.println("created " + ring.spec());
                }
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    static void churnProducer(Path path, int starts) throws Exception {
        System.out.println("churning");
        int refused = 0;
        String first = null;
        for (int i = 0; i < starts; i++) {
            try (RingFile ring = RingFile.open(path); RingProducer producer = ring.producer()) {
                producer.position(); // took it
            } catch (IllegalStateException e) {
                refused++;
                first = first == null ? e.getMessage() : first;
            }
        }
        System.out.println("refused " + refused + " of " + starts + (first == null ? "" : ": " + first));
    }

    static void openClose(Path path, int cycles) throws Exception {
        System.out.println("start " + Resources.describe());
        final long started = System.nanoTime();
        for (int i = 1; i <= cycles; i++) {
            try (RingFile ring = RingFile.open(path)) {
                ring.backlog();
            }
            if (i % (cycles / 10) == 0) {
                System.out.println("at " + i + " " + Resources.describe());
            }
        }
        System.out.println("done " + Resources.describe() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    static void produce(Path path, long count, int batch) throws Exception {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 100_000);
        final StringBuilder sb = new StringBuilder();
        try (RingFile ring = RingFile.open(path); PeopleProducer out = new PeopleProducer(ring.producer())) {
            long position = out.ring().position();
            System.out.println("start " + position);
            long nextReport = position + 100_000;
            while (position < count) {
                final int n = out.claim((int) Math.min(batch, count - position), idle);
                for (int i = 0; i < n; i++) {
                    final long id = position + i;
                    out.people(i).name(TestRings.nameOf(id, sb)).id((int) id);
                }
                out.commit();
                position += n;
                if (position >= nextReport) {
                    System.out.println("at " + position);
                    nextReport += 100_000;
                }
            }
            System.out.println("done " + position);
        }
    }

    static int consume(Path path, long count, int batch) throws Exception {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 100_000);
        final Verifier verifier = new Verifier();
        try (RingFile ring = RingFile.open(path); PeopleConsumer in = new PeopleConsumer(ring.consumer())) {
            verifier.expected = in.ring().position();
            System.out.println("start " + verifier.expected);
            long nextReport = verifier.expected + 100_000;
            while (verifier.expected < count && verifier.failure == null) {
                in.poll(verifier, (int) Math.min(batch, count - verifier.expected), idle);
                if (verifier.expected >= nextReport) {
                    System.out.println("released " + in.ring().position());
                    nextReport += 100_000;
                }
            }
        }
        if (verifier.failure != null) {
            System.out.println("FAIL " + verifier.failure);
            return 1;
        }
        System.out.println("done " + verifier.expected);
        return 0;
    }

    /** Checks that each People has id == its position and the matching name. */
    static final class Verifier implements PeopleConsumer.PeopleHandler {
        final StringBuilder sb = new StringBuilder();
        final byte[] field = new byte[People.NAME_LENGTH];
        long expected;
        String failure;

        @Override
        public void onPeople(People people) {
            if (failure != null) {
                return;
            }
            final int length = People.encodeName(TestRings.nameOf(expected, sb), field);
            if (people.id() != (int) expected) {
                failure = "position " + expected + ": id " + people.id();
            } else if (!people.nameEquals(field, length)) {
                failure = "position " + expected + ": name '" + people.name() + "'";
            }
            expected++;
        }
    }
}
