package io.mmapring.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.mmapring.People;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo echo}: the far end of the demo's socket round trip. Connects to a Unix domain socket and
 * sends every 132-byte People straight back, with blocking reads and writes, until the other end
 * closes. The ring's echo is {@code pong}.
 */
@Command(name = "echo", hidden = true, mixinStandardHelpOptions = true,
    description = "The demo's socket echo: sends every People back on the Unix domain socket it connects to.")
final class DemoEchoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--socket", required = true, paramLabel = "FILE", description = "The Unix domain socket to connect to.")
    Path socket;

    @Override
    public Integer call() throws IOException {
        final PrintWriter out = spec.commandLine().getOut();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            out.println("ready");
            out.flush();
            final ByteBuffer record = ByteBuffer.allocateDirect(People.SIZE);
            long echoed = 0;
            while (true) {
                record.clear();
                while (record.hasRemaining()) {
                    if (channel.read(record) < 0) {
                        if (record.position() == 0) {
                            out.println("echoed " + echoed + " People");
                            out.flush();
                            return PeopleRingCli.OK;
                        }
                        throw new PeopleRingCli.ExampleException("socket " + socket + ": closed in the middle of a People ("
                            + record.position() + " of " + People.SIZE + " bytes) after " + echoed + " echoed");
                    }
                }
                record.flip();
                while (record.hasRemaining()) {
                    channel.write(record);
                }
                echoed++;
            }
        }
    }
}
