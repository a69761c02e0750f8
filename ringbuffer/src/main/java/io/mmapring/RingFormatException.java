package io.mmapring;

/**
 * A ring file (or buffer) whose bytes break the format: wrong magic, version, slot size, capacity,
 * length, or positions that violate the ring's invariants. The message names the file and the field.
 * The library never reads messages from a ring it has refused.
 */
public final class RingFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A refusal of a ring's bytes.
     *
     * @param message names the ring, the field and the values
     */
    public RingFormatException(String message) {
        super(message);
    }
}
