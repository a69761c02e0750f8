package io.mmapring.examples;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mmapring.People;
import io.mmapring.RingLayout;

/** Test access to a ring file's bytes (to corrupt a header field on purpose) and to its directory. */
final class RingFiles {
    private RingFiles() {
    }

    /** Stores {@code value} at {@code offset} of the file through a mapping, as a corrupting process would. */
    static void putLong(Path ring, long offset, long value) throws IOException {
        try (FileChannel channel = FileChannel.open(ring, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            map.order(ByteOrder.LITTLE_ENDIAN).putLong((int) offset, value);
            map.force();
        }
    }

    static long getLong(Path ring, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(ring, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN)
                .getLong((int) offset);
        }
    }

    /** Offset of the sequence word of position {@code p} in a People ring of {@code capacity} slots. */
    static long sequenceWord(int capacity, long p) {
        return RingLayout.DATA_OFFSET + (p & (capacity - 1)) * RingLayout.stride(People.SIZE)
            + RingLayout.sequenceOffset(People.SIZE);
    }

    /** The temporary files of creators of {@code ring}: {@code .<name>.creating-<pid>-<hex>} in its directory. */
    static List<Path> creatingFiles(Path ring) throws IOException {
        final String prefix = "." + ring.getFileName() + ".creating-";
        try (Stream<Path> files = Files.list(ring.toAbsolutePath().getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).collect(Collectors.toList());
        }
    }

    /** Deletes the ring and any temporary file of its creators. */
    static void deleteWithLeftovers(Path ring) throws IOException {
        Files.deleteIfExists(ring);
        for (Path temp : creatingFiles(ring)) {
            Files.deleteIfExists(temp);
        }
    }
}
