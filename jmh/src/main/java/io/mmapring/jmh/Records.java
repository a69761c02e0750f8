package io.mmapring.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

import io.mmapring.People;
import io.mmapring.RingFile;

/**
 * What every benchmark sends, and where: the 132-byte People record ({@code char name[128]; int id;},
 * name "helloworld"), the ring sizes, the Agrona JVM flag, and scratch directories under /dev/shm.
 */
final class Records {
    /** Bytes of one message on every transport: the C {@code struct people}. */
    static final int SIZE = People.SIZE;
    /** Offset of the int32 little-endian id in a record. */
    static final int ID_OFFSET = People.ID_OFFSET;
    /** Width of the name field. */
    static final int NAME_LENGTH = People.NAME_LENGTH;
    /** Slots of the ring and of the head/tail variant (4096 x 144 bytes = 576 KiB of slots). */
    static final int RING_CAPACITY = 4096;
    /**
     * Bytes of Agrona's ring (a power of two): 512 KiB holds 3640 People, the power of two nearest to
     * the ring's 576 KiB of slots. Each Agrona record is 8 bytes of header + 132, aligned to 144.
     */
    static final int AGRONA_CAPACITY = 512 * 1024;
    /** Records per claim in the batch variants. */
    static final int BATCH = 32;
    /** Most records handed over by one poll. */
    static final int POLL_LIMIT = 256;
    /** Agrona 2.x reaches jdk.internal.misc.Unsafe: only its JVMs get this flag; the ring needs none. */
    static final String AGRONA_OPENS = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";

    private Records() {
    }

    /** The 128-byte name field of every message: "helloworld", NUL-padded. */
    static byte[] nameField() {
        final byte[] field = new byte[NAME_LENGTH];
        People.encodeName("helloworld", field);
        return field;
    }

    /** Creates an empty People ring file of {@link #RING_CAPACITY} slots with the library, and closes it. */
    static void createRing(Path path) throws IOException {
        RingFile.create(path, People.spec(RING_CAPACITY)).close();
    }

    /** A new, empty, owner-only directory for one trial's files; /dev/shm when it exists. */
    static Path scratchDirectory(String prefix) throws IOException {
        final Path shm = Paths.get("/dev/shm");
        final Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Paths.get(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(parent, "mmapring-jmh-" + prefix + "-" + ProcessHandle.current().pid() + "-");
    }

    /** Deletes a scratch directory and everything in it; quiet about files already gone. */
    static void deleteRecursively(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
