package io.mmapring.reliability;

import io.mmapring.RingFile;
import io.mmapring.RingLayout;

/** Offsets of a ring's slots, computed from its spec and {@link RingLayout} as a C reader would. */
final class RingFileOffsets {
    private RingFileOffsets() {
    }

    /** Offset in the file of the slot of {@code position}. */
    static long slotOffset(RingFile ring, long position) {
        return RingLayout.DATA_OFFSET + (position & (ring.spec().capacity() - 1)) * ring.spec().stride();
    }
}
