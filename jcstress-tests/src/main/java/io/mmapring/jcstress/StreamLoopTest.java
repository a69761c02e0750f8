package io.mmapring.jcstress;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A stream with loops in both actors: the producer offers {@link #MESSAGES} messages into a two-slot
 * ring (ids 1 to 8, cycling), retrying a refused offer; the consumer polls until it has them all.
 * Both retry loops are bounded ({@link #SPINS} empty tries in a row), so a state whose actors do not
 * overlap still ends; the arbiter drains what is left. Inside the loops C2 compiles {@code offer}
 * and {@code poll} with several laps of the same slots in flight, which is where its scheduling (and
 * the randomized scheduling of {@code -XX:+StressLCM/GCM}) has the most freedom to move a plain
 * access, so this test is run against every barrier mutant ({@code .ci/mutants.sh}).
 *
 * <p>r1: verdict: 0 every message delivered once, in order, whole; 9 a torn record; 1 a message
 * out of order (stale, skipped or repeated); 2 the count delivered differs from the count accepted.
 * r2: how far the consumer's own loop got: 0 nothing, 1 some, 2 all (the arbiter drained the rest).
 */
@JCStressTest
@Outcome(id = "0, [012]", expect = ACCEPTABLE, desc = "every accepted message delivered once, in order, whole")
@Outcome(id = "9, .*", expect = FORBIDDEN, desc = "torn record")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "message out of order: stale, skipped or repeated")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "delivered count differs from accepted count")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class StreamLoopTest {
    /** Messages per state. */
    static final int MESSAGES = 32;
    /** Empty tries in a row after which an actor gives up. */
    static final int SPINS = 20_000;

    private final DirectRing ring = DirectRing.take(2);
    private final Checker checker = new Checker();
    private int accepted;

    @Actor
    public void producer() {
        int sent = 0;
        int spins = 0;
        while (sent < MESSAGES && spins < SPINS) {
            if (ring.offer(sent % Messages.MAX_ID + 1)) {
                sent++;
                spins = 0;
            } else {
                spins++;
            }
        }
        accepted = sent;
    }

    @Actor
    public void consumer(II_Result r) {
        final PeopleConsumer consumer = ring.consumer();
        int spins = 0;
        while (checker.received < MESSAGES && spins < SPINS) {
            spins = consumer.poll(checker, 2) == 0 ? spins + 1 : 0;
        }
        r.r2 = checker.received == 0 ? 0 : checker.received < MESSAGES ? 1 : 2;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        final PeopleConsumer consumer = ring.consumer();
        // drain what the consumer's loop left; bounded, so that a consumer that delivers forever still ends
        for (int polls = 0; polls <= MESSAGES && consumer.poll(checker, 2) > 0; polls++) {
            // each poll moves at least one record
        }
        r.r1 = checker.verdict != 0 ? checker.verdict : checker.received != accepted ? 2 : 0;
        ring.release();
    }

    /** Checks each record against the next expected id; allocates nothing. */
    static final class Checker implements PeopleConsumer.PeopleHandler {
        private final byte[] scratch = new byte[People.NAME_LENGTH];
        int received;
        int verdict;

        @Override
        public void onPeople(People people) {
            final int id = Messages.check(people, scratch);
            if (id == Messages.TORN) {
                verdict = Messages.TORN;
            } else if (id != received % Messages.MAX_ID + 1 && verdict == 0) {
                verdict = 1;
            }
            received++;
        }
    }
}
