package io.mmapring.examples;

import java.nio.ByteBuffer;

import io.mmapring.People;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeopleNamesTest {

    @Test
    void namesArePrefixDashDecimalId() {
        final PeopleNames names = new PeopleNames("person");
        assertEquals("person-0", names.nameOf(0));
        assertEquals("person-253", names.nameOf(253));
        assertEquals("person-2147483647", names.nameOf(Integer.MAX_VALUE));
        assertEquals("person--2147483648", names.nameOf(Integer.MIN_VALUE));
        assertEquals("person--7", names.nameOf(-7));
        assertEquals("Zoë-10", new PeopleNames("Zoë").nameOf(10));
    }

    @Test
    void matchesOnlyTheNameOfItsOwnId() {
        final People people = new People().wrap(ByteBuffer.allocateDirect(People.SIZE), 0);
        final PeopleNames names = new PeopleNames("person");
        assertTrue(names.matches(people.id(42).name("person-42")));
        assertFalse(names.matches(people.id(42).name("person-43")));
        assertFalse(names.matches(people.id(42).name("person-420")));
        assertFalse(names.matches(people.id(42).name("other-42")));
    }

    @Test
    void theLongestPrefixStillFitsTheLongestId() {
        final String prefix = "p".repeat(PeopleNames.MAX_PREFIX_BYTES);
        final People people = new People().wrap(ByteBuffer.allocateDirect(People.SIZE), 0);
        final PeopleNames names = new PeopleNames(prefix);
        people.id(Integer.MIN_VALUE).name(names.nameOf(Integer.MIN_VALUE));
        assertTrue(names.matches(people));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PeopleNames(prefix + "p"));
        assertTrue(e.getMessage().contains("exceeds " + PeopleNames.MAX_PREFIX_BYTES), e.getMessage());
    }
}
