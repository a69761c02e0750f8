package io.mmapring.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second process: a real JVM started with {@link ProcessBuilder}, its stdout and stderr merged and
 * collected line by line, its stdin kept open as a control channel (see {@link ChildControl}: a child
 * whose stdin closes halts, so no child outlives its parent). Every wait is bounded.
 */
final class ChildJvm implements AutoCloseable {
    /** JVM flags for the ring children: small heap, quick start. */
    static final List<String> SMALL_JVM = List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC", "-Xss512k");

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer();
    private final OutputStream stdin;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        final Thread reader = new Thread(this::pump, "child-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** The {@code java} launcher of this JVM ({@code java.home}). */
    static String thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The java launcher of another JDK home, or null if it is not installed. */
    static String javaOf(String home) {
        final Path java = Path.of(home, "bin", "java");
        return Files.isExecutable(java) ? java.toString() : null;
    }

    /** {@code java <jvmArgs> -cp <this test class path> <main> <args>} with the given launcher. */
    static List<String> javaCommand(String java, String classPath, List<String> jvmArgs, Class<?> main, String... args) {
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code main} in a new JVM of this JDK, on this test class path. */
    static ChildJvm start(String name, Class<?> main, String... args) throws IOException {
        return start(name, javaCommand(thisJava(), System.getProperty("java.class.path"), SMALL_JVM, main, args));
    }

    /** Starts any command (e.g. {@code bash -c 'ulimit -f 64; exec java ...'}). */
    static ChildJvm start(String name, List<String> command) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        return new ChildJvm(name, builder.start());
    }

    /** Waits for a stdout line that starts with {@code prefix} and returns it. */
    String await(String prefix, Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long left = deadline - System.nanoTime();
            final String line = left > 0 ? lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS) : null;
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                // give the reader a moment to drain what the dead process wrote
                Thread.sleep(50);
                if (lines.isEmpty()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing '"
                        + prefix + "'; output:\n" + transcript());
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(name + " did not print '" + prefix + "' within " + timeout + "; output:\n" + transcript());
            }
        }
    }

    /** Sends one control line to the child's stdin. */
    void send(String command) throws IOException {
        stdin.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
    }

    /** kill -9 (SIGKILL) and wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 30 s");
        }
    }

    /** Waits for the process to exit; kills it and fails if it does not within {@code timeout}. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException(name + " did not exit within " + timeout + "; output:\n" + transcript());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String name() {
        return name;
    }

    /** Everything the child printed so far (stdout and stderr). */
    String transcript() {
        // the reader thread appends while the process runs; a short pause lets it catch up after exit
        return transcript.toString();
    }

    /** Kills the child if it is still running (never throws: for finally blocks and @AfterEach). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                transcript.append(line).append('\n');
                lines.add(line);
            }
        } catch (IOException e) {
            transcript.append("[stdout reader: ").append(e).append("]\n");
        }
    }
}
