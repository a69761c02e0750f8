package io.mmapring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.mmapring.RingLayout.CAPACITY_OFFSET;
import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.DATA_OFFSET_OFFSET;
import static io.mmapring.RingLayout.HEAD_OFFSET;
import static io.mmapring.RingLayout.MAGIC;
import static io.mmapring.RingLayout.MAGIC_OFFSET;
import static io.mmapring.RingLayout.RECORD_SIZE_OFFSET;
import static io.mmapring.RingLayout.SEQUENCE_OFFSET_OFFSET;
import static io.mmapring.RingLayout.STRIDE_OFFSET;
import static io.mmapring.RingLayout.TAIL_OFFSET;
import static io.mmapring.RingLayout.VERSION;
import static io.mmapring.RingLayout.VERSION_OFFSET;

/**
 * A ring laid out in a memory-mapped file (or, for in-process use and tests, in any direct
 * {@link ByteBuffer}): creates, opens and validates it, hands out the one {@link RingProducer} and the
 * one {@link RingConsumer}, and answers whether each role is held.
 *
 * <p>Roles are OS byte-range locks on the file ({@link RingLayout#PRODUCER_LOCK_OFFSET},
 * {@link RingLayout#CONSUMER_LOCK_OFFSET}): a second producer or consumer, in this process or another,
 * is refused with an {@link IllegalStateException} naming the file and the role, and the OS drops a
 * role when its process dies. Over a plain buffer the roles are enforced per {@code RingFile} object.
 *
 * <p>Opening never writes to the shared memory. Closing releases the roles and the channel; it writes
 * nothing, so it never disturbs the peer. The JDK 17 API has no deterministic unmap without
 * {@code Unsafe}: the mapping itself is released when the buffer is garbage collected.
 *
 * <p>Within one JVM, keep one {@code RingFile} per file and role: POSIX drops all of a process's locks
 * on a file when any of its channels to that file closes (see {@link FileLock}).
 *
 * <p>When one process runs both roles, take the producer and the consumer in the threads that use
 * them: the two objects are small and unpadded, and two allocated back to back by one thread may share
 * a cache line (each thread allocates from its own buffer, so objects made by different threads do not).
 */
public final class RingFile implements AutoCloseable {
    /** How long {@link #open(Path)} waits for a file that is still being created. */
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(5);
    /** Owner read and write only (0600). */
    public static final Set<PosixFilePermission> DEFAULT_PERMISSIONS =
        Set.copyOf(PosixFilePermissions.fromString("rw-------"));

    private static final VarHandle LONG = RingLayout.LONG;
    private static final int ZERO_CHUNK = 1 << 20;

    private final String name;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final RingSpec spec;
    private FileLock producerLock;
    private FileLock consumerLock;
    private boolean producerTaken;
    private boolean consumerTaken;
    private RingProducer producer;
    private RingConsumer consumer;
    private boolean closed;

    private RingFile(String name, FileChannel channel, ByteBuffer buffer, RingSpec spec) {
        this.name = name;
        this.channel = channel;
        this.buffer = buffer;
        this.spec = spec;
    }

    /** Creates a new ring file, mode 0600; fails if the file exists. See {@link #create(Path, RingSpec, Set, boolean)}. */
    public static RingFile create(Path path, RingSpec spec) throws IOException {
        return create(path, spec, DEFAULT_PERMISSIONS, false);
    }

