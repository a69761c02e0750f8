package io.mmapring.examples;

import java.nio.charset.StandardCharsets;

import io.mmapring.People;

/**
 * The names the examples write, {@code <prefix>-<id>} (for example {@code person-253}), so that a
 * reader can check every record it receives; the C programs in {@code examples/c/} write the same.
 * Encoding allocates nothing.
 */
final class PeopleNames {
    /** Prefix used when none is given. */
    static final String DEFAULT_PREFIX = "person";
    /** Longest id in decimal: {@code -2147483648}. */
    private static final int MAX_ID_CHARS = 11;
    /** Longest prefix: room for the '-' and the longest id in People's 127 name bytes. */
    static final int MAX_PREFIX_BYTES = People.MAX_NAME_BYTES - 1 - MAX_ID_CHARS;

    private final byte[] prefix;
    private final byte[] name = new byte[People.NAME_LENGTH];

    PeopleNames(String prefix) {
        this.prefix = checkPrefix(prefix).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(this.prefix, 0, name, 0, this.prefix.length);
        name[this.prefix.length] = '-';
    }

    /** Throws an {@link IllegalArgumentException} naming the limit if the prefix cannot make a valid name. */
    static String checkPrefix(String prefix) {
        final int bytes = prefix.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PREFIX_BYTES) {
            throw new IllegalArgumentException("--name prefix of " + bytes + " UTF-8 bytes exceeds " + MAX_PREFIX_BYTES
                + " (People.name is char[" + People.NAME_LENGTH + "]: prefix, '-', id and NUL must fit)");
        }
        if (prefix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("--name prefix contains NUL");
        }
        People.encodeName(prefix, new byte[People.NAME_LENGTH]); // rejects unpaired surrogates
        return prefix;
    }

    /** The UTF-8 name of {@code id} in {@link #bytes()}; returns its length. */
    int encode(int id) {
        final byte[] name = this.name;
        int end = prefix.length + 1;
        long value = id;
        if (value < 0) {
            name[end++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int i = end + digits;
        end = i;
        do {
            name[--i] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        return end;
    }

    /** The buffer {@link #encode(int)} writes to (128 bytes; only the returned length is meaningful). */
    byte[] bytes() {
        return name;
    }

    /** Whether {@code people} carries the name of its own id. */
    boolean matches(People people) {
        return people.nameEquals(name, encode(people.id()));
    }

    /** The name of {@code id} as a String (allocates). */
    String nameOf(int id) {
        return new String(name, 0, encode(id), StandardCharsets.UTF_8);
    }
}
