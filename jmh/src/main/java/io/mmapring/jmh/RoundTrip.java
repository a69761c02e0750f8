package io.mmapring.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cross-process round trip of one 132-byte People: the benchmark JVM sends it, a {@link Partner} JVM
 * echoes it back, the benchmark spins until the echo arrives and checks its id. One operation is one
 * round trip. Peers: the ring (two ring files), the head/tail-only variant (two files, same layout),
 * Agrona's OneToOneRingBuffer (two mapped files), Unix domain socket, TCP loopback, two named pipes.
 * {@code avgt} gives the mean, {@code sample} the percentiles.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoundTrip {

    @Benchmark
    public int ring(RingEcho peer) throws Exception {
        return peer.roundTrip();
    }

    /** Before/after: the library's code path as of commit 8f8dd99 ({@link BaselineLink}). */
    @Benchmark
    public int baseline(BaselineEcho peer) throws Exception {
        return peer.roundTrip();
    }

    @Benchmark
    public int headTail(HeadTailEcho peer) throws Exception {
        return peer.roundTrip();
    }

    /** Prototype: {@link LayoutRing} (lean). */
    @Benchmark
    public int lean(LeanEcho peer) throws Exception {
        return peer.roundTrip();
    }

    /** Prototype: {@link LayoutRing} (aligned). */
    @Benchmark
    public int aligned(AlignedEcho peer) throws Exception {
        return peer.roundTrip();
    }

    /** Prototype: {@link LayoutRing} (first). */
    @Benchmark
    public int first(FirstEcho peer) throws Exception {
        return peer.roundTrip();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = Records.AGRONA_OPENS)
    public int agrona(AgronaEcho peer) throws Exception {
        return peer.roundTrip();
    }

    @Benchmark
    public int uds(UdsEcho peer) throws Exception {
        return peer.roundTrip();
    }

    @Benchmark
    public int tcp(TcpEcho peer) throws Exception {
        return peer.roundTrip();
    }

    @Benchmark
    public int fifo(FifoEcho peer) throws Exception {
        return peer.roundTrip();
    }

    @State(Scope.Thread)
    public static class RingEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("ring", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class HeadTailEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("headtail", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class AgronaEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("agrona", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class UdsEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("uds", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class TcpEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("tcp", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class FifoEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("fifo", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class BaselineEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("baseline", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class LeanEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("lean", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class AlignedEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("aligned", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }

    @State(Scope.Thread)
    public static class FirstEcho extends Peer {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open("first", "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            close();
        }
    }
}
