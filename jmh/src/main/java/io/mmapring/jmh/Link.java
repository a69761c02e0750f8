package io.mmapring.jmh;

import java.io.IOException;

/**
 * One end of a two-way (or one-way) message path between two processes, carrying 132-byte People
 * records. Each benchmark JVM and each partner JVM uses exactly one implementation, so the calls stay
 * monomorphic. Shared-memory links never block: {@code trySend} returns false when full and
 * {@code tryReceive} returns 0 when empty. Stream links (sockets, pipes) block in the kernel instead.
 */
interface Link extends AutoCloseable {

    /** Receives the id of each record read. */
    @FunctionalInterface
    interface IdSink {
        void onId(int id);
    }

    /** Sends one record with this id; false if there is no room now (the caller spins). */
    boolean trySend(int id) throws IOException;

    /** Sends up to {@code n} records with ids {@code firstId, firstId + 1, ...} in one batch; returns how many. */
    int trySendBatch(int firstId, int n) throws IOException;

    /** Reads up to {@code limit} records, in order, handing each id to {@code sink}; 0 if none, -1 at end of stream. */
    int tryReceive(IdSink sink, int limit) throws IOException;

    @Override
    void close() throws IOException;
}
