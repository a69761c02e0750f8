package io.mmapring.examples;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mmapring.People;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo receiver's check, fed records in a buffer exactly as a stream or a ring would hand them over. */
class DemoCheckTest {
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(People.SIZE * 4).order(ByteOrder.LITTLE_ENDIAN);
    private final DemoRecords records = new DemoRecords();

    private int put(int slot, int id) {
        final int offset = slot * People.SIZE;
        buffer.put(offset, records.next(id), 0, People.SIZE);
        return offset;
    }

    @Test
    void everyPeopleAsTheDemoWritesItPasses() {
        final DemoCheck check = new DemoCheck();
        for (int id = 0; id < 300_000; id++) {
            check.onRecord(buffer, put(id & 3, id));
        }
        assertTrue(check.ok(300_000), check.report("test", 300_000));
        assertTrue(check.report("test", 300_000).endsWith("lost 0, out of order 0, duplicates 0, bad names 0: OK"));
        assertFalse(check.ok(300_001), "one People short is not OK");
    }

    @Test
    void aNameOfTheWrongIdIsABadName() {
        final DemoCheck check = new DemoCheck();
        check.onRecord(buffer, put(0, 0));
        final int offset = put(1, 11);     // the record of id 11 (name person-11) ...
        buffer.putInt(offset + People.ID_OFFSET, 1); // ... carrying id 1: a torn or mixed-up record
        check.onRecord(buffer, offset);
        final String report = check.report("test", 2);
        assertFalse(check.ok(2));
        assertTrue(report.contains("bad names 1 (first: id 1 has name \"person-11\", expected \"person-1\" and zeros): FAILED"), report);
    }

    @Test
    void aNonZeroByteRightAfterTheNulIsABadName() {
        final DemoCheck check = new DemoCheck();
        final int offset = put(0, 0);      // "person-0": 8 bytes, NUL at 8, zeros to 16
        buffer.put(offset + 9, (byte) 'x');
        check.onRecord(buffer, offset);
        assertTrue(check.report("test", 1).contains("bad names 1"), check.report("test", 1));
    }

    @Test
    void lostDuplicateAndOutOfOrderIdsFail() {
        final DemoCheck check = new DemoCheck();
        for (int id : new int[] {0, 2, 1, 1, 4}) {
            check.onRecord(buffer, put(0, id));
        }
        final String report = check.report("test", 5);
        assertFalse(check.ok(5));
        assertTrue(report.contains("lost 1, out of order 1, duplicates 1, bad names 0: FAILED"), report);
    }
}
