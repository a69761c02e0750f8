package io.mmapring.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.mmapring.People;
import io.mmapring.RingLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** examples/c/mmapring.h against the Java descriptor: compiled and printed by C, compared here. */
class CHeaderTest {

    @Test
    void everyConstantOfTheCHeaderMatchesRingLayoutAndPeople() throws Exception {
        final Map<String, Long> java = new LinkedHashMap<>();
        java.put("MMR_MAGIC", RingLayout.MAGIC);
        java.put("MMR_VERSION", (long) RingLayout.VERSION);
        java.put("MMR_MAGIC_OFFSET", (long) RingLayout.MAGIC_OFFSET);
        java.put("MMR_VERSION_OFFSET", (long) RingLayout.VERSION_OFFSET);
        java.put("MMR_RECORD_SIZE_OFFSET", (long) RingLayout.RECORD_SIZE_OFFSET);
        java.put("MMR_STRIDE_OFFSET", (long) RingLayout.STRIDE_OFFSET);
        java.put("MMR_SEQUENCE_OFFSET_OFFSET", (long) RingLayout.SEQUENCE_OFFSET_OFFSET);
        java.put("MMR_CAPACITY_OFFSET", (long) RingLayout.CAPACITY_OFFSET);
        java.put("MMR_DATA_OFFSET_OFFSET", (long) RingLayout.DATA_OFFSET_OFFSET);
        java.put("MMR_COUNTER_BLOCK", (long) RingLayout.COUNTER_BLOCK);
        java.put("MMR_TAIL_OFFSET", (long) RingLayout.TAIL_OFFSET);
        java.put("MMR_HEAD_OFFSET", (long) RingLayout.HEAD_OFFSET);
        java.put("MMR_DATA_OFFSET", (long) RingLayout.DATA_OFFSET);
        java.put("MMR_SEQUENCE_WIDTH", (long) RingLayout.SEQUENCE_WIDTH);
        java.put("MMR_MAX_RECORD_SIZE", (long) RingLayout.MAX_RECORD_SIZE);
        java.put("MMR_MAX_CAPACITY", RingLayout.MAX_CAPACITY);
        java.put("MMR_MAX_FILE_LENGTH", RingLayout.MAX_FILE_LENGTH);
        java.put("MMR_MAX_POSITION", RingLayout.MAX_POSITION);
        java.put("MMR_PRODUCER_LOCK_OFFSET", RingLayout.PRODUCER_LOCK_OFFSET);
        java.put("MMR_CONSUMER_LOCK_OFFSET", RingLayout.CONSUMER_LOCK_OFFSET);
        java.put("PEOPLE_NAME_OFFSET", (long) People.NAME_OFFSET);
        java.put("PEOPLE_NAME_LENGTH", (long) People.NAME_LENGTH);
        java.put("PEOPLE_MAX_NAME_BYTES", (long) People.MAX_NAME_BYTES);
        java.put("PEOPLE_ID_OFFSET", (long) People.ID_OFFSET);
        java.put("PEOPLE_SIZE", (long) People.SIZE);
        java.put("PEOPLE_STRIDE", (long) RingLayout.stride(People.SIZE));
        java.put("PEOPLE_SEQUENCE_OFFSET", (long) RingLayout.sequenceOffset(People.SIZE));
        java.put("sizeof_people", (long) People.SIZE);
        java.put("offsetof_people_id", (long) People.ID_OFFSET);
        java.put("mmr_stride_people", (long) RingLayout.stride(People.SIZE));
        java.put("mmr_sequence_offset_people", (long) RingLayout.sequenceOffset(People.SIZE));

        final Map<String, Long> c = new TreeMap<>();
        try (Child constants = Child.c(CPrograms.program("mmapring_constants"))) {
            assertEquals(0, constants.waitFor(30), constants::output);
            for (String line : constants.output().split("\n")) {
                final int eq = line.indexOf('=');
                c.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
            }
        }
        // same names, same values: a constant added on one side only fails here too
        assertEquals(new TreeMap<>(java), c);
    }
}
