package io.mmapring.bridge;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar people-bridge.jar send|receive|driver|echo|latency}: the command line of the bridge.
 * Each long-running command stops cleanly on SIGTERM or Ctrl-C (it finishes its duty cycle, closes
 * Aeron and its ring); a SIGKILL loses nothing committed either (see the README's delivery guarantee).
 */
@Command(name = "bridge", mixinStandardHelpOptions = true, version = "people-bridge 0.2.0",
    description = "Carries People from a ring on one host to a ring on another over Aeron.",
    subcommands = {BridgeMain.Send.class, BridgeMain.Receive.class, BridgeMain.Driver.class, BridgeMain.Echo.class,
        BridgeLatency.class})
public final class BridgeMain implements Runnable {
    /** Default data channel: UDP unicast to the receiving host. */
    static final String DEFAULT_CHANNEL = "aeron:udp?endpoint=127.0.0.1:40456";
    /** Default control channel: UDP unicast back to the sending host. */
    static final String DEFAULT_CONTROL_CHANNEL = "aeron:udp?endpoint=127.0.0.1:40457";

    /** How a loop waits when it has nothing to do. */
    enum Idle {
        /** spin a little, yield a little, then park from 1 us up to 1 ms (the default: fair on a 2-core machine) */
        backoff,
        /** Thread.yield() every time (lower latency, more CPU) */
        yield,
        /** busy-spin (a dedicated core only) */
        spin,
        /** sleep 1 ms */
        sleep;

        IdleStrategy create() {
            switch (this) {
                case yield:
                    return new YieldingIdleStrategy();
                case spin:
                    return new BusySpinIdleStrategy();
                case sleep:
                    return new SleepingMillisIdleStrategy(1);
                default:
                    return new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /** Options shared by send and receive. */
    static final class TransportOptions {
        @Option(names = "--channel", defaultValue = DEFAULT_CHANNEL, description = "Aeron channel of the data stream (default: ${DEFAULT-VALUE}); with UDP unicast, the receiving host's address")
        String channel;
        @Option(names = "--stream", defaultValue = "1001", description = "data stream id (default: ${DEFAULT-VALUE})")
        int stream;
        @Option(names = "--control-channel", defaultValue = DEFAULT_CONTROL_CHANNEL, description = "Aeron channel of the acknowledgements (default: ${DEFAULT-VALUE}); with UDP unicast, the sending host's address")
        String controlChannel;
        @Option(names = "--control-stream", defaultValue = "1002", description = "control stream id (default: ${DEFAULT-VALUE})")
        int controlStream;
        @Option(names = "--aeron-dir", description = "use the external media driver in this directory (default: the aeron.dir property if set, else an embedded driver)")
        String aeronDir = System.getProperty("aeron.dir");
        @Option(names = "--driver-dir", description = "directory of the embedded media driver (default: /dev/shm/aeron-bridge-<pid>)")
        String driverDir;
        @Option(names = "--idle", defaultValue = "backoff", description = "idle strategy of the bridge loop and of an embedded driver: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        Idle idle;
        @Option(names = "--status", defaultValue = "10", description = "print the counters every this many seconds when they changed, 0 for never (default: ${DEFAULT-VALUE})")
        int statusSeconds;

        /** Runs {@code cycle}, printing {@code status} every --status seconds when it changed. */
        DutyCycle withStatus(DutyCycle cycle, java.util.function.Supplier<String> status) {
            if (statusSeconds <= 0) {
                return cycle;
            }
            final long interval = TimeUnit.SECONDS.toNanos(statusSeconds);
            final long[] next = {System.nanoTime() + interval};
            final String[] last = {""};
            return now -> {
                if (now - next[0] >= 0) {
                    next[0] = now + interval;
                    final String line = status.get();
                    if (!line.equals(last[0])) {
                        last[0] = line;
                        printLine(line);
                    }
                }
                return cycle.doWork(now);
            };
        }

        AeronTransport connect() {
            if (aeronDir != null) {
                return AeronTransport.external(aeronDir);
            }
            final String dir = driverDir != null ? driverDir : "/dev/shm/aeron-bridge-" + ProcessHandle.current().pid();
            return AeronTransport.embedded(dir, idle.create());
        }
    }

    /** Counted down when the command has returned and closed everything: a SIGTERM's shutdown hook waits for it. */
    private static final CountDownLatch FINISHED = new CountDownLatch(1);

    public static void main(String[] args) {
        int code;
        try {
            code = new CommandLine(new BridgeMain())
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    // the message names the file, the field or the flag; the stack trace only for the unexpected
                    command.getErr().println("bridge " + command.getCommandName() + ": " + e.getMessage());
                    if (!(e instanceof IllegalStateException || e instanceof IllegalArgumentException || e instanceof IOException)) {
                        e.printStackTrace(command.getErr());
                    }
                    return 1;
                })
                .execute(args);
        } finally {
            FINISHED.countDown();
        }
        System.exit(code);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: send, receive, driver, echo or latency");
    }

    /**
     * Runs {@code cycle} until SIGTERM/Ctrl-C. The shutdown hook stops the loop and then waits (up to
     * 10 s) for the command to return from {@link #main}, so that Aeron, the driver and the ring close cleanly.
     */
    static void runUntilStopped(IdleStrategy idle, DutyCycle cycle) throws Exception {
        final AtomicBoolean running = new AtomicBoolean(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.set(false);
            try {
                FINISHED.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bridge-shutdown"));
        while (running.get()) {
            idle.idle(cycle.doWork(System.nanoTime()));
        }
    }

    /** One turn of a loop; returns the work done (0 lets the idle strategy back off). */
    @FunctionalInterface
    interface DutyCycle {
        int doWork(long nowNs) throws Exception;
    }

    /** Opens a ring that must exist, with an error that says so. */
    static RingFile openExisting(Path ring) throws IOException {
        try {
            return RingFile.open(ring);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(ring.toString(), null, "ring " + ring + " does not exist (its producer creates it)");
        }
    }

    static void printLine(String line) {
        final PrintStream out = System.out;
        out.println(line);
        out.flush();
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
        description = "Consume a local People ring and publish it on Aeron; release local records only once the receiver acknowledges them.")
    static final class Send implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--ring", required = true, description = "the local ring to send (must exist)")
        Path ring;
        @CommandLine.Mixin
        TransportOptions options;

        @Override
        public Integer call() throws Exception {
            try (RingFile file = openExisting(ring);
                 RingConsumer consumer = file.consumer();
                 AeronTransport aeron = options.connect();
                 Publication data = aeron.aeron().addExclusivePublication(options.channel, options.stream);
                 Subscription control = aeron.aeron().addSubscription(options.controlChannel, options.controlStream)) {
                final SendingBridge bridge = new SendingBridge(consumer, data, control);
                printLine("bridge send ready: ring " + ring + " head " + bridge.head() + " -> " + options.channel
                    + " stream " + options.stream + ", acknowledgements on " + options.controlChannel + " stream " + options.controlStream);
                final java.util.function.Supplier<String> counters = () -> "head " + bridge.head() + " sent " + bridge.sent()
                    + " messages " + bridge.messages() + " resend requests " + bridge.resends();
                runUntilStopped(options.idle.create(), options.withStatus(now -> bridge.doWork(), () -> "bridge send status: " + counters.get()));
                System.out.println("bridge send stopped: " + counters.get());
            }
            return 0;
        }
    }

    @Command(name = "receive", mixinStandardHelpOptions = true,
        description = "Subscribe to Aeron and commit People to a local ring (created if missing); a full ring pushes back to the sender.")
    static final class Receive implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--ring", required = true, description = "the local ring to write (created if missing)")
        Path ring;
        @Option(names = "--capacity", defaultValue = "4096", description = "slots of the ring if it is created (power of two; default: ${DEFAULT-VALUE})")
        int capacity;
        @Option(names = "--origin-file", description = "state file beside the ring (default: <ring>.bridge-origin)")
        Path originFile;
        @CommandLine.Mixin
        TransportOptions options;

        @Override
        public Integer call() throws Exception {
            final Path origins = originFile != null ? originFile : BridgeOrigin.beside(ring);
            final RingFile file = openOrCreate(ring, capacity, origins);
            try (file;
                 RingProducer producer = file.producer()) {
                final OptionalLong origin = BridgeOrigin.read(origins);
                if (origin.isEmpty() && producer.position() != 0) {
                    throw new IllegalStateException("ring " + ring + " holds " + producer.position() + " records but has no"
                        + " bridge origin file " + origins + ", so the sending positions they came from are unknown:"
                        + " restore that file, or receive into a new ring");
                }
                receive(producer, origins, origin);
            }
            return 0;
        }

        private void receive(RingProducer producer, Path origins, OptionalLong origin) throws Exception {
            try (AeronTransport aeron = options.connect();
                 Subscription data = aeron.aeron().addSubscription(options.channel, options.stream);
                 Publication control = aeron.aeron().addExclusivePublication(options.controlChannel, options.controlStream)) {
                final ReceivingBridge bridge = new ReceivingBridge(producer, origins, origin.orElse(0), origin.isPresent(),
                    data, control, System.nanoTime());
                printLine("bridge receive ready: ring " + ring + " at " + producer.position() + " records"
                    + (origin.isPresent() ? ", expects sending position " + bridge.expected() : ", origin not known yet")
                    + " <- " + options.channel + " stream " + options.stream);
                final java.util.function.Supplier<String> counters = () -> "ring at " + producer.position() + " records, expects "
                    + bridge.expected() + ", duplicates skipped " + bridge.duplicates() + ", gaps skipped " + bridge.gaps();
                runUntilStopped(options.idle.create(), options.withStatus(bridge::doWork, () -> "bridge receive status: " + counters.get()));
                System.out.println("bridge receive stopped: " + counters.get());
            }
        }

        private static RingFile openOrCreate(Path ring, int capacity, Path origins) throws IOException {
            try {
                return RingFile.open(ring);
            } catch (NoSuchFileException e) {
                Files.deleteIfExists(origins); // it belonged to a ring that is gone
                try {
                    return RingFile.create(ring, People.spec(capacity));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    return RingFile.open(ring);
                }
            }
        }
    }

    @Command(name = "driver", mixinStandardHelpOptions = true,
        description = "Run a standalone Aeron media driver (shared threading mode) for bridges started with --aeron-dir.")
    static final class Driver implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--dir", required = true, description = "the driver's directory, e.g. /dev/shm/aeron-bridge")
        String dir;
        @Option(names = "--idle", defaultValue = "backoff", description = "idle strategy of the driver thread: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        Idle idle;

        @Override
        public Integer call() throws Exception {
            try (MediaDriver driver = MediaDriver.launch(AeronTransport.driverContext(dir, idle.create()))) {
                printLine("bridge driver ready: " + driver.aeronDirectoryName());
                runUntilStopped(new SleepingMillisIdleStrategy(50), now -> 0);
            }
            return 0;
        }
    }

    @Command(name = "echo", mixinStandardHelpOptions = true,
        description = "Copy every People from one ring to another (for round-trip measurements); creates --out if missing.")
    static final class Echo implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--in", required = true, description = "ring to read")
        Path in;
        @Option(names = "--out", required = true, description = "ring to write (created with the capacity of --in if missing)")
        Path out;
        @Option(names = "--idle", defaultValue = "backoff", description = "idle strategy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        Idle idle;

        @Override
        public Integer call() throws Exception {
            try (RingFile source = openExisting(in);
                 RingFile target = Files.exists(out) ? RingFile.open(out) : RingFile.create(out, source.spec());
                 RingConsumer consumer = source.consumer();
                 RingProducer producer = target.producer()) {
                if (source.spec().recordSize() != target.spec().recordSize()) {
                    throw new IllegalArgumentException("ring " + out + ": record size " + target.spec().recordSize()
                        + " differs from ring " + in + " (" + source.spec().recordSize() + ")");
                }
                final int size = source.spec().recordSize();
                printLine("bridge echo ready: " + in + " -> " + out);
                runUntilStopped(idle.create(), now -> {
                    final int available = consumer.available(256);
                    if (available == 0) {
                        return 0;
                    }
                    final int n = producer.claim(available);
                    for (int i = 0; i < n; i++) {
                        producer.buffer().put(producer.recordOffset(i), consumer.buffer(), consumer.recordOffset(i), size);
                    }
                    if (n > 0) {
                        producer.commit();
                        consumer.consume(n);
                    } else {
                        producer.abort();
                    }
                    return n;
                });
            }
            return 0;
        }
    }
}
