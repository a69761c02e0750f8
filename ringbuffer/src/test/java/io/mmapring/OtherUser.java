package io.mmapring;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs a {@link ChildProcess} JVM as the unprivileged user {@code nobody} ({@code setpriv}), for the tests
 * of what a user who may only read a ring can do. Needs root; the tests that use it are skipped, saying
 * why, elsewhere. Jars that {@code nobody} cannot read (the local Maven repository is root-only) are
 * copied to a world-readable directory first.
 */
final class OtherUser {
    private OtherUser() {
    }

    /** Skips the calling test unless this process may switch to another user. */
    static void assumeAvailable() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
            "needs root and setpriv to run a child as another user");
    }

    /** Runs {@code ChildProcess args} as nobody; returns what it printed (stdout and stderr). */
    static String run(Path scratch, String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
            "--clear-groups", "--", System.getProperty("java.home") + "/bin/java", "-cp", readableClassPath(scratch),
            ChildProcess.class.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child as nobody did not finish: " + command);
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Runs a command as this (root) process, e.g. {@code mount}; returns its exit code, -1 if it hung. */
    static int runAsRoot(String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    private static String readableClassPath(Path scratch) throws IOException {
        final Path jars = Files.createDirectories(scratch.resolve("classpath"));
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(jars, PosixFilePermissions.fromString("rwxr-xr-x"));
        final List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            final Path source = Path.of(entry);
            if (Files.isRegularFile(source)) {
                final Path copy = jars.resolve((n++) + "-" + source.getFileName());
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(copy.toString());
            } else {
                entries.add(entry); // target/classes and target/test-classes under a world-readable checkout
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
