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
 * A high {@code head}: a one-slot ring pre-positioned at {@code P = 0x3FFFFFFE_FFFFFFFF}, just below
 * the format's 2^62 bound (the consumer's release moves head to {@code 0x3FFFFFFF_00000000}, changing
 * both 32-bit halves), and filled with message 1 in the constructor. The producer reads {@code head}
 * (acquire), then offers 2; the consumer polls once. Once the producer has seen the consumer's
 * release, its offer (which re-reads head because the ring looked full) is accepted, and it never
 * overwrites message 1 before the consumer read it: the free count {@code capacity - (position -
 * head)} works with high positions.
 *
 * <p>What cannot fail: a torn {@code head}. A {@code long} VarHandle access in acquire/release mode
 * is atomic on every JVM, so the {@code -1} outcome is a guard; the test was named for it once
 * ({@code HeadCounter64Test}). Its real value is the high-position arithmetic.
 *
 * <p>r1: head seen minus P (0, 1; -1 for any other value); r2: offer of 2 accepted (1) or not (0);
 * r3: ids the consumer polled; r4: ids the arbiter drained.
 */
@JCStressTest
@Outcome(id = "0, 0, 1, 0", expect = ACCEPTABLE, desc = "producer saw the ring full both times")
@Outcome(id = "0, 1, 1, 2", expect = ACCEPTABLE, desc = "head P, then the offer saw the release")
@Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE, desc = "head P + 1 seen, offer accepted")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "head outside [P, P + 1] (a guard: a long VarHandle access does not tear)")
@Outcome(expect = FORBIDDEN, desc = "offer refused after head moved, overwrote an unread message, lost, duplicated or torn")
@State
public class HighHeadPositionTest {
    /** The consumer's release changes both 32-bit halves of head; high bits set. */
    static final long P = 0x3FFFFFFE_FFFFFFFFL;

    private final DirectRing ring = DirectRing.takeAt(1, P);

    public HighHeadPositionTest() {
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
