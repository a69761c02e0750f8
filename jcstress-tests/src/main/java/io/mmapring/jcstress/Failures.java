package io.mmapring.jcstress;

import io.mmapring.RingFormatException;

/** Turns an exception thrown by the ring in an actor into a {@link StreamChecker} verdict code. */
final class Failures {
    private Failures() {
    }

    /** {@link StreamChecker#CORRUPT} for a {@link RingFormatException}, {@link StreamChecker#OTHER} for anything else. */
    static int code(RuntimeException e) {
        return e instanceof RingFormatException ? StreamChecker.CORRUPT : StreamChecker.OTHER;
    }
}
