package io.mmapring.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdCheckTest {

    @Test
    void consecutiveIdsAreClean() {
        final IdCheck check = new IdCheck(7);
        for (int id = 7; id < 1007; id++) {
            assertTrue(check.accept(id));
        }
        assertEquals(1000, check.received());
        assertEquals(0, check.lost() + check.outOfOrder() + check.duplicates());
        assertEquals(1007, check.expected());
    }

    @Test
    void aGapIsLostUntilItsIdsArriveLate() {
        final IdCheck check = new IdCheck(0);
        check.accept(0);
        assertFalse(check.accept(4)); // 1, 2, 3 missing
        assertEquals(3, check.lost());
        check.accept(2);              // fills the middle of the gap
        check.accept(1);
        assertEquals(1, check.lost());
        assertEquals(2, check.outOfOrder());
        check.accept(2);              // already seen: duplicate
        check.accept(4);              // already seen: duplicate
        assertEquals(2, check.duplicates());
        check.accept(3);
        assertEquals(0, check.lost());
        assertEquals(3, check.outOfOrder());
        assertTrue(check.accept(5));
    }

    @Test
    void idsWrapAroundInt32WithoutFalseAlarms() {
        final IdCheck check = new IdCheck(Integer.MAX_VALUE - 1);
        for (int i = 0, id = Integer.MAX_VALUE - 1; i < 4; i++, id++) {
            assertTrue(check.accept(id));
        }
        assertEquals(Integer.MIN_VALUE + 2, check.expected());
        assertEquals(0, check.lost() + check.outOfOrder() + check.duplicates());
    }

    @Test
    void aReplayedBatchIsCountedAsDuplicates() {
        final IdCheck check = new IdCheck(0);
        for (int id = 0; id < 10; id++) {
            check.accept(id);
        }
        for (int id = 5; id < 10; id++) {
            check.accept(id);
        }
        assertEquals(5, check.duplicates());
        assertEquals(0, check.lost());
    }
}
