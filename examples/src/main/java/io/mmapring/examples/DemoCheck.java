package io.mmapring.examples;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mmapring.People;
import io.mmapring.RingConsumer;

/**
 * The demo's receiving side checks every People it gets, whatever the transport: ids consecutive from
 * 0 ({@link IdCheck}: lost, out of order, duplicates), and the name field equal to what the sender
 * wrote for that id, {@code person-<id>}: its bytes, its NUL and the zero padding up to the next 8-byte
 * boundary, compared 8 bytes at a time in place. The expected name moves with the ids
 * ({@link SequentialName}). Allocates nothing, except to quote the first bad name.
 */
final class DemoCheck implements RingConsumer.RecordHandler {
    private final IdCheck ids = new IdCheck(0);
    private final byte[] expected = new byte[People.NAME_LENGTH];
    private final ByteBuffer expectedWords = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
    private final SequentialName name = new SequentialName(expected, 0, 0);
    private long badNames;
    private String firstBadName;

    /**
     * Checks the People whose 132 bytes start at {@code offset} in {@code buffer}, a little-endian buffer
     * (a ring's, or the demo's stream buffer).
     */
    @Override
    public void onRecord(ByteBuffer buffer, int offset) {
        final int id = buffer.getInt(offset + People.ID_OFFSET);
        ids.accept(id);
        name.moveTo(id);
        final int words = (name.length() + Long.BYTES) / Long.BYTES; // up to and including the NUL
        final ByteBuffer expectedWords = this.expectedWords;
        for (int k = 0; k < words; k++) {
            if (buffer.getLong(offset + People.NAME_OFFSET + k * Long.BYTES) != expectedWords.getLong(k * Long.BYTES)) {
                badName(buffer, offset, id);
                return;
            }
        }
    }

    private void badName(ByteBuffer buffer, int offset, int id) {
        if (badNames++ == 0) {
            firstBadName = "id " + id + " has name \"" + new People().wrap(buffer, offset).name() + "\", expected \""
                + new PeopleNames(PeopleNames.DEFAULT_PREFIX).nameOf(id) + "\" and zeros";
        }
    }

    long received() {
        return ids.received();
    }

    /** Whether exactly {@code count} People arrived, each once, in order, with its name. */
    boolean ok(long count) {
        return ids.received() == count && ids.lost() == 0 && ids.outOfOrder() == 0 && ids.duplicates() == 0
            && badNames == 0;
    }

    /**
     * One line in {@code read}'s words: how many arrived from {@code source}, the count of every fault, OK or
     * FAILED. No time: the demo times its phases itself.
     */
    String report(String source, long count) {
        final long missing = count - ids.received();
        return String.format("read %d People from %s: lost %d, out of order %d, duplicates %d, bad names %d%s%s: %s",
            ids.received(), source, ids.lost(), ids.outOfOrder(), ids.duplicates(), badNames,
            missing > 0 ? ", missing " + missing + " of " + count : "",
            firstBadName == null ? "" : " (first: " + firstBadName + ")", ok(count) ? "OK" : "FAILED");
    }
}
