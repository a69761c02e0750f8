package io.mmapring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One open file channel per ring file per process, shared by every {@link RingFile} of that file, and
 * the role locks taken through it.
 *
 * <p>Why: POSIX {@code fcntl} locks belong to the process, and closing <em>any</em> descriptor of a file
 * drops all of the process's locks on it (while the JDK still reports its {@link FileLock} valid). So a
 * health check that opened and closed the ring in the producer's JVM used to hand the producer role to
 * the next process that asked. Here every {@code RingFile} of one file (keyed by
 * {@link BasicFileAttributes#fileKey()}: device and inode) shares one entry, reference-counted, and the
 * descriptors close only with the last user, after its roles are released.
 *
 * <p>The shared channel must also never be closed by an interrupt: {@code FileChannel} closes itself
 * when a thread is interrupted in one of its blocking operations ({@code size}, {@code read},
 * {@code map}). Those run on a private daemon thread ({@code mmapring-channel}, started on demand and
 * ended after a second idle) that nobody interrupts; {@code tryLock} and {@code release} are not
 * interruptible and run on the caller's thread.
 *
 * <p>Thread-safe. Nothing here is on the data path.
 */
final class RingChannels {
    /** The two roles and the byte each one locks. */
    enum Role {
        PRODUCER(RingLayout.PRODUCER_LOCK_OFFSET), CONSUMER(RingLayout.CONSUMER_LOCK_OFFSET);

        final long offset;
        final String label;

        Role(long offset) {
            this.offset = offset;
            this.label = name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * How long a role take keeps retrying a refused lock: a liveness probe (another process's
     * {@code isProducerAlive()}) holds a shared lock on the role byte for microseconds, a holder for the
     * role's lifetime. Java cannot tell the two apart without taking the lock, so it retries.
     */
    static final long ROLE_TAKE_PATIENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long ROLE_TAKE_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final int OPEN_ATTEMPTS = 10;

    /** Every open entry, by file key. Guards the entries' user counts and the limbo list. */
    private static final Map<Object, RingChannels> OPEN = new HashMap<>();
    /** Channels whose file is uncertain (the path was replaced while opening): closed once no key they may be is open. */
    private static final List<Limbo> LIMBO = new ArrayList<>();

    private static final ExecutorService WORKER = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), task -> {
            final Thread thread = new Thread(task, "mmapring-channel");
            thread.setDaemon(true);
            return thread;
        });

    private final Object key;
    private final List<FileChannel> channels = new ArrayList<>(2); // guarded by OPEN; closed together
    private volatile FileChannel channel;                          // the most capable one: read-write if any
    private volatile boolean writable;                             // whether channel is open for writing
    private int users;                                             // guarded by OPEN
    private Object producer;                                       // guarded by this: the holder in this process
    private Object consumer;
    private FileLock producerLock;
    private FileLock consumerLock;

    private RingChannels(Object key, FileChannel channel, boolean writable) {
        this.key = key;
        this.channel = channel;
        this.writable = writable;
        this.channels.add(channel);
    }

    /**
     * The entry of the file at {@code path}, opened (for reading, and writing when {@code write}) if this
     * process has no open {@code RingFile} of it yet. The caller owns one use: {@link #release()} it.
     *
     * @throws NoSuchFileException   if there is no file at {@code path}
     * @throws AccessDeniedException if the file may not be opened so (the message says what was asked)
     */
    static RingChannels open(Path path, boolean write) throws IOException {
        synchronized (OPEN) {
            for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
                final Object before = keyOf(path);
                final RingChannels known = OPEN.get(before);
                if (known != null && (!write || known.writable)) {
                    known.users++;
                    return known;
                }
                final FileChannel opened = openChannel(path, write);
                final Object after = keyOf(path);
                if (after.equals(before)) {
                    if (known != null) {
                        known.channels.add(opened); // an upgrade from read-only to read-write
                        known.channel = opened;
                        known.writable = true;
                        known.users++;
                        return known;
                    }
                    final RingChannels entry = new RingChannels(before, opened, write);
                    entry.users = 1;
                    OPEN.put(before, entry);
                    return entry;
                }
                // the path was replaced between the two looks: the channel is to one of the two files
                park(opened, before, after);
            }
            throw new IOException("ring " + path + ": the file was replaced " + OPEN_ATTEMPTS + " times while it was being opened");
        }
    }

    /** The identity of the file this entry holds open. */
    Object key() {
        return key;
    }

    /** Gives back one use; the last one closes the file's descriptors (which drops any lock left). */
    void release() throws IOException {
        synchronized (OPEN) {
            if (--users > 0) {
                return;
            }
            OPEN.remove(key);
            IOException failure = null;
            for (FileChannel each : channels) {
                try {
                    each.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
            for (Iterator<Limbo> it = LIMBO.iterator(); it.hasNext(); ) {
                final Limbo limbo = it.next();
                if (!OPEN.containsKey(limbo.first) && !OPEN.containsKey(limbo.second)) {
                    it.remove();
                    limbo.channel.close();
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** The file's length now ({@code fstat}), on the worker thread. */
    long size() throws IOException {
        final FileChannel channel = this.channel;
        return onWorker(channel::size);
    }

    /** Reads {@code dst.remaining()} bytes from {@code position} (fewer at the end of the file), on the worker thread. */
    void read(ByteBuffer dst, long position) throws IOException {
        final FileChannel channel = this.channel;
        onWorker(() -> {
            while (dst.hasRemaining() && channel.read(dst, position + dst.position()) >= 0) {
                // until full or end of file
            }
            return null;
        });
    }

    /** Maps {@code [0, length)} of the file, on the worker thread. */
    RingMapping map(boolean readOnly, long length) throws IOException {
        final FileChannel channel = this.channel;
        return onWorker(() -> RingMapping.map(channel, key, readOnly, length));
    }

    /**
     * Takes {@code role} for {@code holder}: refused if another {@code RingFile} of this process holds it,
     * or if another process holds it for longer than {@link #ROLE_TAKE_PATIENCE_NANOS} (a probe lets go
     * within microseconds; see {@link #isHeld(Role)}).
     *
     * @throws IllegalStateException  naming the ring and the role when it is held
     * @throws InterruptedIOException if the thread is interrupted while retrying
     */
    void take(Role role, Object holder, String name) throws IOException {
        final long start = System.nanoTime();
        while (true) {
            synchronized (this) {
                if (holderOf(role) != null) {
                    throw new IllegalStateException("ring " + name + ": the " + role.label + " role is already held in this process");
                }
                final FileLock lock;
                try {
                    lock = channel.tryLock(role.offset, 1, false);
                } catch (OverlappingFileLockException e) {
                    throw new IllegalStateException("ring " + name + ": the " + role.label
                        + " role is already held in this process (a lock taken outside this library)");
                }
                if (lock != null) {
                    if (role == Role.PRODUCER) {
                        producer = holder;
                        producerLock = lock;
                    } else {
                        consumer = holder;
                        consumerLock = lock;
                    }
                    return;
                }
            }
            if (System.nanoTime() - start > ROLE_TAKE_PATIENCE_NANOS) {
                throw new IllegalStateException("ring " + name + ": the " + role.label + " role is held by another process");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("ring " + name + ": interrupted while taking the " + role.label + " role");
            }
            LockSupport.parkNanos(ROLE_TAKE_PAUSE_NANOS);
        }
    }

    /** Gives {@code role} back if {@code holder} holds it. Never closes the channel. */
    synchronized void release(Role role, Object holder) {
        if (holderOf(role) != holder) {
            return;
        }
        final FileLock lock = role == Role.PRODUCER ? producerLock : consumerLock;
        if (role == Role.PRODUCER) {
            producer = null;
            producerLock = null;
        } else {
            consumer = null;
            consumerLock = null;
        }
        try {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the " + role.label + " lock", e);
        }
    }

    /**
     * Whether some process holds {@code role} now. In this process, from the entry; for other processes,
     * by taking a shared lock on the role byte and letting it go at once (Java has no {@code F_GETLK}):
     * a role take that meets this probe retries (see {@link #take}). It cannot tell which process holds
     * the role, nor see a role taken by a process that does not use the lock.
     */
    synchronized boolean isHeld(Role role) throws IOException {
        if (holderOf(role) != null) {
            return true;
        }
        try (FileLock probe = channel.tryLock(role.offset, 1, true)) {
            return probe == null;
        } catch (OverlappingFileLockException e) {
            return true; // a lock on it taken in this JVM outside this library
        }
    }

    private Object holderOf(Role role) {
        return role == Role.PRODUCER ? producer : consumer;
    }

    private static FileChannel openChannel(Path path, boolean write) throws IOException {
        try {
            return write
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such ring file");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(path.toString(), null, write
                ? "permission denied opening the ring for reading and writing (a producer or consumer needs both;"
                    + " RingFile.openReadOnly needs read permission only)"
                : "permission denied opening the ring for reading");
        } catch (FileSystemException e) {
            if (write && "Read-only file system".equals(e.getReason())) {
                throw new FileSystemException(path.toString(), null,
                    "read-only file system: a producer or consumer needs write access (RingFile.openReadOnly does not)");
            }
            throw e;
        }
    }

    /** The file's identity: device and inode where the file system has them, else its real path. */
    static Object keyOf(Path path) throws IOException {
        final BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such ring file");
        }
        if (!attributes.isRegularFile()) {
            // refused before anything opens it: opening a FIFO would block until a writer came
            throw new RingFormatException("ring " + path + ": not a regular file (" + (attributes.isDirectory() ? "a directory"
                : attributes.isOther() ? "a FIFO, socket or device" : "not a file") + "): not a ring file");
        }
        final Object key = attributes.fileKey();
        return key != null ? key : path.toRealPath();
    }

    private static void park(FileChannel channel, Object first, Object second) throws IOException {
        if (OPEN.containsKey(first) || OPEN.containsKey(second)) {
            LIMBO.add(new Limbo(channel, first, second)); // closing it could drop an open entry's locks
        } else {
            channel.close();
        }
    }

    private static <T> T onWorker(IoCall<T> call) throws IOException {
        final Future<T> future = WORKER.submit(call::call);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the call itself is not interruptible: wait for it, then say so
                } catch (ExecutionException e) {
                    final Throwable cause = e.getCause();
                    if (cause instanceof IOException) {
                        throw (IOException) cause;
                    }
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    if (cause instanceof Error) {
                        throw (Error) cause;
                    }
                    throw new IOException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws IOException;
    }

    private record Limbo(FileChannel channel, Object first, Object second) {
    }
}
