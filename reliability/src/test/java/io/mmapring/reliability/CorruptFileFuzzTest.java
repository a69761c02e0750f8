package io.mmapring.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingFormatException;
import io.mmapring.RingLayout;
import io.mmapring.RingProducer;
import io.mmapring.RingSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing of hostile and corrupt ring files: random bytes, bit flips, every truncation
 * length, huge capacity and record sizes whose product overflows, head and tail out of range,
 * garbage sequence words. Each case goes through {@link RingFile#open(Path, Duration)} on a file in
 * /dev/shm and through {@link RingFile#wrap} on a direct buffer. The only acceptable outcomes:
 * the open succeeds on a ring that is still valid (its spec is the original one, its positions
 * satisfy the invariants, and a producer and a consumer then move every waiting record and two laps
 * of new messages through it, bounded in rounds, failing if at all only with
 * {@link RingFormatException}: a ring that opens never leaves a consumer waiting forever), or it throws {@link RingFormatException} or {@link IOException} whose
 * message names the file. Anything else (IndexOutOfBounds, OutOfMemoryError, IllegalArgument, a
 * hang) fails. {@code -Dfuzz.cases=N} sets the number of cases per path (12,000 by default).
 */
class CorruptFileFuzzTest {
    private static final int CAPACITY = 16;
    private static final RingSpec SPEC = People.spec(CAPACITY);
    private static final int LENGTH = SPEC.fileLength();
    private static final int WRITTEN = 20;
    private static final int CONSUMED = 10;
    /** New messages sent through every ring that opened: two laps. */
    private static final int TRAFFIC = 2 * CAPACITY;
    /** Rounds in a row without a record moved after which a ring that opened counts as hung. */
    private static final int STUCK_ROUNDS = 100;

    private static final long[] INTERESTING = {
        0, 1, -1, 2, 7, 8, 15, 16, 17, 31, 32, 132, 136, 144, 384, 1024, LENGTH, CAPACITY - 1, CAPACITY + 1,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, 1L << 32, (1L << 32) - 1, 1L << 20, (1L << 20) + 1,
        (1L << 20) + 8, 1L << 30, (1L << 30) + 1, 1L << 31 | 1, 1L << 40, 1L << 62, 1L << 63, Long.MAX_VALUE,
        Long.MAX_VALUE - 1, Long.MAX_VALUE - CAPACITY, Long.MIN_VALUE + 1, 0x0101010101010101L,
    };
    private static final int[] FIELDS = {
        RingLayout.MAGIC_OFFSET, RingLayout.VERSION_OFFSET, RingLayout.RECORD_SIZE_OFFSET, RingLayout.STRIDE_OFFSET,
        RingLayout.SEQUENCE_OFFSET_OFFSET, RingLayout.CAPACITY_OFFSET, RingLayout.DATA_OFFSET_OFFSET,
        RingLayout.TAIL_OFFSET, RingLayout.HEAD_OFFSET,
    };
    private static final String[] KINDS = {
        "random-bytes", "bit-flips", "truncate-or-extend", "field-value", "huge-spec", "head-tail",
        "sequence-words", "combined",
    };

    private Path dir;
    private final Map<String, int[]> outcomes = new TreeMap<>();
    /** Per kind: rings that opened and then stopped a consumer or producer with RingFormatException. */
    private final Map<String, Integer> stoppedAfterOpen = new TreeMap<>();

    @AfterEach
    void deleteFiles() {
        Reports.deleteTree(dir);
    }

    @Test
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
    void everyCorruptionIsRefusedWithAClearErrorOrLeavesAValidRing() throws Exception {
        final long seed = Reports.seed("fuzz");
        final int cases = Reports.intProperty("fuzz.cases", 12_000);
        dir = Reports.scratchDir("fuzz");
        final Path path = dir.resolve("ring");
        final byte[] pristine = pristineRing(path);
        final SplittableRandom random = new SplittableRandom(seed);
        final long started = System.nanoTime();
        int fileCases = 0;
        int bufferCases = 0;
        // every truncation length first, then random cases
        for (int length = 0; length <= LENGTH + 2 * SPEC.stride(); length++) {
            final byte[] bytes = Arrays.copyOf(pristine, length);
            fileCases += runFileCase(path, bytes, "truncate-to-" + length, false);
            bufferCases += runBufferCase(bytes, "truncate-to-" + length, false);
        }
        for (int i = 0; fileCases < cases; i++) {
            final int kind = i % KINDS.length;
            final byte[] bytes = pristine.clone();
            final StringBuilder what = new StringBuilder(KINDS[kind]).append('#').append(i).append(':');
            final byte[] mutated = mutate(kind, bytes, random, what);
            final boolean slotsTouched = kind == 6 || (kind == 7 && what.indexOf("seq") >= 0);
            fileCases += runFileCase(path, mutated, what.toString(), slotsTouched);
            bufferCases += runBufferCase(mutated, what.toString(), slotsTouched);
            if (i % 2000 == 1999) {
                System.gc(); // unmaps the small mappings of earlier cases (no deterministic unmap on JDK 17)
            }
        }
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seed", seed);
        figures.put("cases.file", fileCases);
        figures.put("cases.buffer", bufferCases);
        outcomes.forEach((kind, counts) -> figures.put("outcome." + kind,
            "opened=" + counts[0] + " refused=" + counts[1] + " ioexception=" + counts[2] + " otherValidSpec=" + counts[3]
                + " roleStoppedAfterOpen=" + stoppedAfterOpen.getOrDefault(kind, 0)));
        figures.put("seconds", (System.nanoTime() - started) / 1_000_000_000.0);
        Reports.write("fuzz", figures);
        assertOutcomesAreTheExpectedOnes(fileCases, bufferCases);
    }

    /**
     * The tally, checked against what the format dictates (each case is also checked as it runs;
     * this checks that the fuzzing did what it claims, and the cases whose outcome is known exactly):
     * every case counted once; a file truncated or extended to any length but the ring's is refused
     * by {@code open} (the header fixes the length), the pristine length opens; a buffer is refused
     * by {@code wrap} exactly when it is shorter than the ring; and every mutation kind (of at least 50
     * cases) was refused at least once, so no kind silently left the file intact.
     */
    private void assertOutcomesAreTheExpectedOnes(int fileCases, int bufferCases) {
        final int lengths = LENGTH + 2 * SPEC.stride() + 1;
        int fileCounted = 0;
        int bufferCounted = 0;
        for (Map.Entry<String, int[]> entry : outcomes.entrySet()) {
            final int sum = Arrays.stream(entry.getValue()).sum();
            if (entry.getKey().startsWith("open.")) {
                fileCounted += sum;
            } else {
                bufferCounted += sum;
            }
        }
        assertEquals(fileCases, fileCounted, "file cases counted once each: " + tally());
        assertEquals(bufferCases, bufferCounted, "buffer cases counted once each: " + tally());
        final int[] truncatedFiles = outcomes.get("open.truncate-every-length");
        assertEquals(lengths, Arrays.stream(truncatedFiles).sum(), tally());
        assertEquals(1, truncatedFiles[0] + truncatedFiles[3], "of " + lengths + " file lengths only the ring's ("
            + LENGTH + ") opens: every length but the ring's must be refused; " + tally());
        assertEquals(lengths - 1, truncatedFiles[1] + truncatedFiles[2], "every length but the ring's must be refused; " + tally());
        final int[] truncatedBuffers = outcomes.get("wrap.truncate-every-length");
        assertEquals(LENGTH, truncatedBuffers[1], "every buffer shorter than the ring (" + LENGTH + " lengths) is refused; " + tally());
        assertEquals(2 * SPEC.stride() + 1, truncatedBuffers[0], "a buffer as long as the ring, or longer, wraps; " + tally());
        for (String kind : KINDS) {
            final int[] counts = outcomes.get("open." + kind);
            if (counts == null || Arrays.stream(counts).sum() < 50) {
                continue; // a short run (-Dfuzz.cases just above the truncation cases) has too few of this kind
            }
            // garbage sequence words pass open (the scan stops at them); the consumer or producer refuses them
            final int refused = counts[1] + counts[2] + stoppedAfterOpen.getOrDefault("open." + kind, 0);
            assertTrue(refused > 0, "no '" + kind + "' case was refused, at open or by a role after it: " + tally());
        }
    }

    private String tally() {
        final StringBuilder text = new StringBuilder();
        outcomes.forEach((kind, counts) -> text.append(kind).append(Arrays.toString(counts)).append(' '));
        return text.append("stopped after open: ").append(stoppedAfterOpen).toString();
    }

    @Test
    void aHeaderThatNeverAppearsIsRefusedAfterTheOpenTimeoutNotAHang() throws Exception {
        dir = Reports.scratchDir("fuzz-timeout");
        final Path empty = dir.resolve("never-initialised");
        Files.write(empty, new byte[LENGTH]); // right length, magic still 0: a creator that died mid-way
        final Path shortFile = dir.resolve("short");
        Files.write(shortFile, new byte[100]);
        for (Path path : new Path[] {empty, shortFile}) {
            final long start = System.nanoTime();
            final RingFormatException e = org.junit.jupiter.api.Assertions.assertThrows(RingFormatException.class,
                () -> RingFile.open(path, Duration.ofMillis(300)));
            final long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().startsWith("ring " + path + ": ") && e.getMessage().contains("after waiting 300 ms"),
                e.getMessage());
            assertTrue(millis >= 250 && millis < 30_000, "waited " + millis + " ms for a 300 ms timeout");
        }
    }

    /** A valid People ring of capacity 16 that has wrapped: 20 written, 10 consumed. */
    private static byte[] pristineRing(Path path) throws IOException {
        try (RingFile ring = RingFile.create(path, SPEC)) {
            final RingProducer producer = ring.producer();
            final People people = new People();
            for (long p = 0; p < WRITTEN; p++) {
                if (p == CAPACITY) {
                    final RingConsumer consumer = ring.consumer();
                    assertEquals(CONSUMED, consumer.poll((b, o) -> { }, CONSUMED));
                    consumer.close();
                }
                assertEquals(1, producer.claim(1));
                Traffic.write(people, producer.buffer(), producer.recordOffset(0), p);
                producer.commit();
            }
            producer.close();
        }
        final byte[] bytes = Files.readAllBytes(path);
        assertEquals(LENGTH, bytes.length);
        return bytes;
    }

    private static byte[] mutate(int kind, byte[] bytes, SplittableRandom random, StringBuilder what) {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (kind) {
            case 0: {
                final int n = 1 + random.nextInt(8);
                for (int j = 0; j < n; j++) {
                    final int at = random.nextInt(RingLayout.DATA_OFFSET);
                    bytes[at] = (byte) random.nextInt(256);
                    what.append(" byte@").append(at);
                }
                return bytes;
            }
            case 1: {
                final int n = 1 + random.nextInt(4);
                for (int j = 0; j < n; j++) {
                    final int bit = random.nextInt(RingLayout.DATA_OFFSET * 8);
                    bytes[bit >>> 3] ^= (byte) (1 << (bit & 7));
                    what.append(" bit").append(bit);
                }
                return bytes;
            }
            case 2: {
                final int length = random.nextInt(LENGTH * 3);
                what.append(" length ").append(length);
                return Arrays.copyOf(bytes, length);
            }
            case 3: {
                final int field = FIELDS[random.nextInt(FIELDS.length)];
                final long value = interesting(random);
                putField(buffer, field, value);
                what.append(" field@").append(field).append('=').append(value);
                return bytes;
            }
            case 4: {
                // self-consistent header (stride and sequence offset follow the record size) with sizes that
                // overflow capacity * stride, or do not fit one mapping, or do not match the file
                final int recordSize = random.nextBoolean()
                    ? new int[] {1, 8, People.SIZE, RingLayout.MAX_RECORD_SIZE, RingLayout.MAX_RECORD_SIZE + 1,
                        Integer.MAX_VALUE - 7, Integer.MAX_VALUE}[random.nextInt(7)]
                    : 1 + random.nextInt(RingLayout.MAX_RECORD_SIZE);
                final long capacity = random.nextInt(10) == 0 ? interesting(random) : 1L << random.nextInt(64);
                buffer.putInt(RingLayout.RECORD_SIZE_OFFSET, recordSize);
                buffer.putInt(RingLayout.STRIDE_OFFSET, (recordSize + 7 & ~7) + RingLayout.SEQUENCE_WIDTH);
                buffer.putInt(RingLayout.SEQUENCE_OFFSET_OFFSET, recordSize + 7 & ~7);
                buffer.putLong(RingLayout.CAPACITY_OFFSET, capacity);
                what.append(" recordSize=").append(recordSize).append(" capacity=").append(capacity);
                return bytes;
            }
            case 5: {
                final long head = random.nextBoolean() ? random.nextInt(3 * CAPACITY) : interesting(random);
                final long tail = random.nextBoolean() ? head + random.nextInt(2 * CAPACITY + 2) - CAPACITY / 2
                    : random.nextBoolean() ? random.nextInt(3 * CAPACITY) : interesting(random);
                buffer.putLong(RingLayout.HEAD_OFFSET, head);
                buffer.putLong(RingLayout.TAIL_OFFSET, tail);
                what.append(" head=").append(head).append(" tail=").append(tail);
                return bytes;
            }
            case 6: {
                final int n = 1 + random.nextInt(CAPACITY);
                for (int j = 0; j < n; j++) {
                    final int slot = random.nextInt(CAPACITY);
                    final long near = CONSUMED + slot + 1;
                    final long value;
                    switch (random.nextInt(4)) {
                        case 0: value = random.nextLong(); break;
                        case 1: value = near + random.nextInt(3 * CAPACITY) - CAPACITY; break;
                        case 2: value = interesting(random); break;
                        default: value = near + CAPACITY; break;
                    }
                    buffer.putLong(RingLayout.DATA_OFFSET + slot * SPEC.stride() + SPEC.sequenceOffset(), value);
                    what.append(" seq[").append(slot).append("]=").append(value);
                }
                return bytes;
            }
            default: {
                byte[] result = bytes;
                final int n = 2 + random.nextInt(2);
                for (int j = 0; j < n; j++) {
                    final int inner = random.nextInt(KINDS.length - 1);
                    result = mutate(inner, result.length >= LENGTH ? result : Arrays.copyOf(result, LENGTH), random, what);
                }
                return result;
            }
        }
    }

    private static long interesting(SplittableRandom random) {
        return random.nextInt(8) == 0 ? random.nextLong() : INTERESTING[random.nextInt(INTERESTING.length)];
    }

    private static void putField(ByteBuffer buffer, int field, long value) {
        if (field == RingLayout.VERSION_OFFSET || field == RingLayout.RECORD_SIZE_OFFSET
            || field == RingLayout.STRIDE_OFFSET || field == RingLayout.SEQUENCE_OFFSET_OFFSET) {
            buffer.putInt(field, (int) value);
        } else {
            buffer.putLong(field, value);
        }
    }

    private int runFileCase(Path path, byte[] bytes, String what, boolean slotsTouched) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(bytes), 0);
        }
        final String name = path.toString();
        final RingFile ring;
        try {
            ring = RingFile.open(path, Duration.ZERO);
        } catch (RingFormatException e) {
            expectNamed(e, name, what);
            count(what, 1);
            return 1;
        } catch (IOException e) {
            expectNamed(e, name, what);
            count(what, 2);
            return 1;
        } catch (Throwable e) {
            throw new AssertionError("open of a corrupt file threw " + e + " (case " + what + ")", e);
        }
        // record sizes 129..136 share People's stride and sequence offset: such a header is a valid ring of that size
        final boolean sameSpec = ring.spec().equals(SPEC);
        try (ring) {
            if (exercise(ring, what, slotsTouched || !sameSpec, ring.spec())) {
                stoppedAfterOpen.merge(kind(what), 1, Integer::sum);
            }
        }
        count(what, sameSpec ? 0 : 3);
        return 1;
    }

    private int runBufferCase(byte[] bytes, String what, boolean slotsTouched) {
        final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(0, bytes);
        final RingFile ring;
        try {
            ring = RingFile.wrap(direct);
        } catch (RingFormatException e) {
            expectNamed(e, "ring buffer@", what);
            count("wrap:" + what, 1);
            return 1;
        } catch (Throwable e) {
            throw new AssertionError("wrap of a corrupt buffer threw " + e + " (case " + what + ")", e);
        }
        // wrap accepts a buffer longer than the ring: a smaller self-consistent spec is a valid ring of that spec
        final boolean sameSpec = ring.spec().equals(SPEC);
        if (exercise(ring, what, slotsTouched || !sameSpec, ring.spec())) {
            stoppedAfterOpen.merge(kind("wrap:" + what), 1, Integer::sum);
        }
        count("wrap:" + what, sameSpec ? 0 : 3);
        return 1;
    }

    /**
     * An opened ring must be valid and must move messages: original spec, invariants hold, and then a
     * producer and a consumer, both taken on it, run traffic: the consumer must receive every record
     * the ring says is published and not consumed ({@code producerPosition() - head()}), then every one
     * of {@link #TRAFFIC} new messages, in order, within a bounded number of rounds. One thread drives
     * both roles in turns, so "no progress in {@link #STUCK_ROUNDS} rounds in a row" is a hang, not a
     * slow peer: the test fails saying so. The only acceptable stops are a {@link RingFormatException}
     * naming the ring (at a role take or while running), or the producer refusing to pass the format's
     * 2^62 bound. Returns whether a role stopped so.
     */
    private static boolean exercise(RingFile ring, String what, boolean slotsTouched, RingSpec spec) {
        final int capacity = spec.capacity();
        final long head;
        final long position;
        final RingConsumer consumer;
        final RingProducer producer;
        try {
            assertEquals(spec, ring.spec(), "opened with a different spec: " + what);
            head = ring.head();
            position = ring.producerPosition();
            assertTrue(head >= 0 && head <= position && position - head <= capacity,
                "opened with head " + head + " and producer position " + position + ": " + what);
            consumer = ring.consumer();
            producer = ring.producer();
        } catch (RingFormatException e) {
            expectNamed(e, ring.name(), what);
            return true;
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("an opened ring threw " + e + " (case " + what + ")", e);
        }
        final long backlog = position - head;
        final People people = new People();
        final People writer = new People();
        final byte[] field = new byte[People.NAME_LENGTH];
        final byte[] name = new byte[People.NAME_LENGTH];
        final long[] next = {head};
        long sent = 0;
        try (consumer; producer) {
            int stuck = 0;
            while (next[0] - head < backlog + TRAFFIC || sent < TRAFFIC) {
                boolean progress = false;
                if (sent < TRAFFIC && producer.claim(1) == 1) {
                    if (spec.recordSize() == People.SIZE) {
                        Traffic.write(writer, producer.buffer(), producer.recordOffset(0), producer.position());
                    }
                    producer.commit();
                    sent++;
                    progress = true;
                }
                final int n = consumer.poll((buffer, offset) -> {
                    if (spec.recordSize() == People.SIZE) {
                        people.wrap(buffer, offset);
                        people.nameTo(name);
                        people.id();
                        // a header-only corruption can move head and tail but cannot forge a published slot;
                        // the records this producer wrote are always the messages of their positions
                        if ((!slotsTouched || next[0] >= position) && !Traffic.matches(buffer, offset, next[0], field)) {
                            fail("delivered a record that is not the message of position " + next[0] + ": " + what);
                        }
                    } else {
                        buffer.get(offset + spec.recordSize() - 1);
                    }
                    next[0]++;
                }, 7);
                progress |= n > 0;
                stuck = progress ? 0 : stuck + 1;
                if (stuck == STUCK_ROUNDS) {
                    fail("opened, but the messages do not move (a consumer would wait forever): the consumer is at "
                        + next[0] + " after " + (next[0] - head) + " of " + (backlog + sent) + " records (the ring said "
                        + backlog + " were waiting at head " + head + ", producer position " + position + "; " + sent
                        + " of " + TRAFFIC + " new ones sent): " + what);
                }
            }
        } catch (RingFormatException e) {
            expectNamed(e, ring.name(), what);
            return true;
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().contains("2^62")) {
                throw new AssertionError("an opened ring threw " + e + " (case " + what + ")", e);
            }
            expectNamed(e, ring.name(), what); // the producer refuses to pass the format's bound
            return true;
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("an opened ring threw " + e + " (case " + what + ")", e);
        }
        return false;
    }

    private static void expectNamed(Exception e, String name, String what) {
        if (e.getMessage() == null || !e.getMessage().contains(name)) {
            throw new AssertionError("error does not name the ring " + name + ": " + e + " (case " + what + ")", e);
        }
    }

    /** Outcomes per kind: 0 opened, 1 refused (RingFormatException), 2 IOException, 3 wrapped as another valid spec. */
    private void count(String what, int outcome) {
        outcomes.computeIfAbsent(kind(what), k -> new int[4])[outcome]++;
    }

    /** "open.&lt;kind&gt;" or "wrap.&lt;kind&gt;" of a case description. */
    private static String kind(String what) {
        final String path = what.startsWith("wrap:") ? "wrap." : "open.";
        final String bare = what.startsWith("wrap:") ? what.substring(5) : what;
        return path + (bare.startsWith("truncate-to-") ? "truncate-every-length" : bare.substring(0, bare.indexOf('#')));
    }
}
