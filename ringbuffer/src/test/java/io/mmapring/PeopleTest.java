package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeopleTest {
    private final ByteBuffer record = ByteBuffer.allocateDirect(People.SIZE);
    private final People people = new People().wrap(record, 0);

    @Test
    void recordHasTheCLayoutNameAtZeroIdLittleEndianAt128() {
        people.name("helloworld").id(253);
        final byte[] name = new byte[People.NAME_LENGTH];
        record.get(0, name);
        final byte[] expected = new byte[People.NAME_LENGTH];
        System.arraycopy("helloworld".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 10);
        assertArrayEquals(expected, name, "UTF-8, NUL-terminated and zero-padded");
        assertEquals(253, record.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(128));
        assertEquals((byte) 253, record.get(128), "little-endian: low byte first");
        assertEquals(253, people.id());
        assertEquals("helloworld", people.name());
        assertEquals(10, people.nameLength());
    }

    @Test
    void multiByteNamesRoundTripThroughUtf8() {
        final String name = "\u017elu\u0165ou\u010dk\u00fd k\u016f\u0148 \u6771\u4eac \uD83D\uDE00";
        people.name(name);
        assertEquals(name, people.name());
        assertEquals(name.getBytes(StandardCharsets.UTF_8).length, people.nameLength());
        final byte[] dst = new byte[People.NAME_LENGTH];
        final int length = people.nameTo(dst);
        assertEquals(name, new String(dst, 0, length, StandardCharsets.UTF_8));
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        assertTrue(people.nameEquals(utf8, utf8.length));
        assertFalse(people.nameEquals(utf8, utf8.length - 1));
    }

    @Test
    void aShorterNameZeroesWhatALongerOneLeft() {
        people.name("a much longer name than the next one");
        people.name("short");
        final byte[] field = new byte[People.NAME_LENGTH];
        record.get(0, field);
        for (int i = 5; i < People.NAME_LENGTH; i++) {
            assertEquals(0, field[i], "byte " + i);
        }
    }

    @Test
    void nameOf127BytesIsAcceptedAnd128IsRejectedNamingTheLimit() {
        people.name("x".repeat(127));
        assertEquals(127, people.nameLength());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> people.name("y".repeat(128)));
        assertTrue(e.getMessage().contains("128 UTF-8 bytes exceeds the limit of 127"), e.getMessage());
        assertEquals("x".repeat(127), people.name(), "a rejected name leaves the record as it was");
    }

    @Test
    void multiByteCharacterThatWouldCrossTheLimitIsRejected() {
        final String name = "x".repeat(126) + "\u00e9"; // 126 + 2 bytes = 128
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> people.name(name));
        assertTrue(e.getMessage().contains("limit of 127"), e.getMessage());
    }

    @Test
    void nulInsideANameIsRejected() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> people.name("ab\0cd"));
        assertTrue(e.getMessage().contains("NUL at index 2"), e.getMessage());
    }

    @Test
    void unpairedSurrogateIsRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> people.name("a\uD800b")).getMessage()
            .contains("unpaired surrogate at index 1"));
        assertThrows(IllegalArgumentException.class, () -> people.name("a\uDC00"));
    }

    @Test
    void aNameFieldWithNoNulReadsAsAll128Bytes() {
        for (int i = 0; i < People.NAME_LENGTH; i++) {
            record.put(i, (byte) 'z');
        }
        assertEquals(128, people.nameLength());
        assertEquals("z".repeat(128), people.name());
    }

    @Test
    void emptyNameIsAllZeroes() {
        people.name("");
        assertEquals(0, people.nameLength());
        assertEquals("", people.name());
    }

    @Test
    void aNameEncodedOnceCanBeWrittenManyTimes() {
        final byte[] field = new byte[People.NAME_LENGTH];
        assertEquals(6, People.encodeName("reused", field));
        people.name(field).id(1);
        assertEquals("reused", people.name());
        assertThrows(IllegalArgumentException.class, () -> people.name(new byte[10]));
    }
}
