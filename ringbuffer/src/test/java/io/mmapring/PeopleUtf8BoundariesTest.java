package io.mmapring;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The People name codec at its edges: every UTF-8 length boundary encodes byte for byte as the JDK's
 * encoder does, a high surrogate at the very end is an error naming its index, names of the same
 * length are compared byte by byte, and reading a name never looks past its 128-byte field.
 */
class PeopleUtf8BoundariesTest {
    private final ByteBuffer record = ByteBuffer.allocateDirect(People.SIZE);
    private final People people = new People().wrap(record, 0);

    @Test
    void everyUtf8LengthBoundaryEncodesAsTheJdkEncoderDoes() {
        final String[] edges = {
            "\u0001", "\u007f", // last 1-byte
            "\u0080", "\u07ff", // first and last 2-byte
            "\u0800", "\ufffd", "\uffff", // first and last 3-byte
            "\uD800\uDC00", "\uD83D\uDE00", "\uDBFF\uDFFF", // first 4-byte (U+10000), an emoji, last (U+10FFFF)
        };
        final byte[] field = new byte[People.NAME_LENGTH];
        for (String edge : edges) {
            final byte[] expected = Arrays.copyOf(edge.getBytes(StandardCharsets.UTF_8), People.NAME_LENGTH);
            final int length = People.encodeName(edge, field);
            assertEquals(edge.getBytes(StandardCharsets.UTF_8).length, length, "length of U+" + Integer.toHexString(edge.codePointAt(0)));
            assertArrayEquals(expected, field, "bytes of U+" + Integer.toHexString(edge.codePointAt(0)));
            assertEquals(edge, people.name(edge).name());
        }
    }

    @Test
    void aHighSurrogateAtTheEndIsRejectedNamingItsIndex() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> people.name("ab\uD83D"));
        assertEquals("name has an unpaired surrogate at index 2", e.getMessage());
        final IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> people.name("\uDE00b"));
        assertEquals("name has an unpaired surrogate at index 0", low.getMessage());
    }

    @Test
    void namesOfTheSameLengthAreComparedByteByByte() {
        people.name("abcd");
        assertTrue(people.nameEquals("abcd".getBytes(StandardCharsets.US_ASCII), 4));
        assertFalse(people.nameEquals("abce".getBytes(StandardCharsets.US_ASCII), 4), "same length, last byte differs");
        assertFalse(people.nameEquals("xbcd".getBytes(StandardCharsets.US_ASCII), 4), "same length, first byte differs");
        assertFalse(people.nameEquals("abc".getBytes(StandardCharsets.US_ASCII), 3), "a prefix is not the name");
    }

    @Test
    void readingANameNeverLooksPastItsField() {
        // a name field with no NUL at the very end of its buffer: nothing after byte 127 may be read
        final ByteBuffer field = ByteBuffer.allocateDirect(People.NAME_LENGTH);
        for (int i = 0; i < People.NAME_LENGTH; i++) {
            field.put(i, (byte) 'n');
        }
        final People unterminated = new People().wrap(field, 0);
        assertEquals(People.NAME_LENGTH, unterminated.nameLength());
        assertEquals("n".repeat(People.NAME_LENGTH), unterminated.name());
    }

    @Test
    void aNameFieldWrittenAtAnOffsetLandsAtThatOffset() {
        final ByteBuffer two = ByteBuffer.allocateDirect(2 * People.SIZE);
        final People second = new People().wrap(two, People.SIZE).name("second").id(2);
        final People first = new People().wrap(two, 0).name("first").id(1);
        assertEquals("first", first.name());
        assertEquals("second", second.name());
        final byte[] dst = new byte[People.NAME_LENGTH];
        assertEquals(6, second.nameTo(dst));
        assertEquals("second", new String(dst, 0, 6, StandardCharsets.US_ASCII));
        final byte[] encoded = new byte[People.NAME_LENGTH];
        People.encodeName("again", encoded);
        second.name(encoded);
        assertEquals("again", second.name());
        assertEquals("first", first.name(), "the neighbour is untouched");
    }

    @Test
    void toStringShowsTheRecordOrThatItIsUnbound() {
        assertEquals("People[unbound]", new People().toString());
        assertEquals("People[id=7, name=seven]", people.name("seven").id(7).toString());
    }
}
