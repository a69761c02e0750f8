package io.mmapring.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.mmapring.RingConsumer;

/** The head/tail-only variant ({@link HeadTailRing}) over the same file layout as {@link RingLink}. */
final class HeadTailLink implements Link {
    private final byte[] name = Records.nameField();
    private final HeadTailRing.Producer out;
    private final HeadTailRing.Consumer in;
    private final RingConsumer.RecordHandler handler = this::onRecord;
    private IdSink sink;

    /** Either path may be null for a one-way link. The files must exist (see {@link Records#createRing}). */
    HeadTailLink(Path outPath, Path inPath) throws IOException {
        if (outPath == null) {
            out = null;
        } else {
            final ByteBuffer buffer = HeadTailRing.map(outPath);
            out = new HeadTailRing.Producer(buffer, HeadTailRing.capacityOf(buffer));
        }
        if (inPath == null) {
            in = null;
        } else {
            final ByteBuffer buffer = HeadTailRing.map(inPath);
            in = new HeadTailRing.Consumer(buffer, HeadTailRing.capacityOf(buffer));
        }
    }

    @Override
    public boolean trySend(int id) {
        final HeadTailRing.Producer out = this.out;
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
        final HeadTailRing.Producer out = this.out;
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
    public void close() {
        // mappings are released by the GC; the benchmark deletes the files
    }
}
