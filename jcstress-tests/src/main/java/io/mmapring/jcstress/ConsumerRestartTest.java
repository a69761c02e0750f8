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
 * A consumer restarting against a live producer: before every poll the consumer actor closes its
 * consumer and takes a new one on the same {@code RingFile} ({@link io.mmapring.RingFile#consumer()}:
 * the role take's consistent snapshot of {@code head}, {@code tail} and the published slots, the
 * position checks and the check of every slot in {@code [head, producer position)}), while the
 * producer offers {@link #MESSAGES} messages flat out into a ONE-slot ring, so the producer laps the
 * slot the snapshot scans all the time. Both loops bounded; the arbiter takes one more consumer and
 * drains the rest.
 *
 * <p>What it proves: a restarted consumer starts exactly where the last one released ({@code head}):
 * nothing lost, nothing read twice, in order, whole; and the role take never calls the live ring
 * corrupt ({@code RingFormatException}) nor refuses the role.
 *
 * <p>r1: {@link StreamChecker} verdict (0 OK, 1 disorder, 2 count, 3 corrupt, 4 other exception,
 * 9 torn). r2: restarts that found a message: 0 none, 1 some, 2 every message came through a restart.
 */
@JCStressTest
@Outcome(id = "0, [012]", expect = ACCEPTABLE, desc = "every message delivered once, in order, across the restarts")
@Outcome(id = "9, .*", expect = FORBIDDEN, desc = "torn record")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "message out of order: a restart skipped or repeated one")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "delivered count differs from accepted count")
@Outcome(id = "3, .*", expect = FORBIDDEN, desc = "the restart called the live ring corrupt (RingFormatException)")
@Outcome(id = "4, .*", expect = FORBIDDEN, desc = "the restart was refused or the ring threw otherwise")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ConsumerRestartTest {
    /** Messages per state. */
    static final int MESSAGES = 16;
    /** Empty tries in a row after which an actor gives up. */
    static final int SPINS = 20_000;

    private final LiveRing ring = LiveRing.empty(1);
    private final StreamChecker checker = new StreamChecker(LiveRing.START);
    private int accepted;
    private int failure;

    public ConsumerRestartTest() {
        ring.takeProducer();
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
                final RingConsumer consumer = ring.takeConsumer();
                final int n = consumer.poll(checker, 1);
                consumer.close();
                spins = n == 0 ? spins + 1 : 0;
            }
        } catch (RuntimeException e) {
            r.r1 = Failures.code(e);
        }
        r.r2 = checker.received() == 0 ? 0 : checker.received() < MESSAGES ? 1 : 2;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        try (RingConsumer consumer = ring.takeConsumer()) {
            StreamChecker.drain(() -> consumer.poll(checker, 1), MESSAGES + 1);
        } catch (RuntimeException e) {
            r.r1 = StreamChecker.first(r.r1, Failures.code(e));
        }
        r.r1 = StreamChecker.first(r.r1, failure, checker.verdict(),
            checker.received() != accepted ? StreamChecker.COUNT : StreamChecker.OK);
        ring.release();
    }
}
