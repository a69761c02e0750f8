package io.mmapring.bridge;

import java.nio.file.Path;
import java.time.Duration;

import io.mmapring.People;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line, run as the user runs it: a separate JVM with the bridge's flags. */
@Timeout(120)
class BridgeCommandLineTest {
    private BridgeFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new BridgeFixture("cli");
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private BridgeProcess run(String name, String... args) throws Exception {
        return BridgeProcess.start(name, fixture.dir.resolve(name + ".log"), args);
    }

    @Test
    void helpListsTheCommands() throws Exception {
        final BridgeProcess help = run("help", "--help");
        assertEquals(0, help.awaitExit(Duration.ofSeconds(60)));
        final String out = help.output();
        for (String command : new String[] {"send", "receive", "driver", "echo", "latency"}) {
            assertTrue(out.contains(command), out);
        }
    }

    @Test
    void sendingAMissingRingFailsNamingTheFile() throws Exception {
        final Path missing = fixture.dir.resolve("no-such-ring");
        final BridgeProcess send = run("send-missing", "send", "--ring", missing.toString());
        assertNotEquals(0, send.awaitExit(Duration.ofSeconds(60)));
        assertTrue(send.output().contains(missing.toString()), send.output());
    }

    @Test
    void receivingIntoAFilledRingWithoutItsOriginFileIsRefused() throws Exception {
        try (RingFile ring = RingFile.create(fixture.receivingRing, People.spec(64));
             PeopleProducer out = new PeopleProducer(ring.producer())) {
            out.offer(1, "already here");
        }
        final BridgeProcess receive = run("receive-filled", "receive", "--ring", fixture.receivingRing.toString(),
            "--driver-dir", fixture.dir.resolve("aeron-filled").toString());
        assertNotEquals(0, receive.awaitExit(Duration.ofSeconds(60)));
        final String out = receive.output();
        assertTrue(out.contains("holds 1 records but has no bridge origin file "
            + BridgeOrigin.beside(fixture.receivingRing)), out);
    }
}
