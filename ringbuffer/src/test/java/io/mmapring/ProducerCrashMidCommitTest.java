package io.mmapring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The recovery property the order of the slot-word releases serves: a producer killed (SIGKILL) in
 * the middle of {@link RingProducer#commit()}, between two word releases, leaves the words of its
 * batch published as a PREFIX, and the restart scan ({@link RingFile#producerPosition()}, the start
 * of the next producer) ends exactly at the end of that prefix.
 *
 * <p>A child JVM takes both roles of a ring of 16,384 small records and loops: claim every slot,
 * write each record (its position and the child's incarnation number), commit (16,384 word
 * releases, then {@code tail}), consume them all. About a third of its time is spent in the commit
 * loop, so a kill at a random moment often lands between two word releases. After each kill this
 * test reads the file (no role taken) and checks, slot by slot: every position in
 * {@code [head, scan)} is published and holds the record of that position; no position after the
 * scan is published (a published slot beyond an unpublished one is an orphan that a restarted
 * producer would not see, and that the consumer would later deliver in place of a newer record).
 * Then the next incarnation starts and must report the scan position as its start, and its consumer
 * checks every left-over record it reads (position and incarnation). The test keeps killing until
 * {@link #MID_COMMIT_KILLS} kills have landed between two word releases, so it cannot pass without
 * having seen that state.
 *
 * <p>Fails on the mutant that releases the words in reverse order (orphans after the scan) and on
 * the one that releases {@code tail} before the words (unpublished positions below {@code tail}):
 * see {@code .ci/mutants.sh}.
 */
class ProducerCrashMidCommitTest {
    /** Kills that must land between two word releases of one commit. */
    static final int MID_COMMIT_KILLS = 3;
    /** Give up (and fail) after this many kills. */
    static final int MAX_KILLS = 60;
    static final int CAPACITY = 1 << 14;
    /** Record: position (int64), incarnation (int64). */
    static final RingSpec SPEC = RingSpec.of(16, CAPACITY);

    private Path path;
    private Process child;

    @AfterEach
    void cleanUp() throws IOException {
        if (child != null) {
            child.destroyForcibly();
        }
        TestRings.delete(path);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void producerKilledBetweenTwoWordReleasesLeavesAPrefixThatTheRestartScanFinds() throws Exception {
        path = TestRings.newPath("mid-commit");
        RingFile.create(path, SPEC).close();
        int midCommit = 0;
        int tailLagging = 0;
        int kills = 0;
        long expectedStart = 0;
        while (midCommit < MID_COMMIT_KILLS) {
            assertTrue(kills < MAX_KILLS, "after " + kills + " kills only " + midCommit
                + " landed between two word releases; the test has not seen the state it is about");
            final long start = startChild(kills);
            assertEquals(expectedStart, start, "incarnation " + kills + " did not start at the restart scan's position");
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(40, 250));
            killChild();
            kills++;
            final CrashState state = inspect();
            if (state.scan > state.tail) {
                tailLagging++;
                if (state.scan - state.tail < CAPACITY) {
                    midCommit++;
                }
            }
            expectedStart = state.scan;
        }
        System.out.println("[mid-commit] " + kills + " kills: " + midCommit + " between two word releases, "
            + tailLagging + " with tail lagging the published words; restart position always the scan's");
    }

    /** What a kill left in the file, checked slot by slot. */
    private CrashState inspect() throws IOException {
        try (RingFile ring = RingFile.open(path);
             FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            final ByteBuffer file = channel.map(FileChannel.MapMode.READ_ONLY, 0, SPEC.fileLength()).order(ByteOrder.LITTLE_ENDIAN);
            final long head = ring.head();
            final long tail = ring.tail();
            final long scan = ring.producerPosition();
            for (long q = Math.max(head, scan - CAPACITY); q < scan; q++) {
                final int slot = slot(q);
                assertEquals(q + 1, word(file, q), "position " + q + " below the scan (" + scan + ", tail " + tail
                    + ", head " + head + ") is not published");
                assertEquals(q, file.getLong(slot), "position " + q + " holds the record of another position");
            }
            for (long q = scan + 1; q < scan + CAPACITY; q++) {
                if (word(file, q) == q + 1) {
                    fail("position " + q + " is published after the unpublished position " + scan + " (tail " + tail
                        + ", head " + head + "): the dead producer left a hole, not a prefix");
                }
            }
            return new CrashState(tail, scan);
        }
    }

    private static long word(ByteBuffer file, long position) {
        return file.getLong(slot(position) + SPEC.sequenceOffset());
    }

    private static int slot(long position) {
        return RingLayout.DATA_OFFSET + (int) (position & (CAPACITY - 1)) * SPEC.stride();
    }

    private long startChild(int incarnation) throws IOException {
        child = new ProcessBuilder(List.of(System.getProperty("java.home") + "/bin/java", "-cp",
            System.getProperty("java.class.path"), Child.class.getName(), path.toString(), Integer.toString(incarnation)))
            .redirectErrorStream(true).start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        final String line = out.readLine();
        if (line == null || !line.startsWith("start ")) {
            final StringBuilder rest = new StringBuilder(String.valueOf(line));
            for (String more = out.readLine(); more != null; more = out.readLine()) {
                rest.append('\n').append(more);
            }
            fail("incarnation " + incarnation + " did not start: " + rest);
        }
        final Thread drain = new Thread(() -> {
            try {
                for (String more = out.readLine(); more != null; more = out.readLine()) {
                    System.out.println("[mid-commit child " + incarnation + "] " + more);
                }
            } catch (IOException ignored) {
                // killed
            }
        });
        drain.setDaemon(true);
        drain.start();
        return Long.parseLong(line.substring(6));
    }

    private void killChild() throws InterruptedException {
        if (!child.isAlive()) {
            fail("the child exited by itself (exit " + child.exitValue() + "): its consumer found a bad record, see its output above");
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
    }

    private static final class CrashState {
        final long tail;
        final long scan;

        CrashState(long tail, long scan) {
            this.tail = tail;
            this.scan = scan;
        }
    }

    /**
     * The producer process: takes both roles, prints {@code start <producer position>}, then claims,
     * fills, commits and consumes whole rings until it is killed. Its consumer checks every record:
     * position as expected, incarnation not newer than its own and never going back; on a bad one it
     * prints it and exits with status 1.
     */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            final long incarnation = Long.parseLong(args[1]);
            try (RingFile ring = RingFile.open(Paths.get(args[0]));
                 RingProducer producer = ring.producer();
                 RingConsumer consumer = ring.consumer()) {
                System.out.println("start " + producer.position());
                final ByteBuffer buffer = producer.buffer();
                final ByteBuffer in = consumer.buffer();
                long lastIncarnation = -1;
                while (true) {
                    final int n = producer.claim(CAPACITY);
                    final long first = producer.position();
                    for (int i = 0; i < n; i++) {
                        final int offset = producer.recordOffset(i);
                        buffer.putLong(offset, first + i);
                        buffer.putLong(offset + 8, incarnation);
                    }
                    producer.commit();
                    final int available = consumer.available(CAPACITY);
                    for (int i = 0; i < available; i++) {
                        final int offset = consumer.recordOffset(i);
                        final long position = in.getLong(offset);
                        final long writer = in.getLong(offset + 8);
                        if (position != consumer.position() + i || writer > incarnation || writer < lastIncarnation) {
                            System.out.println("BAD record at position " + (consumer.position() + i) + ": position "
                                + position + ", incarnation " + writer + " (this is " + incarnation + ", last read "
                                + lastIncarnation + ")");
                            System.exit(1);
                        }
                        lastIncarnation = writer;
                    }
                    consumer.consume(available);
                }
            }
        }
    }
}
