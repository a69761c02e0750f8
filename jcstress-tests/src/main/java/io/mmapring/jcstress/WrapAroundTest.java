package io.mmapring.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Wrap-around: the constructor sends and reads 5, 6, 7 through a two-slot ring, so both positions
 * start at 3, slot 0 holds 7 and slot 1 holds 6 (each with its word from the previous lap). The
 * producer offers 1, 2, 3 (positions 3, 4, 5: slots 1, 0, 1 again); the consumer polls one message
 * three times. No stale message (5, 6, 7) is ever delivered again, none is lost, none duplicated.
 *
 * <p>r1: ids accepted (1 and 2 always fit; 3 only once 1 was consumed); r2: ids the consumer
 * polled; r3: ids the arbiter drained afterwards. All as digits, 0 for none.
 */
@JCStressTest
@Outcome(id = "12, 0, 12", expect = ACCEPTABLE, desc = "3 refused; consumer saw nothing yet")
@Outcome(id = "12, 1, 2", expect = ACCEPTABLE, desc = "3 refused; consumer saw 1")
@Outcome(id = "12, 12, 0", expect = ACCEPTABLE, desc = "3 refused; consumer saw 1, 2")
@Outcome(id = "123, 1, 23", expect = ACCEPTABLE, desc = "3 accepted into the slot of 1; consumer saw 1")
@Outcome(id = "123, 12, 3", expect = ACCEPTABLE, desc = "3 accepted; consumer saw 1, 2")
@Outcome(id = "123, 123, 0", expect = ACCEPTABLE, desc = "3 accepted; consumer saw all three")
@Outcome(expect = FORBIDDEN, desc = "stale message re-delivered, lost, duplicated, reordered or torn")
@State
public class WrapAroundTest {
    private final DirectRing ring = DirectRing.take(2);

    public WrapAroundTest() {
        ring.advance(5, 6, 7);
    }

    @Actor
    public void producer(III_Result r) {
        int accepted = ring.offer(1) ? 1 : 0;
        accepted = Messages.concat(accepted, ring.offer(2) ? 2 : 0);
        r.r1 = Messages.concat(accepted, ring.offer(3) ? 3 : 0);
    }

    @Actor
    public void consumer(III_Result r) {
        int polled = ring.poll(1);
        polled = Messages.concat(polled, ring.poll(1));
        r.r2 = Messages.concat(polled, ring.poll(1));
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = ring.drain();
        ring.release();
    }
}
