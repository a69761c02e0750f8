package io.mmapring;

import java.nio.file.Path;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real JVMs over one mapped file. Ids equal positions (see {@link ChildProcess}), so order, loss
 * and duplication are checked exactly, and every name is compared byte for byte.
 */
class CrossProcessTest {
    private static final long TEN_MILLION = 10_000_000L;
    private Path path;

    @AfterEach
    void deleteRing() throws Exception {
        TestRings.delete(path);
    }

    @Test
    void tenMillionPeopleCrossToAnotherJvmInOrderWithNothingLostOrDuplicated() throws Exception {
        path = TestRings.newPath("cross");
        try (RingFile ring = RingFile.create(path, People.spec(1024));
             PeopleProducer out = new PeopleProducer(ring.producer());
             Jvm reader = Jvm.start("consume", path.toString(), Long.toString(TEN_MILLION), "256")) {
            reader.await("start 0", 30_000);
            final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 100_000);
            final StringBuilder sb = new StringBuilder();
            final long deadline = System.currentTimeMillis() + 300_000;
            for (long id = 0; id < TEN_MILLION; id++) {
                final CharSequence name = TestRings.nameOf(id, sb);
                idle.reset();
                while (!out.offer((int) id, name)) {
                    // never wait forever on a reader that failed or died
                    assertTrue(reader.isAlive(), () -> "reader died at " + ring.head() + ": " + reader.output());
                    assertTrue(System.currentTimeMillis() < deadline, () -> "stuck at " + ring.head());
                    idle.idle();
                }
            }
            final int exit = reader.waitFor(300_000);
            assertEquals(0, exit, reader.output());
            assertTrue(reader.output().contains("done " + TEN_MILLION), reader.output());
            assertEquals(TEN_MILLION, ring.head());
            assertEquals(TEN_MILLION, ring.tail());
        }
    }

    @Test
    void producerInAnotherJvmFeedsAConsumerHereInBatches() throws Exception {
        path = TestRings.newPath("cross-batch");
        final long count = 2_000_000;
        try (RingFile ring = RingFile.create(path, People.spec(256));
             PeopleConsumer in = new PeopleConsumer(ring.consumer());
             Jvm writer = Jvm.start("produce", path.toString(), Long.toString(count), "32")) {
            final ChildProcess.Verifier verifier = new ChildProcess.Verifier();
            final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 100_000);
            final long deadline = System.currentTimeMillis() + 300_000;
            while (verifier.expected < count && verifier.failure == null && System.currentTimeMillis() < deadline) {
                in.poll(verifier, 100, idle);
            }
            assertEquals(null, verifier.failure);
            assertEquals(count, verifier.expected);
            assertEquals(0, writer.waitFor(30_000), writer.output());
        }
    }
}
