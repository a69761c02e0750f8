package io.mmapring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PeopleProducer#open} and {@link PeopleConsumer#open}: each opens the ring file (both share this
 * process's one channel to it), takes its role and, when closed, gives the role back; the last one closes
 * the file (no descriptor of it is left in this process); and the idling variants of offer, claim and poll
 * return what they did.
 */
class PeopleRingFilesTest {
    private final Path path = TestRings.newPath("people-open");
    private final IdleStrategy idle = new BusySpinIdleStrategy();

    @AfterEach
    void deleteRing() throws IOException {
        TestRings.delete(path);
    }

    @Test
    void openedProducerAndConsumerTakeTheirRolesAndCloseTheirFile() throws IOException {
        RingFile.create(path, People.spec(8)).close();
        assertEquals(0, descriptorsOf(path), "create closes its file");
        final List<String> seen = new ArrayList<>();
        try (PeopleProducer out = PeopleProducer.open(path); PeopleConsumer in = PeopleConsumer.open(path)) {
            assertEquals(1, descriptorsOf(path), "both share the process's one channel to the file");
            try (RingFile observer = RingFile.open(path)) {
                assertTrue(observer.isProducerAlive() && observer.isConsumerAlive());
            }
            assertTrue(out.offer(1, "one", idle), "an idling offer on a ring with room");
            assertEquals(2, out.claim(2, idle), "an idling claim gets the slots asked for");
            out.people(0).id(2).name("two");
            out.people(1).id(3).name("three");
            out.commit();
            assertEquals(3, in.poll(p -> seen.add(p.id() + ":" + p.name()), 10, idle), "an idling poll returns the count");
        }
        assertEquals(List.of("1:one", "2:two", "3:three"), seen);
        assertEquals(0, descriptorsOf(path), "closing the producer and the consumer closed their ring file");
        try (RingFile ring = RingFile.open(path)) {
            assertFalse(ring.isProducerAlive() || ring.isConsumerAlive(), "both roles were given back");
            assertEquals(3, ring.head());
        }
    }

    @Test
    void idlingCallsGiveUpWhenTheThreadIsInterrupted() throws IOException {
        RingFile.create(path, People.spec(1)).close();
        try (PeopleProducer out = PeopleProducer.open(path); PeopleConsumer in = PeopleConsumer.open(path)) {
            Thread.currentThread().interrupt();
            try {
                assertEquals(0, in.poll(p -> { }, 1, idle), "nothing to poll: gives up, returns 0");
                assertTrue(out.offer(1, "fills the ring", idle), "room: no idling needed");
                assertFalse(out.offer(2, "no room", idle), "full: gives up, returns false");
                assertEquals(0, out.claim(1, idle), "full: gives up, returns 0");
            } finally {
                Thread.interrupted();
            }
            assertEquals(1, in.poll(p -> assertEquals(1, p.id()), 1), "the refused offer wrote nothing");
        }
    }

    /** How many of this process's file descriptors refer to {@code file} (Linux: /proc/self/fd). */
    private static long descriptorsOf(Path file) throws IOException {
        final Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false; // the descriptor of the listing itself, closed meanwhile
                }
            }).count();
        }
    }
}
