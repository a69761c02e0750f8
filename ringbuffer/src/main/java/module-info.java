/**
 * mmapring: a lock-free single-producer, single-consumer ring of fixed-size records in a memory-mapped
 * file, shared by two processes (two JVMs, or a JVM and a C program) with no system call, no lock and no
 * allocation on the data path. Start at {@link io.mmapring.RingFile}; the file format is
 * {@code docs/FORMAT.md} and {@link io.mmapring.RingLayout}.
 *
 * <p>Agrona is required transitively because {@link org.agrona.concurrent.IdleStrategy} appears in the
 * blocking variants of the API.
 */
module io.mmapring {
    requires transitive org.agrona;

    exports io.mmapring;
}
