package io.mmapring.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A byte stream through the kernel (Unix domain socket, TCP loopback, named pipe): blocking channels,
 * one write system call per send (or per batch), reads of up to 64 KiB parsed into whole records.
 */
final class StreamLink implements Link {
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(Records.BATCH * Records.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] name = Records.nameField();

    /** Either channel may be null for a one-way link; both are closed by {@link #close()}. */
    StreamLink(ReadableByteChannel in, WritableByteChannel out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public boolean trySend(int id) throws IOException {
        final ByteBuffer buffer = sendBuffer;
        buffer.clear();
        buffer.put(name).putInt(id).flip();
        writeFully(buffer);
        return true;
    }

    @Override
    public int trySendBatch(int firstId, int n) throws IOException {
        final ByteBuffer buffer = sendBuffer;
        final int count = Math.min(n, Records.BATCH);
        buffer.clear();
        for (int i = 0; i < count; i++) {
            buffer.put(name).putInt(firstId + i);
        }
        buffer.flip();
        writeFully(buffer);
        return count;
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Blocks until at least one whole record is in; -1 at end of stream. */
    @Override
    public int tryReceive(IdSink sink, int limit) throws IOException {
        final ByteBuffer buffer = receiveBuffer; // write mode between calls
        while (buffer.position() < Records.SIZE) {
            if (in.read(buffer) < 0) {
                return -1;
            }
        }
        buffer.flip();
        int count = 0;
        while (count < limit && buffer.remaining() >= Records.SIZE) {
            sink.onId(buffer.getInt(buffer.position() + Records.ID_OFFSET));
            buffer.position(buffer.position() + Records.SIZE);
            count++;
        }
        buffer.compact();
        return count;
    }

    @Override
    public void close() throws IOException {
        try {
            if (out != null) {
                out.close();
            }
        } finally {
            if (in != null) {
                in.close();
            }
        }
    }
}
