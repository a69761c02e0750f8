package io.mmapring.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mmapring.People;
import io.mmapring.RingFile;
import io.mmapring.RingLayout;
import io.mmapring.RingSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code inspect}: a ring file's header and state, read without writing a byte; with {@code --watch},
 * a live view (as AeronStat and {@code top}): one line per interval with the producer and consumer
 * positions, the rates in and out over the interval, the backlog and its share of the capacity, and
 * whether each role is held, until interrupted.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints a ring file's header (format version, record size, stride, capacity) and state"
        + " (head, tail, producer position, backlog, whether a producer and a consumer hold their roles).",
        "With --watch, prints one line per --interval instead: producer and consumer positions, People/s in and"
            + " out over the interval, backlog and its share of the capacity, roles alive; until interrupted"
            + " (Ctrl-C or SIGTERM end it with exit code 0).",
        "Validates the file as every opener does; a file that is not a valid ring is refused with the"
            + " library's error and exit code 1. Maps the file read-only and writes nothing: read permission is enough."})
final class InspectCommand implements Callable<Integer> {
    private static final String WATCH_FORMAT = "%-12s %15s %15s %10s %10s %10s %6s  %-8s  %s%n";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Ring file.")
    Path ring;

    @Option(names = "--wait", paramLabel = "SECONDS",
        description = "How long to wait for a file whose creator has not finished its header (default: ${DEFAULT-VALUE}).")
    double waitSeconds = 1;

    @Option(names = "--watch", description = "Print one line of positions, rates, backlog and roles per --interval until interrupted.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = IntervalConverter.class,
        description = "Time between --watch lines: 1s, 500ms, 2.5s, 1m, 1h; a bare number is seconds (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--samples", paramLabel = "N",
        description = "With --watch: stop after N lines; 0: run until interrupted (default: ${DEFAULT-VALUE}).")
    long samples;

