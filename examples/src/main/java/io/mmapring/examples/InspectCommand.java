package io.mmapring.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.mmapring.People;
import io.mmapring.RingFile;
import io.mmapring.RingLayout;
import io.mmapring.RingSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code inspect}: a ring file's header and state, read without writing a byte. */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints a ring file's header (format version, record size, stride, capacity) and state"
        + " (head, tail, producer position, backlog, whether a producer and a consumer hold their roles).",
        "Validates the file as every opener does; a file that is not a valid ring is refused with the"
            + " library's error and exit code 1. Writes nothing."})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Ring file.")
    Path ring;

    @Option(names = "--wait", paramLabel = "SECONDS",
        description = "How long to wait for a file whose creator has not finished its header (default: ${DEFAULT-VALUE}).")
    double waitSeconds = 1;

    @Override
    public Integer call() throws IOException {
        if (!(waitSeconds >= 0)) {
            throw new IllegalArgumentException("--wait " + waitSeconds + " is negative");
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (RingFile file = RingFile.open(ring, Duration.ofMillis((long) (waitSeconds * 1000)))) {
            final ByteBuffer header = readHeader(ring);
            final RingSpec shape = file.spec();
            final long magic = header.getLong(RingLayout.MAGIC_OFFSET);
            final byte[] magicText = new byte[8];
            header.get(RingLayout.MAGIC_OFFSET, magicText);
            final long head = file.head();
            final long tail = file.tail();
            final long position = file.producerPosition();
            final String format = "%-18s %s%n";
            out.printf(format, "ring", file.name());
            out.printf(format, "magic", String.format("0x%016x (\"%s\")", magic, new String(magicText, StandardCharsets.US_ASCII)));
            out.printf(format, "format version", header.getInt(RingLayout.VERSION_OFFSET));
            out.printf(format, "record size", shape.recordSize() + " bytes" + (shape.recordSize() == People.SIZE
                ? " (People: char name[" + People.NAME_LENGTH + "] + int id)" : ""));
            out.printf(format, "slot stride", shape.stride() + " bytes");
            out.printf(format, "sequence offset", shape.sequenceOffset());
            out.printf(format, "capacity", shape.capacity() + " slots");
            out.printf(format, "data offset", header.getLong(RingLayout.DATA_OFFSET_OFFSET));
            out.printf(format, "file length", shape.fileLength() + " bytes");
            out.printf(format, "head", head + " (consumer position)");
            out.printf(format, "tail", tail + (tail == position ? "" : " (behind the producer position: a producer died between its two stores)"));
            out.printf(format, "producer position", position);
            out.printf(format, "backlog", Math.max(0, position - head) + " of " + shape.capacity());
            out.printf(format, "producer", file.isProducerAlive() ? "alive (role lock held)" : "none");
            out.printf(format, "consumer", file.isConsumerAlive() ? "alive (role lock held)" : "none");
            out.flush();
        }
        return PeopleRingCli.OK;
    }

    /** The raw immutable header fields, read through a read-only channel (the ring validated them). */
    private static ByteBuffer readHeader(Path path) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(RingLayout.TAIL_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
                // the whole immutable block
            }
        }
        return header;
    }
}
