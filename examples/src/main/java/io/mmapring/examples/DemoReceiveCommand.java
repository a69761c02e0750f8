package io.mmapring.examples;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo receive}: the demo's second process for one transport. Takes People from a ring, a Unix
 * domain socket or its standard input, checks every one ({@link DemoCheck}), and prints {@code ready}
 * once it can receive, {@code checked <n> People} as soon as it has checked the n-th for each
 * {@code --mark n} (the demo times its phases by them), and one {@code read ...} line once it has
 * checked the last. Exit code 0 only if exactly {@code --count} People arrived, each once, in order,
 * with its name.
 */
@Command(name = "receive", hidden = true, mixinStandardHelpOptions = true, sortOptions = false,
    description = "The demo's receiving process: checks --count People from one transport (started by demo).")
final class DemoReceiveCommand implements Callable<Integer> {
    /** Bytes read from a stream at once: a pipe's default capacity on Linux. */
    static final int STREAM_BUFFER = 64 * 1024;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the People come from: exactly one. */
    static final class Source {
        @Option(names = "--ring", paramLabel = "FILE", description = "A People ring whose producer already holds its role.")
        Path ring;

        @Option(names = "--socket", paramLabel = "FILE", description = "A Unix domain socket to connect to.")
        Path socket;

        @Option(names = "--stdin", description = "This process's standard input (a pipe).")
        boolean stdin;
    }

    @Option(names = {"-n", "--count"}, required = true, paramLabel = "N", description = "People to receive.")
    long count;

    @Option(names = "--mark", split = ",", paramLabel = "N", description = "Print `checked N People` once the N-th is checked.")
    long[] marks = {};

    @Option(names = "--idle", paramLabel = "MODE", description = "How to wait on an empty ring: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PeopleRingCli.Idle idle = PeopleRingCli.Idle.SPIN;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up on the ring after this long (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 60;

    @Override
    public Integer call() throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("--count " + count + " is negative");
        }
        long previous = 0;
        for (long mark : marks) {
            if (mark <= previous || mark > count) {
                throw new IllegalArgumentException("--mark " + mark + ": marks must grow, each in [1, --count " + count + "]");
            }
            previous = mark;
        }
        final PrintWriter out = spec.commandLine().getOut();
        final DemoCheck check = new DemoCheck();
        final String from;
        if (source.ring != null) {
            from = "ring " + source.ring;
            fromRing(check, out);
        } else if (source.socket != null) {
            from = "socket " + source.socket;
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(source.socket));
                fromStream(channel, check, out);
            }
        } else {
            from = "standard input";
            try (FileInputStream stdin = new FileInputStream(FileDescriptor.in)) {
                fromStream(stdin.getChannel(), check, out);
            }
        }
        out.println(check.report(from, count));
        out.flush();
        return check.ok(count) ? PeopleRingCli.OK : PeopleRingCli.FAILED;
    }

    /** Polls the ring until {@link #count} People, or until its producer is gone and it is drained. */
    private void fromRing(DemoCheck check, PrintWriter out) throws IOException {
        try (RingFile ring = RingFile.open(source.ring)) {
            if (ring.spec().recordSize() != People.SIZE) {
                throw new PeopleRingCli.ExampleException("--ring " + source.ring + ": record size " + ring.spec().recordSize()
                    + " is not a People (" + People.SIZE + " bytes)");
            }
            final RingConsumer consumer = ring.consumer();
            ready(out);
            final IdleStrategy idle = this.idle.strategy();
            final long start = System.nanoTime();
            final long deadline = start + (long) (timeoutSeconds * 1e9);
            final long target = count;
            int nextMark = 0;
            long stop = marks.length > 0 ? marks[0] : target; // the next count to stop at: a mark, or the end
            long nextProbe = start;
            while (check.received() < target) {
                if (consumer.poll(check, (int) Math.min(256, stop - check.received())) > 0) {
                    idle.reset();
                    if (check.received() == stop && nextMark < marks.length) {
                        marked(out, stop);
                        stop = ++nextMark < marks.length ? marks[nextMark] : target;
                    }
                    continue;
                }
                final long now = System.nanoTime();
                if (now - nextProbe >= 0) { // a system call: once a millisecond at most
                    nextProbe = now + 1_000_000;
                    if (!ring.isProducerAlive() && consumer.available(1) == 0) {
                        break; // the producer has gone and everything it published is read
                    }
                    if (now - deadline >= 0) {
                        throw new PeopleRingCli.ExampleException("ring " + ring.name() + ": " + check.received() + " of "
                            + target + " People within --timeout " + timeoutSeconds + " s");
                    }
                }
                idle.idle();
            }
        }
    }

    /** Reads whole records until {@link #count} People or the end of the stream. */
    private void fromStream(ReadableByteChannel channel, DemoCheck check, PrintWriter out) throws IOException {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(STREAM_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        ready(out);
        final long target = count;
        int nextMark = 0;
        while (check.received() < target && channel.read(buffer) >= 0) {
            buffer.flip();
            int position = buffer.position();
            while (buffer.limit() - position >= People.SIZE && check.received() < target) {
                check.onRecord(buffer, position);
                position += People.SIZE;
                if (nextMark < marks.length && check.received() == marks[nextMark]) {
                    marked(out, marks[nextMark++]);
                }
            }
            buffer.position(position);
            buffer.compact();
        }
    }

    private static void marked(PrintWriter out, long received) {
        out.println("checked " + received + " People");
        out.flush();
    }

    private static void ready(PrintWriter out) {
        out.println("ready");
        out.flush();
    }
}
