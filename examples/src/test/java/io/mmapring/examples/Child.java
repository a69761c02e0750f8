package io.mmapring.examples;

import java.io.IOException;
import java.nio.file.Path;
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

    /** A program built from examples/c. */
    static Child c(Path program, String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(Arrays.asList(args));
        return new Child(program.getFileName().toString(), ChildJvm.exec(command));
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
