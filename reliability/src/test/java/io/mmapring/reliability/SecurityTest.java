package io.mmapring.reliability;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mmapring.People;
import io.mmapring.PeopleConsumer;
import io.mmapring.PeopleProducer;
import io.mmapring.RingFile;
import io.mmapring.RingFormatException;
import io.mmapring.RingLayout;
import io.mmapring.RingProducer;
import io.mmapring.RingSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File modes, other users, and a hostile producer. The ring is created 0600 (owner only) unless asked
 * otherwise; the library does not check the mode or owner of a file it opens (the OS does: a user who
 * cannot read and write the file gets an AccessDeniedException naming it). Anyone who can write the
 * file can write garbage into it; the consumer never reads outside its mapping because every offset
 * it touches comes from its own position masked by the capacity, and names are bounded by 128 bytes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SecurityTest {
    private static final Map<String, Object> FIGURES = new LinkedHashMap<>();
    private Path dir;
    private final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void scratch() throws IOException {
        dir = Reports.scratchDir("security");
    }

    @AfterEach
    void cleanUp() throws IOException {
        children.forEach(ChildJvm::close);
        Reports.deleteTree(dir);
        Reports.write("security", FIGURES);
    }

    @Test
    void ringIsCreatedOwnerOnlyByDefaultAndWithExactlyTheModeAsked() throws IOException {
        final Path owner = dir.resolve("owner-only");
        RingFile.create(owner, People.spec(16)).close();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(owner)));
        final Path shared = dir.resolve("group-shared");
        RingFile.create(shared, People.spec(16), PosixFilePermissions.fromString("rw-rw----"), false).close();
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)),
            "the mode asked for, whatever the umask");
    }

    @Test
    void anotherUserCannotOpenAnOwnerOnlyRingButCanOpenAWorldWritableOne() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
            "needs root and setpriv to run a child as nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final String classPath = readableClassPath();
        final Path ownerOnly = dir.resolve("owner-only");
        final Path open = dir.resolve("world-writable");
        RingFile.create(ownerOnly, People.spec(16)).close();
        try (RingFile ring = RingFile.create(open, People.spec(16), PosixFilePermissions.fromString("rw-rw-rw-"), false);
             RingProducer producer = ring.producer()) {
            assertEquals(1, producer.offer(new byte[People.SIZE]) ? 1 : 0);
        }
        final String denied = runAsNobody(classPath, ownerOnly);
        assertTrue(denied.contains("OPEN-FAILED java.nio.file.AccessDeniedException: " + ownerOnly), denied);
        final String allowed = runAsNobody(classPath, open);
        assertTrue(allowed.contains("OPENED 1") && allowed.contains("CONSUMED 1"), allowed);
        FIGURES.put("otherUser.ownerOnly", line(denied, "OPEN-FAILED "));
        FIGURES.put("otherUser.worldWritable", "opened, took the consumer role and consumed 1 message (no mode check on open)");
    }

    @Test
    void hostileWriterCannotMakeEitherSideTouchOutsideTheMappingOrFailOtherThanWithRingFormatException() throws Exception {
        final long seed = Reports.seed("hostile");
        final int seconds = 8;
        final Path path = dir.resolve("ring");
        final RingSpec spec = People.spec(64);
        RingFile.create(path, spec).close();
        long records = 0;
        long refused = 0;
        long reopenRefused = 0;
        long longestName = 0;
        long offered = 0;
        long producerRefused = 0;
        long otherExceptions = 0;
        RuntimeException firstOther = null;
        final byte[] name = new byte[People.NAME_LENGTH];
        final long[] stats = new long[2];
        long repairs = 0;
        // the test's own mapping, for an operator's repair of garbled counters (below); opened before the ring and
        // closed after it, so that its close never drops a role lock the ring holds (POSIX locks are per process)
        try (FileChannel operator = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
             RingFile ring = RingFile.open(path)) {
            final MappedByteBuffer counters = operator.map(FileChannel.MapMode.READ_WRITE, 0, spec.fileLength());
            counters.order(ByteOrder.LITTLE_ENDIAN);
            int refusedInARow = 0;
            // taken before the hostile writer starts: a role take checks every slot it takes over, and refuses
            // most of what the writer garbles, so a consumer taken later might never read a forged record
            PeopleConsumer consumer = new PeopleConsumer(ring.consumer());
            final ChildJvm hostile = ChildJvm.start("hostile", HostileWriterChild.class, path.toString(), Integer.toString(seconds),
                Long.toString(seed), Integer.toString(spec.stride()), Integer.toString(spec.sequenceOffset()),
                Integer.toString(spec.capacity()));
            children.add(hostile);
            hostile.await("READY ", Duration.ofSeconds(60));
            final PeopleConsumer.PeopleHandler handler = people -> {
                final int length = people.nameTo(name);
                stats[0] = Math.max(stats[0], length);
                stats[1] += people.id() + people.name().length();
            };
            PeopleProducer producer = null;
            int id = 0;
            while (hostile.isAlive()) {
                try {
                    if (consumer == null) {
                        consumer = new PeopleConsumer(ring.consumer());
                    }
                    records += consumer.poll(handler, 64);
                    refusedInARow = 0;
                } catch (RingFormatException e) {
                    assertTrue(e.getMessage().startsWith("ring " + path + ": "), e.getMessage());
                    if (consumer == null) {
                        reopenRefused++;
                        if (++refusedInARow % 200 == 0) {
                            // a head garbled to a random value stays invalid (the writer nudges it by +-32), and every
                            // consumer is then rightly refused: repair head and tail as an operator would, so that
                            // the read path keeps meeting forged records
                            final long tail = counters.getLong(RingLayout.TAIL_OFFSET);
                            final long valid = tail >= 0 && tail < (1L << 40) ? tail : 0;
                            counters.putLong(RingLayout.HEAD_OFFSET, valid);
                            counters.putLong(RingLayout.TAIL_OFFSET, valid);
                            repairs++;
                        }
                    } else {
                        refused++;
                        consumer.close();
                        consumer = null;
                    }
                } catch (RuntimeException e) {
                    // anything else: counted (the figure), the first kept (the assertion below), the role retaken
                    firstOther = otherExceptions++ == 0 ? e : firstOther;
                    if (consumer != null) {
                        consumer.close();
                        consumer = null;
                    }
                }
                // our own producer on the same ring: it refreshes head only when the ring looks full
                try {
                    if (producer == null) {
                        producer = new PeopleProducer(ring.producer());
                    }
                    if (producer.offer(id, "honest")) {
                        offered++;
                        id++;
                    }
                } catch (RingFormatException e) {
                    assertTrue(e.getMessage().startsWith("ring " + path + ": "), e.getMessage());
                    producerRefused++;
                    if (producer != null) {
                        producer.close();
                        producer = null;
                    }
                } catch (RuntimeException e) {
                    firstOther = otherExceptions++ == 0 ? e : firstOther;
                    if (producer != null) {
                        producer.close();
                        producer = null;
                    }
                }
                Thread.onSpinWait();
            }
            assertEquals(0, hostile.waitFor(Duration.ofSeconds(30)), hostile.transcript());
            if (producer != null) {
                producer.close();
            }
            longestName = stats[0];
            if (consumer != null) {
                consumer.close();
            }
        }
        FIGURES.put("hostile.otherExceptions", otherExceptions);
        if (firstOther != null) {
            throw new AssertionError(otherExceptions + " other exceptions than RingFormatException; the first:", firstOther);
        }
        assertTrue(longestName <= People.NAME_LENGTH);
        assertTrue(records > 0, "the hostile writer's forged records were read (the test exercised the read path)");
        assertTrue(refused > 0, "the consumer refused corrupted counters or sequence words at least once");
        FIGURES.put("hostile.seed", seed);
        FIGURES.put("hostile.seconds", seconds);
        FIGURES.put("hostile.garbageRecordsRead", records);
        FIGURES.put("hostile.consumerStoppedWithRingFormatException", refused);
        FIGURES.put("hostile.consumerRoleRefusedWithRingFormatException", reopenRefused);
        FIGURES.put("hostile.operatorRepairsOfGarbledCounters", repairs);
        FIGURES.put("hostile.longestNameRead", longestName);
        FIGURES.put("hostile.honestMessagesOffered", offered);
        FIGURES.put("hostile.producerStoppedWithRingFormatException", producerRefused);
    }

    /** The test class path, with every jar copied where another user can read it (~/.m2 is root-only). */
    private String readableClassPath() throws IOException {
        final Path jars = Files.createDirectory(dir.resolve("cp"));
        final List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            final Path source = Path.of(entry);
            if (Files.isRegularFile(source)) {
                final Path copy = jars.resolve(entries.size() + "-" + source.getFileName());
                Files.copy(source, copy);
                Files.setPosixFilePermissions(copy, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                    PosixFilePermission.OTHERS_READ));
                entries.add(copy.toString());
            } else {
                entries.add(entry); // the module's target/test-classes, world-readable
            }
        }
        Files.setPosixFilePermissions(jars, PosixFilePermissions.fromString("rwxr-xr-x"));
        return String.join(java.io.File.pathSeparator, entries);
    }

    private String runAsNobody(String classPath, Path ring) throws Exception {
        final List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        command.addAll(ChildJvm.javaCommand(ChildJvm.thisJava(), classPath, List.of("-Xmx64m", "-XX:-UsePerfData"),
            OpenRingChild.class, ring.toString()));
        final ChildJvm child = ChildJvm.start("nobody-open", command);
        children.add(child);
        final int exit = child.waitFor(Duration.ofSeconds(60));
        Assumptions.assumeTrue(!child.transcript().contains("setpriv:"), "setpriv cannot change user here: " + child.transcript());
        assertEquals(0, exit, child.transcript());
        return child.transcript();
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst().orElse("(none)");
    }
}
