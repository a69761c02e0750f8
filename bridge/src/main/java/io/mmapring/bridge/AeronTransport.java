package io.mmapring.bridge;

import java.io.File;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;

/**
 * The Aeron side of a bridge process: a client connected either to an external media driver
 * ({@code --aeron-dir}) or to one embedded in this process, with one shared driver thread
 * ({@link ThreadingMode#SHARED}) and the given idle strategy, because the machines this runs on may
 * have two cores.
 */
final class AeronTransport implements AutoCloseable {
    /** Term buffer length for publications of an embedded (or {@code bridge driver}) media driver: 3 terms per log. */
    static final int TERM_LENGTH = 1 << 20;

    private final MediaDriver driver;
    private final Aeron aeron;

    private AeronTransport(MediaDriver driver, Aeron aeron) {
        this.driver = driver;
        this.aeron = aeron;
    }

    /**
     * Fails with a clear message unless this JVM opens {@code jdk.internal.misc} to us: Agrona 2.x, under
     * Aeron, needs {@code jdk.internal.misc.Unsafe}. {@code java -jar people-bridge.jar} gets it from the
     * jar's manifest ({@code Add-Opens}); on a class path, give the flag.
     */
    static void checkJvmFlags() {
        if (!Object.class.getModule().isOpen("jdk.internal.misc", AeronTransport.class.getModule())) {
            throw new IllegalStateException("Aeron needs the JVM flag --add-opens java.base/jdk.internal.misc=ALL-UNNAMED"
                + " (java -jar people-bridge.jar sets it from its manifest; add it when running from a class path)");
        }
    }

    /** Connects to the external media driver whose directory is {@code aeronDir}. */
    static AeronTransport external(String aeronDir) {
        checkJvmFlags();
        if (!new File(aeronDir, "cnc.dat").exists()) {
            throw new IllegalArgumentException("--aeron-dir " + aeronDir + ": no media driver there (no cnc.dat);"
                + " start one with 'bridge driver --dir " + aeronDir + "' or drop --aeron-dir for an embedded one");
        }
        return new AeronTransport(null, Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir)));
    }

    /** Launches a media driver in this process, in {@code driverDir} (deleted on start and on shutdown), and connects to it. */
    static AeronTransport embedded(String driverDir, IdleStrategy driverIdle) {
        checkJvmFlags();
        final MediaDriver driver = MediaDriver.launchEmbedded(driverContext(driverDir, driverIdle));
        try {
            return new AeronTransport(driver, Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())));
        } catch (RuntimeException e) {
            CloseHelper.quietClose(driver);
            throw e;
        }
    }

    /** The driver settings used by an embedded driver and by {@code bridge driver}. */
    static MediaDriver.Context driverContext(String dir, IdleStrategy idle) {
        checkJvmFlags();
        return new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idle)
            .publicationTermBufferLength(TERM_LENGTH)
            .ipcTermBufferLength(TERM_LENGTH)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false);
    }

    Aeron aeron() {
        return aeron;
    }

    @Override
    public void close() {
        CloseHelper.closeAll(aeron, driver);
    }
}
