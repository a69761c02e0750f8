package io.mmapring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real second JVM, started from this JVM's java.home and class path, with no JVM flags. */
final class Jvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();

    private Jvm(Process process) {
        this.process = process;
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    synchronized (all) {
                        all.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process died: what it printed so far is in lines
            }
        }, "jvm-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code ChildProcess} with the given arguments; stderr is merged into stdout. */
    static Jvm start(String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildProcess.class.getName());
        command.addAll(List.of(args));
        return new Jvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for a line starting with {@code prefix}; returns it, or fails with everything printed so far. */
    String await(String prefix, long timeoutMillis) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            final long left = deadline - System.currentTimeMillis();
            final String line = left > 0 ? lines.poll(left, TimeUnit.MILLISECONDS) : null;
            if (line == null) {
                throw new AssertionError("no line '" + prefix + "' from child within " + timeoutMillis + " ms; alive="
                    + process.isAlive() + "; output: " + output());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Waits for exit; returns the exit code, or fails with the output after the timeout. */
    int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not exit within " + timeoutMillis + " ms; output: " + output());
        }
        return process.exitValue();
    }

    /** kill -9. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        synchronized (all) {
            return String.join("\n", all);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
