package io.mmapring.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cross-process throughput of 132-byte People: the benchmark JVM sends as fast as the link takes
 * them (busy-spinning while it is full), a {@link Partner} JVM consumes them in batches of up to 256
 * and checks every id in order; at the end of the trial the partner must report every record sent and
 * no error, or the benchmark fails. One operation is one record, so the score is records per second
 * through the slower of the two sides.
 *
 * <p>{@code *Offer}: one record per send (one release per record; one system call per record for the
 * kernel peers). {@code *Batch}: claims of {@link Records#BATCH} records committed together (Agrona has
 * no batch API: its batch is a loop of claims; the kernel peers write 32 records per system call).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CrossProcessThroughput {

    @Benchmark
    public void ringOffer(RingSink peer) throws Exception {
        peer.send();
    }

    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public void ringBatch(RingSink peer) throws Exception {
        peer.sendBatch(Records.BATCH);
    }

    /** Before/after: the library's code path as of commit 8f8dd99 ({@link BaselineLink}), one record per commit. */
    @Benchmark
    public void baselineOffer(BaselineSink peer) throws Exception {
        peer.send();
    }

    /** Before/after: the library's code path as of commit 8f8dd99, claims of {@link Records#BATCH}. */
    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public void baselineBatch(BaselineSink peer) throws Exception {
        peer.sendBatch(Records.BATCH);
    }

    /** Experiment: the library's ring and consumer, batches committed last slot first ({@link ReverseCommitLink}). */
    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public void ringReverseBatch(RingReverseSink peer) throws Exception {
        peer.sendBatch(Records.BATCH);
    }

    @Benchmark
    public void headTailOffer(HeadTailSink peer) throws Exception {
        peer.send();
    }

    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public void headTailBatch(HeadTailSink peer) throws Exception {
        peer.sendBatch(Records.BATCH);
    }

    /** Prototype: {@link LayoutRing} (lean), one record per commit. */
    @Benchmark
    public void leanOffer(LeanSink peer) throws Exception {
        peer.send();
    }

    /** Prototype: {@link LayoutRing} (lean), claims of {@link Records#BATCH}. */
    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public void leanBatch(LeanSink peer) throws Exception {
        peer.sendBatch(Records.BATCH);
    }

    /** Prototype: {@link LayoutRing} (aligned), one record per commit. */
    @Benchmark
    public void alignedOffer(AlignedSink peer) throws Exception {
        peer.send();
    }

    /** Prototype: {@link LayoutRing} (aligned), claims of {@link Records#BATCH}. */
    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public void alignedBatch(AlignedSink peer) throws Exception {
        peer.sendBatch(Records.BATCH);
    }

    /** Prototype: {@link LayoutRing} (first), one record per commit. */
    @Benchmark
    public void firstOffer(FirstSink peer) throws Exception {
        peer.send();
    }

    /** Prototype: {@link LayoutRing} (first), claims of {@link Records#BATCH}. */
    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public void firstBatch(FirstSink peer) throws Exception {
        peer.sendBatch(Records.BATCH);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = Records.AGRONA_OPENS)
    public void agronaOffer(AgronaSink peer) throws Exception {
        peer.send();
    }

    @Benchmark
    public void udsOffer(UdsSink peer) throws Exception {
        peer.send();
    }

    @Benchmark
    @OperationsPerInvocation(Records.BATCH)
    public void udsBatch(UdsSink peer) throws Exception {
        peer.sendBatch(Records.BATCH);
    }

    @Benchmark
    public void tcpOffer(TcpSink peer) throws Exception {
        peer.send();
    }

    @Benchmark
    public void fifoOffer(FifoSink peer) throws Exception {
        peer.send();
    }

    @State(Scope.Thread)
    public static class RingSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("ring", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class BaselineSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("baseline", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class RingReverseSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("ringreverse", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class HeadTailSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("headtail", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class AgronaSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("agrona", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class UdsSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("uds", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class TcpSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("tcp", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class FifoSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("fifo", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class LeanSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("lean", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class AlignedSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("aligned", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class FirstSink extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("first", "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }
}