    @Override
    public Integer call() throws IOException {
        PeopleRingCli.checkSeconds("--wait", waitSeconds, false);
        if (samples < 0) {
            throw new IllegalArgumentException("--samples " + samples + " is negative");
        }
        if (samples > 0 && !watch) {
            throw new IllegalArgumentException("--samples " + samples + " needs --watch");
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (watch) {
            return watch(out);
        }
        try (RingFile file = open(ring)) {
            final ByteBuffer header = readHeader(ring);
            final RingSpec shape = file.spec();
            final long magic = header.getLong(RingLayout.MAGIC_OFFSET);
            final byte[] magicText = new byte[8];
            header.get(RingLayout.MAGIC_OFFSET, magicText);
            final long head = file.head();
            final long tail = file.tail();
            final long position = file.producerPosition();
            final String format = "%-18s %s%n";
            out.printf(format, "ring", file.name());
            out.printf(format, "magic", String.format("0x%016x (\"%s\")", magic, new String(magicText, StandardCharsets.US_ASCII)));
            out.printf(format, "format version", header.getInt(RingLayout.VERSION_OFFSET));
            out.printf(format, "record size", shape.recordSize() + " bytes" + (shape.recordSize() == People.SIZE
                ? " (People: char name[" + People.NAME_LENGTH + "] + int id)" : ""));
            out.printf(format, "slot stride", shape.stride() + " bytes");
            out.printf(format, "sequence offset", shape.sequenceOffset());
            out.printf(format, "capacity", shape.capacity() + " slots");
            out.printf(format, "data offset", header.getLong(RingLayout.DATA_OFFSET_OFFSET));
            out.printf(format, "file length", shape.fileLength() + " bytes");
            out.printf(format, "head", head + " (consumer position)");
            out.printf(format, "tail", tail + (tail == position ? "" : " (behind the producer position: a producer died between its two stores)"));
            out.printf(format, "producer position", position);
            out.printf(format, "backlog", Math.max(0, position - head) + " of " + shape.capacity());
            out.printf(format, "producer", file.isProducerAlive() ? "alive (role lock held)" : "none");
            out.printf(format, "consumer", file.isConsumerAlive() ? "alive (role lock held)" : "none");
            out.flush();
        }
        return PeopleRingCli.OK;
    }

    /** Opens the ring to look at it only: mapped read-only, no role taken, nothing written; read permission is enough. */
    private RingFile open(Path path) throws IOException {
        return RingFile.openReadOnly(path, Duration.ofMillis((long) (waitSeconds * 1000)));
    }

    /** The raw immutable header fields, read through a read-only channel (the ring validated them). */
    private static ByteBuffer readHeader(Path path) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(RingLayout.TAIL_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
                // the whole immutable block
            }
        }
        return header;
    }

    // ---- --watch ---------------------------------------------------------------------------------

    /** One look at the counters and the roles. */
    private static final class Sample {
        final long nanos = System.nanoTime();
        final long consumer;
        final long producer;
        final boolean producerAlive;
        final boolean consumerAlive;

        Sample(RingFile file) throws IOException {
            consumer = file.head();
            producer = file.producerPosition();
            producerAlive = file.isProducerAlive();
            consumerAlive = file.isConsumerAlive();
        }
    }

    /**
     * Prints a line per interval until {@link #samples} lines, the end of the output, or a signal. On
     * SIGINT or SIGTERM a shutdown hook stops the loop, waits for the ring to be closed, and ends the
     * JVM with exit code 0: being interrupted is how a watch ends.
     */
    private int watch(PrintWriter out) throws IOException {
        final Thread watcher = Thread.currentThread();
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicBoolean signalled = new AtomicBoolean();
        final Thread hook = new Thread(() -> {
            signalled.set(true);
            watcher.interrupt();
            try {
                finished.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // ending anyway
            }
            out.flush();
            Runtime.getRuntime().halt(PeopleRingCli.OK);
        }, "inspect-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        RingFile file = open(ring);
        long lines = 0;
        try {
            Object key = fileKey(ring);
            out.printf("watching %s: %d slots of %d bytes, every %s, %s; read-only, no role taken%n",
                file.name(), file.spec().capacity(), file.spec().stride(), IntervalConverter.format(interval),
                samples > 0 ? samples + (samples == 1 ? " line" : " lines") : "until interrupted (Ctrl-C)");
            out.printf(WATCH_FORMAT, "time", "producer", "consumer", "in/s", "out/s", "backlog", "full", "producer", "consumer");
            Sample previous = null;
            final DateTimeFormatter clock = DateTimeFormatter.ofPattern(interval.toMillis() % 1000 == 0 ? "HH:mm:ss" : "HH:mm:ss.SSS");
            final long every = interval.toNanos();
            while (samples == 0 || lines < samples) {
                if (previous != null && !sleepUntil(previous.nanos + every)) {
                    break; // interrupted: the shutdown hook is ending the watch
                }
                final Object now = fileKey(ring);
                if (now == null) {
                    throw new PeopleRingCli.ExampleException("ring " + ring + ": the file was deleted while being watched");
                }
                if (!now.equals(key)) {
                    file.close();
                    file = open(ring);
                    key = now;
                    previous = null;
                    out.printf("ring %s was replaced by a new file (%d slots of %d bytes): watching the new one%n",
                        file.name(), file.spec().capacity(), file.spec().stride());
                }
                final Sample sample = new Sample(file);
                print(out, clock, file.spec().capacity(), previous, sample);
                lines++;
                previous = sample;
                // nobody reads the output any more (`| head`): System.out keeps its own error flag, as
                // PrintStream swallows the write error, so the writer over it never sees one
                if (out.checkError() || System.out.checkError()) {
                    break;
                }
            }
            out.printf("inspect: stopped after %d lines%n", lines);
            out.flush();
            return PeopleRingCli.OK;
        } finally {
            file.close();
            out.flush();
            finished.countDown();
            if (!signalled.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // a signal came in just now: the hook ends the JVM with 0
                }
            }
        }
    }

    private static void print(PrintWriter out, DateTimeFormatter clock, int capacity, Sample previous, Sample sample) {
        final long backlog = Math.max(0, sample.producer - sample.consumer);
        final String in;
        final String outRate;
        if (previous == null) {
            in = "-";
            outRate = "-";
        } else {
            final long nanos = Math.max(1, sample.nanos - previous.nanos);
            in = rate(sample.producer - previous.producer, nanos);
            outRate = rate(sample.consumer - previous.consumer, nanos);
        }
        out.printf(WATCH_FORMAT, LocalTime.now().format(clock), sample.producer, sample.consumer, in, outRate, backlog,
            String.format("%.1f%%", 100.0 * backlog / capacity), sample.producerAlive ? "alive" : "none",
            sample.consumerAlive ? "alive" : "none");
        out.flush();
    }

    /** Records per second over {@code nanos}, one word for {@code awk}: {@code 4.13M}, {@code 950.2k}, {@code 12}. */
    static String rate(long records, long nanos) {
        final double perSecond = records * 1e9 / nanos;
        if (Math.abs(perSecond) >= 1e6) {
            return String.format("%.2fM", perSecond / 1e6);
        }
        if (Math.abs(perSecond) >= 1e3) {
            return String.format("%.1fk", perSecond / 1e3);
        }
        return String.format("%.0f", perSecond);
    }

    /** The file's identity (device and inode), or null if it is gone; the path itself where there is none. */
    private static Object fileKey(Path path) throws IOException {
        try {
            final Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : path;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Sleeps until {@code deadline} (System.nanoTime); false if interrupted. */
    private static boolean sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !Thread.currentThread().isInterrupted();
    }

    /** {@code --interval}: {@code 250ms}, {@code 1s}, {@code 2.5s}, {@code 1m}, {@code 1h}, or a bare number of seconds; 10 ms to 1 hour. */
    static final class IntervalConverter implements ITypeConverter<Duration> {
        private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            final Matcher matcher = FORMAT.matcher(value.trim());
            if (!matcher.matches()) {
                throw new TypeConversionException("'" + value + "' is not a duration (examples: 1s, 500ms, 2.5s, 1m, 1h)");
            }
            final double number = Double.parseDouble(matcher.group(1));
            final String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            final double millis = number * (unit.equals("ms") ? 1 : unit.equals("s") ? 1_000 : unit.equals("m") ? 60_000 : 3_600_000);
            if (millis < 10 || millis > 3_600_000) {
                throw new TypeConversionException("'" + value + "' is outside 10ms..1h");
            }
            return Duration.ofNanos((long) (millis * 1e6));
        }

        static String format(Duration interval) {
            final long millis = interval.toMillis();
            return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
        }
    }
}
