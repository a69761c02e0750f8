package io.mmapring.reliability;

import java.nio.file.Files;
import java.nio.file.Path;

import io.mmapring.People;
import io.mmapring.RingFile;
import io.mmapring.RingProducer;

/**
 * Child process: creates a People ring of the given capacity (under a file size limit set by the
 * parent with {@code ulimit -f}) and, if that works, fills every slot. Prints {@code CREATED} and
 * {@code FILLED}, or {@code CREATE-FAILED <exception>} and whether the half-made file is gone.
 *
 * <p>Arguments: ring path, capacity.
 */
public final class CreateRingChild {
    private CreateRingChild() {
    }

    public static void main(String[] args) throws Exception {
        ChildControl.start(120);
        final Path path = Path.of(args[0]);
        final int capacity = Integer.parseInt(args[1]);
        final RingFile ring;
        try {
            ring = RingFile.create(path, People.spec(capacity));
        } catch (Throwable t) {
            System.out.println("CREATE-FAILED " + t);
            System.out.println("FILE-LEFT " + Files.exists(path));
            System.out.flush();
            return;
        }
        System.out.println("CREATED " + Files.size(path));
        try (ring; RingProducer producer = ring.producer()) {
            final People people = new People();
            while (producer.claim(1) == 1) {
                Traffic.write(people, producer.buffer(), producer.recordOffset(0), producer.position());
                producer.commit();
            }
            System.out.println("FILLED " + producer.position());
        }
        System.out.flush();
    }
}
