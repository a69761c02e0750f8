package io.mmapring.jmh;

import java.io.IOException;
import java.nio.file.Path;

/** A {@link LayoutRing} prototype (lean code, one slot layout) as a link: sends on one file, receives on another. */
final class LayoutLink implements Link {
    private final byte[] name = Records.nameField();
    private final LayoutRing.Producer out;
    private final LayoutRing.Consumer in;

    /** Either path may be null for a one-way link. The files must exist (see {@link LayoutRing#create}). */
    LayoutLink(LayoutRing.Layout layout, Path outPath, Path inPath) throws IOException {
        out = outPath == null ? null : new LayoutRing.Producer(LayoutRing.map(outPath), layout);
        in = inPath == null ? null : new LayoutRing.Consumer(LayoutRing.map(inPath), layout);
    }

    @Override
    public boolean trySend(int id) {
        return out.offer(name, id);
    }

    @Override
    public int trySendBatch(int firstId, int n) {
        return out.offerBatch(name, firstId, n);
    }

    @Override
    public int tryReceive(IdSink sink, int limit) {
        return in.poll(sink, limit);
    }

    @Override
    public void close() {
        // mappings are released by the GC; the benchmark deletes the files
    }
}
