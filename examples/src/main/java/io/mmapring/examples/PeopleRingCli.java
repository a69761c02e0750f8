package io.mmapring.examples;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

import io.mmapring.RingFormatException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar people-ring.jar <command>}: the seed's writer and reader done right, a demo that
 * moves a million People between two JVMs, a ping-pong latency probe and a ring inspector.
 *
 * <p>Exit codes: 0 success; 1 failure (a verification that found lost, duplicate or garbled People,
 * a refused ring file, a timeout, a dead peer); 2 bad command line.
 */
@Command(name = "people-ring", mixinStandardHelpOptions = true, version = "people-ring 0.2.0",
    description = "People records through a lock-free ring in a memory-mapped file.",
    subcommands = {WriteCommand.class, ReadCommand.class, DemoCommand.class, PingPongCommand.class,
        PongCommand.class, InspectCommand.class, CommandLine.HelpCommand.class})
public final class PeopleRingCli implements Runnable {
    /** Success. */
    static final int OK = 0;
    /** A run that failed: verification, refused file, timeout, dead peer. */
    static final int FAILED = 1;
    /** Bad command line (picocli's own code). */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // buffered, not auto-flushed: `read` prints a line per People; commands flush at their milestones
        final PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
        System.exit(execute(args, out, new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
    }

    /** Runs one command line with the given streams and returns its exit code (tests call this in-process). */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        final CommandLine cli = new CommandLine(new PeopleRingCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandName() + ": error: " + describe(e));
            if (!isExpected(e)) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            // a value the command refused after parsing ("--count -5 is negative") is a bad command line too
            return isOptionError(e) ? USAGE : FAILED;
        });
        final int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Whether {@code e} is a command's refusal of an option's value: its message starts with the option's name. */
    static boolean isOptionError(Throwable e) {
        return e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).startsWith("--");
    }

    /**
     * Checks a duration option given in seconds: a number, at least {@code min} (0, or above 0 when
     * {@code positive}), and at most about 292 years (what fits in nanoseconds).
     *
     * @throws IllegalArgumentException naming the option, the value and what is wrong with it
     */
    static void checkSeconds(String option, double seconds, boolean positive) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException(option + " " + seconds + " is not a number of seconds");
        }
        if (seconds < 0 || positive && seconds == 0) {
            throw new IllegalArgumentException(option + " " + seconds + (positive ? " must be positive" : " is negative"));
        }
        if (seconds > Long.MAX_VALUE / 1e9) {
            throw new IllegalArgumentException(option + " " + seconds + " is too long (at most " + (long) (Long.MAX_VALUE / 1e9)
                + " s, about 292 years)");
        }
    }

    @Override
    public void run() {
        // picocli prints this message and the usage, and exits with USAGE
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Default directory for ring files: /dev/shm where it exists (no disk I/O), else java.io.tmpdir. */
    static Path defaultDirectory() {
        final File shm = new File("/dev/shm");
        if (shm.isDirectory() && shm.canWrite()) {
            return shm.toPath();
        }
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /** The ring {@code write} and {@code read} use when none is given. */
    static Path defaultRing() {
        return defaultDirectory().resolve("people-ring");
    }

    /** How a thread waits when there is nothing to do (ring empty, or full). */
    enum Idle {
        /** Busy-spin ({@code Thread.onSpinWait}): lowest latency, burns a core. */
        SPIN,
        /** {@code Thread.yield()}: lets other threads run; the right choice when cores are scarce. */
        YIELD,
        /** Spin, then yield, then park with growing sleeps (1 us to 1 ms): cheap when idle for long. */
        BACKOFF;

        IdleStrategy strategy() {
            switch (this) {
                case SPIN:
                    return new BusySpinIdleStrategy();
                case YIELD:
                    return new YieldingIdleStrategy();
                default:
                    return new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
            }
        }
    }

    /** Deletes a file this program created, ignoring a file already gone. */
    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a leftover file under /dev/shm is harmless and named after our pid
        }
    }

    private static boolean isExpected(Exception e) {
        return e instanceof IOException || e instanceof RingFormatException || e instanceof IllegalStateException
            || e instanceof IllegalArgumentException || e instanceof ExampleException;
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        if (e instanceof FileAlreadyExistsException) {
            final FileAlreadyExistsException exists = (FileAlreadyExistsException) e;
            return exists.getFile() + ": " + (exists.getReason() == null ? "file already exists" : exists.getReason());
        }
        return e.getMessage();
    }

    /** A failure with a message for the user, and no stack trace. */
    static final class ExampleException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExampleException(String message) {
            super(message);
        }
    }
}
