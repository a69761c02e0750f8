package io.mmapring.jcstress;

import io.mmapring.RingConsumer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A multi-lap stream through a ONE-slot ring: every message reuses the slot the consumer has just
 * read, so each one is a new lap and the slot's word moves {@code p + 1 -> p + 2 -> ...} under the
 * consumer's eyes. The producer offers {@link #MESSAGES} messages (retrying a full ring), the
 * consumer polls (limit 1) until it has them all; both loops are bounded ({@link #SPINS} empty tries
 * in a row) and the arbiter drains the rest. The ring starts at {@link LiveRing#START} with a stale
 * message in the slot and the previous lap's word.
 *
 * <p>What it proves: the word of the previous lap never counts as published (a flag instead of a
 * position would re-deliver the message just read), the producer never refills the slot before the
 * consumer released it, nothing is lost, repeated or torn. {@code StreamLoopTest} is the two-slot version.
 *
 * <p>r1: {@link StreamChecker} verdict (0 OK, 1 disorder, 2 count, 3 corrupt, 4 other exception,
 * 9 torn). r2: how far the consumer's own loop got: 0 nothing, 1 some, 2 all.
 */
@JCStressTest
@Outcome(id = "0, [012]", expect = ACCEPTABLE, desc = "every accepted message delivered once, in order, whole")
@Outcome(id = "9, .*", expect = FORBIDDEN, desc = "torn record")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "message out of order: stale, skipped or repeated")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "delivered count differs from accepted count")
@Outcome(id = "[34], .*", expect = FORBIDDEN, desc = "the ring threw")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class SingleSlotStreamTest {
    /** Messages per state: 32 laps of the one slot. */
    static final int MESSAGES = 32;
    /** Empty tries in a row after which an actor gives up. */
    static final int SPINS = 20_000;

    private final LiveRing ring = LiveRing.empty(1);
    private final StreamChecker checker = new StreamChecker(LiveRing.START);
    private final RingConsumer consumer;
    private int accepted;
    private int failure;

    public SingleSlotStreamTest() {
        ring.takeProducer();
        consumer = ring.takeConsumer();
    }

    @Actor
    public void producer() {
        try {
            int spins = 0;
            while (accepted < MESSAGES && spins < SPINS) {
                if (ring.offerNext()) {
                    accepted++;
                    spins = 0;
                } else {
                    spins++;
                }
            }
        } catch (RuntimeException e) {
            failure = Failures.code(e);
        }
    }

    @Actor
    public void consumer(II_Result r) {
        int spins = 0;
        try {
            while (checker.received() < MESSAGES && spins < SPINS) {
                spins = consumer.poll(checker, 1) == 0 ? spins + 1 : 0;
            }
        } catch (RuntimeException e) {
            r.r1 = Failures.code(e);
        }
        r.r2 = checker.received() == 0 ? 0 : checker.received() < MESSAGES ? 1 : 2;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        try {
            StreamChecker.drain(() -> consumer.poll(checker, 1), MESSAGES + 1);
        } catch (RuntimeException e) {
            r.r1 = StreamChecker.first(r.r1, Failures.code(e));
        }
        r.r1 = StreamChecker.first(r.r1, failure, checker.verdict(),
            checker.received() != accepted ? StreamChecker.COUNT : StreamChecker.OK);
        ring.release();
    }
}
