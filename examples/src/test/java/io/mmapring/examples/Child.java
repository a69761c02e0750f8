package io.mmapring.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A child process for tests (a second JVM or a C program), named for the failure messages: a thin
 * wrapper over {@link ChildJvm}, which collects the output, bounds the wait and always destroys it.
 */
final class Child implements AutoCloseable {
    private final String name;
    private final ChildJvm process;

    private Child(String name, ChildJvm process) {
        this.name = name;
        this.process = process;
    }

    /** {@code java -cp <test class path> io.mmapring.examples.PeopleRingCli args}: the CLI as a second JVM. */
    static Child cli(String... args) throws IOException {
        return new Child("people-ring " + args[0], ChildJvm.start(args));
    }

    /** {@code java -cp <test class path> main args}: a test program of this module as a second JVM. */
    static Child java(Class<?> main, String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        return new Child(main.getSimpleName() + " " + args[0], ChildJvm.exec(command));
    }

    /** A program built from examples/c. */
    static Child c(Path program, String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(Arrays.asList(args));
        return new Child(program.getFileName().toString(), ChildJvm.exec(command));
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until the output contains {@code text}, at most {@code seconds}; fails, quoting the output,
     * if the child exits or the time passes first.
     */
    void awaitOutput(String text, double seconds) throws InterruptedException {
        final long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!output().contains(text)) {
            if (!isAlive()) {
                // it may have printed the text just before exiting
                if (!output().contains(text)) {
                    throw new AssertionError(this + " exited before printing \"" + text + "\". Its output:\n" + output());
                }
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(this + " did not print \"" + text + "\" within " + seconds + " s. Its output:\n" + output());
            }
            Thread.sleep(2);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the exit; throws, quoting the output, if it takes longer than {@code seconds}. */
    int waitFor(long seconds) throws IOException {
        return process.waitFor(seconds);
    }

    String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
