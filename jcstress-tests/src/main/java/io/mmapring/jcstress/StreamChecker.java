package io.mmapring.jcstress;

import java.nio.ByteBuffer;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import io.mmapring.RingConsumer;

/**
 * Checks a stream of messages sent with {@link LiveRing#idAt}: each record must be whole and carry
 * the id of the next position, starting from the position given. Allocates nothing per record; one
 * per consumer thread (the arbiter may take it over once the actors are done).
 *
 * <p>Verdict codes shared by the lifecycle tests (a test's {@code r1}): {@link #OK}, {@link #DISORDER},
 * {@link #COUNT}, {@link #CORRUPT}, {@link #OTHER}, {@link #MEASURE}, {@link Messages#TORN}.
 */
public final class StreamChecker implements PeopleConsumer.PeopleHandler, RingConsumer.RecordHandler {
    /** Every message delivered once, in order, whole. */
    public static final int OK = 0;
    /** A message out of order: stale, skipped or repeated. */
    public static final int DISORDER = 1;
    /** The count delivered differs from the count published. */
    public static final int COUNT = 2;
    /** A {@link io.mmapring.RingFormatException}: a healthy ring called corrupt. */
    public static final int CORRUPT = 3;
    /** Any other exception from the ring. */
    public static final int OTHER = 4;
    /** An observer read a producer position below a head it had seen, or a backlog outside [0, capacity]. */
    public static final int MEASURE = 5;

    private final People people = new People();
    private final byte[] scratch = new byte[People.NAME_LENGTH];
    private long next;
    private long received;
    private int verdict = OK;

    /** A checker whose first message is the one of {@code first}. */
    public StreamChecker(long first) {
        this.next = first;
    }

    @Override
    public void onPeople(People record) {
        final int id = Messages.check(record, scratch);
        if (id == Messages.TORN) {
            verdict = Messages.TORN;
        } else if (id != LiveRing.idAt(next) && verdict == OK) {
            verdict = DISORDER;
        }
        next++;
        received++;
    }

    @Override
    public void onRecord(ByteBuffer buffer, int offset) {
        onPeople(people.wrap(buffer, offset));
    }

    /** Messages received so far. */
    public long received() {
        return received;
    }

    /** The position whose message is expected next. */
    public long next() {
        return next;
    }

    /** {@link #OK}, {@link #DISORDER} or {@link Messages#TORN}. */
    public int verdict() {
        return verdict;
    }

    /**
     * Polls with {@code poll} until it returns 0 or {@code most} records came (a broken consumer may
     * deliver forever: the arbiter must end); returns the records polled.
     */
    public static long drain(java.util.function.IntSupplier poll, long most) {
        long total = 0;
        int n;
        while (total < most && (n = poll.getAsInt()) > 0) {
            total += n;
        }
        return total;
    }

    /** The first failure among the verdicts, in the order given; {@link #OK} if none. */
    public static int first(int... verdicts) {
        for (int v : verdicts) {
            if (v != OK) {
                return v;
            }
        }
        return OK;
    }
}
