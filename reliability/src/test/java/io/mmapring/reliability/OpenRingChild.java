package io.mmapring.reliability;

import java.nio.file.Path;

import io.mmapring.RingConsumer;
import io.mmapring.RingFile;

/**
 * Child process (run as another user by the security test): opens a ring and takes the consumer role.
 * Prints {@code OPENED <backlog>} and {@code CONSUMED <n>}, or {@code OPEN-FAILED <exception>}.
 *
 * <p>Arguments: ring path.
 */
public final class OpenRingChild {
    private OpenRingChild() {
    }

    public static void main(String[] args) {
        ChildControl.start(120);
        try (RingFile ring = RingFile.open(Path.of(args[0]))) {
            System.out.println("OPENED " + ring.backlog());
            try (RingConsumer consumer = ring.consumer()) {
                System.out.println("CONSUMED " + consumer.poll((buffer, offset) -> { }, 1000));
            }
        } catch (Throwable t) {
            System.out.println("OPEN-FAILED " + t);
        }
        System.out.flush();
    }
}