    /**
     * Creates a ring file: create-new (or delete and re-create when {@code replace}), full length
     * written with zeros through the channel so that a full file system fails here with an
     * {@link IOException} instead of a SIGBUS later, header written, magic release-stored last.
     * On any failure the half-made file is deleted.
     *
     * @param permissions POSIX mode of the new file (ignored where the file system has none)
     * @param replace     delete an existing file first; processes that still map it keep the old one
     */
    public static RingFile create(Path path, RingSpec spec, Set<PosixFilePermission> permissions, boolean replace)
        throws IOException {
        final boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (replace) {
            Files.deleteIfExists(path);
        }
        final FileAttribute<?>[] attributes = posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
            : new FileAttribute<?>[0];
        final FileChannel channel;
        try {
            channel = FileChannel.open(path, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), attributes);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(path.toString(), null,
                "ring file already exists (create with replace=true to overwrite it)");
        }
        try {
            if (posix) {
                Files.setPosixFilePermissions(path, permissions); // the umask may have cleared bits asked for
            }
            final int length = spec.fileLength();
            allocate(path, channel, length);
            final ByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, length).order(ByteOrder.LITTLE_ENDIAN);
            writeHeader(map, spec);
            return new RingFile(path.toString(), channel, map, spec);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(channel);
            try {
                Files.deleteIfExists(path);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Opens an existing ring file, waiting up to {@link #DEFAULT_OPEN_TIMEOUT} for its creator to finish. */
    public static RingFile open(Path path) throws IOException {
        return open(path, DEFAULT_OPEN_TIMEOUT);
    }

    /**
     * Opens an existing ring file and validates all of it: magic, version, record size, stride,
     * sequence offset, capacity, data offset, file length, and the position invariants
     * ({@code head <= producer position <= head + capacity}). Waits, at most {@code timeout}, while
     * the file is shorter than the header or its magic is still zero (a creator is still at work).
     * Writes nothing.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws RingFormatException              if the file is not a valid ring (the message names the field)
     */
    public static RingFile open(Path path, Duration timeout) throws IOException {
        final String name = path.toString();
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            final ByteBuffer header = awaitHeader(name, channel, timeout);
            final RingSpec spec = readSpec(name, header, channel.size());
            final ByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, spec.fileLength())
                .order(ByteOrder.LITTLE_ENDIAN);
            if ((long) LONG.getAcquire(map, MAGIC_OFFSET) != MAGIC || !spec.equals(readSpec(name, map, channel.size()))) {
                throw new RingFormatException("ring " + name + ": header changed while it was being opened");
            }
            checkPositions(name, map, spec);
            return new RingFile(name, channel, map, spec);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Lays a new, empty ring over a direct buffer (zeroing the first {@code spec.fileLength()} bytes)
     * and returns it. The same code path as a mapped file, for in-process use and for tests.
     */
    public static RingFile format(ByteBuffer buffer, RingSpec spec) {
        final ByteBuffer view = view(buffer, spec.fileLength());
        for (int i = 0; i < view.capacity(); i += 8) {
            view.putLong(i, 0L);
        }
        writeHeader(view, spec);
        return new RingFile(nameOf(buffer), null, view, spec);
    }

    /** Validates a ring already laid over a direct buffer (by {@link #format} or a peer) and returns it. */
    public static RingFile wrap(ByteBuffer buffer) {
        final String name = nameOf(buffer);
        if (buffer.capacity() < DATA_OFFSET) {
            throw new RingFormatException("ring " + name + ": buffer of " + buffer.capacity()
                + " bytes is shorter than the header (" + DATA_OFFSET + " bytes)");
        }
        final ByteBuffer header = view(buffer, DATA_OFFSET);
        final long magic = (long) LONG.getAcquire(header, MAGIC_OFFSET);
        checkMagic(name, magic);
        final RingSpec spec = readSpec(name, header, -1);
        if (buffer.capacity() < spec.fileLength()) {
            throw new RingFormatException("ring " + name + ": buffer of " + buffer.capacity()
                + " bytes is shorter than the ring (" + spec.fileLength() + " bytes)");
        }
        final ByteBuffer view = view(buffer, spec.fileLength());
        checkPositions(name, view, spec);
        return new RingFile(name, null, view, spec);
    }

    /** The path of the file, or a name for a buffer: used in every error message. */
    public String name() {
        return name;
    }

    /** Record size and capacity, as read from the header. */
    public RingSpec spec() {
        return spec;
    }

    /** The consumer's position as last released (an acquire load of the header's {@code head}). */
    public long head() {
        return (long) LONG.getAcquire(buffer, HEAD_OFFSET);
    }

    /** The header's {@code tail} (an acquire load); may lag {@link #producerPosition()} after a producer crash. */
    public long tail() {
        return (long) LONG.getAcquire(buffer, TAIL_OFFSET);
    }

    /**
     * The producer's true position: the header's {@code tail}, moved forward over the slots whose
     * sequence words say they are published (a producer that died between its two release stores).
     */
    public long producerPosition() {
        return scanProducerPosition(buffer, spec, tail());
    }

    /** Messages published and not yet consumed, from one look at the counters. */
    public long backlog() {
        final long head = head();
        return Math.max(0, producerPosition() - head);
    }

    /**
     * Takes the producer role and returns the producer, positioned at {@link #producerPosition()}.
     *
     * @throws IllegalStateException if another producer holds the role, in this process or another
     */
    public synchronized RingProducer producer() throws IOException {
        checkOpen();
        if (channel == null) {
            if (producerTaken) {
                throw new IllegalStateException("ring " + name + ": the producer role is already taken");
            }
            producerTaken = true;
        } else {
            producerLock = takeRole(RingLayout.PRODUCER_LOCK_OFFSET, "producer");
        }
        try {
            final long head = head();
            final long position = producerPosition();
            if (head < 0 || head > position || position - head > spec.capacity() // head < 0 first: no overflow below
                || position > RingLayout.MAX_POSITION) {
                throw new RingFormatException("ring " + name + ": producer position " + position
                    + " is outside [head " + head + ", head + capacity " + spec.capacity() + "]");
            }
            if (tail() != position) {
                LONG.setRelease(buffer, TAIL_OFFSET, position); // repair the tail a crashed producer left behind
            }
            producer = new RingProducer(this, duplicate(), position, head);
            return producer;
        } catch (RuntimeException e) {
            releaseProducer();
            throw e;
        }
    }

    /**
     * Takes the consumer role and returns the consumer, positioned at {@link #head()}: a consumer
     * restarted after a crash re-reads the batch it had not released.
     *
     * @throws IllegalStateException if another consumer holds the role, in this process or another
     * @throws RingFormatException   if {@code head} is outside {@code [0, producerPosition()]} (a corrupted file)
     */
    public synchronized RingConsumer consumer() throws IOException {
        checkOpen();
        if (channel == null) {
            if (consumerTaken) {
                throw new IllegalStateException("ring " + name + ": the consumer role is already taken");
            }
            consumerTaken = true;
        } else {
            consumerLock = takeRole(RingLayout.CONSUMER_LOCK_OFFSET, "consumer");
        }
        try {
            // head is only written by the consumer role, now ours: it must still lie in [0, producer position]
            final long head = head();
            final long position = producerPosition();
            if (head < 0 || head > position || position > RingLayout.MAX_POSITION) {
                throw new RingFormatException("ring " + name + ": head " + head + " is outside [0, producer position "
                    + position + "]");
            }
            consumer = new RingConsumer(this, duplicate(), head);
            return consumer;
        } catch (RuntimeException e) {
            releaseConsumer();
            throw e;
        }
    }

    /** Whether some producer, in any process, holds the role now (from the OS lock: no clock, no heartbeat). */
    public synchronized boolean isProducerAlive() throws IOException {
        return producerTaken || producerLock != null || isLockedElsewhere(RingLayout.PRODUCER_LOCK_OFFSET);
    }

    /** Whether some consumer, in any process, holds the role now (from the OS lock: no clock, no heartbeat). */
    public synchronized boolean isConsumerAlive() throws IOException {
        return consumerTaken || consumerLock != null || isLockedElsewhere(RingLayout.CONSUMER_LOCK_OFFSET);
    }

    /** Flushes the mapping to the storage device (a no-op for a buffer or a tmpfs file). */
    public void force() {
        if (buffer instanceof MappedByteBuffer) {
            ((MappedByteBuffer) buffer).force();
        }
    }

    /**
     * Closes the producer and consumer taken from this ring, releases their roles and the channel.
     * Writes nothing: unconsumed messages stay for the next consumer.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (producer != null) {
            producer.close();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (channel != null) {
            channel.close();
        }
    }

    synchronized void releaseProducer() {
        producer = null;
        producerTaken = false;
        producerLock = releaseLock(producerLock);
    }

    synchronized void releaseConsumer() {
        consumer = null;
        consumerTaken = false;
        consumerLock = releaseLock(consumerLock);
    }

    static long scanProducerPosition(ByteBuffer buffer, RingSpec spec, long tail) {
        final int mask = spec.capacity() - 1;
        final int stride = spec.stride();
        final int sequenceOffset = spec.sequenceOffset();
        long position = tail;
        // a slot is published when its word holds position + 1 (acquire: pairs with the producer's release)
        while (position - tail < spec.capacity()
            && (long) LONG.getAcquire(buffer, DATA_OFFSET + (int) (position & mask) * stride + sequenceOffset) == position + 1) {
            position++;
        }
        return position;
    }

    private ByteBuffer duplicate() {
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ring " + name + ": closed");
        }
    }

    private FileLock takeRole(long offset, String role) throws IOException {
        final FileLock lock;
        try {
            lock = channel.tryLock(offset, 1, false);
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("ring " + name + ": the " + role + " role is already held in this process");
        }
        if (lock == null) {
            throw new IllegalStateException("ring " + name + ": the " + role + " role is held by another process");
        }
        return lock;
    }

    private boolean isLockedElsewhere(long offset) throws IOException {
        if (channel == null || closed) {
            return false;
        }
        try (FileLock probe = channel.tryLock(offset, 1, true)) {
            return probe == null;
        } catch (OverlappingFileLockException e) {
            return true; // held through another channel of this JVM
        }
    }

    private static FileLock releaseLock(FileLock lock) {
        if (lock != null && lock.isValid()) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // the channel is closing or closed: the OS has dropped the lock already
            }
        }
        return null;
    }

    private static void allocate(Path path, FileChannel channel, int length) throws IOException {
        final ByteBuffer zeros = ByteBuffer.allocateDirect(Math.min(length, ZERO_CHUNK));
        long position = 0;
        try {
            while (position < length) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), length - position));
                while (zeros.hasRemaining()) {
                    position += channel.write(zeros, position);
                }
            }
        } catch (IOException e) {
            throw new IOException("ring " + path + ": cannot allocate " + length + " bytes (stopped at byte "
                + position + "): " + e.getMessage(), e);
        }
    }

    private static void writeHeader(ByteBuffer buffer, RingSpec spec) {
        buffer.putInt(VERSION_OFFSET, VERSION);
        buffer.putInt(RECORD_SIZE_OFFSET, spec.recordSize());
        buffer.putInt(STRIDE_OFFSET, spec.stride());
        buffer.putInt(SEQUENCE_OFFSET_OFFSET, spec.sequenceOffset());
        buffer.putLong(CAPACITY_OFFSET, spec.capacity());
        buffer.putLong(DATA_OFFSET_OFFSET, DATA_OFFSET);
        // release, last: an opener that acquires the magic sees every field above
        LONG.setRelease(buffer, MAGIC_OFFSET, MAGIC);
    }

    private static ByteBuffer awaitHeader(String name, FileChannel channel, Duration timeout) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long size = channel.size();
            if (size >= DATA_OFFSET) {
                header.clear();
                while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
                    // read the whole header
                }
                final long magic = header.getLong(MAGIC_OFFSET);
                if (magic != 0) {
                    checkMagic(name, magic);
                    return header;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new RingFormatException("ring " + name + (size < DATA_OFFSET
                    ? ": file length " + size + " is shorter than the header (" + DATA_OFFSET + " bytes)"
                    : ": magic is still 0 (header not initialised)")
                    + " after waiting " + timeout.toMillis() + " ms");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("ring " + name + ": interrupted while waiting for the header");
            }
        }
    }

    private static void checkMagic(String name, long magic) {
        if (magic != MAGIC) {
            throw new RingFormatException("ring " + name + ": magic 0x" + Long.toHexString(magic)
                + " is not MMAPRING (0x" + Long.toHexString(MAGIC) + "): not a ring file");
        }
    }

    /** Reads and checks every immutable header field; {@code fileLength < 0} skips the length check. */
    private static RingSpec readSpec(String name, ByteBuffer header, long fileLength) {
        final String ring = "ring " + name + ": ";
        final int version = header.getInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw new RingFormatException(ring + "version " + version + " is not supported (this library reads " + VERSION + ")");
        }
        final int recordSize = header.getInt(RECORD_SIZE_OFFSET);
        if (recordSize < 1 || recordSize > RingLayout.MAX_RECORD_SIZE) {
            throw new RingFormatException(ring + "record size " + recordSize + " is outside [1, " + RingLayout.MAX_RECORD_SIZE + "]");
        }
        final int stride = header.getInt(STRIDE_OFFSET);
        if (stride != RingLayout.stride(recordSize)) {
            throw new RingFormatException(ring + "slot stride " + stride + " does not match record size "
                + recordSize + " (expected " + RingLayout.stride(recordSize) + ")");
        }
        final int sequenceOffset = header.getInt(SEQUENCE_OFFSET_OFFSET);
        if (sequenceOffset != RingLayout.sequenceOffset(recordSize)) {
            throw new RingFormatException(ring + "sequence offset " + sequenceOffset + " does not match record size "
                + recordSize + " (expected " + RingLayout.sequenceOffset(recordSize) + ")");
        }
        final long capacity = header.getLong(CAPACITY_OFFSET);
        if (capacity < 1 || Long.bitCount(capacity) != 1 || capacity > RingLayout.MAX_CAPACITY) {
            throw new RingFormatException(ring + "capacity " + capacity + " is not a power of two in [1, "
                + RingLayout.MAX_CAPACITY + "]");
        }
        final long dataOffset = header.getLong(DATA_OFFSET_OFFSET);
        if (dataOffset != DATA_OFFSET) {
            throw new RingFormatException(ring + "data offset " + dataOffset + " is not " + DATA_OFFSET);
        }
        final long expected = RingLayout.fileLength(recordSize, capacity);
        if (expected > RingLayout.MAX_FILE_LENGTH) {
            throw new RingFormatException(ring + "ring length " + expected + " (capacity " + capacity + " x stride "
                + stride + ") exceeds " + RingLayout.MAX_FILE_LENGTH);
        }
        if (fileLength >= 0 && fileLength != expected) {
            throw new RingFormatException(ring + "file length " + fileLength + " does not match the header ("
                + DATA_OFFSET + " + capacity " + capacity + " x stride " + stride + " = " + expected + ")");
        }
        return new RingSpec(recordSize, (int) capacity);
    }

    /**
     * The invariants every opener checks. Reads head, then tail, then head again, so that a live
     * producer and consumer never make a valid ring look corrupt.
     */
    private static void checkPositions(String name, ByteBuffer buffer, RingSpec spec) {
        final String ring = "ring " + name + ": ";
        final long headBefore = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
        final long tail = (long) LONG.getAcquire(buffer, TAIL_OFFSET);
        if (headBefore < 0) {
            throw new RingFormatException(ring + "head " + headBefore + " is negative");
        }
        if (tail < 0) {
            throw new RingFormatException(ring + "tail " + tail + " is negative");
        }
        if (headBefore > RingLayout.MAX_POSITION || tail > RingLayout.MAX_POSITION) {
            throw new RingFormatException(ring + "head " + headBefore + " or tail " + tail + " is beyond 2^62 ("
                + RingLayout.MAX_POSITION + "), which no real stream reaches");
        }
        final long position = scanProducerPosition(buffer, spec, tail);
        final long headAfter = (long) LONG.getAcquire(buffer, HEAD_OFFSET);
        if (headAfter < headBefore) {
            throw new RingFormatException(ring + "head went back from " + headBefore + " to " + headAfter);
        }
        if (tail - headAfter > spec.capacity()) {
            throw new RingFormatException(ring + "tail " + tail + " is more than capacity " + spec.capacity()
                + " ahead of head " + headAfter);
        }
        if (position - headAfter > spec.capacity()) {
            // the published slots after tail count too: the true position must also lie in [head, head + capacity]
            throw new RingFormatException(ring + "producer position " + position + " (tail " + tail
                + " and the published slots after it) is more than capacity " + spec.capacity() + " ahead of head " + headAfter);
        }
        if (headBefore > position) {
            throw new RingFormatException(ring + "head " + headBefore + " is ahead of the producer position "
                + position + " (tail " + tail + ")");
        }
    }

    private static ByteBuffer view(ByteBuffer buffer, int length) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("ring " + nameOf(buffer)
                + ": needs a direct or mapped ByteBuffer (atomic access to heap buffers is not portable)");
        }
        if (buffer.capacity() < length) {
            throw new IllegalArgumentException("ring " + nameOf(buffer) + ": buffer of " + buffer.capacity()
                + " bytes is shorter than the ring (" + length + " bytes)");
        }
        if (buffer.alignmentOffset(0, 8) != 0) {
            throw new IllegalArgumentException("ring " + nameOf(buffer) + ": buffer address is not 8-byte aligned");
        }
        return buffer.duplicate().clear().slice(0, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String nameOf(ByteBuffer buffer) {
        return "buffer@" + Integer.toHexString(System.identityHashCode(buffer));
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing: the first exception is the one to report
        }
    }
}
