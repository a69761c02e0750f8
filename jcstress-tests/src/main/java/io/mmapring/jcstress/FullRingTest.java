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
 * Full ring: the constructor fills a two-slot ring with 1, 2. The producer offers 3, then 4, once
 * each (a refused offer is not retried); the consumer polls one message twice. An offer is accepted
 * only once the consumer's {@code head} release made room, so the arbiter, draining the ring
 * afterwards, finds exactly the accepted messages: none lost, none that was refused, none twice.
 *
 * <p>r1: the ids the producer got accepted, as digits (0 none); r2: what the consumer polled
 * (always 1, 2); r3: what the arbiter drained.
 */
@JCStressTest
@Outcome(id = "0, 12, 0", expect = ACCEPTABLE, desc = "both offers saw a full ring")
@Outcome(id = "3, 12, 3", expect = ACCEPTABLE, desc = "3 accepted, 4 saw a full ring")
@Outcome(id = "4, 12, 4", expect = ACCEPTABLE, desc = "3 saw a full ring, 4 accepted")
@Outcome(id = "34, 12, 34", expect = ACCEPTABLE, desc = "both accepted after both polls")
@Outcome(expect = FORBIDDEN, desc = "overwrote an unread message, lost, duplicated or torn")
@State
public class FullRingTest {
    private final DirectRing ring = DirectRing.take(2);

    public FullRingTest() {
        if (!ring.offer(1) || !ring.offer(2)) {
            throw new IllegalStateException("could not fill the ring");
        }
    }

    @Actor
    public void producer(III_Result r) {
        final int three = ring.offer(3) ? 3 : 0;
        r.r1 = Messages.concat(three, ring.offer(4) ? 4 : 0);
    }

    @Actor
    public void consumer(III_Result r) {
        final int first = ring.poll(1);
        r.r2 = Messages.concat(first, ring.poll(1));
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = ring.drain();
        ring.release();
    }
}
