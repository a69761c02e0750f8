package io.mmapring.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;

/**
 * Child process: the consumer of the crash and soak tests. Reads batches zero-copy
 * ({@code available / recordOffset / consume}), checks every record byte for byte against the
 * message of its position, and <em>before</em> releasing a batch to the producer writes its state
 * file (one {@code pwrite} of {@link ConsumerState}): so after a kill -9 the state file says exactly
 * how far this consumer delivered, which is at least the ring's {@code head} and at most one batch more.
 * Prints {@code READY <start position>}; on {@code stop} it exits after the current batch; on
 * {@code drain} it exits once it has read everything the (stopped) producer committed.
 *
 * <p>Arguments: ring path, state file path, batch limit, and optionally a position: once a batch reaches
 * it, the child prints {@code MIDBATCH <batch start> <batch size>} after writing its state and before
 * releasing the batch, and waits there to be killed.
 */
public final class ConsumerChild {
    private ConsumerChild() {
    }

    public static void main(String[] args) throws Exception {
        ChildControl.start(600);
        final Path path = Path.of(args[0]);
        final Path statePath = Path.of(args[1]);
        final int limit = Integer.parseInt(args[2]);
        final long pauseAt = args.length > 3 ? Long.parseLong(args[3]) : -1;
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 200_000);
        final byte[] field = new byte[People.NAME_LENGTH];
        try (RingFile ring = RingFile.open(path);
             RingConsumer consumer = ring.consumer();
             FileChannel state = FileChannel.open(statePath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                 StandardOpenOption.TRUNCATE_EXISTING)) {
            final ByteBuffer stateBuffer = ByteBuffer.allocate(ConsumerState.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            final long start = consumer.position();
            long delivered = 0;
            long torn = 0;
            long misplaced = 0;
            writeState(state, stateBuffer, start, start, 0, 0, 0);
            System.out.println("READY " + start);
            System.out.flush();
            final ByteBuffer buffer = consumer.buffer();
            while (!ChildControl.stopRequested()) {
                final int n = consumer.available(limit);
                if (n == 0) {
                    if (ChildControl.drainRequested() && consumer.position() == ring.producerPosition()
                        && !ring.isProducerAlive()) {
                        break;
                    }
                    idle.idle();
                    continue;
                }
                idle.reset();
                final long position = consumer.position();
                for (int i = 0; i < n; i++) {
                    final int offset = consumer.recordOffset(i);
                    if (!Traffic.matches(buffer, offset, position + i, field)) {
                        if (Traffic.id(buffer, offset) != (int) (position + i)) {
                            misplaced++;
                        } else {
                            torn++;
                        }
                        System.out.println("BAD position " + (position + i) + " id " + Traffic.id(buffer, offset));
                    }
                }
                delivered += n;
                // durable in the OS before the release: a kill after this line loses no accounting
                writeState(state, stateBuffer, start, position + n, delivered, torn, misplaced);
                if (pauseAt >= 0 && position + n > pauseAt) {
                    System.out.println("MIDBATCH " + position + " " + n);
                    System.out.flush();
                    Thread.sleep(300_000); // to be killed here, with the batch read and not released
                }
                consumer.consume(n);
            }
            System.out.println("DONE " + consumer.position());
        }
        System.out.flush();
    }

    private static void writeState(FileChannel state, ByteBuffer buffer, long start, long end, long delivered,
        long torn, long misplaced) throws IOException {
        buffer.clear();
        buffer.putLong(start).putLong(end).putLong(delivered).putLong(torn).putLong(misplaced).flip();
        while (buffer.hasRemaining()) {
            state.write(buffer, buffer.position());
        }
    }
}
