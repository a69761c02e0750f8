package io.mmapring.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A really stale cached head, on a one-slot ring after one lap. The constructor sends 1 and reads
 * it (head 1), then sends 2: the ring looked full to the producer (cached head 0), so it acquired
 * {@code head} and cached 1, a value the consumer really released. In the actors the consumer moves
 * head to 2 while the producer still caches 1: the producer offers 3 into the same slot; the
 * consumer polls twice. The producer never trusts its stale cache to overwrite message 2 before the
 * consumer read it (that would show as torn, or 2 lost); once 2 is consumed, the slot's word from
 * the previous lap (2, for position 1) never counts as published for position 2: message 2 is
 * never delivered twice.
 *
 * <p>The control mutant that releases {@code head} before reading the record
 * ({@code .ci/mutants.sh head-release-before-read}) shows torn records here.
 *
 * <p>r1: offer of 3 accepted (1) or not (0); r2: first poll; r3: second poll; r4: arbiter's drain.
 */
@JCStressTest
@Outcome(id = "0, 2, 0, 0", expect = ACCEPTABLE, desc = "offer saw the ring full; 2 consumed")
@Outcome(id = "1, 2, 0, 3", expect = ACCEPTABLE, desc = "offer accepted after 2 was consumed; 3 seen by the arbiter")
@Outcome(id = "1, 2, 3, 0", expect = ACCEPTABLE, desc = "offer accepted after 2 was consumed; 3 seen by the consumer")
@Outcome(expect = FORBIDDEN, desc = "overwrote an unread message, previous lap's word read as published, lost or duplicated")
@State
public class StaleCachedHeadTest {
    private final DirectRing ring = DirectRing.take(1);

    public StaleCachedHeadTest() {
        ring.advance(1);
        if (!ring.offer(2)) {
            throw new IllegalStateException("could not fill the ring");
        }
    }

    @Actor
    public void producer(IIII_Result r) {
        r.r1 = ring.offer(3) ? 1 : 0;
    }

    @Actor
    public void consumer(IIII_Result r) {
        r.r2 = ring.poll(1);
        r.r3 = ring.poll(1);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r4 = ring.drain();
        ring.release();
    }
}
