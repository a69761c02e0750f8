package io.mmapring.jmh;

import java.util.ArrayList;
import java.util.List;

/**
 * One thing the alternating runner ({@link Alternate}) measures each round: a JMH benchmark of this
 * module (every Java figure is a JMH figure) or a C floor program of {@code jmh/c/}. Throughput
 * candidates give records per second; round-trip candidates give p50/p90/p99 in nanoseconds.
 */
enum Candidate {
    RING_OFFER("ringOffer", Kind.THROUGHPUT, "CrossProcessThroughput.ringOffer", "this ring, one offer per message"),
    RING_BATCH("ringBatch", Kind.THROUGHPUT, "CrossProcessThroughput.ringBatch", "this ring, claim(32)/commit"),
    AGRONA_OFFER("agronaOffer", Kind.THROUGHPUT, "CrossProcessThroughput.agronaOffer", "Agrona OneToOneRingBuffer, tryClaim/commit"),
    C_OFFER("cOffer", Kind.THROUGHPUT, null, "C floor, format v1, one message per commit"),
    C_BATCH("cBatch", Kind.THROUGHPUT, null, "C floor, format v1, batches of 32"),
    LEAN_OFFER("leanOffer", Kind.THROUGHPUT, "CrossProcessThroughput.leanOffer", "prototype: lean Java path, format v1, offer"),
    LEAN_BATCH("leanBatch", Kind.THROUGHPUT, "CrossProcessThroughput.leanBatch", "prototype: lean Java path, format v1, batches of 32"),
    ALIGNED_OFFER("alignedOffer", Kind.THROUGHPUT, "CrossProcessThroughput.alignedOffer", "prototype: lean, stride 192, offer"),
    ALIGNED_BATCH("alignedBatch", Kind.THROUGHPUT, "CrossProcessThroughput.alignedBatch", "prototype: lean, stride 192, batches of 32"),
    FIRST_OFFER("firstOffer", Kind.THROUGHPUT, "CrossProcessThroughput.firstOffer", "prototype: lean, stride 192, word first, offer"),
    FIRST_BATCH("firstBatch", Kind.THROUGHPUT, "CrossProcessThroughput.firstBatch", "prototype: lean, stride 192, word first, batches"),
    UDS_BATCH("udsBatch", Kind.THROUGHPUT, "CrossProcessThroughput.udsBatch", "Unix domain socket, 32 records per write"),
    PATH_OFFER("pathOffer", Kind.THROUGHPUT, "DataPath.offer:link=ring", "code path only (one thread, both roles): this ring, offer"),
    PATH_BATCH("pathBatch", Kind.THROUGHPUT, "DataPath.batch:link=ring", "code path only: this ring, claim(32)/commit"),
    LEAN_PATH_OFFER("leanPathOffer", Kind.THROUGHPUT, "DataPath.offer:link=lean", "code path only: prototype lean, offer"),
    LEAN_PATH_BATCH("leanPathBatch", Kind.THROUGHPUT, "DataPath.batch:link=lean", "code path only: prototype lean, batches"),
    C_PATH_OFFER("cPathOffer", Kind.THROUGHPUT, null, "code path only: C, format v1, one message per commit"),
    C_PATH_BATCH("cPathBatch", Kind.THROUGHPUT, null, "code path only: C, format v1, batches of 32"),
    RING_ROUND_TRIP("ringRoundTrip", Kind.ROUND_TRIP, "RoundTrip.ring", "this ring"),
    AGRONA_ROUND_TRIP("agronaRoundTrip", Kind.ROUND_TRIP, "RoundTrip.agrona", "Agrona OneToOneRingBuffer"),
    C_ROUND_TRIP("cRoundTrip", Kind.ROUND_TRIP, null, "C ping-pong, format v1"),
    LEAN_ROUND_TRIP("leanRoundTrip", Kind.ROUND_TRIP, "RoundTrip.lean", "prototype: lean Java path, format v1"),
    ALIGNED_ROUND_TRIP("alignedRoundTrip", Kind.ROUND_TRIP, "RoundTrip.aligned", "prototype: lean, stride 192"),
    FIRST_ROUND_TRIP("firstRoundTrip", Kind.ROUND_TRIP, "RoundTrip.first", "prototype: lean, stride 192, word first"),
    UDS_ROUND_TRIP("udsRoundTrip", Kind.ROUND_TRIP, "RoundTrip.uds", "Unix domain socket"),
    TCP_ROUND_TRIP("tcpRoundTrip", Kind.ROUND_TRIP, "RoundTrip.tcp", "TCP loopback, TCP_NODELAY");

