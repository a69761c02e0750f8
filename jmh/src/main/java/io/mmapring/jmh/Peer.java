package io.mmapring.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The benchmark's end of a cross-process link: makes the files, sockets or fifos, starts the
 * {@link Partner} JVM (echo or sink), and sends and receives with bounded busy-spins. The JMH state
 * classes of {@link RoundTrip} and {@link CrossProcessThroughput} extend it, one per transport, so
 * each forked JVM sees one {@link Link} implementation.
 */
public abstract class Peer {
    private static final long CONNECT_TIMEOUT_MS = 30_000;
    /**
     * System property: when set to a file, every round trip of the measurement iterations is also
     * recorded in an HdrHistogram (nanoseconds), written to that file as a histogram log at the end of
     * the trial. Set by the alternating runner ({@link Alternate}) for its latency plot.
     */
    static final String HISTOGRAM_PROPERTY = "mmapring.jmh.histogram";
    /** Largest round trip the histogram tracks (larger ones are recorded as this): 60 s. */
    private static final long HISTOGRAM_MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String histogramFile = System.getProperty(HISTOGRAM_PROPERTY);
    private final Histogram histogram = histogramFile == null ? null : new Histogram(HISTOGRAM_MAX_NANOS, 3);
    /** {@link #histogram} during measurement iterations, null otherwise (and always null without the property). */
    private Histogram recording;
    private String kind;

    private Path directory;
    private volatile PartnerProcess partner;
    private Link link;
    private Spin spin;
    private final Link.IdSink capture = id -> lastId = id;
    private int lastId;
    /** Records sent in this trial; the low 32 bits are the id of the next one. */
    private long sent;
    private boolean sink;
    /** Cleans up if the trial ends without {@link #close()} (a failed iteration skips the teardown). */
    private Thread cleanup;

