package io.mmapring.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.mmapring.People;
import io.mmapring.RingConsumer;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pong}: the echo side of {@code pingpong}, started by it as a second JVM, or by hand for
 * {@code pingpong --no-echo}. Copies every People of the ping ring to the pong ring; exits when the
 * ping ring has had a producer, that producer is gone and the ring is drained.
 */
@Command(name = "pong", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Echo side of pingpong: copies each People from the --ping ring to the --pong ring.",
        "pingpong starts it itself; start it by hand for pingpong --no-echo, e.g. at the far end of a bridge:"
            + " pong --ping B --pong C with pingpong --out A --in D --no-echo, A bridged to B and C to D.",
        "Both rings must exist. It exits 0 once the --ping ring's producer has come and gone and everything"
            + " is echoed, 1 after --timeout."})
final class PongCommand implements Callable<Integer> {
    @Option(names = "--ping", required = true, paramLabel = "FILE", description = "Existing ring to consume (pingpong's --out).")
    Path ping;

    @Option(names = "--pong", required = true, paramLabel = "FILE", description = "Existing ring to publish the copies to (pingpong's --in).")
    Path pong;

    @Option(names = "--idle", paramLabel = "MODE", description = "How it waits: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PeopleRingCli.Idle idle = PeopleRingCli.Idle.SPIN;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 120;

    @Override
    public Integer call() throws IOException {
        final long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        try (RingFile in = PingPongCommand.openPeopleRing("--ping", ping, false);
             RingFile out = PingPongCommand.openPeopleRing("--pong", pong, false)) {
            final RingConsumer receiver = in.consumer();
            final RingProducer sender = out.producer();
            final IdleStrategy idle = this.idle.strategy();
            final ByteBuffer src = receiver.buffer();
            final ByteBuffer dst = sender.buffer();
            final long livenessEvery = 1_000_000; // ns: the liveness probe is a system call
            long nextLiveness = System.nanoTime() + livenessEvery;
            long empty = 0;
            boolean hadProducer = false; // started by hand, it may come up before the pinger
            while (true) {
                final int n = receiver.available(64);
                if (n > 0) {
                    final int room = sender.claim(n);
                    for (int i = 0; i < room; i++) {
                        dst.put(sender.recordOffset(i), src, receiver.recordOffset(i), People.SIZE);
                    }
                    if (room > 0) {
                        sender.commit();
                        receiver.consume(room);
                        hadProducer = true;
                        idle.reset();
                        continue;
                    }
                }
                idle.idle();
                if ((++empty & 0x3FF) == 0 && System.nanoTime() - nextLiveness >= 0) {
                    nextLiveness = System.nanoTime() + livenessEvery;
                    final boolean producerAlive = in.isProducerAlive();
                    hadProducer |= producerAlive;
                    if (hadProducer && n == 0 && !producerAlive && receiver.available(1) == 0) {
                        return PeopleRingCli.OK; // the pinger closed its producer and everything is echoed
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        throw new PeopleRingCli.ExampleException("pong: no end of the ping ring within --timeout "
                            + timeoutSeconds + " s");
                    }
                }
            }
        }
    }
}
