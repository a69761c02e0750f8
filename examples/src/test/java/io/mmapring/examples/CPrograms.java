package io.mmapring.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builds examples/c with the machine's {@code make} and {@code cc} into target/c, once per test JVM. */
final class CPrograms {
    private static Path built;

    private CPrograms() {
    }

    static synchronized Path build() throws IOException, InterruptedException {
        if (built == null) {
            final Path base = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();
            final Path source = base.resolve("c");
            final Path out = base.resolve("target").resolve("c");
            final Process make = new ProcessBuilder("make", "-C", source.toString(), "BUILD=" + out,
                "CFLAGS=-O2 -Wall -Wextra -Werror -std=c11")
                .redirectErrorStream(true).start();
            final byte[] log = make.getInputStream().readAllBytes();
            assertTrue(make.waitFor(120, TimeUnit.SECONDS), "make did not finish within 120 s");
            assertEquals(0, make.exitValue(), () -> "make -C " + source + " failed (needs make and cc):\n"
                + new String(log, StandardCharsets.UTF_8));
            built = out;
        }
        return built;
    }

    static Path program(String name) throws IOException, InterruptedException {
        return build().resolve(name);
    }

    /** A test-only program, src/test/c/NAME.c, compiled against examples/c/mmapring.h into target/c. */
    static synchronized Path testProgram(String name) throws IOException, InterruptedException {
        final Path base = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();
        final Path out = build().resolve(name);
        final Path source = base.resolve("src").resolve("test").resolve("c").resolve(name + ".c");
        final Process cc = new ProcessBuilder("cc", "-O2", "-Wall", "-Wextra", "-Werror", "-std=c11",
            "-I", base.resolve("c").toString(), "-o", out.toString(), source.toString())
            .redirectErrorStream(true).start();
        final byte[] log = cc.getInputStream().readAllBytes();
        assertTrue(cc.waitFor(120, TimeUnit.SECONDS), "cc did not finish within 120 s");
        assertEquals(0, cc.exitValue(), () -> "cc " + source + " failed:\n" + new String(log, StandardCharsets.UTF_8));
        return out;
    }
}
