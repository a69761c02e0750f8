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
 * Batch publication: the producer claims three slots of a four-slot ring that starts at position 6
 * (so the batch wraps: slots 2, 3, 0; every slot holds a stale message), fills them zero-copy with
 * 1, 2, 3 through {@code people(i)} and commits them at once; the consumer polls once with a limit
 * of four. The consumer gets a prefix of the batch, in order, whole records only, nothing stale
 * (message 8 of the previous lap), and the arbiter's drain finds the rest: no loss, no duplicate.
 *
 * <p>What this test cannot show: "never a hole". The consumer stops at the first slot whose word
 * is not yet published, whatever order the producer released the words in, so a batch released in
 * reverse order would still reach it as a prefix. The order of the word releases matters to the
 * restart scan after a producer crash (a dead producer must leave a published prefix), and that is
 * tested where it can fail: {@code ProducerCrashMidCommitTest} in the ringbuffer module.
 *
 * <p>r1: slots claimed (always 3: the ring is empty); r2: ids the consumer polled; r3: ids the
 * arbiter drained afterwards. As digits, 0 for none.
 */
@JCStressTest
@Outcome(id = "3, 0, 123", expect = ACCEPTABLE, desc = "consumer saw none of the batch yet")
@Outcome(id = "3, 1, 23", expect = ACCEPTABLE, desc = "consumer saw a prefix of one")
@Outcome(id = "3, 12, 3", expect = ACCEPTABLE, desc = "consumer saw a prefix of two")
@Outcome(id = "3, 123, 0", expect = ACCEPTABLE, desc = "consumer saw the whole batch")
@Outcome(expect = FORBIDDEN, desc = "a stale or torn message, out of order, a loss or a duplicate")
@State
public class BatchPublicationTest {
    private final DirectRing ring = DirectRing.takeAt(4, 6);

    @Actor
    public void producer(III_Result r) {
        final PeopleProducer producer = ring.producer();
        final int claimed = producer.claim(3);
        for (int i = 0; i < claimed; i++) {
            Messages.fill(producer.people(i), i + 1);
        }
        producer.commit();
        r.r1 = claimed;
    }

    @Actor
    public void consumer(III_Result r) {
        r.r2 = ring.poll(4);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = ring.drain();
        ring.release();
    }
}
