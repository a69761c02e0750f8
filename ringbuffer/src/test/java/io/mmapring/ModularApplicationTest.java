package io.mmapring;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library is the named module {@code io.mmapring}: a small modular application that requires only it
 * (Agrona comes in through {@code requires transitive}: the app uses {@code IdleStrategy} without naming
 * Agrona) compiles and runs on the module path, on whatever JDK runs the tests (CI: 17 and 25).
 */
class ModularApplicationTest {
    @TempDir
    Path work;

    @Test
    void aModularApplicationRequiringIoMmapringCompilesAndRunsOnTheModulePath() throws Exception {
        final Path source = Files.createDirectories(work.resolve("src/demo.app/demo/app"));
        Files.writeString(work.resolve("src/demo.app/module-info.java"), "module demo.app { requires io.mmapring; }\n");
        Files.writeString(source.resolve("Main.java"), String.join("\n",
            "package demo.app;",
            "import io.mmapring.*;",
            "import java.nio.file.Path;",
            "public final class Main {",
            "    public static void main(String[] args) throws Exception {",
            "        Path path = Path.of(args[0]);",
            "        org.agrona.concurrent.IdleStrategy idle = new org.agrona.concurrent.BusySpinIdleStrategy();",
            "        try (RingFile ring = RingFile.create(path, People.spec(8));",
            "             PeopleProducer out = new PeopleProducer(ring.producer());",
            "             PeopleConsumer in = new PeopleConsumer(ring.consumer())) {",
            "            out.offer(253, \"helloworld\", idle);",
            "            in.poll(p -> System.out.println(\"module \" + Main.class.getModule().getName() + \" read \" + p.id() + \" \" + p.name()",
            "                + \" from module \" + RingFile.class.getModule().getName()), 1, idle);",
            "        } finally {",
            "            java.nio.file.Files.deleteIfExists(path);",
            "        }",
            "    }",
            "}", ""));
        final String modulePath = String.join(File.pathSeparator, locationOf(RingFile.class), locationOf(IdleStrategy.class));
        final Path classes = work.resolve("classes");
        final String home = System.getProperty("java.home");
        final String compiled = run(home + "/bin/javac", "-d", classes.toString(), "--module-path", modulePath,
            "--module-source-path", work.resolve("src").toString(), "--module", "demo.app", "-Xlint:all", "-Werror");
        assertEquals("", compiled, "javac of the modular app says nothing");

        final Path ring = TestRings.newPath("modular");
        final String output = run(home + "/bin/java", "--module-path", modulePath + File.pathSeparator + classes,
            "--module", "demo.app/demo.app.Main", ring.toString());
        assertEquals("module demo.app read 253 helloworld from module io.mmapring\n", output);
    }

    /** Runs a JDK tool; returns its output (stdout and stderr), failing on a non-zero exit. */
    private static String run(String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static String locationOf(Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
