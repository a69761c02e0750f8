package io.mmapring.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * FIFO: two offers (1, 2) against two single-message polls on an empty two-slot ring. The consumer
 * sees a prefix of 1, 2; the arbiter drains the rest, so that together they are exactly 1, 2.
 *
 * <p>r1: the ids the consumer polled, in order, as digits (0 none); r2: the ids the arbiter drained.
 */
@JCStressTest
@Outcome(id = "0, 12", expect = ACCEPTABLE, desc = "consumer saw nothing yet")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "consumer saw 1 only")
@Outcome(id = "12, 0", expect = ACCEPTABLE, desc = "consumer saw 1 then 2")
@Outcome(expect = FORBIDDEN, desc = "out of order, duplicated, lost or torn")
@State
public class FifoTest {
    private final DirectRing ring = DirectRing.take(2);

    @Actor
    public void producer() {
        ring.offer(1);
        ring.offer(2);
    }

    @Actor
    public void consumer(II_Result r) {
        final int first = ring.poll(1);
        r.r1 = Messages.concat(first, ring.poll(1));
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = ring.drain();
        ring.release();
    }
}
