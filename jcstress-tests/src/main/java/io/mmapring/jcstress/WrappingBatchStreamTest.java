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
 * Batches that cross the wrap, on both sides, in a stream: the producer {@code claim(3)}s (it may get
 * fewer), writes every claimed slot at {@link io.mmapring.RingProducer#recordOffset(int)} and
 * {@code commit()}s them with one release per word and one of {@code tail}; the consumer polls with a
 * limit of 3. On a four-slot ring starting at {@link LiveRing#START} (slot 0), a batch of three
 * crosses from slot 3 to slot 0 on most laps. {@link #MESSAGES} messages, both loops bounded; the
 * arbiter drains the rest.
 *
 * <p>What it proves: the slots of a batch are found modulo the capacity on both sides (a batch written
 * as one contiguous range runs past the last slot), every batch is published whole and in order
 * across the wrap, nothing stale (every slot starts with a stale message) is delivered.
 * {@code BatchPublicationTest} is the one-batch version with every outcome spelled out.
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
public class WrappingBatchStreamTest {
    /** Messages per state. */
    static final int MESSAGES = 30;
    /** Empty tries in a row after which an actor gives up. */
    static final int SPINS = 20_000;

    private final LiveRing ring = LiveRing.empty(4);
    private final StreamChecker checker = new StreamChecker(LiveRing.START);
    private final RingConsumer consumer;
    private int accepted;
    private int failure;

    public WrappingBatchStreamTest() {
        ring.takeProducer();
        consumer = ring.takeConsumer();
    }

    @Actor
    public void producer() {
        try {
            int spins = 0;
            while (accepted < MESSAGES && spins < SPINS) {
                final int claimed = ring.claimAndFill(Math.min(3, MESSAGES - accepted));
                if (claimed > 0) {
                    ring.producer().commit();
                    accepted += claimed;
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
                spins = consumer.poll(checker, 3) == 0 ? spins + 1 : 0;
            }
        } catch (RuntimeException e) {
            r.r1 = Failures.code(e);
        }
        r.r2 = checker.received() == 0 ? 0 : checker.received() < MESSAGES ? 1 : 2;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        try {
            StreamChecker.drain(() -> consumer.poll(checker, 3), MESSAGES + 1);
        } catch (RuntimeException e) {
            r.r1 = StreamChecker.first(r.r1, Failures.code(e));
        }
        r.r1 = StreamChecker.first(r.r1, failure, checker.verdict(),
            checker.received() != accepted ? StreamChecker.COUNT : StreamChecker.OK);
        ring.release();
    }
}
