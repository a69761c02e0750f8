package io.mmapring.jmh;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Agrona's {@link OneToOneRingBuffer} over a memory-mapped file, written zero-copy with
 * tryClaim/commit (no batch API: a batch is a loop of claims). Needs {@link Records#AGRONA_OPENS}.
 */
final class AgronaLink implements Link {
    private static final int MESSAGE_TYPE = 1;

    private final byte[] name = Records.nameField();
    private final OneToOneRingBuffer out;
    private final OneToOneRingBuffer in;
    private final MessageHandler handler = this::onMessage;
    private IdSink sink;

    /** Either path may be null for a one-way link. The files must exist (see {@link #create}). */
    AgronaLink(Path outPath, Path inPath) throws IOException {
        out = outPath == null ? null : new OneToOneRingBuffer(map(outPath));
        in = inPath == null ? null : new OneToOneRingBuffer(map(inPath));
    }

    /** Creates a zero-filled file for a ring of {@link Records#AGRONA_CAPACITY} bytes plus Agrona's trailer. */
    static void create(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0,
                Records.AGRONA_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH);
            for (int i = 0; i < map.capacity(); i += 8) {
                map.putLong(i, 0L); // touch every page now, not on the first lap
            }
        }
    }

    static AtomicBuffer map(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new UnsafeBuffer(channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size()));
        }
    }

    @Override
    public boolean trySend(int id) {
        final OneToOneRingBuffer out = this.out;
        final int index = out.tryClaim(MESSAGE_TYPE, Records.SIZE);
        if (index < 0) {
            return false;
        }
        final AtomicBuffer buffer = out.buffer();
        buffer.putBytes(index, name);
        buffer.putInt(index + Records.ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
        out.commit(index);
        return true;
    }

    @Override
    public int trySendBatch(int firstId, int n) {
        int count = 0;
        while (count < n && trySend(firstId + count)) {
            count++;
        }
        return count;
    }

    @Override
    public int tryReceive(IdSink sink, int limit) {
        this.sink = sink;
        return in.read(handler, limit);
    }

    private void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
        sink.onId(buffer.getInt(index + Records.ID_OFFSET, ByteOrder.LITTLE_ENDIAN));
    }

    @Override
    public void close() {
        // mappings are released by the GC; the benchmark deletes the files
    }
}
