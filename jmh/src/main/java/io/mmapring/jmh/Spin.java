package io.mmapring.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a busy-spin of the benchmark thread on shared memory: every 1024 spins it looks at the clock
 * and at the partner, and throws when the partner has died or nothing happened for 10 s. No sleep, no yield.
 */
final class Spin {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final PartnerProcess partner;
    private int spins;
    private long start;

    Spin(PartnerProcess partner) {
        this.partner = partner;
    }

    void reset() {
        spins = 0;
        start = 0;
    }

    void idle() {
        if ((++spins & 0x3FF) == 0) {
            check();
        }
    }

    private void check() {
        final long now = System.nanoTime();
        if (start == 0) {
            start = now;
        } else if (now - start > TIMEOUT_NANOS) {
            throw new IllegalStateException("no progress for " + TimeUnit.NANOSECONDS.toMillis(now - start)
                + " ms (partner alive: " + partner.process().isAlive() + ")" + partnerOutput());
        }
        if (!partner.process().isAlive()) {
            throw new IllegalStateException("partner exited with " + partner.process().exitValue() + partnerOutput());
        }
    }

    private String partnerOutput() {
        try {
            return ": " + partner.output();
        } catch (IOException e) {
            return " (output unreadable: " + e + ")";
        }
    }
}
