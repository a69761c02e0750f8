package io.mmapring;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * The memory mapping of one {@link RingFile}. This is the Java 17-21 version: {@code FileChannel.map}
 * without an arena, so {@link #close()} cannot unmap (the JDK 17 API has no deterministic unmap without
 * {@code Unsafe}); the mapping is released when the garbage collector finds its buffer unreachable.
 * The jar's {@code META-INF/versions/22} holds the Java 22+ version, which maps through a shared
 * {@code Arena} and unmaps in {@link #close()}.
 *
 * <p>So that opening and closing the same ring again and again (a health check, an inspector) does not
 * pile up one mapping per open until a garbage collection (a JVM with {@code -XX:+DisableExplicitGC}
 * used to reach {@code vm.max_map_count} and die), a mapping that is still alive is reused for the same
 * file: it is weakly remembered by the file's key (device and inode, which the live mapping keeps from
 * being reused) and its length. The bytes are the file's shared pages either way.
 */
final class RingMapping {
    /** Whether {@link #close()} releases the mapping at once (Java 22+) or leaves it to the GC (here). */
    static boolean unmapsOnClose() {
        return false; // a method, not a constant: javac would inline a constant into callers compiled against the other version
    }

    /** Mappings still alive, by file key; guarded by itself. */
    private static final Map<Object, WeakReference<MappedByteBuffer>> ALIVE = new HashMap<>();

    private final MappedByteBuffer buffer;

    private RingMapping(MappedByteBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * Maps {@code [0, length)} of the channel's file, read-only or read-write, or reuses a mapping of the
     * same file ({@code fileKey}) and length that is still alive (read-write serves read-only too).
     */
    static RingMapping map(FileChannel channel, Object fileKey, boolean readOnly, long length) throws IOException {
        synchronized (ALIVE) {
            ALIVE.values().removeIf(reference -> reference.get() == null);
            final WeakReference<MappedByteBuffer> known = ALIVE.get(fileKey);
            final MappedByteBuffer alive = known == null ? null : known.get();
            if (alive != null && alive.capacity() == length && (readOnly || !alive.isReadOnly())) {
                return new RingMapping(alive);
            }
            final MappedByteBuffer mapped = channel.map(
                readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, length);
            ALIVE.put(fileKey, new WeakReference<>(mapped));
            return new RingMapping(mapped);
        }
    }

    /** The mapped bytes (big-endian order: callers set the order they need on a duplicate). */
    ByteBuffer buffer() {
        return buffer;
    }

    /** Flushes the mapped bytes to the storage device ({@code msync}). */
    void force() {
        buffer.force();
    }

    /** Nothing to do before Java 22: the mapping goes when its buffer is garbage collected. */
    void close() {
        // no deterministic unmap on Java 17-21 without Unsafe
    }
}
