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
 * Batch consumption: the constructor fills a two-slot ring with 1, 2. The consumer polls both in
 * one batch (limit 2), reading them with plain loads, and then releases {@code head} once; the
 * producer claims two slots, fills them with 3, 4 and commits. The producer can only claim slots
 * after the consumer's release, which comes after it read both records: it never overwrites a
 * record being read (that would show as torn), and it sees the batch freed all at once (0 or 2).
 *
 * <p>r1: slots the producer claimed; r2: ids the consumer polled; r3: ids the arbiter drained.
 */
@JCStressTest
@Outcome(id = "0, 12, 0", expect = ACCEPTABLE, desc = "claim saw the ring still full")
@Outcome(id = "2, 12, 34", expect = ACCEPTABLE, desc = "claim saw the whole batch released")
@Outcome(id = "1, 12, 3", expect = FORBIDDEN, desc = "head moved by one: the batch was not released with one store")
@Outcome(expect = FORBIDDEN, desc = "overwrote a record being read, lost, duplicated or torn")
@State
public class BatchConsumptionTest {
    private final DirectRing ring = DirectRing.take(2);

    public BatchConsumptionTest() {
        if (!ring.offer(1) || !ring.offer(2)) {
            throw new IllegalStateException("could not fill the ring");
        }
    }

    @Actor
    public void producer(III_Result r) {
        final PeopleProducer producer = ring.producer();
        final int claimed = producer.claim(2);
        for (int i = 0; i < claimed; i++) {
            Messages.fill(producer.people(i), i + 3);
        }
        producer.commit();
        r.r1 = claimed;
    }

    @Actor
    public void consumer(III_Result r) {
        r.r2 = ring.poll(2);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = ring.drain();
        ring.release();
    }
}
