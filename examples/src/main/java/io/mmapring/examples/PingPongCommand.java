package io.mmapring.examples;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pingpong}: round-trip latency between two JVMs over two rings. This JVM sends a People on the
 * ping ring; a second JVM ({@code pong}) copies it to the pong ring; the round trip is recorded in
 * an HdrHistogram. With {@code --out}/{@code --in} it runs over existing rings, and with
 * {@code --no-echo} someone else echoes (a {@code pong} started by hand, a chain of bridges).
 */
@Command(name = "pingpong", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Round-trip latency of one People between two JVMs over two rings (ping and pong).",
        "Closed loop by default: send, wait for the echo, record, repeat. With --rate, open loop: sends"
            + " follow a fixed schedule whether or not echoes are late, and each round trip is measured"
            + " from its intended send time (no coordinated omission).",
        "Prints p50/p90/p99/p99.9/max in microseconds; --hgrm writes the percentile distribution for"
            + " HdrHistogram's plotter.",
        "By default it creates both rings and starts the echo JVM itself; --out/--in run it over existing"
            + " rings, and --no-echo leaves the echo to someone else (e.g. pong at the far end of a bridge)."})
final class PingPongCommand implements Callable<Integer> {
    /** Longest wait for the echo process to start and take its roles. */
    private static final double START_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--count"}, paramLabel = "N",
        description = "Measured round trips, after the warm-up (default: ${DEFAULT-VALUE}); ignored with --seconds.")
    long count = 100_000;

    @Option(names = "--seconds", paramLabel = "S", description = "Measure for this long instead of --count round trips.")
    double seconds;

    @Option(names = "--warmup", paramLabel = "N", description = "Round trips before measuring (default: ${DEFAULT-VALUE}).")
    long warmup = 20_000;

    @Option(names = "--rate", paramLabel = "MSGS_PER_S",
        description = "Open loop at this fixed send rate, corrected for coordinated omission; 0: closed loop (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--idle", paramLabel = "MODE", description = "How both sides wait: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PeopleRingCli.Idle idle = PeopleRingCli.Idle.SPIN;

    @Option(names = "--capacity", paramLabel = "SLOTS", description = "Capacity of each ring (default: ${DEFAULT-VALUE}).")
    int capacity = 1024;

    @Option(names = "--hgrm", paramLabel = "FILE",
        description = "Write the histogram's percentile distribution (values in microseconds) to FILE.")
    Path hgrm;

    @Option(names = "--dir", paramLabel = "DIR", description = "Directory for the two ring files (default: ${DEFAULT-VALUE}).")
    Path dir = PeopleRingCli.defaultDirectory();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long in all (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 120;

    @Option(names = "--out", paramLabel = "FILE",
        description = "Existing People ring to publish the pings to, instead of a new one in --dir (with --in).")
    Path outRing;

    @Option(names = "--in", paramLabel = "FILE",
        description = "Existing People ring to read the echoes from, instead of a new one in --dir (with --out).")
    Path inRing;

    @Option(names = "--no-echo",
        description = "Start no echo JVM: someone else copies every People from --out to --in (pong, bridges).")
    boolean noEcho;

    @Override
    public Integer call() throws IOException {
        final PrintWriter out = spec.commandLine().getOut();
        final Histogram histogram = measure(out);
        print(out, histogram);
        if (hgrm != null) {
            writeHgrm(histogram, hgrm);
            out.println("percentile distribution written to " + hgrm + " (microseconds)");
        }
        out.flush();
        return PeopleRingCli.OK;
    }

    /** Runs the echo JVM (unless --no-echo) and the measurement; returns the round trips in nanoseconds. */
    Histogram measure(PrintWriter out) throws IOException {
        check();
        final long pid = ProcessHandle.current().pid();
        final boolean ownRings = outRing == null;
        final Path pingPath = ownRings ? dir.resolve("people-ring-pingpong-" + pid + "-ping") : outRing;
        final Path pongPath = ownRings ? dir.resolve("people-ring-pingpong-" + pid + "-pong") : inRing;
        final long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        try (RingFile ping = ownRings ? create(pingPath) : openPeopleRing("--out", pingPath, true);
             RingFile pong = ownRings ? create(pongPath) : openPeopleRing("--in", pongPath, true);
             ChildJvm echo = noEcho ? null : ChildJvm.start("pong", "--ping", pingPath.toString(), "--pong",
                 pongPath.toString(), "--idle", idle.name(), "--timeout", Double.toString(timeoutSeconds))) {
            final RingProducer sender = ping.producer();
            final RingConsumer receiver = pong.consumer();
            final Peer peer = new Peer(ping, pong, echo);
            peer.await(Math.min(START_SECONDS, timeoutSeconds));
            out.printf("pingpong: %s round trips after %d warm-up, 132-byte People, this JVM (pid %d) <-> %s%s, idle %s, %s%n",
                seconds > 0 ? seconds + " s of" : Long.toString(count), warmup, pid, peer,
                ownRings ? "" : " over " + pingPath + " -> " + pongPath,
                idle.name().toLowerCase(), rate > 0 ? "open loop at " + rate + " msgs/s" : "closed loop");
            out.flush();
            final Histogram histogram = new Histogram(3);
            final Loop loop = new Loop(sender, receiver, peer, idle.strategy(), deadline);
            loop.closed(warmup, 0, null);
            if (rate > 0) {
                loop.open(seconds > 0 ? (long) (rate * seconds) : count, rate, histogram);
            } else if (seconds > 0) {
                loop.closed(Long.MAX_VALUE, System.nanoTime() + (long) (seconds * 1e9), histogram);
            } else {
                loop.closed(count, 0, histogram);
            }
            sender.close(); // an echo JVM of ours sees the producer gone, drains and exits
            if (echo != null) {
                final int code = echo.waitFor(10);
                if (code != 0) {
                    throw echo.died("the echo process");
                }
            }
            return histogram;
        } finally {
            if (ownRings) {
                PeopleRingCli.deleteQuietly(pingPath);
                PeopleRingCli.deleteQuietly(pongPath);
            }
        }
    }

    private RingFile create(Path path) throws IOException {
        return RingFile.create(path, People.spec(capacity), RingFile.DEFAULT_PERMISSIONS, true);
    }

    /**
     * Opens a ring someone else created ({@code option} names the command-line option it came from) and
     * checks that it holds People and, if {@code empty}, nothing unread (a leftover record would be
     * taken for an echo).
     */
    static RingFile openPeopleRing(String option, Path path, boolean empty) throws IOException {
        final RingFile file = RingFile.open(path);
        try {
            if (file.spec().recordSize() != People.SIZE) {
                throw new PeopleRingCli.ExampleException(option + " ring " + path + ": record size " + file.spec().recordSize()
                    + " is not a People (" + People.SIZE + " bytes)");
            }
            if (empty && file.backlog() != 0) {
                throw new PeopleRingCli.ExampleException(option + " ring " + path + ": backlog " + file.backlog()
                    + " (head " + file.head() + ", producer position " + file.producerPosition()
                    + "): it must be empty at the start, or old records would be taken for echoes");
            }
            return file;
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Prints the summary line of a histogram of round trips in nanoseconds. */
    static void print(PrintWriter out, Histogram h) {
        out.printf("round trip (us): p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f (mean %.2f, %d samples)%n",
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
            h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, h.getMean() / 1e3, h.getTotalCount());
    }

    static void writeHgrm(Histogram histogram, Path file) throws FileNotFoundException {
        try (PrintStream stream = new PrintStream(file.toFile(), StandardCharsets.UTF_8)) {
            histogram.outputPercentileDistribution(stream, 1000.0);
        } catch (IOException e) {
            final FileNotFoundException failure = new FileNotFoundException("--hgrm " + file + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    private void check() {
        if (count < 1 && !(seconds > 0)) {
            throw new IllegalArgumentException("--count " + count + " must be at least 1");
        }
        if (seconds < 0 || warmup < 0 || rate < 0 || Double.isNaN(rate) || !(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("--seconds, --warmup and --rate must be at least 0, --timeout positive");
        }
        if ((outRing == null) != (inRing == null)) {
            throw new IllegalArgumentException("--out and --in go together: give both rings or neither");
        }
        if (outRing != null && outRing.toAbsolutePath().normalize().equals(inRing.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out and --in are the same ring " + outRing);
        }
        if (noEcho && outRing == null) {
            throw new IllegalArgumentException("--no-echo needs --out and --in: the rings the other side echoes between");
        }
    }

    /**
     * The other side of the round trip: the echo JVM this command started, or, with --no-echo, whoever
     * holds the consumer role of the ping ring and the producer role of the pong ring.
     */
    private static final class Peer {
        private final RingFile ping;
        private final RingFile pong;
        private final ChildJvm echo; // null with --no-echo

        Peer(RingFile ping, RingFile pong, ChildJvm echo) {
            this.ping = ping;
            this.pong = pong;
            this.echo = echo;
        }

        /** Waits, at most {@code seconds}, until the far ends of both rings are taken. */
        void await(double seconds) throws IOException {
            final long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (!(ping.isConsumerAlive() && pong.isProducerAlive())) {
                if (echo != null && !echo.isAlive()) {
                    throw echo.died("the echo process");
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new PeopleRingCli.ExampleException(echo != null
                        ? "the echo process did not take its roles within " + seconds + " s. Its output:\n" + echo.output()
                        : "no echo within " + seconds + " s: " + missingRoles() + " (start pong, or the bridges, first)");
                }
                ReadCommand.sleep(1);
            }
        }

        /** Throws if the echo has gone; a few system calls, so called only now and then. */
        void check() throws IOException {
            if (echo != null) {
                if (!echo.isAlive()) {
                    throw echo.died("the echo process");
                }
            } else if (!(ping.isConsumerAlive() && pong.isProducerAlive())) {
                throw new PeopleRingCli.ExampleException("the echo has gone: " + missingRoles());
            }
        }

        private String missingRoles() throws IOException {
            return "ring " + ping.name() + " has " + (ping.isConsumerAlive() ? "a" : "no") + " consumer, ring "
                + pong.name() + " has " + (pong.isProducerAlive() ? "a" : "no") + " producer";
        }

        @Override
        public String toString() {
            return echo != null ? "echo JVM (pid " + echo.pid() + ")" : "an echo run elsewhere (--no-echo)";
        }
    }

    /** The sending side's hot loops. */
    private static final class Loop {
        private final RingProducer sender;
        private final RingConsumer receiver;
        private final Peer peer;
        private final IdleStrategy idle;
        private final long deadline;
        private final byte[] name = new byte[People.NAME_LENGTH];
        private long sequence;
        private long spins;

        Loop(RingProducer sender, RingConsumer receiver, Peer peer, IdleStrategy idle, long deadline) {
            this.sender = sender;
            this.receiver = receiver;
            this.peer = peer;
            this.idle = idle;
            this.deadline = deadline;
            People.encodeName("pingpong", name);
        }

        /** {@code n} round trips (or until {@code end}, if not 0), one at a time; recorded when {@code histogram} is given. */
        void closed(long n, long end, Histogram histogram) throws IOException {
            final RingProducer sender = this.sender;
            final RingConsumer receiver = this.receiver;
            final ByteBuffer in = receiver.buffer();
            for (long i = 0; i < n; i++) {
                final long sent = System.nanoTime();
                if (end != 0 && sent - end >= 0) {
                    return;
                }
                while (sender.claim(1) == 0) {
                    pause();
                }
                send(sequence);
                idle.reset();
                while (receiver.available(1) == 0) {
                    pause();
                }
                final int id = in.getInt(receiver.recordOffset(0) + People.ID_OFFSET);
                receiver.consume(1);
                final long received = System.nanoTime();
                checkEcho(id, sequence);
                sequence++;
                if (histogram != null) {
                    histogram.recordValue(received - sent);
                }
            }
        }

        /**
         * {@code n} sends on a fixed schedule, {@code 1 / rate} apart, while echoes are received as they
         * come; each round trip is recorded from its intended send time, so a stall delays the sends
         * behind it and is charged to them too (no coordinated omission).
         */
        void open(long n, double rate, Histogram histogram) throws IOException {
            final RingProducer sender = this.sender;
            final RingConsumer receiver = this.receiver;
            final ByteBuffer in = receiver.buffer();
            final double interval = 1e9 / rate;
            final long first = sequence;
            final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            long sent = 0;
            long received = 0;
            while (received < n) {
                boolean busy = false;
                if (sent < n && System.nanoTime() - (start + (long) (sent * interval)) >= 0 && sender.claim(1) == 1) {
                    send(first + sent);
                    sent++;
                    busy = true;
                }
                final int echoes = receiver.available(64);
                if (echoes > 0) {
                    final long now = System.nanoTime();
                    for (int k = 0; k < echoes; k++) {
                        checkEcho(in.getInt(receiver.recordOffset(k) + People.ID_OFFSET), first + received);
                        histogram.recordValue(Math.max(0, now - (start + (long) (received * interval))));
                        received++;
                    }
                    receiver.consume(echoes);
                    busy = true;
                }
                if (!busy) {
                    pause();
                } else {
                    idle.reset();
                }
            }
            sequence = first + n;
        }

        private void send(long id) {
            final ByteBuffer out = sender.buffer();
            final int offset = sender.recordOffset(0);
            out.put(offset + People.NAME_OFFSET, name, 0, People.NAME_LENGTH);
            out.putInt(offset + People.ID_OFFSET, (int) id);
            sender.commit();
        }

        private void checkEcho(int id, long expected) {
            if (id != (int) expected) {
                throw new PeopleRingCli.ExampleException("echo of id " + (int) expected + " came back as id " + id);
            }
        }

        /** Idles; every 65536 calls checks that the echo lives and the run is within its time. */
        private void pause() throws IOException {
            idle.idle();
            if ((++spins & 0xFFFF) == 0) {
                peer.check();
                if (System.nanoTime() - deadline >= 0) {
                    throw new PeopleRingCli.ExampleException("pingpong did not finish within its --timeout");
                }
            }
        }
    }
}
