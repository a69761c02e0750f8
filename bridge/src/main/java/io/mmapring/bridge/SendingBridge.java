package io.mmapring.bridge;

import java.nio.ByteBuffer;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingLayout;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

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
 * The sending half: reads People from a local ring and publishes them on the data stream, and
 * releases them from the local ring only when the receiving bridge acknowledges that they are
 * committed to its ring. Single-threaded: call {@link #doWork()} in a loop.
 *
 * <p>Three positions of the local ring: {@code head} (the consumer's position: everything below it is
 * acknowledged and released), {@code sent} (everything below it was accepted by the publication at
 * least once) and {@code known} (everything below it is published by the local producer). Records in
 * {@code [head, sent)} are in flight: they stay in the local ring, so they can be sent again after a
 * {@link BridgeProtocol#RESEND} or after this process restarts (at {@code head}). The local producer
 * therefore sees a full ring exactly when the receiving side stops acknowledging.
 *
 * <p>A publication that answers {@code BACK_PRESSURED}, {@code NOT_CONNECTED} or {@code ADMIN_ACTION}
 * is simply retried; nothing is dropped. Reading is zero-copy: the records go from the mapped ring
 * straight into Aeron's term buffer through {@code tryClaim}.
 */
final class SendingBridge {
    private final RingConsumer consumer;
    private final ByteBuffer ring;
    private final String name;
    private final int mask;
    private final int stride;
    private final int capacity;
    private final Publication data;
    private final Subscription control;
    private final int batch;
    private final BufferClaim claim = new BufferClaim();
    private final FragmentHandler controlHandler = this::onControl;

    private long sent;
    private long known;
    private long messages;
    private long resends;

    SendingBridge(RingConsumer consumer, Publication data, Subscription control) {
        this.consumer = consumer;
        this.ring = consumer.buffer();
        final RingFile file = consumer.ring();
        this.name = file.name();
        this.capacity = file.spec().capacity();
        this.mask = capacity - 1;
        this.stride = file.spec().stride();
        if (file.spec().recordSize() != RECORD_SIZE) {
            throw new IllegalArgumentException("ring " + name + ": record size " + file.spec().recordSize()
                + " does not match People (" + RECORD_SIZE + ")");
        }
        this.data = data;
        this.control = control;
        this.batch = BridgeProtocol.recordsPerMessage(data.maxPayloadLength());
        this.sent = consumer.position();
        this.known = sent;
    }

    /** One duty cycle: read acknowledgements, then publish what is published locally and not yet sent. Returns the work done. */
    int doWork() {
        final int controls = control.poll(controlHandler, 16);
        return controls + send();
    }

    /** Everything below this position is released from the local ring (acknowledged by the receiver). */
    long head() {
        return consumer.position();
    }

    /** Everything below this position was accepted by the publication at least once. */
    long sent() {
        return sent;
    }

    /** Data messages accepted by the publication. */
    long messages() {
        return messages;
    }

    /** How many times the receiver asked to send again from an earlier position. */
    long resends() {
        return resends;
    }

    private int send() {
        final long head = consumer.position();
        if (sent == known) {
            // acquire loads of the slot words from head on (RingConsumer.available): records below known are complete
            known = head + consumer.available(capacity);
            if (sent == known) {
                return 0;
            }
        }
        final int n = (int) Math.min(known - sent, batch);
        final long result = data.tryClaim(BridgeProtocol.dataLength(n), claim);
        if (result < 0) {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("ring " + name + ": data publication " + data.channel() + " stream "
                    + data.streamId() + " refused the batch with " + Publication.errorString(result));
            }
            return 0; // NOT_CONNECTED, BACK_PRESSURED, ADMIN_ACTION: try again, drop nothing
        }
        final MutableDirectBuffer out = claim.buffer();
        final int offset = claim.offset();
        final long first = sent;
        out.putLong(offset + DATA_POSITION_OFFSET, first, ORDER);
        out.putLong(offset + DATA_SENDER_HEAD_OFFSET, head, ORDER);
        final ByteBuffer ring = this.ring;
        for (int i = 0; i < n; i++) {
            out.putBytes(offset + DATA_RECORDS_OFFSET + i * RECORD_SIZE, ring, slot(first + i), RECORD_SIZE);
        }
        claim.commit();
        sent = first + n;
        messages++;
        return n;
    }

    private void onControl(DirectBuffer buffer, int offset, int length, Header header) {
        if (length != CONTROL_LENGTH) {
            throw new IllegalStateException("ring " + name + ": control stream " + control.streamId()
                + " carried a message of " + length + " bytes (expected " + CONTROL_LENGTH + ")");
        }
        final int type = buffer.getInt(offset + CONTROL_TYPE_OFFSET, ORDER);
        final long position = buffer.getLong(offset + CONTROL_POSITION_OFFSET, ORDER);
        if (type == ACK) {
            acknowledge(position, false);
        } else if (type == RESEND) {
            resends++;
            if (position == UNKNOWN_POSITION) {
                sent = consumer.position();
            } else {
                acknowledge(position, true);
                if (position < sent) {
                    sent = position; // go back: those records are still in the local ring
                }
            }
        } else {
            throw new IllegalStateException("ring " + name + ": control stream " + control.streamId()
                + " carried unknown message type " + type);
        }
    }

    /** Releases the local ring up to {@code position}: the receiver has committed everything below it. */
    private void acknowledge(long position, boolean resend) {
        final long head = consumer.position();
        if (position <= head) {
            if (resend && position < head) {
                throw new IllegalStateException("ring " + name + ": the receiver asks again from position " + position
                    + ", but it acknowledged up to " + head + " before and those records are released"
                    + " (was the receiving ring or its .bridge-origin file replaced?)");
            }
            return;
        }
        final long published = consumer.ring().producerPosition();
        if (position > published) {
            throw new IllegalStateException("ring " + name + ": the receiver acknowledges position " + position
                + ", beyond the " + published + " records ever published to this ring"
                + " (is it bridged from another sending ring?)");
        }
        final int n = (int) (position - head);
        final int available = consumer.available(n);
        if (available != n) {
            throw new IllegalStateException("ring " + name + ": acknowledged position " + position
                + " but only " + available + " of " + n + " records from head " + head + " are published");
        }
        consumer.consume(n);
        if (sent < position) {
            sent = position; // a restarted sender skips what the receiver already has
        }
        if (known < position) {
            known = position;
        }
    }

    private int slot(long position) {
        return RingLayout.DATA_OFFSET + (int) (position & mask) * stride;
    }
}
