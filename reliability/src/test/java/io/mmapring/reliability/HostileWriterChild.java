package io.mmapring.reliability;

import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

import io.mmapring.RingLayout;

/**
 * Child process: a hostile producer. Maps the ring file itself (not through the library, ignoring
 * the roles) and for {@code seconds} writes garbage everywhere: random bytes over the whole file
 * (header, counters, slots), and, more often, "publications" of garbage records, i.e. random record
 * bytes (names with no NUL) under a sequence word that says published at or near the consumer's
 * position, so that the consumer really reads garbage.
 *
 * <p>Arguments: ring path, seconds, seed, stride, sequence offset, capacity.
 */
public final class HostileWriterChild {
    private HostileWriterChild() {
    }

    public static void main(String[] args) throws Exception {
        ChildControl.start(300);
        final Path path = Path.of(args[0]);
        final long seconds = Long.parseLong(args[1]);
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        final int stride = Integer.parseInt(args[3]);
        final int sequenceOffset = Integer.parseInt(args[4]);
        final int capacity = Integer.parseInt(args[5]);
        long writes = 0;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final int length = (int) channel.size();
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            map.order(ByteOrder.LITTLE_ENDIAN);
            System.out.println("READY " + length);
            System.out.flush();
            final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline && !ChildControl.stopRequested()) {
                final int what = random.nextInt(100);
                if (what < 10) {
                    map.put(random.nextInt(length), (byte) random.nextInt(256));
                } else if (what < 12) {
                    final int counter = random.nextBoolean() ? RingLayout.HEAD_OFFSET : RingLayout.TAIL_OFFSET;
                    map.putLong(counter, random.nextInt(4) == 0 ? random.nextLong() : map.getLong(counter) + random.nextInt(64) - 32);
                } else {
                    // forge a published garbage record at (or near) the position the consumer reads next
                    final long head = map.getLong(RingLayout.HEAD_OFFSET);
                    final long p = head + random.nextInt(8);
                    final int slot = RingLayout.DATA_OFFSET + (int) (p & (capacity - 1)) * stride;
                    for (int i = 0; i < sequenceOffset; i++) {
                        map.put(slot + i, (byte) (1 + random.nextInt(255)));
                    }
                    map.putLong(slot + sequenceOffset, random.nextInt(4) == 0 ? random.nextLong() : p + 1);
                }
                if (++writes % 1024 == 0) {
                    Thread.yield(); // leave the other core to the consumer and the JVMs' own threads
                }
            }
        }
        System.out.println("DONE " + writes);
        System.out.flush();
    }
}
