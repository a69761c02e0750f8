package io.mmapring.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.mmapring.RingProducer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.mmapring.bridge.BridgeProtocol.ACK;
import static io.mmapring.bridge.BridgeProtocol.CONTROL_LENGTH;
import static io.mmapring.bridge.BridgeProtocol.CONTROL_POSITION_OFFSET;
import static io.mmapring.bridge.BridgeProtocol.CONTROL_TYPE_OFFSET;
import static io.mmapring.bridge.BridgeProtocol.DATA_POSITION_OFFSET;
import static io.mmapring.bridge.BridgeProtocol.DATA_RECORDS_OFFSET;
import static io.mmapring.bridge.BridgeProtocol.DATA_SENDER_HEAD_OFFSET;
import static io.mmapring.bridge.BridgeProtocol.ORDER;
import static io.mmapring.bridge.BridgeProtocol.RECORD_SIZE;
import static io.mmapring.bridge.BridgeProtocol.RESEND;
import static io.mmapring.bridge.BridgeProtocol.UNKNOWN_POSITION;

/**
 * The receiving half: takes batches from the data stream and commits them to a local ring, and tells
 * the sending bridge, on the control stream, how far its ring is committed. Single-threaded: call
 * {@link #doWork(long)} in a loop.
 *
 * <p>The next sending position it expects is {@code origin + producer position of the local ring}
 * (see {@link BridgeOrigin}), so it is kept in the ring itself. A batch below it is a duplicate
 * (a restarted or rewound sender) and is skipped; a batch above it is a gap (this bridge restarted,
 * or Aeron started a new image mid-stream) and is skipped too, with a {@link BridgeProtocol#RESEND}
 * from the expected position. So each sending position is committed to the ring exactly once.
 *
 * <p>Back-pressure: when the ring has no room, the fragment is not consumed
 * ({@link ControlledFragmentHandler.Action#ABORT}): Aeron keeps it, its flow control stops the sender,
 * and the sending bridge, which releases only acknowledged records, leaves its own ring full.
 */
final class ReceivingBridge {
    /** With nothing received for this long, tell the sender where we are with a RESEND (it may have records in flight that were lost). */
    static final long IDLE_RESEND_NS = 200_000_000L;
    /** A gap at the same expected position is answered with a RESEND at most this often. */
    static final long GAP_RESEND_NS = 100_000_000L;

