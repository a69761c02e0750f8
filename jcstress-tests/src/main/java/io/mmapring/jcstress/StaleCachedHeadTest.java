package io.mmapring.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Stale cached positions, on a one-slot ring holding message 1 (sent in the constructor: the
 * producer's cached head is 0, so the ring looks full to it). The producer offers 2 into the same
 * slot; the consumer polls twice. The producer's stale cached head never lets it overwrite message
 * 1 while the consumer reads it (that would show as torn), and once 1 is consumed, the slot's word
 * from the previous lap (1, for position 0) never counts as published for position 1: message 1
 * is never delivered twice.
 *
 * <p>r1: offer of 2 accepted (1) or not (0); r2: first poll; r3: second poll; r4: arbiter's drain.
 */
@JCStressTest
@Outcome(id = "0, 1, 0, 0", expect = ACCEPTABLE, desc = "offer saw the ring full; 1 consumed")
@Outcome(id = "1, 1, 0, 2", expect = ACCEPTABLE, desc = "offer accepted after 1 was consumed; 2 seen by the arbiter")
@Outcome(id = "1, 1, 2, 0", expect = ACCEPTABLE, desc = "offer accepted after 1 was consumed; 2 seen by the consumer")
@Outcome(expect = FORBIDDEN, desc = "overwrote an unread message, previous lap's word read as published, lost or duplicated")
@State
public class StaleCachedHeadTest {
    private final DirectRing ring = DirectRing.take(1);

    public StaleCachedHeadTest() {
        if (!ring.offer(1)) {
            throw new IllegalStateException("could not fill the ring");
        }
    }

    @Actor
    public void producer(IIII_Result r) {
        r.r1 = ring.offer(2) ? 1 : 0;
    }

    @Actor
    public void consumer(IIII_Result r) {
        r.r2 = ring.poll(1);
        r.r3 = ring.poll(1);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r4 = ring.drain();
        ring.release();
    }
}
