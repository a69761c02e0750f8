package io.mmapring.examples;

/**
 * Accounts for the ids a reader receives against the ids it expects ({@code first}, {@code first + 1},
 * ...): lost, out of order, duplicate. Ids are int32 and wrap; they are tracked as 64-bit positions
 * (each id is placed nearest to the expected one), so a run may be longer than 2^31 messages.
 *
 * <p>An id beyond the expected one opens a gap (counted as lost); an id that later fills a gap is
 * out of order (and no longer lost); an id below the expected one that fills no gap is a duplicate.
 * The last {@link #MAX_GAPS} gaps are remembered; older ones stay lost. Allocates nothing.
 */
final class IdCheck {
    static final int MAX_GAPS = 64;

    private final long[] gapFrom = new long[MAX_GAPS];
    private final long[] gapTo = new long[MAX_GAPS];
    private int gaps;
    private long expected;
    private long received;
    private long lost;
    private long outOfOrder;
    private long duplicates;

    IdCheck(int first) {
        this.expected = first;
    }

    /** Accounts for one received id. Returns true if it was the expected one. */
    boolean accept(int id) {
        received++;
        final long position = expected + (id - (int) expected); // nearest to expected, modulo 2^32
        if (position == expected) {
            expected++;
            return true;
        }
        if (position > expected) {
            lost += position - expected;
            addGap(expected, position);
            expected = position + 1;
            return false;
        }
        if (fillGap(position)) {
            lost--;
            outOfOrder++;
        } else {
            duplicates++;
        }
        return false;
    }

    /** The id expected next. */
    int expected() {
        return (int) expected;
    }

    long received() {
        return received;
    }

    long lost() {
        return lost;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long duplicates() {
        return duplicates;
    }

    private void addGap(long from, long to) {
        if (gaps == MAX_GAPS) {
            System.arraycopy(gapFrom, 1, gapFrom, 0, MAX_GAPS - 1);
            System.arraycopy(gapTo, 1, gapTo, 0, MAX_GAPS - 1);
            gaps--;
        }
        gapFrom[gaps] = from;
        gapTo[gaps] = to;
        gaps++;
    }

    /** Removes {@code position} from the gap that holds it, splitting the gap; false if none does. */
    private boolean fillGap(long position) {
        for (int i = gaps - 1; i >= 0; i--) {
            final long from = gapFrom[i];
            final long to = gapTo[i];
            if (position >= from && position < to) {
                if (position == from) {
                    gapFrom[i] = from + 1;
                } else if (position == to - 1) {
                    gapTo[i] = to - 1;
                } else {
                    gapTo[i] = position;
                    addGap(position + 1, to); // both halves are non-empty
                    return true;
                }
                if (gapFrom[i] == gapTo[i]) {
                    removeGap(i);
                }
                return true;
            }
        }
        return false;
    }

    private void removeGap(int i) {
        System.arraycopy(gapFrom, i + 1, gapFrom, i, gaps - i - 1);
        System.arraycopy(gapTo, i + 1, gapTo, i, gaps - i - 1);
        gaps--;
    }
}
