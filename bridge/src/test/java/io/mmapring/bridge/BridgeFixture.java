package io.mmapring.bridge;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A sending ring, a receiving ring and the two bridge processes between them, over UDP on 127.0.0.1
 * only, each bridge with its own embedded media driver, all under one directory in /dev/shm that
 * {@link #close()} deletes (after stopping every process it started).
 */
final class BridgeFixture implements AutoCloseable {
    static final Duration READY = Duration.ofSeconds(60);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final Path dir;
    final Path sendingRing;
    final Path receivingRing;
    private final int dataPort;
    private final int controlPort;
    private final List<BridgeProcess> processes = new ArrayList<>();
    private int starts;

    BridgeFixture(String name) throws IOException {
        dir = Files.createDirectories(Path.of("/dev/shm", "bridge-test-" + name + "-" + ProcessHandle.current().pid()
            + "-" + COUNTER.incrementAndGet()));
        sendingRing = dir.resolve("sending");
        receivingRing = dir.resolve("receiving");
        dataPort = freeLoopbackPort();
        controlPort = freeLoopbackPort();
    }

    /** A UDP port that is free on 127.0.0.1 right now. */
    private static int freeLoopbackPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private List<String> transport(String name) {
        return List.of("--channel", "aeron:udp?endpoint=127.0.0.1:" + dataPort, "--stream", "1001",
            "--control-channel", "aeron:udp?endpoint=127.0.0.1:" + controlPort, "--control-stream", "1002",
            "--driver-dir", dir.resolve("aeron-" + name).toString(), "--idle", "backoff", "--status", "1");
    }

    BridgeProcess startSender() throws IOException, InterruptedException {
        final String name = "send-" + (++starts);
        final List<String> args = new ArrayList<>(List.of("send", "--ring", sendingRing.toString()));
        args.addAll(transport(name));
        return start(name, args);
    }

    BridgeProcess startReceiver(int capacity) throws IOException, InterruptedException {
        final String name = "receive-" + (++starts);
        final List<String> args = new ArrayList<>(List.of("receive", "--ring", receivingRing.toString(),
            "--capacity", Integer.toString(capacity)));
        args.addAll(transport(name));
        return start(name, args);
    }

    private BridgeProcess start(String name, List<String> args) throws IOException, InterruptedException {
        final BridgeProcess process = BridgeProcess.start(name, dir.resolve(name + ".log"), args.toArray(new String[0]));
        processes.add(process);
        return process.awaitReady(READY);
    }

    /** Every bridge's log, for a failure message. */
    String logs() {
        final StringBuilder all = new StringBuilder();
        for (BridgeProcess process : processes) {
            try {
                all.append("---- ").append(process.name()).append(process.isAlive() ? " (alive)" : " (exited)").append('\n')
                    .append(process.output());
            } catch (IOException e) {
                all.append(e).append('\n');
            }
        }
        return all.toString();
    }

    @Override
    public void close() throws IOException {
        for (BridgeProcess process : processes) {
            process.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
