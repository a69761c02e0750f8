package io.mmapring.jcstress.broken;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mmapring.People;
import io.mmapring.RingLayout;
import io.mmapring.RingSpec;
import io.mmapring.jcstress.DirectRing;
import io.mmapring.jcstress.Messages;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Negative control: shows that {@code WholeMessageTest} can see a torn message when there is one.
 * Same set-up (a one-slot ring whose slot still holds message 1, read by the real
 * {@code PeopleConsumer}), but the producer is a deliberately broken copy of the publication step:
 * it release-stores the slot's sequence word FIRST and writes the People bytes after it, so the
 * consumer's acquire of the word can come before the bytes. The reordering is in the code, so it
 * shows on any hardware, x86 included (a hardware reordering of two plain stores would not show
 * on x86). The suite must report the INTERESTING outcomes; they do not fail the run.
 *
 * <p>r1: what the consumer polled: 0 nothing, 2 the whole new message, 1 the old message
 * re-delivered, 9 a mix of the two.
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "polled before the word was published")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "polled the whole new message (the bytes happened to be there)")
@Outcome(id = "9", expect = ACCEPTABLE_INTERESTING, desc = "TORN: word published before the bytes; mix of old and new")
@Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "STALE: word published before the bytes; old message read as new")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class EarlyPublicationTest {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final DirectRing ring = DirectRing.take(1);
    private final People people = new People();

    public EarlyPublicationTest() {
        ring.advance(1);
    }

    /** BROKEN on purpose: the word first, then the record (the real producer does the reverse). */
    @Actor
    public void brokenProducer() {
        final ByteBuffer buffer = ring.buffer();
        final RingSpec spec = ring.spec();
        final long position = 1;
        final int slot = RingLayout.DATA_OFFSET + (int) (position & (spec.capacity() - 1)) * spec.stride();
        LONG.setRelease(buffer, slot + spec.sequenceOffset(), position + 1); // too early
        Messages.fill(people.wrap(buffer, slot), 2);
    }

    @Actor
    public void consumer(I_Result r) {
        r.r1 = ring.poll(1);
    }

    @Arbiter
    public void arbiter() {
        ring.release();
    }
}
