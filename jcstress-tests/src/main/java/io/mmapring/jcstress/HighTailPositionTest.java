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
 * 64-bit {@code tail} and sequence words: a two-slot ring pre-positioned at
 * {@code P = 0x12345678_FFFFFFFF} ({@link DirectRing#takeAt}: head, tail and the previous lap's words
 * written in the constructor), so that the producer's first commit carries both halves of every
 * 64-bit word it stores ({@code P + 1 = 0x12345679_00000000}). The producer offers 1, 2; the
 * consumer reads {@code tail} (acquire), then polls twice. A torn {@code tail} (a half of the old
 * value with a half of the new) is never seen; a torn sequence word would lose a message (or stop
 * the consumer with an exception: a test error). The tail is released after the words, so a tail
 * that says {@code k} messages are committed means the consumer then sees at least {@code k}.
 *
 * <p>r1: tail seen minus P (0, 1, 2; -1 for any other value); r2: ids polled; r3: ids drained by the arbiter.
 */
@JCStressTest
@Outcome(id = "0, 0, 12", expect = ACCEPTABLE, desc = "tail P; consumer saw nothing yet")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "tail P; consumer saw 1")
@Outcome(id = "0, 12, 0", expect = ACCEPTABLE, desc = "tail P; consumer saw 1, 2")
@Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "tail P + 1; consumer saw 1")
@Outcome(id = "1, 12, 0", expect = ACCEPTABLE, desc = "tail P + 1; consumer saw 1, 2")
@Outcome(id = "2, 12, 0", expect = ACCEPTABLE, desc = "tail P + 2; consumer saw 1, 2")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "torn 64-bit tail")
@Outcome(expect = FORBIDDEN, desc = "missed a message the tail said was committed, lost, duplicated or torn")
@State
public class TailCounter64Test {
    /** Crosses the 32-bit boundary on the first commit; high bits set. */
    static final long P = 0x12345678_FFFFFFFFL;

    private final DirectRing ring = DirectRing.takeAt(2, P);

    @Actor
    public void producer() {
        ring.offer(1);
        ring.offer(2);
    }

    @Actor
    public void consumer(III_Result r) {
        final long tail = ring.ring().tail();
        r.r1 = tail >= P && tail <= P + 2 ? (int) (tail - P) : -1;
        final int first = ring.poll(1);
        r.r2 = Messages.concat(first, ring.poll(1));
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = ring.drain();
        ring.release();
    }
}
