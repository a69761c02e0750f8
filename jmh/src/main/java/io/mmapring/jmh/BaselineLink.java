package io.mmapring.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingLayout;

/**
 * The library's code path as of commit 8f8dd99 ({@link BaselineProducer}, {@link BaselineConsumer}) as a
 * link, used exactly as {@link RingLink} uses the library (claim, recordOffset, put, commit; poll with a
 * handler), over ring files made by the library: the "before" of every before/after comparison of a
 * change to the hot path, run in the same session as the "after".
 */
final class BaselineLink implements Link {
    private final byte[] name = Records.nameField();
    private final BaselineProducer out;
    private final BaselineConsumer in;
    private final RingConsumer.RecordHandler handler = this::onRecord;
    private IdSink sink;

    /** Either path may be null for a one-way link. The files must exist, made by {@link Records#createRing}. */
    BaselineLink(Path outPath, Path inPath) throws IOException {
        final int stride = RingLayout.stride(People.SIZE);
        final int sequenceOffset = RingLayout.sequenceOffset(People.SIZE);
        if (outPath == null) {
            out = null;
        } else {
            final ByteBuffer buffer = LayoutRing.map(outPath);
            out = new BaselineProducer(buffer, outPath.toString(), Records.RING_CAPACITY, stride, sequenceOffset, People.SIZE,
                buffer.getLong(RingLayout.TAIL_OFFSET), buffer.getLong(RingLayout.HEAD_OFFSET));
        }
        if (inPath == null) {
            in = null;
        } else {
            final ByteBuffer buffer = LayoutRing.map(inPath);
            in = new BaselineConsumer(buffer, inPath.toString(), Records.RING_CAPACITY, stride, sequenceOffset,
                buffer.getLong(RingLayout.HEAD_OFFSET));
        }
    }

    /** One message, as {@link RingLink#trySend} sends it: claim(1), a put of the name field and the id, commit(). */
    @Override
    public boolean trySend(int id) {
        final BaselineProducer out = this.out;
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
        final BaselineProducer out = this.out;
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
