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
 * {@link RingConsumer#controlledPoll} against a live producer on a two-slot ring: the handler reads each
 * record and returns {@link RingConsumer.Action#RELEASE} (hand its slot back now, go on) for two records
 * out of three and {@link RingConsumer.Action#BREAK} for the third; the limit is 4, so a poll that releases
 * as it goes can be handed a slot the producer refilled during that same poll. {@link #MESSAGES}
 * messages, both loops bounded; the arbiter drains the rest through the same path.
 *
 * <p>What it proves: a slot released mid-poll is never read again by that poll before the producer
 * republished it (no stale or torn record, nothing repeated), the records a poll hands over after a
 * release are the next ones in order, and the count handled equals the count published. The mutant
 * {@code controlled-release-before-read} (head released before the handler reads the record) fails it.
 *
 * <p>r1: {@link StreamChecker} verdict (0 OK, 1 disorder, 2 count, 3 corrupt, 4 other exception,
 * 9 torn). r2: how far the consumer's own loop got: 0 nothing, 1 some, 2 all.
 */
@JCStressTest
@Outcome(id = "0, [012]", expect = ACCEPTABLE, desc = "every accepted message handled once, in order, whole")
@Outcome(id = "9, .*", expect = FORBIDDEN, desc = "torn record: overwritten while the handler read it")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "message out of order: stale, skipped or repeated")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "delivered count differs from accepted count")
@Outcome(id = "[34], .*", expect = FORBIDDEN, desc = "the ring threw")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ControlledPollStreamTest {
    /** Messages per state. */
    static final int MESSAGES = 32;
    /** Empty tries in a row after which an actor gives up. */
    static final int SPINS = 20_000;

    private final LiveRing ring = LiveRing.empty(2);
    private final StreamChecker checker = new StreamChecker(LiveRing.START);
    private final RingConsumer consumer;
    private int accepted;
    private int failure;

    public ControlledPollStreamTest() {
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
                spins = pollControlled() == 0 ? spins + 1 : 0;
            }
        } catch (RuntimeException e) {
            r.r1 = Failures.code(e);
        }
        r.r2 = checker.received() == 0 ? 0 : checker.received() < MESSAGES ? 1 : 2;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        try {
            StreamChecker.drain(this::pollControlled, MESSAGES + 1);
        } catch (RuntimeException e) {
            r.r1 = StreamChecker.first(r.r1, Failures.code(e));
        }
        r.r1 = StreamChecker.first(r.r1, failure, checker.verdict(),
            checker.received() != accepted ? StreamChecker.COUNT : StreamChecker.OK);
        ring.release();
    }

    /** One controlled poll, limit 4: read the record, then RELEASE, RELEASE, BREAK, ... */
    private int pollControlled() {
        return consumer.controlledPoll(handler, 4);
    }

    private int handled;
    private final RingConsumer.ControlledRecordHandler handler = (buffer, offset) -> {
        checker.onRecord(buffer, offset);
        return ++handled % 3 == 0 ? RingConsumer.Action.BREAK : RingConsumer.Action.RELEASE;
    };
}
