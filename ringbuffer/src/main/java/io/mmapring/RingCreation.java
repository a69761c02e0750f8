package io.mmapring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.DATA_OFFSET_OFFSET;
import static io.mmapring.RingLayout.MAGIC;
import static io.mmapring.RingLayout.MAGIC_OFFSET;
import static io.mmapring.RingLayout.VERSION;
import static io.mmapring.RingLayout.VERSION_OFFSET;

/**
 * Makes a new ring file so that its path is always either absent or a whole ring, even if the creating
 * process dies half-way (the file side of {@link RingFile#create(Path, RingSpec, Set, boolean)}, which
 * then opens the result): the ring is written under a temporary name in the same directory
 * ({@code .<name>.creating-<pid>-<random>}), full length in zeros, then the header with the magic last,
 * and is then linked to its path (which fails if the path exists) or renamed over it. Temporary files of
 * creators that died are removed first. Not thread-safe per path; every method blocks on file I/O.
 */
final class RingCreation {
    private static final int ZERO_CHUNK = 1 << 20;
    private static final String CREATING = ".creating-";

    private RingCreation() {
    }

    /**
     * Makes the ring file at {@code path}; on any failure nothing is left behind.
     *
     * @return the file key ({@link RingChannels#keyOf}) of the file made, so that the caller can tell it from
     *         a file another creator put at the path right after
     * @throws FileAlreadyExistsException if {@code path} exists and {@code replace} is false
     * @throws InterruptedIOException     if the thread was interrupted while writing the file
     * @throws IOException                if the file cannot be created, allocated or moved into place
     */
    static Object make(Path path, RingSpec spec, Set<PosixFilePermission> permissions, boolean replace) throws IOException {
        final Path absolute = path.toAbsolutePath();
        final Path directory = absolute.getParent();
        final String fileName = absolute.getFileName().toString();
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(path.toString(), null, "cannot create the ring: directory " + directory
                + (Files.exists(directory) ? " is not a directory" : " does not exist"));
        }
        removeDeadCreatorsFiles(directory, fileName);
        final Path temporary = directory.resolve("." + fileName + CREATING + ProcessHandle.current().pid() + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        final boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
        final FileAttribute<?>[] attributes = posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
            : new FileAttribute<?>[0];
        // this channel is private (not in the registry) and no lock is ever taken through it: closing it is harmless
        try (FileChannel channel = FileChannel.open(temporary, EnumSet.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE), attributes)) {
            if (posix) {
                Files.setPosixFilePermissions(temporary, permissions); // the umask may have cleared bits asked for
            }
            allocate(path, directory, channel, spec.fileLength());
            writeHeader(channel, spec);
            final Object created = RingChannels.keyOf(temporary);
            moveIntoPlace(temporary, path, replace);
            return created;
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof ClosedByInterruptException) {
                final InterruptedIOException interrupted = new InterruptedIOException("ring " + path + ": interrupted while creating it");
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        }
    }

    /** Writes zeros over the whole length, so the file system allocates every page now; retries once after a GC hint. */
    private static void allocate(Path path, Path directory, FileChannel channel, int length) throws IOException {
        try {
            writeZeros(channel, length);
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException first) {
            if (!RingMapping.unmapsOnClose()) {
                // Java 17-21: deleted rings keep their space while their mappings wait for a GC; ask for one,
                // then give the cleaners up to 200 ms to unmap them
                System.gc();
                for (int wait = 0; wait < 40; wait++) {
                    try {
                        TimeUnit.MILLISECONDS.sleep(5);
                        writeZeros(channel, length);
                        return;
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        break;
                    } catch (IOException again) {
                        if (wait == 39) {
                            first.addSuppressed(again);
                        }
                    }
                }
            }
            throw new IOException("ring " + path + ": cannot allocate " + length + " bytes (" + first.getMessage() + ")"
                + freeSpace(directory) + ". Likely causes: the file system is too small for the ring (a container's"
                + " /dev/shm is often 64 MiB: see --shm-size)"
                + (RingMapping.unmapsOnClose() ? "" : "; on Java 17-21 the space of deleted rings stays in use until their"
                    + " mappings are garbage collected (close and reuse rings, or run on Java 22+, where close() unmaps at once)"),
                first);
        }
    }

    private static void writeZeros(FileChannel channel, int length) throws IOException {
        final ByteBuffer zeros = ByteBuffer.allocateDirect(Math.min(length, ZERO_CHUNK));
        long position = 0;
        while (position < length) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), length - position));
            while (zeros.hasRemaining()) {
                position += channel.write(zeros, position);
            }
        }
    }

    private static String freeSpace(Path directory) {
        try {
            final FileStore store = Files.getFileStore(directory);
            return "; its file system has " + store.getUsableSpace() + " of " + store.getTotalSpace() + " bytes free";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Makes the finished temporary file visible at {@code path}: a hard link (fails if the path exists), or a rename over it. */
    private static void moveIntoPlace(Path temporary, Path path, boolean replace) throws IOException {
        if (replace) {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try {
            Files.createLink(path, temporary);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(path.toString(), null,
                "ring file already exists (create with replace=true to overwrite it)");
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof FileAlreadyExistsException) {
                throw e;
            }
            // no hard links here: a rename that refuses an existing target (checked, then renamed: not atomic)
            Files.move(temporary, path);
            return;
        }
        Files.delete(temporary);
    }

    /** Deletes {@code .<name>.creating-<pid>-*} files whose creating process no longer exists. Never opens them. */
    private static void removeDeadCreatorsFiles(Path directory, String fileName) {
        final String prefix = "." + fileName + CREATING;
        final long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory,
            entry -> entry.getFileName().toString().startsWith(prefix))) {
            for (Path leftover : leftovers) {
                final String rest = leftover.getFileName().toString().substring(prefix.length());
                final int dash = rest.indexOf('-');
                final long pid;
                try {
                    pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue; // not one of ours
                }
                if (pid != self && ProcessHandle.of(pid).isEmpty()) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException | DirectoryIteratorException | SecurityException e) {
            // best effort: a leftover is never mistaken for a ring, it only takes space
        }
    }

    /** Writes the header of a new file through its channel: every field, then the magic (nobody sees the file yet). */
    private static void writeHeader(FileChannel channel, RingSpec spec) throws IOException {
        final ByteBuffer fields = ByteBuffer.allocate(DATA_OFFSET_OFFSET + 8 - VERSION_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        fields.putInt(VERSION).putInt(spec.recordSize()).putInt(spec.stride()).putInt(spec.sequenceOffset())
            .putLong(spec.capacity()).putLong(DATA_OFFSET).flip();
        writeFully(channel, fields, VERSION_OFFSET);
        writeFully(channel, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, MAGIC), MAGIC_OFFSET);
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }
}
