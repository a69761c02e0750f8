package io.mmapring.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.mmapring.People;
import io.mmapring.RingFile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad command line exits with 2 (examples/README.md) whether picocli or the command refuses the value,
 * and the message names the option, the value and what is wrong; an option is never silently ignored; a
 * FIFO is refused at once instead of blocking; {@code read --timeout} bounds the wait for the ring file.
 */
class OptionErrorsTest {
    private final Path ring = PeopleRingCli.defaultDirectory()
        .resolve("examples-options-" + ProcessHandle.current().pid() + "-" + System.nanoTime());

    @AfterEach
    void deleteRing() throws IOException {
        Files.deleteIfExists(ring);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "write --count -5                 | --count -5 is negative",
        "write --batch 0                  | --batch 0 must be at least 1",
        "write --rate NaN                 | --rate NaN is not a number",
        "write --rate -10                 | --rate -10.0 is negative",
        "write --wait -1                  | --wait -1.0 must be positive",
        "write --capacity -4              | --capacity -4: ",
        "write --capacity 16777216        | --capacity 16777216: file length 2415919488 for capacity 16777216",
        "read --count -1                  | --count -1 is negative",
        "read --timeout -1                | --timeout -1.0 is negative",
        "read --wait NaN                  | --wait NaN is not a number of seconds",
        "inspect --wait NaN               | --wait NaN is not a number of seconds",
        "inspect --wait 1e300             | --wait 1.0E300 is too long (at most 9223372036 s, about 292 years)",
        "inspect --samples -3             | --samples -3 is negative",
    })
    void aValueTheCommandRefusesIsABadCommandLineNamingTheOptionAndTheValue(String line, String message) {
        final String[] words = (line.trim() + " --ring " + ring).split("\\s+");
        final String[] args = words[0].equals("inspect") ? inspectArgs(words) : words;
        final CliRun run = new CliRun(args);
        assertEquals(PeopleRingCli.USAGE, run.code, run::toString);
        assertTrue(run.err.contains(words[0] + ": error: " + message.trim()), run::toString);
        assertTrue(Files.notExists(ring), "nothing is created for a refused command line");
    }

    /** inspect takes the ring as a parameter, not as --ring. */
    private static String[] inspectArgs(String[] words) {
        final String[] args = new String[words.length - 1];
        System.arraycopy(words, 0, args, 0, words.length - 2);
        args[args.length - 1] = words[words.length - 1];
        return args;
    }

    @Test
    void writeRefusesACapacityThatDiffersFromTheExistingRingsAndLeavesItUnchanged() throws IOException {
        RingFile.create(ring, People.spec(1)).close();
        final byte[] before = Files.readAllBytes(ring);
        final CliRun run = new CliRun("write", "--ring", ring.toString(), "--capacity", "4096", "--count", "1");
        assertEquals(PeopleRingCli.USAGE, run.code, run::toString);
        assertTrue(run.err.contains("write: error: --capacity 4096: ring " + ring + " exists with capacity 1; leave out"
            + " --capacity to write to it, or add --replace to create it anew"), run::toString);
        assertArrayEquals(before, Files.readAllBytes(ring));
        final CliRun same = new CliRun("write", "--ring", ring.toString(), "--capacity", "1", "--count", "1", "--quiet");
        assertEquals(PeopleRingCli.OK, same.code, same::toString);
    }

    @Test
    void readTimeoutBoundsTheWaitForTheRingFile() {
        final long start = System.nanoTime();
        final CliRun run = new CliRun("read", "--ring", ring.toString(), "--wait", "30", "--timeout", "0.5");
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(PeopleRingCli.FAILED, run.code, run::toString);
        assertTrue(run.err.contains("ring " + ring + ": no such file after waiting"), run::toString);
        assertTrue(millis < 10_000, "read --wait 30 --timeout 0.5 took " + millis + " ms");
    }

    @Test
    void inspectRefusesAFifoAtOnceNamingIt() throws Exception {
        final Process mkfifo = new ProcessBuilder("mkfifo", ring.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        final CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new CliRun("inspect", "--wait", "1", ring.toString()));
        assertEquals(PeopleRingCli.FAILED, run.code, run::toString);
        assertTrue(run.err.contains("ring " + ring + ": not a regular file (a FIFO, socket or device): not a ring file"), run::toString);
    }

    @Test
    void anIntervalOfAnHourIsAccepted() {
        assertEquals(Duration.ofHours(1), new InspectCommand.IntervalConverter().convert("1h"));
        assertEquals("'2h' is outside 10ms..1h", assertThrows(CommandLine.TypeConversionException.class,
            () -> new InspectCommand.IntervalConverter().convert("2h")).getMessage());
    }
}
