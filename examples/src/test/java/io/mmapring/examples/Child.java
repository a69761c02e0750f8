package io.mmapring.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** A child process for tests (a second JVM or a C program): output collected, bounded, always destroyed. */
final class Child implements AutoCloseable {
    private final String name;
    private final Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Thread collector;

    private Child(String name, Process process) {
        this.name = name;
        this.process = process;
        this.collector = new Thread(this::collect, "output-" + name);
        this.collector.setDaemon(true);
        this.collector.start();
    }

    /** {@code java -cp <test class path> io.mmapring.examples.PeopleRingCli args}: the CLI as a second JVM. */
    static Child cli(String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PeopleRingCli.class.getName());
        command.addAll(Arrays.asList(args));
        return new Child("people-ring " + args[0], new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** A program built from examples/c. */
    static Child c(Path program, String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(Arrays.asList(args));
        return new Child(program.getFileName().toString(), new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the exit; fails the test, quoting the output, if it takes longer than {@code seconds}. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(name + " did not exit within " + seconds + " s; output:\n" + output());
        }
        collector.join(5_000);
        return process.exitValue();
    }

    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    private void collect() {
        final byte[] chunk = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                output.write(chunk, 0, n);
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }
}
