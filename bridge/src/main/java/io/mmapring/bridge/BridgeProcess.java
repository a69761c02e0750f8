package io.mmapring.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code bridge} command run as a separate JVM (the same {@code java} and class path as this one),
 * with the flags Aeron and Agrona need given to that JVM only, and its output in a log file.
 * Used by {@code bridge latency} and by the tests.
 */
final class BridgeProcess implements AutoCloseable {
    /**
     * The JVM flags a bridge process needs: Agrona 2.x reads {@code jdk.internal.misc.Unsafe}. Overridable
     * with the system property {@code bridge.jvm.flags} (space-separated). The ring library needs none.
     */
    static final String DEFAULT_JVM_FLAGS = "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Keep a child small: one GC thread, modest heap; there are two cores for everything. */
    static final List<String> RESOURCE_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:-UsePerfData");

    private final String name;
    private final Process process;
    private final Path log;

    private BridgeProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The flags given to every bridge JVM. */
    static List<String> jvmFlags() {
        final String flags = System.getProperty("bridge.jvm.flags", DEFAULT_JVM_FLAGS).trim();
        final List<String> all = new ArrayList<>(RESOURCE_FLAGS);
        if (!flags.isEmpty()) {
            all.addAll(Arrays.asList(flags.split("\\s+")));
        }
        return all;
    }

    /** Starts {@code bridge <args>} in a new JVM; its stdout and stderr go to {@code log}. */
    static BridgeProcess start(String name, Path log, String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BridgeMain.class.getName());
        command.addAll(Arrays.asList(args));
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
        process.getOutputStream().close();
        return new BridgeProcess(name, process, log);
    }

    /** Waits until the process prints its "ready" line; fails with its log if it exits or the timeout passes. */
    BridgeProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(" ready")) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready:\n" + output());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + output());
    }

    /** Everything the process has printed so far. */
    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    /** Waits for the process to exit by itself and returns its exit code; SIGKILLs it and fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException(name + " still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL, and wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM (a clean stop), then SIGKILL if it has not exited within {@code grace}. Returns the exit code. */
    int stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Stops the process if it still runs (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                stop(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
