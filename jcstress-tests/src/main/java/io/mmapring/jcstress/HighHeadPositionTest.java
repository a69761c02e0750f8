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
 * 64-bit {@code head}: a one-slot ring pre-positioned at {@code P = 0x3FFFFFFE_FFFFFFFF} (high bits
 * set; the consumer's release moves head to {@code 0x3FFFFFFF_00000000}, changing both halves) and filled with message 1
 * in the constructor. The producer reads {@code head} (acquire), then offers 2; the consumer polls
 * once. A torn head is never seen; once the producer has seen the consumer's release, its offer
 * (which re-reads head because the ring looked full) is accepted.
 *
 * <p>r1: head seen minus P (0, 1; -1 for any other value); r2: offer of 2 accepted (1) or not (0);
 * r3: ids the consumer polled; r4: ids the arbiter drained.
 */
@JCStressTest
@Outcome(id = "0, 0, 1, 0", expect = ACCEPTABLE, desc = "producer saw the ring full both times")
@Outcome(id = "0, 1, 1, 2", expect = ACCEPTABLE, desc = "head P, then the offer saw the release")
@Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE, desc = "head P + 1 seen, offer accepted")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "torn 64-bit head")
@Outcome(expect = FORBIDDEN, desc = "offer refused after head moved, overwrote an unread message, lost, duplicated or torn")
@State
public class HeadCounter64Test {
    /** Crosses the 32-bit boundary when the consumer releases; high bits set. */
    static final long P = 0x3FFFFFFE_FFFFFFFFL;

    private final DirectRing ring = DirectRing.takeAt(1, P);

    public HeadCounter64Test() {
        if (!ring.offer(1)) {
            throw new IllegalStateException("could not fill the ring");
        }
    }

    @Actor
    public void producer(IIII_Result r) {
        final long head = ring.ring().head();
        r.r1 = head == P || head == P + 1 ? (int) (head - P) : -1;
        r.r2 = ring.offer(2) ? 1 : 0;
    }

    @Actor
    public void consumer(IIII_Result r) {
        r.r3 = ring.poll(1);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r4 = ring.drain();
        ring.release();
    }
}
