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
    C_ALIGNED_OFFER("cAlignedOffer", Kind.THROUGHPUT, null, "C floor, stride 192 (not format v1), one message per commit"),
    C_ALIGNED_BATCH("cAlignedBatch", Kind.THROUGHPUT, null, "C floor, stride 192 (not format v1), batches of 32"),
    BASELINE_OFFER("baselineOffer", Kind.THROUGHPUT, "CrossProcessThroughput.baselineOffer", "before/after: the library's code of 8f8dd99, offer"),
    BASELINE_BATCH("baselineBatch", Kind.THROUGHPUT, "CrossProcessThroughput.baselineBatch", "before/after: the library's code of 8f8dd99, batches of 32"),
    LEAN_OFFER("leanOffer", Kind.THROUGHPUT, "CrossProcessThroughput.leanOffer", "prototype: lean Java path, format v1, offer"),
    LEAN_BATCH("leanBatch", Kind.THROUGHPUT, "CrossProcessThroughput.leanBatch", "prototype: lean Java path, format v1, batches of 32"),
    ALIGNED_OFFER("alignedOffer", Kind.THROUGHPUT, "CrossProcessThroughput.alignedOffer", "prototype: lean, stride 192, offer"),
    ALIGNED_BATCH("alignedBatch", Kind.THROUGHPUT, "CrossProcessThroughput.alignedBatch", "prototype: lean, stride 192, batches of 32"),
    FIRST_OFFER("firstOffer", Kind.THROUGHPUT, "CrossProcessThroughput.firstOffer", "prototype: lean, stride 192, word first, offer"),
    FIRST_BATCH("firstBatch", Kind.THROUGHPUT, "CrossProcessThroughput.firstBatch", "prototype: lean, stride 192, word first, batches"),
    UDS_BATCH("udsBatch", Kind.THROUGHPUT, "CrossProcessThroughput.udsBatch", "Unix domain socket, 32 records per write"),
    PATH_OFFER("pathOffer", Kind.THROUGHPUT, "DataPath.offer:link=ring", "code path only (one thread, both roles): this ring, offer"),
    PATH_BATCH("pathBatch", Kind.THROUGHPUT, "DataPath.batch:link=ring", "code path only: this ring, claim(32)/commit"),
    BASELINE_PATH_OFFER("baselinePathOffer", Kind.THROUGHPUT, "DataPath.offer:link=baseline", "code path only: the library's code of 8f8dd99, offer"),
    BASELINE_PATH_BATCH("baselinePathBatch", Kind.THROUGHPUT, "DataPath.batch:link=baseline", "code path only: the library's code of 8f8dd99, batches"),
    LEAN_PATH_OFFER("leanPathOffer", Kind.THROUGHPUT, "DataPath.offer:link=lean", "code path only: prototype lean, offer"),
    LEAN_PATH_BATCH("leanPathBatch", Kind.THROUGHPUT, "DataPath.batch:link=lean", "code path only: prototype lean, batches"),
    C_PATH_OFFER("cPathOffer", Kind.THROUGHPUT, null, "code path only: C, format v1, one message per commit"),
    C_PATH_BATCH("cPathBatch", Kind.THROUGHPUT, null, "code path only: C, format v1, batches of 32"),
    RING_OFFER_PLAIN("ringOfferPlain", Kind.THROUGHPUT, "CrossProcessThroughput.ringOffer",
        "this ring, offer, plain MappedByteBuffer: " + Candidate.NO_MULTI_RELEASE + " (both JVMs)"),
    RING_BATCH_PLAIN("ringBatchPlain", Kind.THROUGHPUT, "CrossProcessThroughput.ringBatch",
        "this ring, claim(32)/commit, plain MappedByteBuffer: " + Candidate.NO_MULTI_RELEASE + " (both JVMs)"),
    PATH_OFFER_PLAIN("pathOfferPlain", Kind.THROUGHPUT, "DataPath.offer:link=ring",
        "code path only: this ring, offer, plain MappedByteBuffer: " + Candidate.NO_MULTI_RELEASE),
    PATH_BATCH_PLAIN("pathBatchPlain", Kind.THROUGHPUT, "DataPath.batch:link=ring",
        "code path only: this ring, claim(32)/commit, plain MappedByteBuffer: " + Candidate.NO_MULTI_RELEASE),
    RING_ROUND_TRIP("ringRoundTrip", Kind.ROUND_TRIP, "RoundTrip.ring", "this ring"),
    RING_ROUND_TRIP_PLAIN("ringRoundTripPlain", Kind.ROUND_TRIP, "RoundTrip.ring",
        "this ring, plain MappedByteBuffer: " + Candidate.NO_MULTI_RELEASE + " (both JVMs)"),
    AGRONA_ROUND_TRIP("agronaRoundTrip", Kind.ROUND_TRIP, "RoundTrip.agrona", "Agrona OneToOneRingBuffer"),
    C_ROUND_TRIP("cRoundTrip", Kind.ROUND_TRIP, null, "C ping-pong, format v1"),
    C_ALIGNED_ROUND_TRIP("cAlignedRoundTrip", Kind.ROUND_TRIP, null, "C ping-pong, stride 192 (not format v1)"),
    BASELINE_ROUND_TRIP("baselineRoundTrip", Kind.ROUND_TRIP, "RoundTrip.baseline", "before/after: the library's code of 8f8dd99"),
    LEAN_ROUND_TRIP("leanRoundTrip", Kind.ROUND_TRIP, "RoundTrip.lean", "prototype: lean Java path, format v1"),
    ALIGNED_ROUND_TRIP("alignedRoundTrip", Kind.ROUND_TRIP, "RoundTrip.aligned", "prototype: lean, stride 192"),
    FIRST_ROUND_TRIP("firstRoundTrip", Kind.ROUND_TRIP, "RoundTrip.first", "prototype: lean, stride 192, word first"),
    UDS_ROUND_TRIP("udsRoundTrip", Kind.ROUND_TRIP, "RoundTrip.uds", "Unix domain socket"),
    TCP_ROUND_TRIP("tcpRoundTrip", Kind.ROUND_TRIP, "RoundTrip.tcp", "TCP loopback, TCP_NODELAY");

    /**
     * The JVM option that makes a JVM ignore the versioned classes of multi-release jars: on Java 22+ the
     * library then maps with the Java 17 {@code RingMapping} (a plain {@code MappedByteBuffer}) instead of
     * the segment-backed buffer of a shared {@code Arena}. The {@code *Plain} candidates give it to the
     * benchmark JVM and, through {@link PartnerProcess#PARTNER_JVM_ARGS_PROPERTY}, to its partner JVM.
     */
    static final String NO_MULTI_RELEASE = "-Djdk.util.jar.enableMultiRelease=false";

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

    /** JVM options of this candidate's JMH fork (prepended to the benchmark's own): the mapping switch of the {@code *Plain} ones. */
    List<String> jvmArgs() {
        if (!id.endsWith("Plain")) {
            return List.of();
        }
        return List.of(NO_MULTI_RELEASE, "-D" + PartnerProcess.PARTNER_JVM_ARGS_PROPERTY + "=" + NO_MULTI_RELEASE);
    }

    boolean isC() {
        return benchmark == null;
    }

    /** Slot stride of a C candidate's rings ({@code -s} of the C programs): 192 for the aligned floors, else format v1's 144. */
    int cStride() {
        return this == C_ALIGNED_OFFER || this == C_ALIGNED_BATCH || this == C_ALIGNED_ROUND_TRIP ? 192 : 144;
    }

    /** Whether this is a stride-192 candidate (the aligned prototype or the C floor at stride 192). */
    private boolean isAligned() {
        return id.startsWith("aligned") || id.startsWith("cAligned");
    }

    /** Whether its throughput figure is one message per commit (compared with the C offer floor) or a batch. */
    private boolean isBatch() {
        return id.contains("Batch");
    }

    /**
     * The candidates this one's figure is divided by, in order. Throughput: Agrona's offer and the C
     * stream of the same commit size (one message or batches of 32); round trip: Agrona and the C
     * ping-pong; a prototype also against the library's ring of the same scenario. Agrona against the
     * C floor only; the C floors themselves against nothing, except the stride-192 C floors against the
     * stride-144 ones (and the stride-192 prototype also against the lean one at 144 and the C floor at 192).
     * The library's ring (and code path) also against its code of commit 8f8dd99 ({@code baseline*}), when
     * that runs too: the before/after of a change to the hot path. The code-path candidates (one thread, both
     * roles) against the C code path of the same commit size.
     */
    List<Candidate> references() {
        final List<Candidate> references = new ArrayList<>();
        if (isC()) {
            if (isAligned()) {
                // the stride question: the same C program at 192 against 144
                references.add(kind == Kind.ROUND_TRIP ? C_ROUND_TRIP : isBatch() ? C_BATCH : C_OFFER);
            }
            return references;
        }
        final boolean prototype = description.contains("prototype");
        if (id.startsWith("path") || id.startsWith("leanPath") || id.startsWith("baselinePath")) { // code path only
            references.add(isBatch() ? C_PATH_BATCH : C_PATH_OFFER);
            if (prototype) {
                references.add(isBatch() ? PATH_BATCH : PATH_OFFER);
            }
            if (this == PATH_OFFER || this == PATH_BATCH) {
                // before/after a change to the hot path: the library now against its code of 8f8dd99
                references.add(isBatch() ? BASELINE_PATH_BATCH : BASELINE_PATH_OFFER);
                references.add(isBatch() ? PATH_BATCH_PLAIN : PATH_OFFER_PLAIN); // Java 22+: segment-backed / plain
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
            if (this == RING_OFFER || this == RING_BATCH) {
                references.add(isBatch() ? BASELINE_BATCH : BASELINE_OFFER); // before/after
                references.add(isBatch() ? RING_BATCH_PLAIN : RING_OFFER_PLAIN); // Java 22+: segment-backed / plain mapping
            }
            if (isAligned()) {
                // the stride question: the same lean code at 144, and the C floor at 192
                references.add(isBatch() ? LEAN_BATCH : LEAN_OFFER);
                references.add(isBatch() ? C_ALIGNED_BATCH : C_ALIGNED_OFFER);
            }
        } else {
            if (this != AGRONA_ROUND_TRIP) {
                references.add(AGRONA_ROUND_TRIP);
            }
            references.add(C_ROUND_TRIP);
            if (prototype) {
                references.add(RING_ROUND_TRIP);
            }
            if (this == RING_ROUND_TRIP) {
                references.add(BASELINE_ROUND_TRIP); // before/after
                references.add(RING_ROUND_TRIP_PLAIN); // Java 22+: segment-backed / plain mapping
            }
            if (isAligned()) {
                references.add(LEAN_ROUND_TRIP);
                references.add(C_ALIGNED_ROUND_TRIP);
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
