package io.mmapring.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Partner} JVM started by a benchmark: same java, same class path (the benchmark jar), its
 * output in a file, its standard input a pipe whose closing is the stop signal. Always bounded:
 * {@link #awaitReady} and {@link #stop} time out and destroy the process.
 */
final class PartnerProcess {
    private static final long READY_TIMEOUT_MS = 30_000;
    private static final long STOP_TIMEOUT_MS = 15_000;
    /**
     * System property of the benchmark JVM: extra JVM options for every partner, separated by spaces
     * (for profiling the consumer side, e.g. an async-profiler {@code -agentpath:...}). Empty by default.
     */
    static final String PARTNER_JVM_ARGS_PROPERTY = "mmapring.jmh.partnerJvmArgs";

    private final Process process;
    private final Path output;

    private PartnerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code Partner args...}, with {@code jvmArgs} (the Agrona flag, or nothing), its output in {@code output}. */
    static PartnerProcess start(Path output, List<String> jvmArgs, String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmArgs);
        final String extra = System.getProperty(PARTNER_JVM_ARGS_PROPERTY, "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Partner.class.getName());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        return new PartnerProcess(process, output);
    }

    Process process() {
        return process;
    }

    /** Waits until the partner has printed {@link Partner#READY}; destroys it and throws if it dies or times out. */
    void awaitReady() throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (!output().contains(Partner.READY)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("partner exited with " + process.exitValue() + " before it was ready: " + output());
            }
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new IllegalStateException("partner not ready after " + READY_TIMEOUT_MS + " ms: " + output());
            }
            Thread.sleep(5);
        }
    }

    /** Closes the partner's standard input (stop), waits for it, and returns its output; destroys it on timeout. */
    String stop() throws IOException, InterruptedException {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("partner still running " + STOP_TIMEOUT_MS + " ms after stop: " + output());
            }
            return output();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Exit code after {@link #stop}. */
    int exitValue() {
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8).trim() : "";
    }
}
