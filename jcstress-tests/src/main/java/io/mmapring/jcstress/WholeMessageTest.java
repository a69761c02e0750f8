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
 * Whole-message publication: one {@code offer} against one {@code poll}, on a one-slot ring whose
 * slot still holds the previous message (1, sent and read in the constructor). The consumer sees
 * nothing or all 132 bytes of message 2; never message 1 again, never a mix of the two.
 *
 * <p>r1: what the consumer polled (0 nothing, 2 the message, 9 torn); r2: what the arbiter drained after.
 */
@JCStressTest
@Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "polled before publication; the message arrives later, whole")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "polled the whole message")
@Outcome(expect = FORBIDDEN, desc = "torn, stale, lost or duplicated message")
@State
public class WholeMessageTest {
    private final DirectRing ring = DirectRing.take(1);

    public WholeMessageTest() {
        ring.advance(1);
    }

    @Actor
    public void producer() {
        ring.offer(2);
    }

    @Actor
    public void consumer(II_Result r) {
        r.r1 = ring.poll(1);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = ring.drain();
        ring.release();
    }
}
