package io.mmapring.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.mmapring.People;
import io.mmapring.RingFile;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo}: the README's main command. A million People from this JVM to a reader in a second JVM,
 * every one checked there, then a short ping-pong for the round-trip latency.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Creates a ring, starts `read` in a second JVM, writes a million People from this one,"
        + " and prints the count, the rate, the reader's verification, and a short pingpong's round-trip"
        + " latency. Exit code 0 only if the reader verified every People."})
final class DemoCommand implements Callable<Integer> {
    private static final double READER_SECONDS = 50;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "People to move (default: ${DEFAULT-VALUE}).")
    long count = 1_000_000;

    @Option(names = "--capacity", paramLabel = "SLOTS", description = "Ring capacity (default: ${DEFAULT-VALUE}).")
    int capacity = 4096;

    @Option(names = "--round-trips", paramLabel = "N", description = "Measured pingpong round trips; 0: skip (default: ${DEFAULT-VALUE}).")
    long roundTrips = 20_000;

    @Option(names = "--idle", paramLabel = "MODE",
        description = "How every side waits: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: keeps a 2-core machine responsive).")
    PeopleRingCli.Idle idle = PeopleRingCli.Idle.YIELD;

    @Option(names = "--dir", paramLabel = "DIR", description = "Directory for the ring files (default: ${DEFAULT-VALUE}).")
    Path dir = PeopleRingCli.defaultDirectory();

    @Override
    public Integer call() throws IOException {
        final PrintWriter out = spec.commandLine().getOut();
        final Path path = dir.resolve("people-ring-demo-" + ProcessHandle.current().pid());
        final int readerCode;
        final String readerReport;
        try (RingFile ring = RingFile.create(path, People.spec(capacity), RingFile.DEFAULT_PERMISSIONS, true);
             ChildJvm reader = ChildJvm.start("read", "--ring", path.toString(), "--quiet", "--count", Long.toString(count),
                 "--wait", "30", "--timeout", Double.toString(READER_SECONDS), "--idle", idle.name())) {
            out.printf("demo: %d People (%d-byte C struct) through %s: %d slots of %d bytes, %.1f MiB%n",
                count, People.SIZE, path, capacity, ring.spec().stride(), ring.spec().fileLength() / 1048576.0);
            out.printf("  writer: this JVM (pid %d); reader: a second JVM (pid %d) running `read --quiet`%n",
                ProcessHandle.current().pid(), reader.pid());
            out.flush();
            awaitReader(ring, reader);
            final WriteCommand writer = new WriteCommand();
            writer.count = count;
            writer.quiet = true;
            writer.idle = idle;
            writer.waitSeconds = 30;
            writer.consumerRunning = reader::isAlive;
            final WriteCommand.Result written;
            try {
                written = writer.write(ring, out);
            } catch (PeopleRingCli.ExampleException e) {
                if (reader.isAlive()) {
                    throw e;
                }
                throw reader.died("the reader");
            }
            out.printf("  wrote %d People in %.3f s: %s msgs/s (batches of %d, ring full -> %s)%n", written.count,
                written.nanos / 1e9, WriteCommand.rate(written.count, written.nanos), writer.batch,
                idle.name().toLowerCase());
            readerCode = reader.waitFor(READER_SECONDS + 10);
            readerReport = reader.output().strip();
            out.println("  reader: " + readerReport.replace("\n", "\n          "));
        } finally {
            PeopleRingCli.deleteQuietly(path);
        }
        if (readerCode != PeopleRingCli.OK) {
            out.println("demo: FAILED (the reader exited with code " + readerCode + ")");
            out.flush();
            return PeopleRingCli.FAILED;
        }
        if (roundTrips > 0) {
            final PingPongCommand pingPong = new PingPongCommand();
            pingPong.count = roundTrips;
            pingPong.warmup = roundTrips;
            pingPong.idle = idle;
            pingPong.dir = dir;
            pingPong.timeoutSeconds = 60;
            final Histogram histogram = pingPong.measure(out);
            out.print("  ");
            PingPongCommand.print(out, histogram);
        }
        out.println("demo: OK, every People arrived once, in order, with its name");
        out.flush();
        return PeopleRingCli.OK;
    }

    private static void awaitReader(RingFile ring, ChildJvm reader) throws IOException {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (!ring.isConsumerAlive()) {
            if (!reader.isAlive()) {
                throw reader.died("the reader");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new PeopleRingCli.ExampleException("the reader did not take the consumer role within 30 s."
                    + " Its output:\n" + reader.output());
            }
            ReadCommand.sleep(1);
        }
    }
}
