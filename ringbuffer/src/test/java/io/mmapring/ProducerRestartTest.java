package io.mmapring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A producer restarted after a crash that left {@code tail} lagging: the file is written exactly as
 * a producer that died inside {@link RingProducer#commit()} leaves it (its batch claimed and
 * written, the first {@code k} slot words released, {@code tail} not), then a new producer opens it.
 * It must start at the restart scan's position ({@code tail + k}), not at {@code tail}: starting at
 * {@code tail} would overwrite {@code k} published records with different bytes (each record
 * carries the incarnation that wrote it) and deliver those positions twice or never.
 */
class ProducerRestartTest {
    private static final int CAPACITY = 16;
    private static final int COMMITTED = 3;
    private static final int BATCH = 4;

    private final List<Path> paths = new ArrayList<>();

    @AfterEach
    void deleteRings() throws IOException {
        for (Path path : paths) {
            TestRings.delete(path);
        }
    }

    @Test
    void producerRestartedAfterDyingBetweenItsWordReleasesAndItsTailStartsAfterThePublishedWords() throws IOException {
        for (int released = 0; released <= BATCH; released++) {
            final Path path = TestRings.newPath("restart-" + released);
            paths.add(path);
            dieInsideCommit(path, released);
            try (RingFile ring = RingFile.open(path)) {
                assertEquals(COMMITTED, ring.tail(), "the dead producer's tail");
                final long scan = COMMITTED + released;
                assertEquals(scan, ring.producerPosition(), "the restart scan after " + released + " word releases");
                try (PeopleProducer out = new PeopleProducer(ring.producer());
                     PeopleConsumer in = new PeopleConsumer(ring.consumer())) {
                    assertEquals(scan, out.ring().position(), "incarnation 2 did not start at the restart scan's position"
                        + " (tail " + COMMITTED + ", " + released + " words released after it)");
                    assertEquals(scan, ring.tail(), "the new producer repairs the lagging tail");
                    for (long p = scan; p < scan + 3; p++) {
                        assertTrue(out.offer((int) p, "incarnation-2"));
                    }
                    final List<String> delivered = new ArrayList<>();
                    while (in.poll(people -> delivered.add(people.id() + ":" + people.name()), CAPACITY) > 0) {
                        // read everything
                    }
                    final List<String> expected = new ArrayList<>();
                    for (long p = 0; p < scan + 3; p++) {
                        expected.add(p + ":incarnation-" + (p < scan ? 1 : 2));
                    }
                    assertEquals(expected, delivered, "after " + released + " of " + BATCH + " words released");
                }
            }
        }
    }

    @Test
    void aRingWhoseTailLagsItsPublishedWordsPassesValidationAndReportsTheScannedBacklog() throws IOException {
        final Path path = TestRings.newPath("restart-backlog");
        paths.add(path);
        dieInsideCommit(path, 2);
        try (RingFile ring = RingFile.open(path)) {
            assertEquals(COMMITTED + 2, ring.backlog(), "backlog counts the published words past tail");
            assertEquals(COMMITTED, ring.tail(), "opening writes nothing: tail still lags");
        }
    }

    /**
     * Incarnation 1: commits {@link #COMMITTED} records, then claims a batch of {@link #BATCH}, writes
     * all of it, releases the first {@code released} slot words (what the first iterations of
     * commit's loop store, in that order) and stops there: no {@code tail}, nothing more.
     */
    private static void dieInsideCommit(Path path, int released) throws IOException {
        try (RingFile ring = RingFile.create(path, People.spec(CAPACITY))) {
            final PeopleProducer out = new PeopleProducer(ring.producer());
            for (int p = 0; p < COMMITTED; p++) {
                out.offer(p, "incarnation-1");
            }
            assertEquals(BATCH, out.claim(BATCH));
            for (int i = 0; i < BATCH; i++) {
                out.people(i).id(COMMITTED + i).name("incarnation-1");
            }
            final RingProducer producer = out.ring();
            for (int i = 0; i < released; i++) {
                final long position = COMMITTED + i;
                RingLayout.LONG.setRelease(producer.buffer(), producer.recordOffset(i) + ring.spec().sequenceOffset(), position + 1);
            }
            // the process dies here; closing the ring writes nothing to it
        }
    }
}
