package io.mmapring.jcstress;

import io.mmapring.PeopleProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The {@code tail} release comes after the batch's word releases: the producer claims three slots
 * of an empty four-slot ring, fills them with 1, 2, 3 and commits (three word releases, then one of
 * {@code tail}); the consumer reads {@code tail} (acquire, as {@link io.mmapring.RingFile#tail()}
 * and an inspector do) and then polls once with a limit of four. A tail of 3 means the whole batch
 * is visible to the poll that follows. Inspection ({@code backlog}) and the opener's validation rely
 * on this order; the mutant that releases {@code tail} first ({@code .ci/mutants.sh
 * tail-release-before-words}) shows {@code 3, 0, 123} (and prefixes shorter than three).
 *
 * <p>r1: tail seen (0 or 3; -1 for anything else); r2: ids the consumer polled; r3: ids the arbiter drained.
 */
@JCStressTest
@Outcome(id = "0, 0, 123", expect = ACCEPTABLE, desc = "tail 0; consumer saw nothing yet")
@Outcome(id = "0, 1, 23", expect = ACCEPTABLE, desc = "tail 0; consumer saw a prefix of one")
@Outcome(id = "0, 12, 3", expect = ACCEPTABLE, desc = "tail 0; consumer saw a prefix of two")
@Outcome(id = "0, 123, 0", expect = ACCEPTABLE, desc = "tail 0; consumer saw the whole batch")
@Outcome(id = "3, 123, 0", expect = ACCEPTABLE, desc = "tail 3; consumer saw the whole batch")
@Outcome(id = "3, .*", expect = FORBIDDEN, desc = "tail 3 seen before every word of the batch")
@Outcome(expect = FORBIDDEN, desc = "a stale or torn message, out of order, a loss or a duplicate")
@State
public class TailAfterBatchTest {
    private final DirectRing ring = DirectRing.take(4);

    @Actor
    public void producer() {
        final PeopleProducer producer = ring.producer();
        final int claimed = producer.claim(3);
        for (int i = 0; i < claimed; i++) {
            Messages.fill(producer.people(i), i + 1);
        }
        producer.commit();
    }

    @Actor
    public void consumer(III_Result r) {
        final long tail = ring.ring().tail();
        r.r1 = tail == 0 || tail == 3 ? (int) tail : -1;
        r.r2 = ring.poll(4);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = ring.drain();
        ring.release();
    }
}
