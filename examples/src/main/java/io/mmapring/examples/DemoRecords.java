package io.mmapring.examples;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.mmapring.People;

/**
 * The People the demo sends: ids 0, 1, 2, ... named {@code person-<id>}, as the 132 bytes of the C
 * struct in one reusable array. The name's prefix is encoded once; per People only the digits that
 * change and the id are written ({@link SequentialName}), then the whole record is copied into a ring
 * slot or a stream buffer: the same work for every transport. Allocates nothing.
 */
final class DemoRecords {
    private final byte[] record = new byte[People.SIZE];
    private final ByteBuffer view = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    private final SequentialName name = new SequentialName(record, People.NAME_OFFSET, 0);

    /** Makes the record the People {@code id} and returns it: 132 bytes, the C layout. */
    byte[] next(int id) {
        name.moveTo(id);
        view.putInt(People.ID_OFFSET, id);
        return record;
    }
}
