package io.mmapring.reliability;

import java.nio.ByteBuffer;

import io.mmapring.People;

/**
 * The test traffic: the message at ring position {@code p} is {@code People(id = p, name = name(p))},
 * so the committed set is always exactly {@code [0, producerPosition())} and a reader can check every
 * record byte for byte (a torn record, or one from the wrong position, does not match).
 */
final class Traffic {
    private Traffic() {
    }

    /** A deterministic ASCII name of 1 to 127 bytes for position {@code p}. */
    static String name(long p) {
        final int length = 1 + (int) (((p * 0x9E3779B97F4A7C15L) >>> 40) % People.MAX_NAME_BYTES);
        final StringBuilder name = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            name.append((char) ('a' + (int) ((p + 7L * i) % 26)));
        }
        return name.toString();
    }

    /** Writes the message of position {@code p} into the record at {@code offset}. */
    static void write(People people, ByteBuffer buffer, int offset, long p) {
        people.wrap(buffer, offset).id((int) p).name(name(p));
    }

    /** Whether the record at {@code offset} holds exactly the message of position {@code p}. */
    static boolean matches(ByteBuffer buffer, int offset, long p, byte[] field) {
        People.encodeName(name(p), field);
        for (int i = 0; i < People.NAME_LENGTH; i++) {
            if (buffer.get(offset + People.NAME_OFFSET + i) != field[i]) {
                return false;
            }
        }
        return buffer.getInt(offset + People.ID_OFFSET) == (int) p;
    }

    /** The id stored in the record at {@code offset}. */
    static int id(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + People.ID_OFFSET);
    }
}
