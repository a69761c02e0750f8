package io.mmapring.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Whole-message publication over a real memory-mapped file ({@link MappedRing}: {@code RingFile.create}
 * under /dev/shm, pooled). The one-slot ring keeps its positions from state to state, so every offer
 * reuses a slot that holds the previous state's message; ids follow the position
 * ({@link MappedRing#idAt}), so two consecutive messages always differ in every byte.
 *
 * <p>r1: the producer's offer (1 accepted, 0 refused); r2: what the consumer polled (0 nothing,
 * 1 the message expected at its position, whole, 9 anything else: torn, stale or out of place);
 * r3: what the last actor drained after both were done, coded the same way.
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "polled before publication; the message arrives later, whole")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "polled the whole message")
@Outcome(expect = FORBIDDEN, desc = "torn, stale, lost, duplicated, or refused on an empty ring")
@State
public class MappedWholeMessageTest {
    private final MappedRing.Lease lease = new MappedRing.Lease(1, 2);

    @Actor
    public void producer(III_Result r) {
        final MappedRing ring = lease.ring();
        final long position = ring.producer().ring().position();
        r.r1 = ring.offer(MappedRing.idAt(position)) ? 1 : 0;
        finish(r);
    }

    @Actor
    public void consumer(III_Result r) {
        final MappedRing ring = lease.ring();
        final long position = ring.consumer().ring().position();
        r.r2 = code(ring.poll(1), position);
        finish(r);
    }

    private void finish(III_Result r) {
        final MappedRing ring = lease.finish();
        if (ring != null) {
            final long position = ring.consumer().ring().position();
            r.r3 = code(ring.poll(1), position);
            lease.release();
        }
    }

    private static int code(int polled, long position) {
        if (polled == 0) {
            return 0;
        }
        return polled == MappedRing.idAt(position) ? 1 : Messages.TORN;
    }
}
