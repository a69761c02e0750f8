package io.mmapring.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;

/** The library's ring: sends on one ring file (producer role), receives on another (consumer role). */
final class RingLink implements Link {
    private final byte[] name = Records.nameField();
    private final RingFile outFile;
    private final RingFile inFile;
    private final RingProducer out;
    private final RingConsumer in;
    private final RingConsumer.RecordHandler handler = this::onRecord;
    private IdSink sink;

    /** Either path may be null for a one-way link. The files must exist. */
    RingLink(Path outPath, Path inPath) throws IOException {
        outFile = outPath == null ? null : RingFile.open(outPath);
        inFile = inPath == null ? null : RingFile.open(inPath);
        out = outFile == null ? null : outFile.producer();
        in = inFile == null ? null : inFile.consumer();
    }

    @Override
    public boolean trySend(int id) {
        final RingProducer out = this.out;
        if (out.claim(1) == 0) {
            return false;
        }
        final ByteBuffer buffer = out.buffer();
        final int offset = out.recordOffset(0);
        buffer.put(offset, name);
        buffer.putInt(offset + Records.ID_OFFSET, id);
        out.commit();
        return true;
    }

    @Override
    public int trySendBatch(int firstId, int n) {
        final RingProducer out = this.out;
        final int count = out.claim(n);
        if (count == 0) {
            return 0;
        }
        final ByteBuffer buffer = out.buffer();
        final byte[] name = this.name;
        for (int i = 0; i < count; i++) {
            final int offset = out.recordOffset(i);
            buffer.put(offset, name);
            buffer.putInt(offset + Records.ID_OFFSET, firstId + i);
        }
        out.commit();
        return count;
    }

    @Override
    public int tryReceive(IdSink sink, int limit) {
        this.sink = sink;
        return in.poll(handler, limit);
    }

    private void onRecord(ByteBuffer buffer, int offset) {
        sink.onId(buffer.getInt(offset + Records.ID_OFFSET));
    }

    @Override
    public void close() throws IOException {
        if (outFile != null) {
            outFile.close();
        }
        if (inFile != null) {
            inFile.close();
        }
    }
}
