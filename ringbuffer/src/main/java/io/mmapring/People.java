package io.mmapring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The seed's record, {@code struct people { char name[128]; int id; }}, in its C layout, and a
 * reusable flyweight over one record in a buffer.
 *
 * <pre>
 *   0                                   128        132
 *   +-----------------------------------+----------+
 *   | name: UTF-8, NUL-terminated when  | id: int32|
 *   | shorter than 128 bytes, 0-padded  | little-  |
 *   |                                   | endian   |
 *   +-----------------------------------+----------+
 * </pre>
 *
 * <p>Names are at most {@link #MAX_NAME_BYTES} UTF-8 bytes and contain no NUL; anything else is an
 * {@link IllegalArgumentException} thrown before a byte is written. Writers zero-fill the rest of
 * the name field. Readers take the bytes before the first NUL, or all 128 if there is none
 * (as C's {@code strnlen(name, 128)}).
 *
 * <p>A flyweight is not thread-safe and allocates nothing, except {@link #name()}, which returns a new String.
 */
public final class People {
    /** Offset of {@code name} in the record. */
    public static final int NAME_OFFSET = 0;
    /** Width of {@code name}: {@code char name[128]}. */
    public static final int NAME_LENGTH = 128;
    /** Longest name accepted from Java, in UTF-8 bytes: one byte is kept for the NUL. */
    public static final int MAX_NAME_BYTES = NAME_LENGTH - 1;
    /** Offset of {@code id}, an int32 little-endian. */
    public static final int ID_OFFSET = 128;
    /** Size of the record: 132 bytes, as C lays out the struct on x86-64 and AArch64. */
    public static final int SIZE = 132;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] scratch = new byte[NAME_LENGTH];
    private ByteBuffer buffer;
    private int offset;

    /** An unbound flyweight: {@link #wrap} it over a record before use. */
    public People() {
        // bound later by wrap
    }

    /** A ring spec for People records. */
    public static RingSpec spec(int capacity) {
        return RingSpec.of(SIZE, capacity);
    }

    /** Points this flyweight at the record that starts at {@code offset} in {@code buffer}. */
    public People wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** The record's {@code id}. */
    public int id() {
        return (int) INT.get(buffer, offset + ID_OFFSET);
    }

    /** Sets the record's {@code id}. */
    public People id(int id) {
        INT.set(buffer, offset + ID_OFFSET, id);
        return this;
    }

    /**
     * Sets the record's {@code name}: UTF-8, NUL-terminated, zero-padded to 128 bytes.
     *
     * @throws IllegalArgumentException if the name is over 127 UTF-8 bytes, contains NUL or an
     *                                  unpaired surrogate; the record is then left as it was
     */
    public People name(CharSequence name) {
        encodeName(name, scratch);
        buffer.put(offset + NAME_OFFSET, scratch, 0, NAME_LENGTH);
        return this;
    }

    /**
     * Sets the record's {@code name} from a field already encoded by {@link #encodeName}: copies all
     * 128 bytes, so a name encoded once can be written many times without re-encoding.
     *
     * @throws IllegalArgumentException if {@code field} is shorter than 128 bytes
     */
    public People name(byte[] field) {
        if (field.length < NAME_LENGTH) {
            throw new IllegalArgumentException("name field of " + field.length + " bytes is shorter than " + NAME_LENGTH);
        }
        buffer.put(offset + NAME_OFFSET, field, 0, NAME_LENGTH);
        return this;
    }

    /** Length of the name in bytes: up to the first NUL, at most 128. */
    public int nameLength() {
        final ByteBuffer buffer = this.buffer;
        final int start = offset + NAME_OFFSET;
        for (int i = 0; i < NAME_LENGTH; i++) {
            if (buffer.get(start + i) == 0) {
                return i;
            }
        }
        return NAME_LENGTH;
    }

    /**
     * Copies the name's UTF-8 bytes into {@code dst} and returns how many.
     *
     * @throws IndexOutOfBoundsException if {@code dst} is shorter than {@link #nameLength()}
     */
    public int nameTo(byte[] dst) {
        final int length = nameLength();
        buffer.get(offset + NAME_OFFSET, dst, 0, length);
        return length;
    }

    /** The name as a new String (allocates: use {@link #nameTo(byte[])} on a hot path). */
    public String name() {
        final byte[] bytes = new byte[nameLength()];
        buffer.get(offset + NAME_OFFSET, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the name equals the first {@code length} bytes of {@code utf8}, without allocating. */
    public boolean nameEquals(byte[] utf8, int length) {
        if (length != nameLength()) {
            return false;
        }
        final int start = offset + NAME_OFFSET;
        for (int i = 0; i < length; i++) {
            if (buffer.get(start + i) != utf8[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return buffer == null ? "People[unbound]" : "People[id=" + id() + ", name=" + name() + "]";
    }

    /**
     * Encodes {@code name} as UTF-8 into {@code field} (at least 128 bytes), zero-filling the rest of
     * the 128-byte name field, and returns the name's length in bytes. Allocates nothing.
     *
     * @throws IllegalArgumentException if the name is over 127 bytes, contains NUL or an unpaired
     *                                  surrogate; the message names the limit
     */
    public static int encodeName(CharSequence name, byte[] field) {
        final int chars = name.length();
        int j = 0;
        for (int i = 0; i < chars; i++) {
            final char c = name.charAt(i);
            int codePoint = c;
            final int bytes;
            if (c == 0) {
                throw new IllegalArgumentException("name contains NUL at index " + i
                    + " (People.name is a NUL-terminated char[" + NAME_LENGTH + "])");
            } else if (c < 0x80) {
                bytes = 1;
            } else if (c < 0x800) {
                bytes = 2;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(name.charAt(i + 1))) {
                    codePoint = Character.toCodePoint(c, name.charAt(++i));
                    bytes = 4;
                } else {
                    throw new IllegalArgumentException("name has an unpaired surrogate at index " + i);
                }
            } else {
                bytes = 3;
            }
            if (j + bytes > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("name of " + utf8Length(name) + " UTF-8 bytes exceeds the limit of "
                    + MAX_NAME_BYTES + " (People.name is char[" + NAME_LENGTH + "] with its NUL)");
            }
            switch (bytes) {
                case 1:
                    field[j++] = (byte) codePoint;
                    break;
                case 2:
                    field[j++] = (byte) (0xC0 | (codePoint >>> 6));
                    field[j++] = (byte) (0x80 | (codePoint & 0x3F));
                    break;
                case 3:
                    field[j++] = (byte) (0xE0 | (codePoint >>> 12));
                    field[j++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3F));
                    field[j++] = (byte) (0x80 | (codePoint & 0x3F));
                    break;
                default:
                    field[j++] = (byte) (0xF0 | (codePoint >>> 18));
                    field[j++] = (byte) (0x80 | ((codePoint >>> 12) & 0x3F));
                    field[j++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3F));
                    field[j++] = (byte) (0x80 | (codePoint & 0x3F));
                    break;
            }
        }
        Arrays.fill(field, j, NAME_LENGTH, (byte) 0);
        return j;
    }

    private static long utf8Length(CharSequence name) {
        return name.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
