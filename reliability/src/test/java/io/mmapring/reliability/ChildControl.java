package io.mmapring.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The child side of {@link ChildJvm}'s control channel: a daemon thread reads stdin; {@code stop}
 * and {@code drain} set flags the child's loop polls; end of stdin (the parent died or closed it)
 * halts the child at once, and so does a hard lifetime limit: no child can outlive its test.
 */
final class ChildControl {
    private static volatile boolean stop;
    private static volatile boolean drain;

    private ChildControl() {
    }

    /** Starts the stdin watcher and the lifetime limit. */
    static void start(long maxLifetimeSeconds) {
        final Thread watcher = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("stop")) {
                        stop = true;
                    } else if (line.equals("drain")) {
                        drain = true;
                    }
                }
            } catch (IOException ignored) {
                // treated as end of stdin
            }
            Runtime.getRuntime().halt(70); // orphaned: the parent is gone
        }, "child-control");
        watcher.setDaemon(true);
        watcher.start();
        final Thread limit = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(maxLifetimeSeconds);
            } catch (InterruptedException ignored) {
                return;
            }
            System.out.println("LIFETIME-EXCEEDED after " + maxLifetimeSeconds + " s");
            System.out.flush();
            Runtime.getRuntime().halt(71);
        }, "child-lifetime");
        limit.setDaemon(true);
        limit.start();
    }

    static boolean stopRequested() {
        return stop;
    }

    static boolean drainRequested() {
        return drain;
    }
}
