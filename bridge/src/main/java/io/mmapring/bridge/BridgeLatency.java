package io.mmapring.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Round-trip latency of one People, in one run, over two paths side by side:
 * <ul>
 *   <li>local: ring -> echo process -> ring;</li>
 *   <li>bridged: ring -> bridge send -> UDP -> bridge receive -> ring -> echo process -> ring -> bridge send
 *       -> UDP -> bridge receive -> ring.</li>
 * </ul>
 * This process writes a People and waits for it to come back, one at a time, and records each round
 * trip in an HdrHistogram; rounds alternate between the two paths so that both see the same machine.
 * Every other participant is a separate JVM started here (two echoes, four bridges, and one shared
 * media driver unless {@code --embedded-drivers}).
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Measure the round trip ring -> bridge -> UDP -> bridge -> ring -> echo -> ... back, beside a local ring round trip.")
final class BridgeLatency implements Callable<Integer> {
    @Option(names = "--messages", defaultValue = "20000", description = "measured round trips per path and round (default: ${DEFAULT-VALUE})")
    int messages;
    @Option(names = "--warmup", defaultValue = "5000", description = "unmeasured round trips per path before the first round (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--rounds", defaultValue = "3", description = "rounds, alternating local and bridged (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--dir", defaultValue = "/dev/shm", description = "where the rings and the driver go (default: ${DEFAULT-VALUE})")
    Path dir;
    @Option(names = "--base-port", defaultValue = "40470", description = "UDP ports base .. base+3 on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int basePort;
    @Option(names = "--idle", defaultValue = "yield", description = "idle strategy of every process and driver: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    BridgeMain.Idle idle;
    @Option(names = "--embedded-drivers", description = "one embedded media driver per bridge (4 driver threads) instead of one shared driver process")
    boolean embeddedDrivers;
    @Option(names = "--timeout", defaultValue = "30", description = "seconds to wait for any one round trip before giving up (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        final Path work = Files.createDirectories(dir.resolve("bridge-latency-" + ProcessHandle.current().pid()));
        final List<BridgeProcess> children = new ArrayList<>();
        try {
            final Path localPing = work.resolve("local-ping");
            final Path localPong = work.resolve("local-pong");
            final Path a = work.resolve("a-ping");
            final Path b = work.resolve("b-ping-remote");
            final Path c = work.resolve("c-pong-remote");
            final Path d = work.resolve("d-pong");
            for (Path ring : List.of(localPing, localPong, a, b, c, d)) {
                RingFile.create(ring, People.spec(1024)).close();
            }
            final String idleName = idle.name();
            final Duration ready = Duration.ofSeconds(60);
            final List<String> aeron = new ArrayList<>();
            if (embeddedDrivers) {
                aeron.add("--driver-dir");
            } else {
                final Path driverDir = work.resolve("aeron");
                children.add(BridgeProcess.start("driver", work.resolve("driver.log"), "driver", "--dir", driverDir.toString(),
                    "--idle", idleName).awaitReady(ready));
                aeron.add("--aeron-dir");
                aeron.add(driverDir.toString());
            }
            children.add(BridgeProcess.start("echo-local", work.resolve("echo-local.log"), "echo", "--in", localPing.toString(),
                "--out", localPong.toString(), "--idle", idleName));
            children.add(BridgeProcess.start("echo-remote", work.resolve("echo-remote.log"), "echo", "--in", b.toString(),
                "--out", c.toString(), "--idle", idleName));
            children.add(bridge(work, "send-out", "send", a, basePort, aeron));
            children.add(bridge(work, "receive-out", "receive", b, basePort, aeron));
            children.add(bridge(work, "send-back", "send", c, basePort + 2, aeron));
            children.add(bridge(work, "receive-back", "receive", d, basePort + 2, aeron));
            for (BridgeProcess child : children) {
                child.awaitReady(ready);
            }
            final Histogram local = new Histogram(3_600_000_000_000L, 3);
            final Histogram bridged = new Histogram(3_600_000_000_000L, 3);
            try (RingFile localOut = RingFile.open(localPing); RingFile localIn = RingFile.open(localPong);
                 RingFile bridgedOut = RingFile.open(a); RingFile bridgedIn = RingFile.open(d)) {
                final PingPong localPath = new PingPong(localOut.producer(), localIn.consumer(), idle.create(), timeoutSeconds);
                final PingPong bridgedPath = new PingPong(bridgedOut.producer(), bridgedIn.consumer(), idle.create(), timeoutSeconds);
                localPath.run(warmup, null);
                bridgedPath.run(warmup, null);
                for (int round = 0; round < rounds; round++) {
                    localPath.run(messages, local);
                    bridgedPath.run(messages, bridged);
                }
            }
            System.out.printf("round trip of one People (132 bytes), %d measured per path (%d rounds of %d, alternating), %d warm-up;"
                + " idle=%s, %s%n", local.getTotalCount(), rounds, messages, warmup, idleName,
                embeddedDrivers ? "one embedded driver per bridge" : "one shared media driver process");
            System.out.println("path                                   median_us    p90_us    p99_us  p99.9_us    max_us");
            print("local ring -> echo -> ring", local);
            print("bridged over UDP loopback (x2)", bridged);
            System.out.printf("bridged / local median: %.1fx%n",
                (double) bridged.getValueAtPercentile(50) / Math.max(1, local.getValueAtPercentile(50)));
            return 0;
        } finally {
            for (int i = children.size() - 1; i >= 0; i--) {
                children.get(i).close();
            }
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private BridgeProcess bridge(Path work, String name, String command, Path ring, int port, List<String> aeron) throws IOException {
        final List<String> args = new ArrayList<>(List.of(command, "--ring", ring.toString(),
            "--channel", "aeron:udp?endpoint=127.0.0.1:" + port, "--stream", "1001",
            "--control-channel", "aeron:udp?endpoint=127.0.0.1:" + (port + 1), "--control-stream", "1002",
            "--idle", idle.name()));
        args.addAll(aeron);
        if (embeddedDrivers) {
            args.add(work.resolve("aeron-" + name).toString());
        }
        return BridgeProcess.start(name, work.resolve(name + ".log"), args.toArray(new String[0]));
    }

    private static void print(String path, Histogram h) {
        System.out.printf("%-36s %11.1f %9.1f %9.1f %9.1f %9.1f%n", path, h.getValueAtPercentile(50) / 1e3,
            h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
            h.getMaxValue() / 1e3);
    }

    /** One outstanding People at a time: write it, wait for the same id to come back. */
    private static final class PingPong {
        private final RingProducer out;
        private final RingConsumer in;
        private final IdleStrategy idle;
        private final long timeoutNs;
        private final People people = new People();
        private int nextId;

        PingPong(RingProducer out, RingConsumer in, IdleStrategy idle, int timeoutSeconds) {
            this.out = out;
            this.in = in;
            this.idle = idle;
            this.timeoutNs = timeoutSeconds * 1_000_000_000L;
        }

        void run(int count, Histogram histogram) {
            for (int i = 0; i < count; i++) {
                final int id = nextId++;
                final long start = System.nanoTime();
                if (out.claim(1) != 1) {
                    throw new IllegalStateException("ring " + out.ring().name() + ": full with one message outstanding");
                }
                people.wrap(out.buffer(), out.recordOffset(0)).name("ping").id(id);
                out.commit();
                idle.reset();
                while (in.available(1) == 0) {
                    if (System.nanoTime() - start > timeoutNs) {
                        throw new IllegalStateException("ring " + in.ring().name() + ": People " + id
                            + " did not come back within " + timeoutNs / 1_000_000_000L + " s");
                    }
                    idle.idle();
                }
                final ByteBuffer buffer = in.buffer();
                final int back = people.wrap(buffer, in.recordOffset(0)).id();
                in.consume(1);
                final long elapsed = System.nanoTime() - start;
                if (back != id) {
                    throw new IllegalStateException("ring " + in.ring().name() + ": expected People " + id + ", got " + back);
                }
                if (histogram != null) {
                    histogram.recordValue(elapsed);
                }
            }
        }
    }
}