    enum Kind {
        THROUGHPUT, ROUND_TRIP
    }

    /** What a full run measures when no --candidates are given. */
    static final List<Candidate> DEFAULT = List.of(RING_OFFER, RING_BATCH, AGRONA_OFFER, C_OFFER, C_BATCH,
        RING_ROUND_TRIP, AGRONA_ROUND_TRIP, C_ROUND_TRIP, UDS_ROUND_TRIP, TCP_ROUND_TRIP);
    /** What --quick measures when no --candidates are given. */
    static final List<Candidate> QUICK = List.of(RING_OFFER, RING_BATCH, AGRONA_OFFER, C_OFFER, C_BATCH,
        RING_ROUND_TRIP, AGRONA_ROUND_TRIP, C_ROUND_TRIP);
    /** The round trips drawn in the latency plot, when they ran. */
    static final List<Candidate> PLOTTED = List.of(RING_ROUND_TRIP, AGRONA_ROUND_TRIP, UDS_ROUND_TRIP);

    final String id;
    final Kind kind;
    /** {@code Class.method} of the JMH benchmark, optionally {@code :param=value}, or null for a C program. */
    final String benchmark;
    final String description;

    Candidate(String id, Kind kind, String benchmark, String description) {
        this.id = id;
        this.kind = kind;
        this.benchmark = benchmark;
        this.description = description;
    }

    boolean isC() {
        return benchmark == null;
    }

    /** Whether its throughput figure is one message per commit (compared with the C offer floor) or a batch. */
    private boolean isBatch() {
        return id.endsWith("Batch");
    }

    /**
     * The candidates this one's figure is divided by, in order. Throughput: Agrona's offer and the C
     * stream of the same commit size (one message or batches of 32); round trip: Agrona and the C
     * ping-pong; a prototype also against the library's ring of the same scenario. Agrona against the
     * C floor only; the C floors themselves against nothing. The code-path candidates (one thread, both
     * roles) against the C code path of the same commit size.
     */
    List<Candidate> references() {
        final List<Candidate> references = new ArrayList<>();
        if (isC()) {
            return references;
        }
        final boolean prototype = description.contains("prototype");
        if (id.startsWith("path") || id.startsWith("leanPath")) {
            references.add(isBatch() ? C_PATH_BATCH : C_PATH_OFFER);
            if (prototype) {
                references.add(isBatch() ? PATH_BATCH : PATH_OFFER);
            }
            return references;
        }
        if (kind == Kind.THROUGHPUT) {
            if (this != AGRONA_OFFER) {
                references.add(AGRONA_OFFER);
            }
            references.add(isBatch() ? C_BATCH : C_OFFER);
            if (prototype) {
                references.add(isBatch() ? RING_BATCH : RING_OFFER);
            }
        } else {
            if (this != AGRONA_ROUND_TRIP) {
                references.add(AGRONA_ROUND_TRIP);
            }
            references.add(C_ROUND_TRIP);
            if (prototype) {
                references.add(RING_ROUND_TRIP);
            }
        }
        return references;
    }

    static Candidate byId(String id) {
        for (Candidate candidate : values()) {
            if (candidate.id.equals(id)) {
                return candidate;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (Candidate candidate : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(candidate.id);
        }
        throw new IllegalArgumentException("candidate '" + id + "' is not one of: " + known);
    }
}
