package io.mmapring.examples;

import java.util.Arrays;

import io.mmapring.People;

/**
 * The 128-byte name field of {@code person-<id>} for ids that mostly go up by one, kept in place in a
 * caller's array: moving to the next id increments the decimal digits where they are (the prefix is
 * encoded once); any other move re-encodes the name. The rest of the field is kept zero, so the field
 * is exactly what a People writer puts in a record. Allocates nothing.
 */
final class SequentialName {
    private final PeopleNames names = new PeopleNames(PeopleNames.DEFAULT_PREFIX);
    private final byte[] field;
    private final int offset;
    /** Where the digits start: after the prefix and its '-'. */
    private final int digits;
    private int id;
    private int length;

    /** Keeps the name field at {@code field[offset .. offset + 128)}, starting with the name of {@code id}. */
    SequentialName(byte[] field, int offset, int id) {
        if (offset < 0 || offset + People.NAME_LENGTH > field.length) {
            throw new IllegalArgumentException("name field at " + offset + " does not fit in " + field.length + " bytes");
        }
        this.field = field;
        this.offset = offset;
        this.digits = names.encode(0) - 1;
        encode(id);
    }

    /** Makes the field the name of {@code id}: in place when {@code id} is the next one, else re-encoded. */
    void moveTo(int id) {
        if (id == this.id) {
            return;
        }
        if (id == this.id + 1 && id > 0 && increment()) {
            this.id = id;
            return;
        }
        encode(id);
    }

    /** The id whose name the field holds. */
    int id() {
        return id;
    }

    /** The name's length in bytes (the field holds a NUL there and zeros after it). */
    int length() {
        return length;
    }

    /** Adds one to the decimal digits in place; false if the number of digits grows (999 to 1000). */
    private boolean increment() {
        final byte[] field = this.field;
        final int first = offset + digits;
        int i = offset + length - 1;
        while (i >= first && field[i] == '9') {
            i--;
        }
        if (i < first) {
            return false; // all nines: the caller re-encodes, one digit longer
        }
        field[i]++;
        Arrays.fill(field, i + 1, offset + length, (byte) '0');
        return true;
    }

    private void encode(int id) {
        final int length = names.encode(id);
        System.arraycopy(names.bytes(), 0, field, offset, length);
        if (length < this.length) {
            Arrays.fill(field, offset + length, offset + this.length, (byte) 0);
        }
        this.length = length;
        this.id = id;
    }
}
