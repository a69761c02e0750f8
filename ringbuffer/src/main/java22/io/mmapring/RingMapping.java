package io.mmapring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The memory mapping of one {@link RingFile}, Java 22+ version: the file is mapped into a shared
 * {@link Arena} ({@code FileChannel.map(mode, offset, length, arena)}, not a restricted method: no JVM
 * flag), and the producer and consumer use the segment's {@link MemorySegment#asByteBuffer() ByteBuffer}
 * view, so their code is the same as on Java 17. {@link #close()} closes the arena: the mapping is gone
 * at once, and any later access through the buffer, from any thread, throws
 * {@link IllegalStateException} (the JDK makes an access racing with the close either complete before
 * it or throw; it never touches unmapped memory).
 */
final class RingMapping {
    /** Whether {@link #close()} releases the mapping at once (here) or leaves it to the GC (Java 17-21). */
    static boolean unmapsOnClose() {
        return true; // a method, not a constant: javac would inline a constant into callers compiled against the other version
    }

    private final Arena arena;
    private final MemorySegment segment;
    private final ByteBuffer buffer;

    private RingMapping(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
        this.buffer = segment.asByteBuffer();
    }

    /** Maps {@code [0, length)} of the channel's file, read-only or read-write, into a new shared arena ({@code fileKey} is unused here). */
    static RingMapping map(FileChannel channel, Object fileKey, boolean readOnly, long length) throws IOException {
        final Arena arena = Arena.ofShared();
        try {
            return new RingMapping(arena, channel.map(
                readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, length, arena));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** The mapped bytes (big-endian order: callers set the order they need on a duplicate). */
    ByteBuffer buffer() {
        return buffer;
    }

    /** Flushes the mapped bytes to the storage device ({@code msync}). */
    void force() {
        segment.force();
    }

    /** Unmaps now; later accesses through {@link #buffer()} throw {@link IllegalStateException}. */
    void close() {
        arena.close();
    }
}
