package io.mmapring.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running this program ({@link PeopleRingCli}) with the same class path: the jar when
 * started with {@code java -jar}, the build's class path under a test. Its stdout and stderr are
 * collected in the background; {@link #close()} kills it if it is still running.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Thread collector;

    private ChildJvm(Process process) {
        this.process = process;
        this.collector = new Thread(this::collect, "child-output-" + process.pid());
        this.collector.setDaemon(true);
        this.collector.start();
    }

    /** Starts {@code java -cp <our class path> io.mmapring.examples.PeopleRingCli <args>}. */
    static ChildJvm start(String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PeopleRingCli.class.getName());
        command.addAll(Arrays.asList(args));
        return exec(command);
    }

    /** Starts any program (the tests run the C programs this way), with the same collection of its output. */
    static ChildJvm exec(List<String> command) throws IOException {
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the exit, at most {@code seconds}; returns the exit code, or kills it and throws. */
    int waitFor(double seconds) throws IOException {
        try {
            if (!process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PeopleRingCli.ExampleException("child JVM " + process.pid() + " did not finish within "
                    + seconds + " s; killed it. Its output:\n" + output());
            }
            collector.join(TimeUnit.SECONDS.toMillis(5));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for child JVM " + process.pid());
        }
    }

    /** Everything the child printed so far. */
    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** A failure that quotes the child's exit and output. */
    PeopleRingCli.ExampleException died(String what) {
        try {
            collector.join(2_000); // the rest of its output
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new PeopleRingCli.ExampleException(what + " (child JVM " + process.pid() + ") exited with code "
            + process.exitValue() + ". Its output:\n" + output());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void collect() {
        final byte[] chunk = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                output.write(chunk, 0, n);
            }
        } catch (IOException ignored) {
            // the child is gone: what was read is the output
        }
    }
}
