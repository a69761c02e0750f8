package io.mmapring.reliability;

import java.io.RandomAccessFile;
import java.nio.file.Path;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;

/**
 * Child process: maps a ring, optionally runs traffic through it long enough for the JIT to compile
 * the producer and consumer paths, then truncates the file to {@code truncateTo} bytes while it is
 * still mapped and touches a slot beyond the new end of file, first as the consumer (a read), then as
 * the producer (a write). Prints what each access did; if the JVM dies instead, the parent sees the
 * exit status and the hs_err file.
 *
 * <p>Arguments: ring path, warm-up rounds, truncate-to length.
 */
public final class TruncatedRingChild {
    private TruncatedRingChild() {
    }

    public static void main(String[] args) throws Exception {
        ChildControl.start(120);
        final Path path = Path.of(args[0]);
        final int warmRounds = Integer.parseInt(args[1]);
        final long truncateTo = Long.parseLong(args[2]);
        final People people = new People();
        final long[] sum = {0};
        final RingConsumer.RecordHandler handler = (buffer, offset) -> sum[0] += people.wrap(buffer, offset).id();
        try (RingFile ring = RingFile.open(path)) {
            final RingProducer producer = ring.producer();
            final RingConsumer consumer = ring.consumer();
            for (int round = 0; round < warmRounds; round++) {
                publish(producer, people, 8);
                if (consumer.poll(handler, 8) != 8) {
                    throw new IllegalStateException("warm-up lost records");
                }
            }
            // leave the consumer's next slot beyond the truncation point, with a record published there
            while (RingFileOffsets.slotOffset(ring, consumer.position()) < truncateTo + 4096) {
                publish(producer, people, 1);
                consumer.poll(handler, 1);
            }
            publish(producer, people, 1);
            System.out.println("WARM rounds=" + warmRounds + " consumer=" + consumer.position() + " producer=" + producer.position()
                + " nextSlotOffset=" + RingFileOffsets.slotOffset(ring, consumer.position()));
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
                file.setLength(truncateTo);
            }
            System.out.println("TRUNCATED to " + truncateTo);
            System.out.flush();
            // HotSpot may raise the InternalError of a fault in compiled code asynchronously, at a later
            // point of the thread (seen on JDK 17): each access is followed by a few safepoints so that the
            // error surfaces inside its try, and the output says whether it came from the access or later
            int returned = -1;
            String read;
            try {
                returned = consumer.poll(handler, 1);
                settle();
                read = "returned " + returned;
            } catch (Throwable t) {
                read = (returned < 0 ? "threw " : "returned " + returned + ", then late ") + t;
            }
            System.out.println("CONSUMER-READ " + read);
            System.out.flush();
            boolean wrote = false;
            String write;
            try {
                publish(producer, people, 1);
                wrote = true;
                settle();
                write = "returned";
            } catch (Throwable t) {
                write = (wrote ? "returned, then late " : "threw ") + t;
            }
            System.out.println("PRODUCER-WRITE " + write);
            System.out.flush();
            System.out.println("ALIVE");
            System.out.flush();
        }
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            Thread.sleep(1);
        }
    }

    private static void publish(RingProducer producer, People people, int n) {
        final int claimed = producer.claim(n);
        for (int i = 0; i < claimed; i++) {
            Traffic.write(people, producer.buffer(), producer.recordOffset(i), producer.position() + i);
        }
        producer.commit();
    }
}
