package io.mmapring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicLong;

/** Test helpers: unique ring paths under /dev/shm (or the temp dir), and the names tests write. */
final class TestRings {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Path DIR = Files.isDirectory(Paths.get("/dev/shm"))
        ? Paths.get("/dev/shm") : Paths.get(System.getProperty("java.io.tmpdir"));

    private TestRings() {
    }

    /** A path that does not exist yet; the caller deletes it. */
    static Path newPath(String what) {
        return DIR.resolve("mmapring-test-" + what + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
    }

    static void delete(Path path) throws IOException {
        if (path != null) {
            Files.deleteIfExists(path);
        }
    }

    /** The name every test writes for an id: the id is in it, and some names are multi-byte UTF-8. */
    static CharSequence nameOf(long id, StringBuilder sb) {
        sb.setLength(0);
        sb.append("people-").append(id);
        if (id % 7 == 0) {
            sb.append("-\u017elu\u0165ou\u010dk\u00fd-\uD83D\uDE00");
        }
        return sb;
    }
}
