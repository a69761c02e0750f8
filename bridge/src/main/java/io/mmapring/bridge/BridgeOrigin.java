package io.mmapring.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The receiving bridge's one piece of state outside its ring: the origin, the sending-ring position
 * of the receiving ring's position 0. Written once, atomically (temporary file, force, rename), before
 * the first record is committed, and never changed; from then on the next sending position the
 * receiver expects is {@code origin + receiving ring's producer position}, so that position lives in
 * the ring itself and survives any crash of the bridge.
 *
 * <p>Format: one line of text, {@code mmapring-bridge-origin 1 <origin>}.
 */
final class BridgeOrigin {
    private static final String MAGIC = "mmapring-bridge-origin";
    private static final String VERSION = "1";

    private BridgeOrigin() {
    }

    /** The file kept beside a receiving ring. */
    static Path beside(Path ring) {
        return ring.resolveSibling(ring.getFileName() + ".bridge-origin");
    }

    /** Reads the origin; empty if the file does not exist. A malformed file is an error naming the file and the field. */
    static OptionalLong read(Path file) throws IOException {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        final String[] fields = text.split(" ");
        if (fields.length != 3 || !MAGIC.equals(fields[0])) {
            throw new IOException("bridge origin file " + file + ": not an origin file (expected '" + MAGIC
                + " " + VERSION + " <origin>', found '" + text + "')");
        }
        if (!VERSION.equals(fields[1])) {
            throw new IOException("bridge origin file " + file + ": version " + fields[1] + " (expected " + VERSION + ")");
        }
        final long origin;
        try {
            origin = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            throw new IOException("bridge origin file " + file + ": origin '" + fields[2] + "' is not an integer", e);
        }
        if (origin < 0) {
            throw new IOException("bridge origin file " + file + ": origin " + origin + " is negative");
        }
        return OptionalLong.of(origin);
    }

    /** Writes the origin atomically and durably: a reader sees the old file or the whole new one. */
    static void write(Path file, long origin) throws IOException {
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        final byte[] bytes = (MAGIC + " " + VERSION + " " + origin + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(bytes));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