    /**
     * Opens a link of {@code kind} (ring, baseline, headtail, lean, aligned, first, agrona, uds, tcp, fifo) to a new partner in
     * {@code mode} (echo, sink), and waits until the partner is ready.
     */
    protected void open(String kind, String mode) throws Exception {
        this.kind = kind;
        sink = mode.equals("sink");
        directory = Records.scratchDirectory(kind);
        final Path trialDirectory = directory;
        cleanup = new Thread(() -> {
            final PartnerProcess running = partner;
            if (running != null) {
                running.process().destroyForcibly();
            }
            try {
                Records.deleteRecursively(trialDirectory);
            } catch (IOException ignored) {
                // exiting anyway
            }
        }, "peer-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        final Path ping = directory.resolve("ping");
        final Path pong = directory.resolve("pong");
        final Path log = directory.resolve("partner.log");
        try {
            switch (kind) {
                case "ring":
                case "headtail":
                    Records.createRing(ping); // both use the library's file layout
                    if (!sink) {
                        Records.createRing(pong);
                    }
                    partner = start(log, List.of(), kind, mode, ping, sink ? null : pong);
                    partner.awaitReady();
                    link = kind.equals("ring") ? new RingLink(ping, sink ? null : pong) : new HeadTailLink(ping, sink ? null : pong);
                    break;
                case "lean":
                case "aligned":
                case "first": {
                    final LayoutRing.Layout layout = LayoutRing.layout(kind);
                    LayoutRing.create(ping, layout);
                    if (!sink) {
                        LayoutRing.create(pong, layout);
                    }
                    partner = start(log, List.of(), kind, mode, ping, sink ? null : pong);
                    partner.awaitReady();
                    link = new LayoutLink(layout, ping, sink ? null : pong);
                    break;
                }
                case "baseline":
                    Records.createRing(ping); // the library's files, the library's code of commit 8f8dd99
                    if (!sink) {
                        Records.createRing(pong);
                    }
                    partner = start(log, List.of(), kind, mode, ping, sink ? null : pong);
                    partner.awaitReady();
                    link = new BaselineLink(ping, sink ? null : pong);
                    break;
                case "ringreverse":
                    if (!sink) {
                        throw new IllegalArgumentException("ringreverse is send-only (sink mode)");
                    }
                    Records.createRing(ping);
                    partner = start(log, List.of(), "ring", mode, ping, null); // the library's consumer
                    partner.awaitReady();
                    link = new ReverseCommitLink(ping);
                    break;
                case "agrona":
                    AgronaLink.create(ping);
                    if (!sink) {
                        AgronaLink.create(pong);
                    }
                    partner = start(log, List.of(Records.AGRONA_OPENS), kind, mode, ping, sink ? null : pong);
                    partner.awaitReady();
                    link = new AgronaLink(ping, sink ? null : pong);
                    break;
                case "uds":
                case "tcp":
                    link = connectSocket(kind, mode, ping, log);
                    break;
                case "fifo":
                    link = openFifos(mode, ping, sink ? null : pong, log);
                    break;
                default:
                    throw new IllegalArgumentException("link kind " + kind);
            }
            spin = new Spin(partner);
        } catch (Exception | Error e) {
            try {
                close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static PartnerProcess start(Path log, List<String> jvmArgs, String kind, String mode, Path ping, Path pong)
        throws IOException {
        return pong == null
            ? PartnerProcess.start(log, jvmArgs, kind, mode, ping.toString())
            : PartnerProcess.start(log, jvmArgs, kind, mode, ping.toString(), pong.toString());
    }

    private Link connectSocket(String kind, String mode, Path path, Path log) throws Exception {
        final boolean unix = kind.equals("uds");
        final StandardProtocolFamily family = unix ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET;
        try (ServerSocketChannel server = ServerSocketChannel.open(family)) {
            final String address;
            if (unix) {
                server.bind(UnixDomainSocketAddress.of(path));
                address = path.toString();
            } else {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                address = Integer.toString(((InetSocketAddress) server.getLocalAddress()).getPort());
            }
            server.configureBlocking(false);
            partner = PartnerProcess.start(log, List.of(), kind, mode, address, "-");
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
            SocketChannel channel;
            while ((channel = server.accept()) == null) {
                if (!partner.process().isAlive() || System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("partner did not connect (alive: " + partner.process().isAlive()
                        + "): " + partner.output());
                }
                Thread.sleep(5);
            }
            channel.configureBlocking(true);
            if (!unix) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            partner.awaitReady();
            return new StreamLink(channel, channel);
        }
    }

    private Link openFifos(String mode, Path ping, Path pong, Path log) throws Exception {
        mkfifo(ping);
        if (pong != null) {
            mkfifo(pong);
        }
        partner = pong == null
            ? PartnerProcess.start(log, List.of(), "fifo", mode, ping.toString())
            : PartnerProcess.start(log, List.of(), "fifo", mode, ping.toString(), pong.toString());
        // opening a fifo blocks until the other end opens it: do it on a helper thread, bounded
        final ExecutorService opener = Executors.newSingleThreadExecutor();
        try {
            final Future<Link> future = opener.submit(() -> {
                final FileChannel writer = FileChannel.open(ping, StandardOpenOption.WRITE);
                final FileChannel reader = pong == null ? null : FileChannel.open(pong, StandardOpenOption.READ);
                return new StreamLink(reader, writer);
            });
            try {
                final Link opened = future.get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                partner.awaitReady();
                return opened;
            } catch (TimeoutException e) {
                partner.process().destroyForcibly();
                // a read-write open of a fifo never blocks and completes the helper's pending open
                FileChannel.open(ping, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
                if (pong != null) {
                    FileChannel.open(pong, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
                }
                throw new IllegalStateException("partner did not open the fifos: " + partner.output(), e);
            }
        } finally {
            opener.shutdownNow();
        }
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("mkfifo " + path + " timed out");
        }
        if (process.exitValue() != 0) {
            throw new IOException("mkfifo " + path + " failed with " + process.exitValue() + ": "
                + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Records round trips in the histogram during measurement iterations only (when the histogram property is set). */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        recording = iteration.getType() == IterationType.MEASUREMENT ? histogram : null;
    }

    /** Sends one record and spins until the partner's echo of it is back; returns its id. */
    protected final int roundTrip() throws IOException {
        final Histogram recording = this.recording;
        final long start = recording == null ? 0 : System.nanoTime();
        final int id = exchange();
        if (recording != null) {
            recording.recordValue(Math.min(System.nanoTime() - start, HISTOGRAM_MAX_NANOS));
        }
        return id;
    }

    private int exchange() throws IOException {
        final Link link = this.link;
        final Spin spin = this.spin;
        final int id = (int) sent++;
        spin.reset();
        while (!link.trySend(id)) {
            spin.idle();
        }
        spin.reset();
        int n;
        while ((n = link.tryReceive(capture, 1)) == 0) {
            spin.idle();
        }
        if (n < 0) {
            throw new IllegalStateException("partner closed the link: " + partner.output());
        }
        if (lastId != id) {
            throw new IllegalStateException("sent id " + id + " but the echo carried " + lastId);
        }
        return id;
    }

    private void writeHistogram() throws IOException {
        try (PrintStream out = new PrintStream(histogramFile, StandardCharsets.UTF_8)) {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputComment("round trips of " + kind + ", nanoseconds, measurement iterations of one JMH trial");
            writer.outputLogFormatVersion();
            histogram.setTag(kind);
            writer.outputIntervalHistogram(histogram);
        }
    }

    /** Sends one record, spinning while the link is full. */
    protected final void send() throws IOException {
        final Link link = this.link;
        final Spin spin = this.spin;
        final long id = sent;
        spin.reset();
        while (!link.trySend((int) id)) {
            spin.idle();
        }
        sent = id + 1;
    }

    /** Sends {@code n} records in batches (one claim/commit per batch where the link has one). */
    protected final void sendBatch(int n) throws IOException {
        final Link link = this.link;
        final Spin spin = this.spin;
        int done = 0;
        spin.reset();
        while (done < n) {
            final int count = link.trySendBatch((int) sent, n - done);
            if (count == 0) {
                spin.idle();
            } else {
                sent += count;
                done += count;
            }
        }
    }

    /**
     * Closes the link, stops the partner and deletes the files. A sink partner must report every
     * record sent, in order: otherwise this throws, and JMH reports the benchmark as failed.
     */
    protected void close() throws Exception {
        try {
            if (histogram != null && histogram.getTotalCount() > 0) {
                writeHistogram();
            }
            if (link != null) {
                link.close();
            }
            if (partner != null) {
                final String report = partner.stop();
                final int exit = partner.exitValue();
                if (sink) {
                    final String expected = "received=" + sent + " errors=0";
                    if (exit != 0 || !report.contains(expected)) {
                        throw new IllegalStateException("sink partner (exit " + exit + ") reported [" + report
                            + "], expected [" + expected + "]");
                    }
                } else if (exit != 0) {
                    throw new IllegalStateException("echo partner exited with " + exit + ": " + report);
                }
            }
        } finally {
            link = null;
            partner = null;
            Records.deleteRecursively(directory);
            directory = null;
            if (cleanup != null) {
                Runtime.getRuntime().removeShutdownHook(cleanup);
                cleanup = null;
            }
        }
    }
}
