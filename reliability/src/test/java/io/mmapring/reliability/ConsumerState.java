package io.mmapring.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a {@link ConsumerChild} had delivered when it stopped or was killed, read from its state file:
 * it started at {@code start}, delivered every position of {@code [start, end)} (the record checked),
 * and found {@code torn} records with the right id but wrong bytes and {@code misplaced} ones with the
 * wrong id (a loss, a duplicate or a reorder).
 */
record ConsumerState(long start, long end, long delivered, long torn, long misplaced) {
    static final int BYTES = 5 * Long.BYTES;

    static ConsumerState read(Path file) throws IOException {
        final byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != BYTES) {
            throw new IOException(file + ": state file of " + bytes.length + " bytes, expected " + BYTES);
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new ConsumerState(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
