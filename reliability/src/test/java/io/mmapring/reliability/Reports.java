package io.mmapring.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Seeds, run lengths and the figures each test writes to {@code reliability/target/} for the docs. */
final class Reports {
    private Reports() {
    }

    /** The seed of a run: {@code -Dreliability.seed}, else a fresh one (printed by every test that uses it). */
    static long seed(String test) {
        final String property = System.getProperty("reliability.seed", "");
        final long seed = property.isBlank() ? System.nanoTime() ^ Instant.now().toEpochMilli() : Long.parseLong(property.trim());
        System.out.println("[" + test + "] seed " + seed + " (rerun with -Dreliability.seed=" + seed + ")");
        return seed;
    }

    static int intProperty(String name, int defaultValue) {
        final String value = System.getProperty(name, "");
        return value.isBlank() ? defaultValue : Integer.parseInt(value.trim());
    }

    /** Prints the figures and writes them as {@code <name>.properties} in the report directory. */
    static void write(String name, Map<String, ?> figures) throws IOException {
        final StringBuilder text = new StringBuilder();
        text.append("# ").append(name).append(", ").append(Instant.now()).append(", java ")
            .append(System.getProperty("java.version")).append('\n');
        figures.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        System.out.print("[" + name + "]\n" + text);
        final Path dir = Path.of(System.getProperty("reliability.reportDir", "target"));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".properties"), text, StandardCharsets.UTF_8);
    }

    /** A fresh directory under /dev/shm (or the temp dir) for one test's ring files. */
    static Path scratchDir(String test) throws IOException {
        final Path shm = Path.of("/dev/shm");
        final Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(parent, "reliability-" + test + "-" + ProcessHandle.current().pid() + "-");
    }

    /** Deletes a scratch directory and everything in it (best effort, never throws). */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