    private final RingProducer producer;
    private final ByteBuffer ring;
    private final String name;
    private final Path originFile;
    private final Subscription data;
    private final Publication control;
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(CONTROL_LENGTH));
    private final ControlledFragmentHandler dataHandler = this::onData;

    private long origin;
    private boolean originKnown;
    private long acknowledged = -1;
    private boolean fragmentsSeen;
    private long lastHeardNs;
    private long lastGapResendNs;
    private long lastGapResendPosition = -1;
    private long duplicates;
    private long gaps;
    private boolean pendingResend;

    ReceivingBridge(RingProducer producer, Path originFile, long origin, boolean originKnown,
        Subscription data, Publication control, long nowNs) {
        if (producer.recordSize() != RECORD_SIZE) {
            throw new IllegalArgumentException("ring " + producer.ring().name() + ": record size "
                + producer.recordSize() + " does not match People (" + RECORD_SIZE + ")");
        }
        this.producer = producer;
        this.ring = producer.buffer();
        this.name = producer.ring().name();
        this.originFile = originFile;
        this.origin = origin;
        this.originKnown = originKnown;
        this.data = data;
        this.control = control;
        this.lastHeardNs = nowNs;
        this.pendingResend = true; // a (re)started receiver first asks the sender to send from where it is
    }

    /** One duty cycle: poll the data stream, then acknowledge. Returns the work done. */
    int doWork(long nowNs) {
        fragmentsSeen = false;
        final int fragments = data.controlledPoll(dataHandler, 16);
        if (fragmentsSeen) {
            lastHeardNs = nowNs;
        } else if (nowNs - lastHeardNs >= IDLE_RESEND_NS) {
            lastHeardNs = nowNs;
            pendingResend = true;
        }
        int work = fragments;
        if (pendingResend) {
            if (sendControl(RESEND, originKnown ? expected() : UNKNOWN_POSITION)) {
                pendingResend = false;
                work++;
            }
        } else if (originKnown && acknowledged != expected()) {
            if (sendControl(ACK, expected())) {
                work++;
            }
        }
        return work;
    }

    /** The next sending position this ring expects (every one below it is committed here). */
    long expected() {
        return origin + producer.position();
    }

    /** Whether the origin is known (false only before the first batch reaches a new ring). */
    boolean originKnown() {
        return originKnown;
    }

    /** Records received again and skipped (already committed here). */
    long duplicates() {
        return duplicates;
    }

    /** Batches skipped because they started beyond the expected position. */
    long gaps() {
        return gaps;
    }

    private ControlledFragmentHandler.Action onData(DirectBuffer buffer, int offset, int length, Header header) {
        fragmentsSeen = true;
        final int records = (length - DATA_RECORDS_OFFSET) / RECORD_SIZE;
        if (records < 1 || length != BridgeProtocol.dataLength(records)) {
            throw new IllegalStateException("ring " + name + ": data stream " + data.streamId() + " carried a message of "
                + length + " bytes, not a batch of People (" + DATA_RECORDS_OFFSET + " + n * " + RECORD_SIZE + ")");
        }
        final long first = buffer.getLong(offset + DATA_POSITION_OFFSET, ORDER);
        if (!originKnown) {
            learnOrigin(buffer.getLong(offset + DATA_SENDER_HEAD_OFFSET, ORDER));
        }
        final long expected = expected();
        if (first + records <= expected) {
            duplicates += records;
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        if (first > expected) {
            gaps++;
            final long now = System.nanoTime();
            if (lastGapResendPosition != expected || now - lastGapResendNs >= GAP_RESEND_NS) {
                lastGapResendPosition = expected;
                lastGapResendNs = now;
                pendingResend = true;
            }
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        final int skip = (int) (expected - first);
        duplicates += skip;
        final int wanted = records - skip;
        final int claimed = producer.claim(wanted);
        final ByteBuffer ring = this.ring;
        for (int i = 0; i < claimed; i++) {
            buffer.getBytes(offset + DATA_RECORDS_OFFSET + (skip + i) * RECORD_SIZE, ring, producer.recordOffset(i), RECORD_SIZE);
        }
        if (claimed > 0) {
            producer.commit();
        } else {
            producer.abort();
        }
        // the ring is full: leave the fragment to Aeron (it comes again; the part committed above is then a duplicate)
        return claimed < wanted ? ControlledFragmentHandler.Action.ABORT : ControlledFragmentHandler.Action.CONTINUE;
    }

    private void learnOrigin(long senderHead) {
        if (senderHead < 0) {
            throw new IllegalStateException("ring " + name + ": data stream " + data.streamId()
                + " carried a negative sender head " + senderHead);
        }
        // everything below the sender's head was acknowledged (to an earlier receiver, or before this ring existed)
        final long origin = senderHead - producer.position();
        try {
            BridgeOrigin.write(originFile, origin);
        } catch (IOException e) {
            throw new UncheckedIOException("ring " + name + ": cannot write bridge origin file " + originFile, e);
        }
        this.origin = origin;
        this.originKnown = true;
    }

    private boolean sendControl(int type, long position) {
        message.putInt(CONTROL_TYPE_OFFSET, type, ORDER);
        message.putInt(CONTROL_TYPE_OFFSET + 4, 0, ORDER);
        message.putLong(CONTROL_POSITION_OFFSET, position, ORDER);
        final long result = control.offer(message, 0, CONTROL_LENGTH);
        if (result > 0) {
            if (position != UNKNOWN_POSITION) {
                acknowledged = position;
            }
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
            throw new IllegalStateException("ring " + name + ": control publication " + control.channel() + " stream "
                + control.streamId() + " refused an acknowledgement with " + Publication.errorString(result));
        }
        return false; // not connected or back-pressured: the acknowledgement is sent again on a later cycle
    }
}
