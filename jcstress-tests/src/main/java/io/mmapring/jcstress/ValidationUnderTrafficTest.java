package io.mmapring.jcstress;

import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Validation of a live ring against a running producer and consumer. The state starts as any reader
 * can find a live ring: the producer is inside {@link RingProducer#commit()} (a batch of four written,
 * its slot words released, {@code tail} not yet) and the consumer has read that batch, so
 * {@code head} is four ahead of {@code tail} ({@link LiveRing#producerInsideCommit}). The traffic actor
 * finishes that commit and runs {@link #ROUNDS} full laps (claim 4, write, commit, poll 4): each lap
 * overwrites every slot a scan that started from the old {@code tail} reads. The observer meanwhile
 * looks at the same bytes again and again: {@link RingFile#producerPosition()} and
 * {@link RingFile#backlog()}, then {@link RingFile#wrap} (what an opener checks).
 *
 * <p>What it proves: the snapshot rule ({@code docs/FORMAT.md} 5.1): an observer never calls a healthy
 * live ring corrupt, its producer position is never below a {@code head} it saw before and never goes
 * back, and its backlog stays in {@code [0, capacity]}. One plain pass over {@code head}, {@code tail}
 * and the slots would read the stale {@code tail}, then a slot of a later lap, and report
 * "head is ahead of the producer position".
 *
 * <p>r1: the traffic's {@link StreamChecker} verdict (0 OK, 1 disorder, 2 count, 3 corrupt, 4 other,
 * 9 torn). r2: the observer's verdict: 0 every look consistent, 3 a look threw
 * {@code RingFormatException}, 5 a producer position below an earlier {@code head} or an earlier
 * position, or a backlog outside {@code [0, 4]}, 4 another exception.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "traffic delivered in order; every look consistent")
@Outcome(id = "0, 3", expect = FORBIDDEN, desc = "the observer called the live ring corrupt")
@Outcome(id = "0, 5", expect = FORBIDDEN, desc = "the observer measured a producer position below head, going back, or a backlog out of range")
@Outcome(id = "0, 4", expect = FORBIDDEN, desc = "the observer's look threw")
@Outcome(expect = FORBIDDEN, desc = "the traffic itself failed")
@State
public class ValidationUnderTrafficTest {
    /** Full laps of the four-slot ring after the interrupted commit. */
    static final int ROUNDS = 4;
    /** Most looks of the observer (it stops earlier when the traffic is done). */
    static final int LOOKS = 256;
    private static final int CAPACITY = 4;

    private final StreamChecker checker = new StreamChecker(LiveRing.START);
    private final LiveRing ring = LiveRing.producerInsideCommit(CAPACITY, CAPACITY, checker);
    private volatile boolean done;
    private int accepted = CAPACITY;

    @Actor
    public void traffic(II_Result r) {
        final RingProducer producer = ring.producer();
        final RingConsumer consumer = ring.consumer();
        try {
            producer.commit(); // the producer resumes inside its commit: the same words again, then tail
            for (int round = 0; round < ROUNDS; round++) {
                final int claimed = ring.claimAndFill(CAPACITY);
                producer.commit();
                accepted += claimed;
                consumer.poll(checker, CAPACITY); // read the lap (this thread committed it: all of it is published)
            }
        } catch (RuntimeException e) {
            r.r1 = Failures.code(e);
        }
        done = true;
    }

    @Actor
    public void observer(II_Result r) {
        final RingFile shared = ring.ring();
        long lastPosition = 0;
        try {
            for (int look = 0; look < LOOKS; look++) {
                final boolean last = done;
                final long head = shared.head();
                final long position = shared.producerPosition();
                final long backlog = shared.backlog();
                if (position < head || position < lastPosition || backlog < 0 || backlog > CAPACITY) {
                    r.r2 = StreamChecker.MEASURE;
                    return;
                }
                RingFile.wrap(ring.buffer()); // an opener's validation of the same bytes
                lastPosition = position;
                if (last) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            r.r2 = Failures.code(e);
        }
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = StreamChecker.first(r.r1, checker.verdict(),
            checker.received() != accepted ? StreamChecker.COUNT : StreamChecker.OK);
        ring.release();
    }
}
