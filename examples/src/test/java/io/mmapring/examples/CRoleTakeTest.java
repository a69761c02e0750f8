package io.mmapring.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import io.mmapring.People;
import io.mmapring.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Role takes across processes (issue 14 items 1 and 2, C side): a role survives any other open and
 * close of the same path in the holder's JVM, and a liveness probe never makes a role take fail.
 */
class CRoleTakeTest {
    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-roles-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    private final Path go = Paths.get(ring + ".go");
    private final Path stop = Paths.get(ring + ".stop");

    @AfterEach
    void deleteRing() throws IOException {
        Files.deleteIfExists(ring);
        Files.deleteIfExists(go);
        Files.deleteIfExists(stop);
    }

    /**
     * POSIX drops all of a process's locks on a file when any of its descriptors of that file closes. A
     * JVM holding the producer role opens the path once more, in one of the ways ordinary code does, and
     * closes it: the C writer must still be refused, and the JVM's producer must still commit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"backlog", "consumer", "interrupted", "read-only"})
    void theCWriterIsStillRefusedAfterTheHoldersJvmOpensAndClosesThePathAgain(String way) throws Exception {
        RingFile.create(ring, People.spec(64)).close();
        try (Child holder = Child.java(LifecycleChild.class, "hold-producer", ring.toString(), way)) {
            holder.awaitOutput("reopened " + way, 60);
            try (Child c = Child.c(CPrograms.program("people_writer"), "-n", "1", "-w", "5", ring.toString())) {
                assertEquals(1, c.waitFor(30), () -> "after `" + way + "` in the holder's JVM the C writer took the"
                    + " producer role: two producers.\nC writer: " + c.output() + "\nholder: " + holder.output());
                assertTrue(c.output().contains("the producer role is held by another process (pid " + holder.pid() + ")"),
                    c::output);
            }
            try (RingFile file = RingFile.open(ring)) {
                assertTrue(file.isProducerAlive(), "seen from another process, the holder's role must stay alive");
                assertEquals(1, file.producerPosition(), "only the holder published");
            }
            Files.createFile(go);
            assertEquals(0, holder.waitFor(60), holder::output);
            assertTrue(holder.output().contains("committed, producer position 2"), holder::output);
        }
    }

    /**
     * Java's isProducerAlive() takes a shared lock on the role byte for microseconds; a C writer starting
     * at that moment must not take the probe for a holder. 300 starts next to a probe loop: 0 refusals.
     */
    @Test
    void aLivenessProbeLoopNeverMakesTheCWriterRefuseTheRole() throws Exception {
        RingFile.create(ring, People.spec(64)).close();
        final Path writer = CPrograms.program("people_writer");
        final List<String> refusals = new ArrayList<>();
        final int starts = 300;
        try (Child prober = Child.java(LifecycleChild.class, "probe", ring.toString(), stop.toString())) {
            prober.awaitOutput("probing", 60);
            for (int i = 0; i < starts; i++) {
                try (Child c = Child.c(writer, "-n", "0", "-w", "5", ring.toString())) {
                    if (c.waitFor(30) != 0) {
                        refusals.add(c.output().trim());
                    }
                }
            }
            Files.createFile(stop);
            assertEquals(0, prober.waitFor(60), prober::output);
            assertTrue(prober.output().matches("(?s).*probes [1-9][0-9]*, producer alive in [0-9]+.*"), prober::output);
        }
        assertEquals(List.of(), refusals, refusals.size() + " of " + starts + " C writer starts were refused next to a"
            + " liveness probe loop");
    }
}
