package io.mmapring.jcstress;

import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A producer's {@code tail} repair against a running consumer. The state is what a producer that died
 * inside {@link RingProducer#commit()} leaves ({@link LiveRing#producerDiedInsideCommit}): a batch of
 * four written at {@link LiveRing#START}, its first {@link #PUBLISHED} slot words released, the last
 * one and {@code tail} not; so {@code tail} lags the producer position by three. The consumer (taken
 * before the actors start) reads the stream, and while it finds nothing it looks at the ring
 * ({@link RingFile#producerPosition()}, {@link RingFile#backlog()}). The producer actor takes the role
 * ({@link RingFile#producer()}: the scan past {@code tail}, the checks, the release store that repairs
 * {@code tail}) and sends {@link #MESSAGES} more in batches of up to four, which lap the slots the
 * scan from the old {@code tail} reads.
 *
 * <p>What it proves: the new producer starts exactly at the published prefix's end (three past
 * {@code tail}: it neither overwrites the dead producer's published records nor republishes its
 * unpublished one); the consumer receives the dead producer's three records, then the new ones, in
 * order, whole, once each; and looks at the ring during the repair and the first laps are never
 * "corrupt", never measure a producer position below the consumer's or a backlog outside
 * {@code [0, 4]}. The repair matters to those looks: a producer whose first batch laps the scan's
 * slots while {@code tail} still lags would show a word of a later lap with {@code tail} standing still.
 *
 * <p>r1: {@link StreamChecker} verdict of the stream (0 OK, 1 disorder, 2 count, 3 corrupt, 4 other,
 * 9 torn). r2: 0 the new producer started at {@code START + 3}, 1 elsewhere. r3: the consumer's looks:
 * 0 consistent, 3 {@code RingFormatException}, 5 a measure out of range, 4 another exception.
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "started after the published prefix; stream whole and in order; looks consistent")
@Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "the new producer did not start at the end of the published prefix")
@Outcome(id = "0, 0, 3", expect = FORBIDDEN, desc = "a look called the ring corrupt during the repair")
@Outcome(id = "0, 0, 5", expect = FORBIDDEN, desc = "a look measured a producer position or backlog out of range")
@Outcome(expect = FORBIDDEN, desc = "the stream failed: lost, repeated, stale or torn records, or the ring threw")
@State
public class TailRepairTest {
    /** Slot words the dead producer released out of its batch of four. */
    static final int PUBLISHED = 3;
    /** Messages the new producer sends. */
    static final int MESSAGES = 12;
    /** Empty tries in a row after which an actor gives up. */
    static final int SPINS = 20_000;
    private static final int CAPACITY = 4;

    private final LiveRing ring = LiveRing.producerDiedInsideCommit(CAPACITY, CAPACITY, PUBLISHED);
    private final RingConsumer consumer = ring.takeConsumer();
    private final StreamChecker checker = new StreamChecker(LiveRing.START);
    private int accepted;
    private int failure;
    private long start = -1;

    @Actor
    public void producer() {
        try {
            final RingProducer producer = ring.takeProducer();
            start = producer.position();
            int spins = 0;
            while (accepted < MESSAGES && spins < SPINS) {
                final int claimed = ring.claimAndFill(Math.min(CAPACITY, MESSAGES - accepted));
                if (claimed > 0) {
                    producer.commit();
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
    public void consumer(III_Result r) {
        final RingFile shared = ring.ring();
        int spins = 0;
        try {
            while (checker.received() < PUBLISHED + MESSAGES && spins < SPINS) {
                if (consumer.poll(checker, 2) > 0) {
                    spins = 0;
                    continue;
                }
                spins++;
                final long position = shared.producerPosition();
                final long backlog = shared.backlog();
                if (position < consumer.position() || backlog < 0 || backlog > CAPACITY) {
                    r.r3 = StreamChecker.MEASURE;
                    return;
                }
            }
        } catch (RuntimeException e) {
            r.r3 = Failures.code(e);
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        try {
            StreamChecker.drain(() -> consumer.poll(checker, CAPACITY), PUBLISHED + MESSAGES + 1);
        } catch (RuntimeException e) {
            r.r1 = Failures.code(e);
        }
        r.r1 = StreamChecker.first(r.r1, failure, checker.verdict(),
            checker.received() != PUBLISHED + accepted ? StreamChecker.COUNT : StreamChecker.OK);
        r.r2 = start == LiveRing.START + PUBLISHED ? 0 : 1;
        ring.release();
    }
}
