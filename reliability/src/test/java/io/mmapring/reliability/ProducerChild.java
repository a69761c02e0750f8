package io.mmapring.reliability;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import io.mmapring.People;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;

/**
 * Child process: the producer of the crash and soak tests. Publishes {@link Traffic} messages from
 * the ring's producer position on, in batches of a random size from 1 to {@code maxBatch}, until
 * told to {@code stop} (then exits 0) or killed. Prints {@code READY <position>} once it holds the role.
 *
 * <p>Arguments: ring path, max batch, seed.
 */
public final class ProducerChild {
    private ProducerChild() {
    }

    public static void main(String[] args) throws Exception {
        ChildControl.start(600);
        final Path path = Path.of(args[0]);
        final int maxBatch = Integer.parseInt(args[1]);
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 200_000);
        final People people = new People();
        try (RingFile ring = RingFile.open(path); RingProducer producer = ring.producer()) {
            System.out.println("READY " + producer.position());
            System.out.flush();
            while (!ChildControl.stopRequested()) {
                final int n = producer.claim(1 + random.nextInt(maxBatch));
                if (n == 0) {
                    idle.idle();
                    continue;
                }
                idle.reset();
                final long position = producer.position();
                for (int i = 0; i < n; i++) {
                    Traffic.write(people, producer.buffer(), producer.recordOffset(i), position + i);
                }
                producer.commit();
            }
            System.out.println("DONE " + producer.position());
        }
        System.out.flush();
    }
}
