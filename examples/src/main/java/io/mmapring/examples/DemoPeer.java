package io.mmapring.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's second JVM ({@code people-ring demo receive} or {@code demo echo}, same class path), with
 * its standard input open to this process (the pipe transport writes People into it) and its output
 * read line by line as it comes, so that this JVM learns at once that the peer is ready or has checked
 * the last People. {@link #close()} kills it if it is still running.
 */
final class DemoPeer implements AutoCloseable {
    /** Queued after the peer's last line: its output has ended. */
    private static final String END = new String("end of output");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer();

    private volatile boolean killed;

    private DemoPeer(Process process, double timeoutSeconds) {
        this.process = process;
        final Thread collector = new Thread(this::collect, "demo-peer-output-" + process.pid());
        collector.setDaemon(true);
        collector.start();
        final Thread watchdog = new Thread(() -> killAfter(timeoutSeconds), "demo-peer-watchdog-" + process.pid());
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Starts {@code java -cp <our class path> io.mmapring.examples.PeopleRingCli demo <args>}, and kills it
     * after {@code timeoutSeconds} if it is still running (a blocked write to it then fails at once).
     */
    static DemoPeer start(double timeoutSeconds, String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PeopleRingCli.class.getName());
        command.add("demo");
        command.addAll(Arrays.asList(args));
        return new DemoPeer(new ProcessBuilder(command).redirectErrorStream(true).start(), timeoutSeconds);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The peer's standard input: a pipe. */
    OutputStream input() {
        return process.getOutputStream();
    }

    /**
     * Waits, at most {@code seconds}, for the next output line that starts with {@code prefix} and
     * returns it; other lines are kept for error messages. Throws, quoting the output, if the peer
     * ends its output first or the time runs out.
     */
    String awaitLine(String prefix, double seconds) throws IOException {
        final long deadline = System.nanoTime() + (long) (seconds * 1e9);
        try {
            while (true) {
                final String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new PeopleRingCli.ExampleException("the demo's peer JVM (pid " + pid() + ") printed no \""
                        + prefix + "\" line within " + seconds + " s. Its output:\n" + transcript);
                }
                if (line == END) {
                    lines.add(END);
                    throw died("ended its output before a \"" + prefix + "\" line");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the demo's peer JVM " + pid());
        }
    }

    /** A failure that names the peer and quotes its exit code (if it has exited) and its output. */
    PeopleRingCli.ExampleException died(String what) {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new PeopleRingCli.ExampleException("the demo's peer JVM (pid " + pid() + ") " + what
            + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")")
            + (killed ? " (killed after the demo's --timeout)" : "") + ". Its output:\n" + transcript);
    }

    /** Waits for the exit, at most {@code seconds}; returns the exit code, or kills it and throws. */
    int waitFor(double seconds) throws IOException {
        try {
            if (!process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw died("did not exit within " + seconds + " s; killed it");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the demo's peer JVM " + pid());
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // end of the pipe: a receiver still reading sees end of stream
        } catch (IOException ignored) {
            // already gone
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void killAfter(double seconds) {
        try {
            if (!process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
                killed = true;
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                transcript.append(line).append('\n');
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the peer is gone: what was read is its output
        } finally {
            lines.add(END);
        }
    }
}
