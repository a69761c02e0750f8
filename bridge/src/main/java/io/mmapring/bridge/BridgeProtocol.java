package io.mmapring.bridge;

import java.nio.ByteOrder;

import io.mmapring.People;

/**
 * The wire format of the bridge's two Aeron streams: every offset, in one place. All fields are
 * little-endian and 8-byte aligned inside the Aeron fragment (whose payload Aeron aligns to 8).
 *
 * <p>Data stream, sending bridge to receiving bridge: one message is a batch of consecutive records of
 * the sending ring, never fragmented by Aeron (the batch is sized to the publication's
 * {@code maxPayloadLength}).
 * <pre>
 *   0               8               16                        16 + 132 * n
 *   +---------------+---------------+-------------------------+
 *   | position of   | sender's head | n People records,       |
 *   | first record  | (released up  | 132 bytes each, the     |
 *   | (int64)       | to, int64)    | ring's C layout         |
 *   +---------------+---------------+-------------------------+
 * </pre>
 *
 * <p>Control stream, receiving bridge back to sending bridge:
 * <pre>
 *   0        4        8
 *   +--------+--------+------------------------------+
 *   | type   | unused | position (int64): the next   |
 *   | (int32)|        | sending position it expects  |
 *   +--------+--------+------------------------------+
 * </pre>
 * {@link #ACK}: every record below {@code position} is committed to the receiving ring, so the
 * sending bridge may release them from its own ring. {@link #RESEND}: also an acknowledgement, and
 * "send again from {@code position}" ({@link #UNKNOWN_POSITION}: "from your head": a receiver that has
 * not learnt its origin yet).
 */
final class BridgeProtocol {
    /** Byte order of every field. */
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    /** Data: sending-ring position of the first record in the batch (int64). */
    static final int DATA_POSITION_OFFSET = 0;
    /** Data: the sending ring's head when the batch was sent (int64); every position below it was acknowledged. */
    static final int DATA_SENDER_HEAD_OFFSET = 8;
    /** Data: where the first record starts. */
    static final int DATA_RECORDS_OFFSET = 16;
    /** Data: bytes per record. */
    static final int RECORD_SIZE = People.SIZE;

    /** Control: message type (int32). */
    static final int CONTROL_TYPE_OFFSET = 0;
    /** Control: position (int64). */
    static final int CONTROL_POSITION_OFFSET = 8;
    /** Control: message length. */
    static final int CONTROL_LENGTH = 16;

    /** Control type: records below the position are in the receiving ring. */
    static final int ACK = 1;
    /** Control type: acknowledge, and send again from the position. */
    static final int RESEND = 2;
    /** A RESEND position meaning "from your head". */
    static final long UNKNOWN_POSITION = -1;

    private BridgeProtocol() {
    }

    /** Records per data message that fit {@code maxPayloadLength} bytes, so that Aeron never fragments one. */
    static int recordsPerMessage(int maxPayloadLength) {
        final int n = (maxPayloadLength - DATA_RECORDS_OFFSET) / RECORD_SIZE;
        if (n < 1) {
            throw new IllegalArgumentException("Aeron max payload length " + maxPayloadLength
                + " cannot carry one People record (" + (DATA_RECORDS_OFFSET + RECORD_SIZE) + " bytes): raise the mtu");
        }
        return n;
    }

    /** Length of a data message carrying {@code n} records. */
    static int dataLength(int n) {
        return DATA_RECORDS_OFFSET + n * RECORD_SIZE;
    }
}
