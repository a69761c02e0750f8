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
 * The zero-copy consumer path against a live producer: {@link RingConsumer#available(int)} counts
 * the published records (limit 2), the consumer reads each one in place at
 * {@link RingConsumer#recordOffset(int)} in {@link RingConsumer#buffer()}, and only then
 * {@link RingConsumer#consume(int)} releases them. Two-slot ring, {@link #MESSAGES} messages, both
 * loops bounded; the arbiter drains the rest through the same path.
 *
 * <p>What it proves: a record counted by {@code available} stays whole and unchanged while it is read
 * in place (the producer gets its slot back only from {@code consume}), the counts of {@code available}
 * never include an unpublished slot, and {@code consume(n)} releases exactly the {@code n} records read.
 *
 * <p>r1: {@link StreamChecker} verdict (0 OK, 1 disorder, 2 count, 3 corrupt, 4 other exception,
 * 9 torn). r2: how far the consumer's own loop got: 0 nothing, 1 some, 2 all.
 */
@JCStressTest
@Outcome(id = "0, [012]", expect = ACCEPTABLE, desc = "every accepted message read in place once, in order, whole")
@Outcome(id = "9, .*", expect = FORBIDDEN, desc = "torn record: overwritten while it was read in place")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "message out of order: stale, skipped or repeated")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "delivered count differs from accepted count")
@Outcome(id = "[34], .*", expect = FORBIDDEN, desc = "the ring threw")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ZeroCopyStreamTest {
    /** Messages per state. */
    static final int MESSAGES = 32;
    /** Empty tries in a row after which an actor gives up. */
    static final int SPINS = 20_000;

    private final LiveRing ring = LiveRing.empty(2);
    private final StreamChecker checker = new StreamChecker(LiveRing.START);
    private final RingConsumer consumer;
    private int accepted;
    private int failure;

    public ZeroCopyStreamTest() {
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
                spins = readInPlace() == 0 ? spins + 1 : 0;
            }
        } catch (RuntimeException e) {
            r.r1 = Failures.code(e);
        }
        r.r2 = checker.received() == 0 ? 0 : checker.received() < MESSAGES ? 1 : 2;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        try {
            StreamChecker.drain(this::readInPlace, MESSAGES + 1);
        } catch (RuntimeException e) {
            r.r1 = StreamChecker.first(r.r1, Failures.code(e));
        }
        r.r1 = StreamChecker.first(r.r1, failure, checker.verdict(),
            checker.received() != accepted ? StreamChecker.COUNT : StreamChecker.OK);
        ring.release();
    }

    /** available, read each record in place, consume: the zero-copy path. */
    private int readInPlace() {
        final int n = consumer.available(2);
        for (int i = 0; i < n; i++) {
            checker.onRecord(consumer.buffer(), consumer.recordOffset(i));
        }
        consumer.consume(n);
        return n;
    }
}
