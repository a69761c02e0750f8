package io.mmapring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What this process holds, from /proc/self: memory mappings and open file descriptors. */
final class Resources {
    private Resources() {
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/maps"));
    }

    /** Lines of /proc/self/maps: one per mapping. */
    static long mappings() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        }
    }

    /** Mappings of one file, by its path as /proc/self/maps prints it. */
    static long mappingsOf(Path file) throws IOException {
        final String name = file.toAbsolutePath().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(line -> line.endsWith(name) || line.endsWith(name + " (deleted)")).count();
        }
    }

    /** Entries of /proc/self/fd: open descriptors. */
    static long descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    static String describe() throws IOException {
        return "maps " + mappings() + " fds " + descriptors();
    }
}
