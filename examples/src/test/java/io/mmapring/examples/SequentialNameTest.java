package io.mmapring.examples;

import java.util.Arrays;

import io.mmapring.People;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequentialNameTest {

    /** The name field a People writer produces for {@code person-<id>}: the reference. */
    private static byte[] field(int id) {
        final byte[] field = new byte[People.NAME_LENGTH];
        People.encodeName("person-" + id, field);
        return field;
    }

    private static byte[] fieldAt(byte[] array, int offset) {
        return Arrays.copyOfRange(array, offset, offset + People.NAME_LENGTH);
    }

    @Test
    void steppingOneByOneGivesTheFieldOfEveryIdAcrossEveryCarry() {
        final byte[] array = new byte[People.NAME_LENGTH + 20];
        final SequentialName name = new SequentialName(array, 10, 0);
        for (int id = 0; id <= 1_100_000; id++) {
            name.moveTo(id);
            if (id % 1000 == 0 || id % 10 == 9 || id % 10 == 0) { // every carry, and a sample of the rest
                assertArrayEquals(field(id), fieldAt(array, 10), () -> "id " + name.id());
            }
            assertEquals(("person-" + id).length(), name.length());
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(0, array[i], "bytes before the field are never touched");
            assertEquals(0, array[10 + People.NAME_LENGTH + i], "bytes after the field are never touched");
        }
    }

    @Test
    void jumpsBackwardsAndNegativeIdsReencodeAndClearTheLongerTail() {
        final byte[] array = new byte[People.NAME_LENGTH];
        final SequentialName name = new SequentialName(array, 0, 1_234_567);
        for (int id : new int[] {5, 6, 999, 1000, -1, 0, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, Integer.MIN_VALUE, -9, -8, 3}) {
            name.moveTo(id);
            assertArrayEquals(field(id), array, "id " + id);
            assertEquals(id, name.id());
        }
    }

    @Test
    void aFieldThatDoesNotFitIsRefused() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new SequentialName(new byte[People.NAME_LENGTH], 1, 0));
        assertTrue(e.getMessage().contains("name field at 1 does not fit in 128 bytes"), e.getMessage());
    }
}
