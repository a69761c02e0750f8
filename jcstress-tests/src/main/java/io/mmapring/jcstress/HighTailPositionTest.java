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
 * High positions, and the order of the {@code tail} release after the slot words: a two-slot ring
 * pre-positioned at {@code P = 0x12345678_FFFFFFFF} ({@link DirectRing#takeAt}: head, tail and the
 * previous lap's words written in the constructor), so that the first commit's sequence word and
 * {@code tail} ({@code P + 1 = 0x12345679_00000000}) differ from the old values in both 32-bit
 * halves and every slot index, free count and "published" comparison works with high bits set. The
 * producer offers 1, 2; the consumer reads {@code tail} (acquire), then polls once with a limit of two.
 *
 * <p>What can fail: the tail is released after the words, so a tail that says {@code k} messages
 * are committed means the consumer then sees at least {@code k}; the mutant that releases the tail
 * before the words ({@code .ci/mutants.sh tail-release-before-words}) shows {@code 1, 0, 12}.
 * What cannot fail: a torn {@code tail}. A {@code long} VarHandle access in acquire/release mode is
 * atomic on every JVM (and a plain one on every 64-bit JVM), so the {@code -1} outcome is a guard,
 * not a property this test can show broken; the test was named for it once ({@code TailCounter64Test}).
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
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "tail outside [P, P + 2] (a guard: a long VarHandle access does not tear)")
@Outcome(expect = FORBIDDEN, desc = "missed a message the tail said was committed, lost, duplicated or torn")
@State
public class HighTailPositionTest {
    /** The first commit changes both 32-bit halves of the word and the tail; high bits set. */
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
        r.r2 = ring.poll(2); // one poll right after the tail read: it must see at least what the tail said
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = ring.drain();
        ring.release();
    }
}
