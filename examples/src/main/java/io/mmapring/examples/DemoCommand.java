package io.mmapring.examples;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.mmapring.People;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo}: the README's main command, and the seed's claim measured side by side. The same
 * million People go from this JVM through the ring, through a Unix domain socket and through a pipe
 * (a second JVM's standard input), each to a second JVM that checks every one; then one People goes
 * back and forth through the ring and through the socket for the round-trip latency; then a table of
 * rates, latencies and the ring's ratio to each. Exit code 0 only if every People arrived on every
 * transport and every echo came back.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    subcommands = {DemoReceiveCommand.class, DemoEchoCommand.class},
    description = {"Sends the same People through the ring, a Unix domain socket and a pipe, each to a second JVM"
        + " that checks every id and name; then measures the round trip of one People through the ring and the socket;"
        + " then prints rates, round-trip percentiles and the ring's ratio to each.",
        "Busy-spins when at least 2 CPUs are available (2 or more, and a load average below their number"
            + " minus one), else yields; --idle to choose. Exit code 0 only if every People arrived, once, in order,"
            + " with its name, on every transport."})
final class DemoCommand implements Callable<Integer> {
    /** Longest wait for a peer JVM to start and say it is ready. */
    private static final double START_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "People sent through each transport (default: ${DEFAULT-VALUE}).")
    int count = 1_000_000;

    @Option(names = "--batch", paramLabel = "N",
        description = "People per claim and commit on the ring, per write() on the socket and the pipe (default: ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--capacity", paramLabel = "SLOTS", description = "Ring capacity, a power of two (default: ${DEFAULT-VALUE}).")
    int capacity = 4096;

    @Option(names = "--round-trips", paramLabel = "N",
        description = "Measured round trips on the ring and on the socket; 0: skip them (default: ${DEFAULT-VALUE}).")
    int roundTrips = 50_000;

    @Option(names = "--warmup", paramLabel = "N", description = "Round trips before measuring (default: ${DEFAULT-VALUE}).")
    int warmup = 20_000;

    @Option(names = "--idle", paramLabel = "MODE",
        description = "How the ring's sides wait: ${COMPLETION-CANDIDATES} (default: spin when at least 2 CPUs are"
            + " available and the load average is below their number minus 1, else yield). The socket and the pipe"
            + " always block in the kernel.")
    PeopleRingCli.Idle idle;

    @Option(names = "--dir", paramLabel = "DIR", description = "Directory for the ring files and the socket (default: ${DEFAULT-VALUE}).")
    Path dir = PeopleRingCli.defaultDirectory();

    @Option(names = "--timeout", paramLabel = "SECONDS",
        description = "Longest time for one transport or one round-trip run; a peer still running then is killed (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 60;

    /** An id the senders skip (they send the next one in its place); -1, none. Tests set it: a lost People must fail the demo. */
    int skipId = -1;

    @Override
    public Integer call() throws IOException {
        check();
        final PrintWriter out = spec.commandLine().getOut();
        final int cpus = Runtime.getRuntime().availableProcessors();
        final double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(); // -1: not known
        final PeopleRingCli.Idle wait = idle != null ? idle : defaultWait(cpus, load);
        out.printf("demo: the same %d People (the 132-byte C struct, named person-<id>) through three transports, each"
            + " to a second JVM that checks every id and name%n", count);
        out.printf("  wait: the ring's two sides %s (%s); the socket and the pipe block in the kernel, as they are used%n",
            describe(wait), idle != null ? "--idle " + wait.name().toLowerCase() : whyDefault(wait, cpus, load));
        if (wait == PeopleRingCli.Idle.SPIN && load >= cpus - 1) {
            out.printf("  note: load average %.1f on %d CPUs: other processes compete with the two spinning sides, so the"
                + " ring's figures will be low and unsteady (--idle yield shares the CPUs)%n", load, cpus);
        }
        out.flush();

        final List<Row> rows = new ArrayList<>();
        final Row ring = new Row("ring (mmap)");
        final Row socket = new Row("Unix domain socket");
        final Row pipe = new Row("pipe (stdin)");
        rows.add(ring);
        rows.add(socket);
        rows.add(pipe);
        final long pid = ProcessHandle.current().pid();
        final Path ringPath = dir.resolve("people-ring-demo-" + pid);
        final Path socketPath = dir.resolve("people-ring-demo-" + pid + ".sock");
        ringPath.toFile().deleteOnExit(); // also on Ctrl-C; each step deletes its own file when it ends
        socketPath.toFile().deleteOnExit();
        attempt(ring, out, () -> ringTransfer(ring, ringPath, wait, out));
        attempt(socket, out, () -> socketTransfer(socket, socketPath, out));
        attempt(pipe, out, () -> pipeTransfer(pipe, out));
        out.println("  a rate counts People per second from the phase's first send to the receiver's line saying it has checked"
            + " the phase's last People: it includes filling each record (the name's prefix encoded once, then its digits"
            + " and the id), the transport, and the check (ids consecutive, name bytes compared in place, nothing allocated)");
        out.flush();

        if (roundTrips > 0) {
            out.printf("round trips: %d after %d warm-up, one People there and back, echoed by a third JVM%n", roundTrips, warmup);
            attempt(ring, out, () -> ringRoundTrips(ring, wait, out));
            attempt(socket, out, () -> socketRoundTrips(socket, socketPath, out));
        }
        printTable(out, rows);
        final boolean ok = ring.ok && socket.ok && pipe.ok;
        out.println(ok ? "demo: OK, every People arrived once, in order, with its name"
            : "demo: FAILED on " + failed(rows) + " (see above)");
        out.flush();
        return ok ? PeopleRingCli.OK : PeopleRingCli.FAILED;
    }

    private void check() {
        if (count < 10) {
            throw new IllegalArgumentException("--count " + count + " must be at least 10 (a tenth warms up, a fifth goes one per send)");
        }
        if (batch < 1 || batch > capacity) {
            throw new IllegalArgumentException("--batch " + batch + " must be between 1 and --capacity " + capacity);
        }
        if (roundTrips < 0 || warmup < 0) {
            throw new IllegalArgumentException("--round-trips " + roundTrips + " and --warmup " + warmup + " must be at least 0");
        }
        if (!(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("--timeout " + timeoutSeconds + " must be positive");
        }
    }

    /**
     * Busy-spin when at least two CPUs are available: there are two, and the machine is not already busy
     * (a one-minute load average below {@code cpus - 1}, where the OS reports one). Two spinning sides on
     * CPUs that other processes want get descheduled in turn, and a side that spins while its peer is
     * off the CPU only burns its time slice: on a 2-CPU machine at a load average of 13-15 that cut the
     * ring's rate to 0.1-1.1 M People/s, against 3-10 M with yield.
     */
    static PeopleRingCli.Idle defaultWait(int cpus, double load) {
        return cpus >= 2 && load < cpus - 1 ? PeopleRingCli.Idle.SPIN : PeopleRingCli.Idle.YIELD;
    }

    private static String whyDefault(PeopleRingCli.Idle wait, int cpus, double load) {
        final String loadText = load < 0 ? "" : String.format(", load average %.1f", load);
        if (wait == PeopleRingCli.Idle.SPIN) {
            return cpus + " CPUs available" + loadText + "; --idle yield or backoff to share them";
        }
        return cpus < 2 ? cpus + " CPU: busy-spin needs 2"
            : cpus + " CPUs" + loadText + ": spinning would fight other processes for them; --idle spin to spin anyway";
    }

    private static String describe(PeopleRingCli.Idle wait) {
        switch (wait) {
            case SPIN:
                return "busy-spin";
            case YIELD:
                return "yield while they wait";
            default:
                return "back off (spin, yield, then park) while they wait";
        }
    }

    /** One transport's results; {@code ok} stays false until a run proves it, and a failure clears it. */
    private static final class Row {
        final String name;
        boolean ok;
        boolean failed;
        /** People per second in batches, and one per send; NaN until measured. */
        double batchRate = Double.NaN;
        double sendRate = Double.NaN;
        Histogram roundTrips;

        Row(String name) {
            this.name = name;
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    /** Runs one step of a transport; a failure is printed, marks the transport failed, and the demo goes on. */
    private static void attempt(Row row, PrintWriter out, Step step) {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            row.failed = true;
            out.println("  " + row.name + ": FAILED: " + e.getMessage());
        }
        row.ok &= !row.failed;
        out.flush();
    }

    /** Sends the People with ids {@code [from, to)}, {@code batch} per claim or write. */
    @FunctionalInterface
    private interface Sender {
        void send(int from, int to, int batch) throws IOException;
    }

    /**
     * The three phases of a transfer, every People checked by the receiver: a tenth to warm up (not
     * timed), then most of them in batches, then a fifth one per send; each phase is timed from its
     * first send to the receiver's line saying it has checked the phase's last People.
     */
    private void phases(Row row, DemoPeer receiver, Sender sender, String perBatch, String perPeople, PrintWriter out)
        throws IOException {
        final int warm = warmupPeople();
        final int batchedEnd = count - singlePeople();
        sender.send(0, warm, batch);
        receiver.awaitLine("checked " + warm + " ", timeoutSeconds);
        final long start = System.nanoTime();
        sender.send(warm, batchedEnd, batch);
        receiver.awaitLine("checked " + batchedEnd + " ", timeoutSeconds);
        final long batched = System.nanoTime();
        sender.send(batchedEnd, count, 1);
        final String report = receiver.awaitLine("read ", timeoutSeconds);
        final long end = System.nanoTime();
        row.batchRate = (batchedEnd - warm) * 1e9 / (batched - start);
        row.sendRate = (count - batchedEnd) * 1e9 / (end - batched);
        row.ok = report.endsWith(": OK") && !row.failed;
        row.failed = !row.ok;
        out.printf("    %d to warm up, then %d in batches of %d (%s): %s People/s, then %d one per send (%s): %s People/s%n",
            warm, batchedEnd - warm, batch, perBatch, rate(batchedEnd - warm, batched - start), count - batchedEnd,
            perPeople, rate(count - batchedEnd, end - batched));
        out.printf("    the receiver (pid %d): %s%n", receiver.pid(), report);
        out.flush();
        expectExit(receiver, report);
    }

    private int warmupPeople() {
        return count / 10;
    }

    private int singlePeople() {
        return count / 5;
    }

    /** The receiver's {@code --mark}: the ends of the warm-up and of the batches. */
    private String marks() {
        return warmupPeople() + "," + (count - singlePeople());
    }

    // ---- transfers -------------------------------------------------------------------------------

    private void ringTransfer(Row row, Path path, PeopleRingCli.Idle wait, PrintWriter out) throws IOException {
        try (RingFile ring = RingFile.create(path, People.spec(capacity), RingFile.DEFAULT_PERMISSIONS, true)) {
            final RingProducer producer = ring.producer(); // before the receiver starts: it ends when no producer is left
            out.printf("  %s: %s, %d slots of %d bytes (%.1f MiB)%n", row.name, path, capacity, ring.spec().stride(),
                ring.spec().fileLength() / 1048576.0);
            out.flush();
            try (DemoPeer receiver = DemoPeer.start(timeoutSeconds, "receive", "--ring", path.toString(), "--count",
                Integer.toString(count), "--mark", marks(), "--idle", wait.name(), "--timeout", Double.toString(timeoutSeconds))) {
                receiver.awaitLine("ready", START_SECONDS);
                final IdleStrategy idle = wait.strategy();
                phases(row, receiver, (from, to, batch) -> sendToRing(producer, receiver, idle, from, to, batch),
                    "a claim and a commit each", "a claim of 1 and a commit", out);
            }
        } finally {
            PeopleRingCli.deleteQuietly(path);
        }
    }

    private void sendToRing(RingProducer producer, DemoPeer receiver, IdleStrategy idle, int from, int to, int batch)
        throws IOException {
        final DemoRecords records = new DemoRecords();
        final ByteBuffer buffer = producer.buffer();
        final long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        final int skipId = this.skipId;
        int id = from;
        long spins = 0;
        while (id < to) {
            final int claimed = producer.claim(Math.min(batch, to - id));
            if (claimed == 0) { // full: the receiver has not made room yet
                if ((++spins & 0xFFFF) == 0 && (!receiver.isAlive() || System.nanoTime() - deadline >= 0)) {
                    throw receiver.died("stopped reading the ring at id " + id);
                }
                idle.idle();
                continue;
            }
            idle.reset();
            for (int i = 0; i < claimed; i++) {
                buffer.put(producer.recordOffset(i), records.next(id == skipId ? id + 1 : id), 0, People.SIZE);
                id++;
            }
            producer.commit();
        }
    }

    private void socketTransfer(Row row, Path path, PrintWriter out) throws IOException {
        out.printf("  %s: %s (java.nio SocketChannel, blocking)%n", row.name, path);
        out.flush();
        try (ServerSocketChannel server = bind(path);
             DemoPeer receiver = DemoPeer.start(timeoutSeconds, "receive", "--socket", path.toString(), "--count",
                 Integer.toString(count), "--mark", marks());
             SocketChannel channel = accept(server, receiver)) {
            receiver.awaitLine("ready", START_SECONDS);
            final StreamSender sender = new StreamSender(batch -> {
                while (batch.hasRemaining()) {
                    channel.write(batch);
                }
            });
            try {
                phases(row, receiver, sender::send, "a write() each", "a write() each", out);
            } catch (IOException e) {
                throw receiver.died("stopped reading the socket (" + e.getMessage() + ")");
            }
        } finally {
            PeopleRingCli.deleteQuietly(path);
        }
    }

    private void pipeTransfer(Row row, PrintWriter out) throws IOException {
        try (DemoPeer receiver = DemoPeer.start(timeoutSeconds, "receive", "--stdin", "--count", Integer.toString(count),
            "--mark", marks())) {
            out.printf("  %s: the receiver's standard input%n", row.name);
            out.flush();
            receiver.awaitLine("ready", START_SECONDS);
            final OutputStream pipe = receiver.input();
            final StreamSender sender = new StreamSender(batch -> {
                pipe.write(batch.array(), 0, batch.limit());
                pipe.flush(); // one write() per batch, whatever its size: the stream's own buffer is then empty
            });
            try {
                phases(row, receiver, sender::send, "a write() each", "a write() each", out);
            } catch (IOException e) {
                throw receiver.died("stopped reading its standard input (" + e.getMessage() + ")");
            }
        }
    }

    /** Writes one batch of records (a heap buffer from 0 to its limit), with one system call. */
    @FunctionalInterface
    private interface BatchWriter {
        void write(ByteBuffer batch) throws IOException;
    }

    /** The same People as {@link #sendToRing}, copied into one buffer per batch, each batch one write. */
    private final class StreamSender {
        private final BatchWriter writer;
        private final DemoRecords records = new DemoRecords();
        private final byte[] bytes = new byte[batch * People.SIZE];
        private final ByteBuffer view = ByteBuffer.wrap(bytes);

        StreamSender(BatchWriter writer) {
            this.writer = writer;
        }

        void send(int from, int to, int batch) throws IOException {
            final int skipId = DemoCommand.this.skipId;
            int id = from;
            while (id < to) {
                final int n = Math.min(batch, to - id);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(records.next(id == skipId ? id + 1 : id), 0, bytes, i * People.SIZE, People.SIZE);
                    id++;
                }
                view.clear().limit(n * People.SIZE);
                writer.write(view);
            }
        }
    }

    private static void expectExit(DemoPeer receiver, String report) throws IOException {
        final int code = receiver.waitFor(10);
        if (code != PeopleRingCli.OK && report.endsWith(": OK")) {
            throw receiver.died("reported OK but exited with code " + code);
        }
    }

    private static ServerSocketChannel bind(Path path) throws IOException {
        PeopleRingCli.deleteQuietly(path);
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("socket " + path + ": " + e.getMessage(), e);
        }
    }

    /** The peer's connection, once it has connected; a peer that exits or takes over 30 s fails. */
    private static SocketChannel accept(ServerSocketChannel server, DemoPeer peer) throws IOException {
        final long deadline = System.nanoTime() + (long) (START_SECONDS * 1e9);
        SocketChannel channel;
        while ((channel = server.accept()) == null) {
            if (!peer.isAlive()) {
                throw peer.died("exited before it connected");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw peer.died("did not connect within " + START_SECONDS + " s");
            }
            pause();
        }
        channel.configureBlocking(true);
        return channel;
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the demo's peer to connect");
        }
    }

    // ---- round trips -----------------------------------------------------------------------------

    private void ringRoundTrips(Row row, PeopleRingCli.Idle wait, PrintWriter out) throws IOException {
        final PingPongCommand pingPong = new PingPongCommand();
        pingPong.count = roundTrips;
        pingPong.warmup = warmup;
        pingPong.idle = wait;
        pingPong.dir = dir;
        pingPong.timeoutSeconds = timeoutSeconds;
        final Histogram histogram = pingPong.measure(new PrintWriter(Writer.nullWriter()));
        row.roundTrips = histogram;
        out.printf("  %-19s %s, two rings of %d slots, `pong` echoes: ", row.name, describe(wait), pingPong.capacity);
        PingPongCommand.print(out, histogram);
    }

    private void socketRoundTrips(Row row, Path path, PrintWriter out) throws IOException {
        final Histogram histogram = new Histogram(3);
        try (ServerSocketChannel server = bind(path);
             DemoPeer echo = DemoPeer.start(timeoutSeconds, "echo", "--socket", path.toString());
             SocketChannel channel = accept(server, echo)) {
            echo.awaitLine("ready", START_SECONDS);
            final DemoRecords records = new DemoRecords();
            final ByteBuffer send = ByteBuffer.allocateDirect(People.SIZE).order(ByteOrder.LITTLE_ENDIAN);
            final ByteBuffer receive = ByteBuffer.allocateDirect(People.SIZE).order(ByteOrder.LITTLE_ENDIAN);
            final int total = warmup + roundTrips;
            try {
                for (int id = 0; id < total; id++) {
                    send.clear();
                    send.put(records.next(id)).flip();
                    receive.clear();
                    final long sent = System.nanoTime();
                    while (send.hasRemaining()) {
                        channel.write(send);
                    }
                    while (receive.hasRemaining()) {
                        if (channel.read(receive) < 0) {
                            throw echo.died("closed the socket after " + id + " echoes");
                        }
                    }
                    final long received = System.nanoTime();
                    if (receive.getInt(People.ID_OFFSET) != id) {
                        throw new PeopleRingCli.ExampleException("socket " + path + ": echo of id " + id + " came back as id "
                            + receive.getInt(People.ID_OFFSET));
                    }
                    if (id >= warmup) {
                        histogram.recordValue(received - sent);
                    }
                }
            } catch (IOException e) {
                throw echo.died("stopped echoing (" + e.getMessage() + ")");
            }
            channel.shutdownOutput();
            echo.awaitLine("echoed ", timeoutSeconds);
            if (echo.waitFor(10) != PeopleRingCli.OK) {
                throw echo.died("failed");
            }
        } finally {
            PeopleRingCli.deleteQuietly(path);
        }
        row.roundTrips = histogram;
        out.printf("  %-19s blocking reads and writes, `demo echo` echoes: ", row.name);
        PingPongCommand.print(out, histogram);
    }

    // ---- summary ---------------------------------------------------------------------------------

    private void printTable(PrintWriter out, List<Row> rows) {
        final Row ring = rows.get(0);
        final String format = "%-21s %11s %13s %18s   %s";
        out.println(String.format(format, "summary", "M People/s", "", "round trip (us)", "the ring is ...x faster"));
        out.println(String.format(format, "", "batches of " + batch, "one per send", "p50 / p99",
            "(batches; one per send; p50; p99)"));
        for (Row row : rows) {
            final String latency = row.roundTrips == null ? "-"
                : String.format("%.2f / %.2f", p(row.roundTrips, 50) / 1e3, p(row.roundTrips, 99) / 1e3);
            String ratio = "";
            if (row != ring) {
                ratio = ratio(ring.batchRate, row.batchRate) + "; " + ratio(ring.sendRate, row.sendRate);
                if (row.roundTrips != null && ring.roundTrips != null) {
                    ratio += "; " + ratio(p(row.roundTrips, 50), p(ring.roundTrips, 50))
                        + "; " + ratio(p(row.roundTrips, 99), p(ring.roundTrips, 99));
                }
            }
            if (row.failed) {
                ratio += (ratio.isEmpty() ? "" : "  ") + "FAILED";
            }
            out.println(String.format(format, "  " + row.name, millions(row.batchRate), millions(row.sendRate), latency, ratio)
                .stripTrailing());
        }
    }

    /** People per second, human-readable ({@code 12.34 M}). */
    private static String rate(long count, long nanos) {
        final double perSecond = nanos <= 0 ? 0 : count * 1e9 / nanos;
        return perSecond >= 1e6 ? String.format("%.2f M", perSecond / 1e6) : String.format("%.1f k", perSecond / 1e3);
    }

    private static String millions(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.format("%.2f", perSecond / 1e6);
    }

    private static double p(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile);
    }

    private static String ratio(double numerator, double denominator) {
        if (Double.isNaN(numerator) || Double.isNaN(denominator) || denominator <= 0) {
            return "-";
        }
        final double ratio = numerator / denominator;
        return String.format(ratio >= 10 ? "%.0fx" : ratio >= 1 ? "%.1fx" : "%.2fx", ratio);
    }

    private static String failed(List<Row> rows) {
        final StringBuilder names = new StringBuilder();
        for (Row row : rows) {
            if (!row.ok) {
                names.append(names.length() == 0 ? "" : ", ").append(row.name);
            }
        }
        return names.toString();
    }
}
