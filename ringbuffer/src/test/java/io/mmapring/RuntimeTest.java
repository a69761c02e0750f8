package io.mmapring;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library runs with no JVM flags, and its steady state allocates nothing. */
class RuntimeTest {
    @Test
    void runsWithoutAnyModuleOpeningFlag() {
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            assertTrue(!argument.startsWith("--add-") && !argument.startsWith("--illegal-access"), argument);
        }
    }

    @Test
    void steadyStateOfferAndPollAllocateNothing() throws Exception {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        try (RingFile ring = RingFile.format(ByteBuffer.allocateDirect(People.spec(64).fileLength()), People.spec(64));
             PeopleProducer out = new PeopleProducer(ring.producer());
             PeopleConsumer in = new PeopleConsumer(ring.consumer())) {
            final Sum sum = new Sum();
            final StringBuilder name = new StringBuilder("people-");
            run(out, in, sum, name, 200_000); // warm up: let the JIT compile the paths
            final long thread = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(thread);
            run(out, in, sum, name, 200_000);
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < 1024, allocated + " bytes allocated by 200,000 offers, polls and batches");
            assertEquals(2 * 200_000 * 3L, sum.count);
        }
    }

    private static void run(PeopleProducer out, PeopleConsumer in, Sum sum, StringBuilder name, int rounds) {
        for (int i = 0; i < rounds; i++) {
            out.offer(i, name);
            final int n = out.claim(2);
            for (int j = 0; j < n; j++) {
                out.people(j).id(i).name(name);
            }
            out.commit();
            in.poll(sum, 16);
        }
    }

    private static final class Sum implements PeopleConsumer.PeopleHandler {
        long count;

        @Override
        public void onPeople(People people) {
            count += people.id() >= 0 ? 1 : 0;
        }
    }
}
