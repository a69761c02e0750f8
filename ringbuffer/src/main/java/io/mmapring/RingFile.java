package io.mmapring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.mmapring.RingLayout.CAPACITY_OFFSET;
import static io.mmapring.RingLayout.DATA_OFFSET;
import static io.mmapring.RingLayout.DATA_OFFSET_OFFSET;
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
 * <p><b>Roles</b> are OS byte-range locks on the file ({@link RingLayout#PRODUCER_LOCK_OFFSET},
 * {@link RingLayout#CONSUMER_LOCK_OFFSET}): a second producer or consumer, in this process or another,
 * is refused with an {@link IllegalStateException} naming the file and the role, and the OS drops a
 * role when its process dies. Every {@code RingFile} of one file in a process shares one channel (a
 * process-wide registry keyed by the file's device and inode), so opening and closing the file again
 * anywhere in the process never drops a role held here. Over a plain buffer the roles are enforced per
 * {@code RingFile} object.
 *
 * <p><b>Opening</b> never writes to the shared memory. A ring that another process is writing flat out
 * is validated on a consistent snapshot of its counters, so a healthy live ring is never called corrupt.
 * {@link #openReadOnly(Path)} maps the file read-only, takes no role and needs only read permission.
 *
 * <p><b>Closing</b> gives the roles back and writes nothing, so it never disturbs the peer. After
 * {@link #close()} every method that touches the ring throws {@link IllegalStateException}, and so do the
 * producer's and consumer's methods. On Java 22 and later the mapping is released at once (it lives in a
 * shared {@code Arena}); a producer or consumer call racing with {@code close()} in another thread either
 * completes before the mapping goes or throws {@link IllegalStateException}, never writes after the role
 * is released and never crashes the JVM. On Java 17-21 the JDK has no deterministic unmap without
 * {@code Unsafe}: the mapping (and, for a deleted file, its space) is released when the garbage collector
 * finds it unreachable, and a call that had passed its closed check when {@code close()} ran in another
 * thread completes its stores just after the role is released; close from the thread that uses the
 * producer or consumer, or stop that thread first, for the same guarantee there.
 *
 * <p>Thread-safety: the lifecycle methods (open, roles, {@code close}) are thread-safe; the producer and
 * consumer are each for one thread at a time. When one process runs both roles, take the producer and
 * the consumer in the threads that use them: the two objects are small and unpadded, and two allocated
 * back to back by one thread may share a cache line.
 */
public final class RingFile implements AutoCloseable {
    /** How long {@link #open(Path)} waits for a file whose creator is still writing its header. */
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(5);
    /** Owner read and write only (0600). */
    public static final Set<PosixFilePermission> DEFAULT_PERMISSIONS =
        Set.copyOf(PosixFilePermissions.fromString("rw-------"));

    private static final VarHandle LONG = RingLayout.LONG;

    private final String name;
    private final RingChannels channels;   // null over a plain buffer
    private final RingMapping mapping;     // null over a plain buffer
    private final ByteBuffer buffer;
    private final RingSpec spec;
    private final boolean readOnly;
    private volatile boolean closed;
    private RingProducer producer;         // guarded by this
    private RingConsumer consumer;         // guarded by this

    private RingFile(String name, RingChannels channels, RingMapping mapping, ByteBuffer buffer, RingSpec spec, boolean readOnly) {
        this.name = name;
        this.channels = channels;
        this.mapping = mapping;
        this.buffer = buffer;
        this.spec = spec;
        this.readOnly = readOnly;
    }

    /**
     * Creates a new ring file, mode 0600; fails if the file exists. See {@link #create(Path, RingSpec, Set, boolean)}.
     *
     * @param path where the ring file goes
     * @param spec its record size and capacity
     * @return the new ring, open, with no role taken
     * @throws IOException if the file exists or cannot be created or allocated (the message names the likely cause)
     */
    public static RingFile create(Path path, RingSpec spec) throws IOException {
        return create(path, spec, DEFAULT_PERMISSIONS, false);
    }

    /**
     * Creates a ring file so that the path is always either absent or a whole ring, even if this process
     * dies half-way: the ring is made under a temporary name in the same directory
     * ({@code .<name>.creating-<pid>-<random>}): full length written with zeros through the channel (so a
     * full file system fails here with an {@link IOException} naming the likely cause, instead of a SIGBUS
     * later), header written, magic release-stored last; then it is linked to {@code path} (which fails if
     * {@code path} exists) or, with {@code replace}, renamed over it. Temporary files of creators that
     * died are removed first. On any failure nothing is left behind.
     *
     * @param path        where the ring file goes
     * @param spec        its record size and capacity
     * @param permissions POSIX mode of the new file (ignored where the file system has none)
     * @param replace     replace an existing file atomically; processes that still map it keep the old one
     * @return the new ring, open, with no role taken
     * @throws FileAlreadyExistsException if {@code path} exists and {@code replace} is false
     * @throws IOException                if the file cannot be created, allocated (a full file system: the
     *                                    message names the likely cause) or published
     * @throws InterruptedIOException     if the thread was interrupted while writing the file
     */
    public static RingFile create(Path path, RingSpec spec, Set<PosixFilePermission> permissions, boolean replace)
        throws IOException {
        final Object created = RingCreation.make(path, spec, permissions, replace);
        // opened through its final name, so that /proc/<pid>/maps and lsof show it there
        final RingFile ring = open(path, Duration.ZERO, false);
        if (!ring.channels.key().equals(created)) {
            ring.close();
            throw new IOException("ring " + path + ": replaced by another creator right after this one created it");
        }
        return ring;
    }

    /**
     * Opens an existing ring file for a producer or consumer, waiting up to {@link #DEFAULT_OPEN_TIMEOUT}.
     * See {@link #open(Path, Duration)}.
     *
     * @param path the ring file
     * @return the ring, open, validated, with no role taken
     * @throws IOException as {@link #open(Path, Duration)}
     */
    public static RingFile open(Path path) throws IOException {
        return open(path, DEFAULT_OPEN_TIMEOUT);
    }

    /**
     * Opens an existing ring file (read and write) and validates all of it: magic, version, record size,
     * stride, sequence offset, capacity, data offset, file length, and the position invariants on a
     * consistent snapshot ({@code docs/FORMAT.md}, sections 5 and 7). Waits, at most {@code timeout}, while
     * the file is shorter than the header or its magic is still zero (a creator of an older version still at
     * work: this library's creators never show a half-made file). Writes nothing. Blocks only for that wait.
     *
     * @param path    the ring file
     * @param timeout how long to wait for a header that is not written yet
     * @return the ring, open, validated, with no role taken
     * @throws java.nio.file.NoSuchFileException   if the file does not exist
     * @throws java.nio.file.AccessDeniedException if this user may not read and write it (see {@link #openReadOnly})
     * @throws RingFormatException                 if the file is not a valid ring (the message names the field),
     *                                             or not a regular file (a directory, FIFO or device: refused unopened)
     * @throws InterruptedIOException              if the thread is interrupted while waiting
     * @throws IllegalArgumentException            if {@code timeout} is null or negative
     */
    public static RingFile open(Path path, Duration timeout) throws IOException {
        return open(path, timeout, false);
    }

    /**
     * Opens an existing ring file read-only, waiting up to {@link #DEFAULT_OPEN_TIMEOUT}. See {@link #openReadOnly(Path, Duration)}.
     *
     * @param path the ring file
     * @return the ring, open read-only, validated
     * @throws IOException as {@link #openReadOnly(Path, Duration)}
     */
    public static RingFile openReadOnly(Path path) throws IOException {
        return openReadOnly(path, DEFAULT_OPEN_TIMEOUT);
    }

    /**
     * Opens an existing ring file for inspection: validates it as {@link #open(Path, Duration)} does, maps
     * it read-only, takes no role and writes nothing, so it works for a user with read permission only and
     * on a read-only mount. {@link #producer()} and {@link #consumer()} throw. {@link #isProducerAlive()}
     * and {@link #isConsumerAlive()} work (see there for what they can tell).
     *
     * @param path    the ring file
     * @param timeout how long to wait for a header that is not written yet
     * @return the ring, open read-only, validated
     * @throws java.nio.file.NoSuchFileException   if the file does not exist
     * @throws java.nio.file.AccessDeniedException if this user may not read the file
     * @throws RingFormatException                 if the file is not a valid ring, or not a regular file
     * @throws IOException                         if the file cannot be opened or mapped, or the thread is interrupted
     * @throws IllegalArgumentException            if {@code timeout} is null or negative
     */
    public static RingFile openReadOnly(Path path, Duration timeout) throws IOException {
        return open(path, timeout, true);
    }

    /**
     * Lays a new, empty ring over a direct buffer (zeroing the first {@code spec.fileLength()} bytes)
     * and returns it. The same code path as a mapped file, for in-process use and for tests.
     *
     * @param buffer a direct buffer, 8-byte aligned, at least {@code spec.fileLength()} bytes
     * @param spec   record size and capacity
     * @return the new ring over the buffer; roles are enforced per {@code RingFile} object
     * @throws IllegalArgumentException if the buffer is not direct, too short or not 8-byte aligned
     */
    public static RingFile format(ByteBuffer buffer, RingSpec spec) {
        final ByteBuffer view = view(buffer, spec.fileLength());
        for (int i = 0; i < view.capacity(); i += 8) {
            view.putLong(i, 0L);
        }
        writeHeader(view, spec);
        return new RingFile(nameOf(buffer), null, null, view, spec, false);
    }

    /**
     * Validates a ring already laid over a direct buffer (by {@link #format} or a peer) and returns it.
     *
     * @param buffer a direct buffer holding a ring from its first byte
     * @return the ring over the buffer; roles are enforced per {@code RingFile} object
     * @throws RingFormatException      if the bytes are not a valid ring
     * @throws IllegalArgumentException if the buffer is not direct or not 8-byte aligned
     */
    public static RingFile wrap(ByteBuffer buffer) {
        final String name = nameOf(buffer);
        if (buffer.capacity() < DATA_OFFSET) {
            throw new RingFormatException("ring " + name + ": buffer of " + buffer.capacity()
                + " bytes is shorter than the header (" + DATA_OFFSET + " bytes)");
        }
        final ByteBuffer header = view(buffer, DATA_OFFSET);
        RingValidation.checkMagic(name, (long) LONG.getAcquire(header, MAGIC_OFFSET));
        final RingSpec spec = RingValidation.readSpec(name, header, -1);
        if (buffer.capacity() < spec.fileLength()) {
            throw new RingFormatException("ring " + name + ": buffer of " + buffer.capacity()
                + " bytes is shorter than the ring (" + spec.fileLength() + " bytes)");
        }
        final ByteBuffer view = view(buffer, spec.fileLength());
        RingValidation.checkPositions(name, RingValidation.snapshot(view, spec), spec.capacity());
        return new RingFile(name, null, null, view, spec, false);
    }

    /**
     * The path of the file, or a name for a buffer: used in every error message.
     *
     * @return the ring's name
     */
    public String name() {
        return name;
    }

    /**
     * Record size and capacity, as read from the header.
     *
     * @return the ring's spec
     */
    public RingSpec spec() {
        return spec;
    }

    /**
     * Whether this ring was opened with {@link #openReadOnly}.
     *
     * @return true for a read-only ring
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * The consumer's position as last released: an acquire load of the header's {@code head}, in records.
     *
     * @return {@code head}
     * @throws IllegalStateException if this ring is closed
     */
    public long head() {
        checkOpen();
        return (long) LONG.getAcquire(buffer, RingLayout.HEAD_OFFSET);
    }

    /**
     * The header's {@code tail} (an acquire load), in records: the producer's position as of its last
     * finished commit. It lags {@link #producerPosition()} during a commit and after a producer crash.
     *
     * @return {@code tail}
     * @throws IllegalStateException if this ring is closed
     */
    public long tail() {
        checkOpen();
        return (long) LONG.getAcquire(buffer, TAIL_OFFSET);
    }

    /**
     * The producer's true position, in records: the header's {@code tail}, moved forward over the slots
     * whose sequence words say they are published, from a consistent snapshot (see {@link #backlog()}).
     *
     * @return the count of records ever published to this ring
     * @throws RingFormatException   if the snapshot breaks the position invariants (a corrupted file)
     * @throws IllegalStateException if this ring is closed
     */
    public long producerPosition() {
        return snapshot().position();
    }

    /**
     * Records published and not yet consumed, from one consistent snapshot of {@code head}, {@code tail}
     * and the slots after {@code tail} (retried, bounded, while a live producer moves under the look):
     * between 0 and the capacity. Does not allocate; spins or yields (at most 5 ms) only while a producer
     * moves {@code tail} under the look.
     *
     * @return records published and not consumed
     * @throws RingFormatException   if the snapshot breaks the position invariants (a corrupted file)
     * @throws IllegalStateException if this ring is closed
     */
    public long backlog() {
        return snapshot().backlog();
    }

    /**
     * Takes the producer role and returns the producer, positioned at {@link #producerPosition()}. Before
     * returning it checks that every record in {@code [head, position)} is published, and repairs a
     * {@code tail} that a crashed producer left behind (a release store). Blocks at most about 0.1 s while
     * another process's liveness probe holds the role's lock for a moment.
     *
     * @return the producer; close it (or this ring) to give the role back
     * @throws IllegalStateException  if another producer holds the role (in this process or another), or this
     *                                ring is read-only or closed
     * @throws RingFormatException    if the counters or the slots break the format's invariants
     * @throws InterruptedIOException if the thread is interrupted while waiting for a probe to let go
     */
    public synchronized RingProducer producer() throws IOException {
        checkOpen();
        checkWritable(RingChannels.Role.PRODUCER);
        if (producer != null) {
            throw new IllegalStateException("ring " + name + ": the producer role is already held in this process");
        }
        if (channels != null) {
            channels.take(RingChannels.Role.PRODUCER, this, name);
        }
        try {
            // the role is ours: nobody else moves tail or publishes, so the snapshot's position is final
            final RingValidation.Snapshot snapshot = snapshot();
            if (snapshot.stale()) {
                throw new RingFormatException("ring " + name + ": tail moved during every look while this process took the"
                    + " producer role: another process writes without holding the role");
            }
            if (snapshot.headBefore() > snapshot.position()) {
                throw new RingFormatException("ring " + name + ": head " + snapshot.headBefore()
                    + " is ahead of the producer position " + snapshot.position());
            }
            RingValidation.checkPublished(name, buffer, spec, snapshot.head(), snapshot.position());
            if (snapshot.tail() != snapshot.position()) {
                // release: a repaired tail says no more than the slot words already released
                LONG.setRelease(buffer, TAIL_OFFSET, snapshot.position());
            }
            producer = new RingProducer(this, duplicate(), snapshot.position(), snapshot.head());
            return producer;
        } catch (RuntimeException e) {
            giveBack(RingChannels.Role.PRODUCER);
            throw e;
        }
    }

    /**
     * Takes the consumer role and returns the consumer, positioned at {@link #head()}: a consumer
     * restarted after a crash re-reads the batch it had not released. Before returning it checks that
     * every record in {@code [head, producer position)} is published.
     *
     * @return the consumer; close it (or this ring) to give the role back
     * @throws IllegalStateException  if another consumer holds the role (in this process or another), or this
     *                                ring is read-only or closed
     * @throws RingFormatException    if the counters or the slots break the format's invariants
     * @throws InterruptedIOException if the thread is interrupted while waiting for a probe to let go
     */
    public synchronized RingConsumer consumer() throws IOException {
        checkOpen();
        checkWritable(RingChannels.Role.CONSUMER);
        if (consumer != null) {
            throw new IllegalStateException("ring " + name + ": the consumer role is already held in this process");
        }
        if (channels != null) {
            channels.take(RingChannels.Role.CONSUMER, this, name);
        }
        try {
            // the role is ours: head stands still, so [head, P) stays published while we check it
            final RingValidation.Snapshot snapshot = snapshot();
            RingValidation.checkPublished(name, buffer, spec, snapshot.head(), snapshot.position());
            consumer = new RingConsumer(this, duplicate(), snapshot.head());
            return consumer;
        } catch (RuntimeException e) {
            giveBack(RingChannels.Role.CONSUMER);
            throw e;
        }
    }

    /**
     * Whether some producer, in any process, holds the role now. From the OS lock: no clock, no heartbeat.
     * For another process Java can only ask by taking a shared lock on the role's byte for a moment (it
     * has no {@code F_GETLK}); role takes, in Java and in C, retry past such a probe. It cannot tell which
     * process holds the role. Works on a read-only ring.
     *
     * @return whether a producer holds the role
     * @throws IllegalStateException if this ring is closed
     * @throws IOException           if the OS refuses the probe
     */
    public boolean isProducerAlive() throws IOException {
        return isHeld(RingChannels.Role.PRODUCER);
    }

    /**
     * Whether some consumer, in any process, holds the role now; as {@link #isProducerAlive()}.
     *
     * @return whether a consumer holds the role
     * @throws IllegalStateException if this ring is closed
     * @throws IOException           if the OS refuses the probe
     */
    public boolean isConsumerAlive() throws IOException {
        return isHeld(RingChannels.Role.CONSUMER);
    }

    /**
     * Flushes the mapping to the storage device ({@code msync}; nothing to do for a buffer or a tmpfs file).
     * Blocks until the device has the bytes.
     *
     * @throws IllegalStateException if this ring is closed
     */
    public void force() {
        checkOpen();
        if (mapping != null) {
            mapping.force();
        }
    }

    /**
     * Closes the producer and consumer taken from this ring, releases the mapping (at once on Java 22+;
     * at GC before), gives back the roles and, with the last {@code RingFile} of the file in this process,
     * the channel. Writes nothing: unconsumed messages stay for the next consumer. Idempotent; may be
     * called from any thread (see the class comment for a call racing with it).
     *
     * @throws IOException if the channel cannot be closed (the roles are given back regardless)
     */
    @Override
    public void close() throws IOException {
        final RingProducer producer;
        final RingConsumer consumer;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            producer = this.producer;
            consumer = this.consumer;
        }
        if (producer != null) {
            producer.markClosed();
        }
        if (consumer != null) {
            consumer.markClosed();
        }
        if (mapping != null) {
            mapping.close(); // first: on Java 22+ a racing access now throws instead of writing without the role
        }
        synchronized (this) {
            this.producer = null;
            this.consumer = null;
            if (channels != null) {
                channels.release(RingChannels.Role.PRODUCER, this);
                channels.release(RingChannels.Role.CONSUMER, this);
            }
        }
        if (channels != null) {
            channels.release();
        }
    }

    /** Called by {@link RingProducer#close()}: gives the producer role back. */
    synchronized void releaseProducer(RingProducer closing) {
        if (producer == closing) {
            giveBack(RingChannels.Role.PRODUCER);
        }
    }

    /** Called by {@link RingConsumer#close()}: gives the consumer role back. */
    synchronized void releaseConsumer(RingConsumer closing) {
        if (consumer == closing) {
            giveBack(RingChannels.Role.CONSUMER);
        }
    }

    private void giveBack(RingChannels.Role role) {
        if (role == RingChannels.Role.PRODUCER) {
            producer = null;
        } else {
            consumer = null;
        }
        if (channels != null) {
            channels.release(role, this);
        }
    }

    private boolean isHeld(RingChannels.Role role) throws IOException {
        checkOpen();
        if (channels == null) {
            synchronized (this) {
                return (role == RingChannels.Role.PRODUCER ? producer : consumer) != null;
            }
        }
        return channels.isHeld(role);
    }

    private RingValidation.Snapshot snapshot() {
        checkOpen();
        final RingValidation.Snapshot snapshot = RingValidation.snapshot(buffer, spec);
        RingValidation.checkPositions(name, snapshot, spec.capacity());
        return snapshot;
    }

    private ByteBuffer duplicate() {
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ring " + name + ": closed");
        }
    }

    private void checkWritable(RingChannels.Role role) {
        if (readOnly) {
            throw new IllegalStateException("ring " + name + ": opened read-only: it cannot take the " + role.label + " role");
        }
    }

    private static RingFile open(Path path, Duration timeout, boolean readOnly) throws IOException {
        final String name = path.toString();
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("ring " + name + ": open timeout " + timeout + " (must be a duration of at least 0)");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("ring " + name + ": interrupted before opening");
        }
        final RingChannels channels = RingChannels.open(path, !readOnly);
        RingMapping mapping = null;
        try {
            final long length = awaitHeader(name, channels, timeout);
            // the header read through the channel must describe this file before anything is mapped: a file whose
            // length does not match is refused without a mapping (on Java 22+ one that long could not even be wrapped)
            final ByteBuffer header = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
            channels.read(header, 0);
            RingValidation.readSpec(name, header, length);
            mapping = map(name, channels, readOnly, length);
            final ByteBuffer mapped = readOnly ? mapping.buffer().asReadOnlyBuffer() : mapping.buffer().duplicate();
            final ByteBuffer buffer = mapped.order(ByteOrder.LITTLE_ENDIAN);
            // acquire: pairs with the creator's release of the magic; every header field below is visible
            RingValidation.checkMagic(name, (long) LONG.getAcquire(buffer, MAGIC_OFFSET));
            final RingSpec spec = RingValidation.readSpec(name, buffer, length);
            RingValidation.checkPositions(name, RingValidation.snapshot(buffer, spec), spec.capacity());
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("ring " + name + ": interrupted while opening");
            }
            return new RingFile(name, channels, mapping, buffer, spec, readOnly);
        } catch (IOException | RuntimeException | Error e) {
            if (mapping != null) {
                mapping.close();
            }
            try {
                channels.release();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Waits, at most {@code timeout}, until the file is at least a header long and its magic is not 0;
     * returns its length. Reads through the channel (not a mapping, so that waiting costs no mappings).
     */
    private static long awaitHeader(String name, RingChannels channels, Duration timeout) throws IOException {
        final ByteBuffer magic = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        // a timeout beyond about 292 years (Long.MAX_VALUE ns) waits that long: no overflow
        final long timeoutNanos = timeout.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
        final long start = System.nanoTime();
        while (true) {
            final long size = channels.size();
            if (size > RingLayout.MAX_FILE_LENGTH) {
                throw new RingFormatException("ring " + name + ": file length " + size + " exceeds the largest ring ("
                    + RingLayout.MAX_FILE_LENGTH + " bytes): not a ring file");
            }
            if (size >= DATA_OFFSET) {
                magic.clear();
                channels.read(magic, MAGIC_OFFSET);
                final long value = magic.getLong(0);
                if (value != 0) {
                    RingValidation.checkMagic(name, value);
                    return channels.size(); // a creator sets the length before the magic
                }
            }
            if (System.nanoTime() - start >= timeoutNanos) {
                throw new RingFormatException("ring " + name + (size < DATA_OFFSET
                    ? ": file length " + size + " is shorter than the header (" + DATA_OFFSET + " bytes)"
                    : ": magic is still 0")
                    + " after waiting " + timeoutNanos / 1_000_000 + " ms: not a complete ring file (its creator probably died"
                    + " while creating it); delete it, or create the ring again with replace");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("ring " + name + ": interrupted while waiting for its header");
            }
        }
    }

    private static RingMapping map(String name, RingChannels channels, boolean readOnly, long length) throws IOException {
        try {
            return channels.map(readOnly, length);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("Map failed")) {
                throw e;
            }
            throw new IOException("ring " + name + ": cannot map its " + length + " bytes (" + e.getMessage() + "). Likely causes:"
                + " this process's mappings reached vm.max_map_count (" + maxMapCount() + ")"
                + (RingMapping.unmapsOnClose() ? "" : ", which on Java 17-21 counts the mappings of closed rings until a"
                    + " garbage collection (close and reuse rings, or run on Java 22+, where close() unmaps at once)")
                + "; or its address space is limited (ulimit -v)", e);
        }
    }

    private static String maxMapCount() {
        try {
            return Files.readString(Path.of("/proc/sys/vm/max_map_count")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown here";
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
}
