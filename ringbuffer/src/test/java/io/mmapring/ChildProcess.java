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
            default:
                throw new IllegalArgumentException(args[0]);
        }
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
