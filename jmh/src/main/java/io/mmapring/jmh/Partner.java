package io.mmapring.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The second process of the cross-process benchmarks, started by {@link PartnerProcess}.
 *
 * <pre>
 *   Partner &lt;ring|headtail|lean|aligned|first|agrona|uds|tcp|fifo&gt; &lt;echo|sink&gt; &lt;ping&gt; [&lt;pong&gt;]
 * </pre>
 *
 * <p>{@code echo} sends every record it receives on {@code ping} straight back on {@code pong}.
 * {@code sink} consumes {@code ping} and checks that ids arrive in order from 0, without gaps or
 * repeats; at the end it prints {@code received=N errors=E} and exits 1 if E is not 0.
 *
 * <p>It busy-spins on shared memory, and ends on its own: when its standard input closes (the
 * benchmark's normal stop: a sink then drains what is left first), when its stream peer closes, or
 * when its parent process is gone (checked every 100 ms), so no partner outlives a crashed benchmark.
 */
public final class Partner {
    /** Printed once the link is open: the benchmark waits for it before measuring. */
    static final String READY = "partner ready";

    private static volatile boolean stopRequested;

    private int expected;
    private long received;
    private long errors;
    private String firstError;

    private Partner() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Partner <ring|headtail|lean|aligned|first|agrona|uds|tcp|fifo> <echo|sink> <ping> [<pong>]");
            System.exit(2);
        }
        watchParent();
        watchStandardInput();
        final String kind = args[0];
        final boolean echo = switch (args[1]) {
            case "echo" -> true;
            case "sink" -> false;
            default -> throw new IllegalArgumentException("mode " + args[1] + " is neither echo nor sink");
        };
        if (echo && args.length < 4) {
            throw new IllegalArgumentException("echo needs a pong argument");
        }
        try (Link link = open(kind, args[2], echo ? args[3] : null)) {
            System.out.println(READY);
            System.out.flush();
            if (echo) {
                echo(link);
            } else {
                new Partner().sink(link);
            }
        }
    }

    private static Link open(String kind, String ping, String pong) throws IOException {
        final Path in = Paths.get(ping);
        final Path out = pong == null ? null : Paths.get(pong);
        switch (kind) {
            case "ring":
                return new RingLink(out, in);
            case "baseline":
                return new BaselineLink(out, in);
            case "headtail":
                return new HeadTailLink(out, in);
            case "lean":
            case "aligned":
            case "first":
                return new LayoutLink(LayoutRing.layout(kind), out, in);
            case "agrona":
                return new AgronaLink(out, in);
            case "uds": {
                final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(in));
                return new StreamLink(channel, channel);
            }
            case "tcp": {
                final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.INET);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(ping)));
                return new StreamLink(channel, channel);
            }
            case "fifo": {
                // same order as the benchmark (it opens ping for writing, then pong for reading): no deadlock
                final FileChannel reader = FileChannel.open(in, StandardOpenOption.READ);
                final FileChannel writer = out == null ? null : FileChannel.open(out, StandardOpenOption.WRITE);
                return new StreamLink(reader, writer);
            }
            default:
                throw new IllegalArgumentException("link kind " + kind + " is not one of ring, baseline, headtail, lean, aligned, first, agrona, uds, tcp, fifo");
        }
    }

    private static void echo(Link link) throws IOException {
        final Link.IdSink back = id -> {
            try {
                int spins = 0;
                while (!link.trySend(id)) {
                    if ((++spins & 0xFFFF) == 0 && stopRequested) {
                        return;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("echo failed: " + e, e);
            }
        };
        int idle = 0;
        while (true) {
            final int n = link.tryReceive(back, Records.POLL_LIMIT);
            if (n < 0) {
                return;
            }
            if (n == 0 && (++idle & 0x3FF) == 0 && stopRequested) {
                return;
            }
        }
    }

    private void sink(Link link) throws IOException {
        final Link.IdSink check = this::check;
        int idle = 0;
        while (true) {
            final int n = link.tryReceive(check, Records.POLL_LIMIT);
            if (n < 0) {
                break;
            }
            if (n == 0 && (++idle & 0x3FF) == 0 && stopRequested) {
                while (link.tryReceive(check, Records.POLL_LIMIT) > 0) {
                    // drain: the benchmark stopped sending before it asked us to stop
                }
                break;
            }
        }
        System.out.println("received=" + received + " errors=" + errors + (firstError == null ? "" : " first: " + firstError));
        System.out.flush();
        System.exit(errors == 0 ? 0 : 1);
    }

    private void check(int id) {
        if (id != expected && errors++ == 0) {
            firstError = "expected id " + expected + ", got " + id + " after " + received + " records";
        }
        expected = id + 1;
        received++;
    }

    private static void watchParent() {
        final Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        final Thread watcher = new Thread(() -> {
            while (true) {
                if (parent.isEmpty() || !parent.get().isAlive()) {
                    System.err.println("partner: parent process is gone, exiting");
                    Runtime.getRuntime().halt(3);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void watchStandardInput() {
        final Thread watcher = new Thread(() -> {
            final InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // anything but end of stream is ignored
                }
            } catch (IOException ignored) {
                // treated as end of stream
            }
            stopRequested = true;
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("partner: still running 10 s after stop was requested, halting");
            Runtime.getRuntime().halt(4);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
