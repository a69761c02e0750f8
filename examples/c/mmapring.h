/*
 * mmapring.h: the ring file format (docs/FORMAT.md, io.mmapring.RingLayout) for C programs.
 *
 * Every number here is checked against the Java descriptor by examples/src/test/.../CHeaderTest,
 * which compiles mmapring_constants.c and compares its output with RingLayout and People.
 *
 *   offset  width  field
 *        0      8  magic "MMAPRING"  (stored LAST by the creator, release)
 *        8      4  version (1)
 *       12      4  record size       (132 for People)
 *       16      4  slot stride       (align8(record size) + 8 = 144)
 *       20      4  sequence offset   (align8(record size) = 136)
 *       24      8  capacity          (slots, a power of two)
 *       32      8  data offset       (384)
 *      128      8  tail              producer position (release-stored after each commit)
 *      256      8  head              consumer position (release-stored after each batch)
 *      384         slots: record bytes, zero pad to 8, int64 sequence word (= position + 1 when published)
 *
 * Little-endian; all 64-bit fields 8-byte aligned. Roles: an fcntl write lock (F_SETLK) on byte 128
 * (producer) or byte 256 (consumer), the same bytes Java's FileChannel.tryLock takes.
 *
 * The lifecycle follows the same rules as the Java library (docs/FORMAT.md): mmr_create makes a ring
 * whole under a temporary name and links it into place; mmr_map_ring waits for and checks the header;
 * mmr_take_role tells a liveness probe (a shared lock held for microseconds) from a holder; every read
 * of a live ring's positions is an mmr_snapshot (retried while tail moves), and a role take checks the
 * slots of [head, P) with mmr_check_slots.
 */
#ifndef MMAPRING_H
#define MMAPRING_H

/* link, renameat2 and RENAME_NOREPLACE are GNU/Linux: include this header before any system header */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MMR_MAGIC                 0x474E495250414D4DLL /* "MMAPRING" read as a little-endian int64 */
#define MMR_VERSION               1
#define MMR_MAGIC_OFFSET          0
#define MMR_VERSION_OFFSET        8
#define MMR_RECORD_SIZE_OFFSET    12
#define MMR_STRIDE_OFFSET         16
#define MMR_SEQUENCE_OFFSET_OFFSET 20
#define MMR_CAPACITY_OFFSET       24
#define MMR_DATA_OFFSET_OFFSET    32
#define MMR_COUNTER_BLOCK         128
#define MMR_TAIL_OFFSET           128
#define MMR_HEAD_OFFSET           256
#define MMR_DATA_OFFSET           384
#define MMR_SEQUENCE_WIDTH        8
#define MMR_MAX_RECORD_SIZE       (1 << 20)
#define MMR_MAX_CAPACITY          (1LL << 30)
#define MMR_MAX_FILE_LENGTH       2147483647LL
#define MMR_MAX_POSITION          (1LL << 62) /* largest head or tail: 146 years at 10^9 msgs/s, far from overflow */
#define MMR_PRODUCER_LOCK_OFFSET  MMR_TAIL_OFFSET
#define MMR_CONSUMER_LOCK_OFFSET  MMR_HEAD_OFFSET

/* The seed's record, in the layout Java reads: name at 0 (UTF-8, NUL-terminated when shorter), id at 128. */
struct people {
    char name[128];
    int32_t id;
};

#define PEOPLE_NAME_OFFSET        0
#define PEOPLE_NAME_LENGTH        128
#define PEOPLE_MAX_NAME_BYTES     127
#define PEOPLE_ID_OFFSET          128
#define PEOPLE_SIZE               132
#define PEOPLE_STRIDE             144 /* mmr_stride(PEOPLE_SIZE) */
#define PEOPLE_SEQUENCE_OFFSET    136 /* mmr_sequence_offset(PEOPLE_SIZE) */

_Static_assert(sizeof(struct people) == PEOPLE_SIZE, "struct people must be 132 bytes");
_Static_assert(offsetof(struct people, id) == PEOPLE_ID_OFFSET, "people.id must be at 128");
_Static_assert(sizeof(_Atomic int64_t) == 8, "_Atomic int64_t must be 8 bytes");
/* the peer is another process: a lock-based (not lock-free) atomic would use a lock private to this one */
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "mmapring needs lock-free 64-bit atomics (ATOMIC_LLONG_LOCK_FREE == 2)");
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2 || sizeof(long) != 8, "mmapring needs lock-free 64-bit atomics (int64_t is long)");

static inline int32_t mmr_align8(int32_t n) { return (n + 7) & ~7; }
static inline int32_t mmr_sequence_offset(int32_t record_size) { return mmr_align8(record_size); }
static inline int32_t mmr_stride(int32_t record_size) { return mmr_align8(record_size) + MMR_SEQUENCE_WIDTH; }
static inline int64_t mmr_file_length(int32_t record_size, int64_t capacity)
{
    return MMR_DATA_OFFSET + capacity * mmr_stride(record_size);
}

/* An int64 field of the mapping, for atomic access (8-aligned by the format). */
static inline _Atomic int64_t *mmr_word(void *base, int64_t offset)
{
    return (_Atomic int64_t *)((char *)base + offset);
}

/* Acquire load: pairs with the peer's release store of the same word. */
static inline int64_t mmr_load_acquire(void *base, int64_t offset)
{
    return atomic_load_explicit(mmr_word(base, offset), memory_order_acquire);
}

/* Release store: every write before it is visible to whoever acquires this word. */
static inline void mmr_store_release(void *base, int64_t offset, int64_t value)
{
    atomic_store_explicit(mmr_word(base, offset), value, memory_order_release);
}

static inline int32_t mmr_get_i32(const void *base, int64_t offset)
{
    int32_t v;
    memcpy(&v, (const char *)base + offset, sizeof v); /* little-endian hosts only (x86-64, AArch64) */
    return v;
}

static inline int64_t mmr_get_i64(const void *base, int64_t offset)
{
    int64_t v;
    memcpy(&v, (const char *)base + offset, sizeof v);
    return v;
}


/* Monotonic clock, in seconds. */
static inline double mmr_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A mapped ring: the header's immutable fields, cached. */
struct mmr_ring {
    char *base;
    int64_t length;
    int32_t record_size;
    int32_t stride;
    int32_t sequence_offset;
    int64_t capacity;
    int64_t mask;
};

/* Offset of the slot of position p, and of its sequence word. */
static inline int64_t mmr_slot(const struct mmr_ring *r, int64_t p)
{
    return MMR_DATA_OFFSET + (p & r->mask) * r->stride;
}

static inline int64_t mmr_sequence_word(const struct mmr_ring *r, int64_t p)
{
    return mmr_slot(r, p) + r->sequence_offset;
}

/*
 * Checks a mapped header as Java's RingFile.open does. On error returns -1 with a message naming the
 * field in err (e.g. "slot stride 64 does not match record size 132 (expected 144)").
 */
static inline int mmr_check_header(struct mmr_ring *r, char *base, int64_t file_length, char *err, size_t errlen)
{
    int64_t magic = mmr_load_acquire(base, MMR_MAGIC_OFFSET); /* acquire: pairs with the creator's release */
    if (magic != MMR_MAGIC) {
        snprintf(err, errlen, "magic 0x%llx is not MMAPRING (0x%llx): not a ring file",
                 (unsigned long long)magic, (unsigned long long)MMR_MAGIC);
        return -1;
    }
    int32_t version = mmr_get_i32(base, MMR_VERSION_OFFSET);
    if (version != MMR_VERSION) {
        snprintf(err, errlen, "version %d is not supported (this program reads %d)", version, MMR_VERSION);
        return -1;
    }
    int32_t record_size = mmr_get_i32(base, MMR_RECORD_SIZE_OFFSET);
    if (record_size < 1 || record_size > MMR_MAX_RECORD_SIZE) {
        snprintf(err, errlen, "record size %d is outside [1, %d]", record_size, MMR_MAX_RECORD_SIZE);
        return -1;
    }
    int32_t stride = mmr_get_i32(base, MMR_STRIDE_OFFSET);
    if (stride != mmr_stride(record_size)) {
        snprintf(err, errlen, "slot stride %d does not match record size %d (expected %d)",
                 stride, record_size, mmr_stride(record_size));
        return -1;
    }
    int32_t sequence_offset = mmr_get_i32(base, MMR_SEQUENCE_OFFSET_OFFSET);
    if (sequence_offset != mmr_sequence_offset(record_size)) {
        snprintf(err, errlen, "sequence offset %d does not match record size %d (expected %d)",
                 sequence_offset, record_size, mmr_sequence_offset(record_size));
        return -1;
    }
    int64_t capacity = mmr_get_i64(base, MMR_CAPACITY_OFFSET);
    if (capacity < 1 || (capacity & (capacity - 1)) != 0 || capacity > MMR_MAX_CAPACITY) {
        snprintf(err, errlen, "capacity %lld is not a power of two in [1, %lld]",
                 (long long)capacity, (long long)MMR_MAX_CAPACITY);
        return -1;
    }
    int64_t data_offset = mmr_get_i64(base, MMR_DATA_OFFSET_OFFSET);
    if (data_offset != MMR_DATA_OFFSET) {
        snprintf(err, errlen, "data offset %lld is not %d", (long long)data_offset, MMR_DATA_OFFSET);
        return -1;
    }
    int64_t expected = mmr_file_length(record_size, capacity);
    if (file_length != expected) {
        snprintf(err, errlen, "file length %lld does not match the header (%d + capacity %lld x stride %d = %lld)",
                 (long long)file_length, MMR_DATA_OFFSET, (long long)capacity, stride, (long long)expected);
        return -1;
    }
    r->base = base;
    r->length = file_length;
    r->record_size = record_size;
    r->stride = stride;
    r->sequence_offset = sequence_offset;
    r->capacity = capacity;
    r->mask = capacity - 1;
    return 0;
}

/* ---- Consistent snapshots of the positions (docs/FORMAT.md 5) ---------------------------------- */

#define MMR_SNAPSHOT_ATTEMPTS 1000      /* at most this many attempts ...                        */
#define MMR_SNAPSHOT_SECONDS  0.005     /* ... or this long, whichever comes first               */
#define MMR_SNAPSHOT_SPINS    8         /* attempts before sched_yield between them              */

/* One consistent look at a live ring's positions. */
struct mmr_positions {
    int64_t head;     /* head read after the scan                                                  */
    int64_t tail;     /* tail read before the scan                                                 */
    int64_t position; /* P: tail moved forward over the slots that say published (word == p + 1)  */
    int64_t backlog;  /* max(0, position - head): never above the capacity                         */
    int attempts;     /* 1 unless a live producer moved tail during the scan                       */
    int stale;        /* the last attempt was still moving: h > P then is the producer, not a fault */
};

/*
 * Takes a snapshot of head, tail and the producer position P, as every reader of a live ring's header
 * must. tail is released after the slot words, and the producer may lap a slot while it is scanned, so
 * one pass can see tail behind head, or a word from a later lap: such a pass is stale, not corrupt, and
 * is retried (at most MMR_SNAPSHOT_ATTEMPTS times or MMR_SNAPSHOT_SECONDS). A pass is stale when tail
 * moved during it: a later-lap word under a stable tail cannot come from a valid producer (it releases
 * tail before it starts the batch that laps), so it is corruption. The last pass is checked against
 * the invariants; returns -1 with err naming the values if they break.
 */
static inline int mmr_snapshot(const struct mmr_ring *r, struct mmr_positions *s, char *err, size_t errlen)
{
    double give_up = 0;
    for (int attempt = 1;; attempt++) {
        int64_t h1 = mmr_load_acquire(r->base, MMR_HEAD_OFFSET);
        int64_t t1 = mmr_load_acquire(r->base, MMR_TAIL_OFFSET);
        int64_t p = t1, stop_word = 0;
        int stopped = 0;
        if (h1 >= 0 && t1 >= 0 && h1 <= MMR_MAX_POSITION && t1 <= MMR_MAX_POSITION) { /* p + 1 cannot overflow */
            while (p - t1 < r->capacity) {
                /* acquire: pairs with the producer's release of the word; a later tail release is then visible too */
                int64_t w = mmr_load_acquire(r->base, mmr_sequence_word(r, p));
                if (w != p + 1) {
                    stop_word = w;
                    stopped = 1;
                    break;
                }
                p++;
            }
        }
        int64_t h2 = mmr_load_acquire(r->base, MMR_HEAD_OFFSET);
        int64_t t2 = mmr_load_acquire(r->base, MMR_TAIL_OFFSET);
        int stale = t2 != t1;
        if (stale && attempt < MMR_SNAPSHOT_ATTEMPTS) {
            if (attempt >= MMR_SNAPSHOT_SPINS) {
                double now = mmr_now();
                if (give_up == 0) {
                    give_up = now + MMR_SNAPSHOT_SECONDS;
                }
                if (now < give_up) {
                    sched_yield();
                    continue;
                }
            } else {
                continue;
            }
        }
        if (h1 < 0 || t1 < 0) {
            snprintf(err, errlen, "%s %lld is negative", h1 < 0 ? "head" : "tail", (long long)(h1 < 0 ? h1 : t1));
            return -1;
        }
        if (h1 > MMR_MAX_POSITION || t1 > MMR_MAX_POSITION || h2 > MMR_MAX_POSITION) {
            snprintf(err, errlen, "head %lld or tail %lld is beyond 2^62 (%lld), which no real stream reaches",
                     (long long)(h1 > MMR_MAX_POSITION ? h1 : h2), (long long)t1, (long long)MMR_MAX_POSITION);
            return -1;
        }
        if (h2 < h1) {
            snprintf(err, errlen, "head went back from %lld to %lld", (long long)h1, (long long)h2);
            return -1;
        }
        if (t1 - h2 > r->capacity) {
            snprintf(err, errlen, "tail %lld is more than capacity %lld ahead of head %lld",
                     (long long)t1, (long long)r->capacity, (long long)h2);
            return -1;
        }
        if (p - h2 > r->capacity) {
            snprintf(err, errlen, "producer position %lld (tail %lld and the published slots after it) is more than"
                     " capacity %lld ahead of head %lld", (long long)p, (long long)t1, (long long)r->capacity, (long long)h2);
            return -1;
        }
        int later_lap = stopped && stop_word > p + 1;
        /* head ahead of P is excused only where a producer that lapped the scan explains it (as in Java) */
        if (h1 > p && !(stale && later_lap)) {
            snprintf(err, errlen, "head %lld is ahead of the producer position %lld (tail %lld)",
                     (long long)h1, (long long)p, (long long)t1);
            return -1;
        }
        if (!stale && later_lap) {
            snprintf(err, errlen, "slot %lld (position %lld) holds sequence word %lld, from a later lap than tail %lld"
                     " allows (corrupted file)", (long long)(p & r->mask), (long long)p, (long long)stop_word, (long long)t1);
            return -1;
        }
        s->head = h2;
        s->tail = t1;
        s->position = p;
        s->backlog = p > h2 ? p - h2 : 0;
        s->attempts = attempt;
        s->stale = stale;
        return 0;
    }
}

/*
 * The check of a role take (docs/FORMAT.md 8): once the role is held, every slot of [head, position)
 * must hold the word of its position (position + 1). A tail or head moved within the bounds passes
 * every other check and would leave the consumer waiting forever on a slot that never comes.
 */
static inline int mmr_check_slots(const struct mmr_ring *r, int64_t head, int64_t position, char *err, size_t errlen)
{
    for (int64_t p = head; p < position; p++) {
        int64_t w = mmr_load_acquire(r->base, mmr_sequence_word(r, p));
        if (w != p + 1) {
            snprintf(err, errlen, "slot %lld (position %lld) holds sequence word %lld, expected %lld: tail or head"
                     " was moved (corrupted file)", (long long)(p & r->mask), (long long)p, (long long)w, (long long)(p + 1));
            return -1;
        }
    }
    return 0;
}

/* ---- Roles (docs/FORMAT.md 8) ------------------------------------------------------------------ */

#define MMR_PROBE_PAUSE_NANOS 50000L  /* a shared lock is a liveness probe: look again after 50 us ... */
#define MMR_PROBE_GIVE_UP     0.1     /* ... for at most 100 ms                                      */

/* The lock another process holds on the role byte at offset: F_UNLCK, F_RDLCK or F_WRLCK (and its pid), or -1. */
static inline int mmr_role_lock(int fd, off_t offset, pid_t *pid)
{
    struct flock lock;
    memset(&lock, 0, sizeof lock);
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = offset;
    lock.l_len = 1;
    if (fcntl(fd, F_GETLK, &lock) != 0) {
        return -1;
    }
    if (pid != NULL) {
        *pid = lock.l_pid;
    }
    return lock.l_type;
}

/*
 * Whether another process holds the role at offset: 1 yes, 0 no, -1 error. F_GETLK takes nothing. A
 * holder's lock is exclusive (F_WRLCK); a shared lock is a liveness probe (Java's isProducerAlive
 * takes one for microseconds), not a holder.
 */
static inline int mmr_role_held(int fd, off_t offset)
{
    int type = mmr_role_lock(fd, offset, NULL);
    return type < 0 ? -1 : type == F_WRLCK;
}

/*
 * Takes a role: an exclusive fcntl lock (F_SETLK, F_WRLCK) on one byte, MMR_PRODUCER_LOCK_OFFSET or
 * MMR_CONSUMER_LOCK_OFFSET, the lock Java's FileChannel.tryLock(offset, 1, false) takes; the OS drops
 * it when the process exits. When the byte is locked, F_GETLK tells a holder (F_WRLCK: refused at once,
 * naming its pid) from a probe (F_RDLCK: look again after 50 us, for at most 100 ms). Returns 0, or -1
 * with err ("the producer role is held by another process (pid 123)").
 */
static inline int mmr_take_role(int fd, off_t offset, const char *role, char *err, size_t errlen)
{
    const struct timespec pause = {0, MMR_PROBE_PAUSE_NANOS};
    double give_up = 0;
    for (;;) {
        struct flock lock;
        memset(&lock, 0, sizeof lock);
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        lock.l_start = offset;
        lock.l_len = 1;
        if (fcntl(fd, F_SETLK, &lock) == 0) {
            return 0;
        }
        if (errno != EACCES && errno != EAGAIN) {
            snprintf(err, errlen, "cannot lock byte %lld for the %s role: %s", (long long)offset, role, strerror(errno));
            return -1;
        }
        pid_t pid = 0;
        int type = mmr_role_lock(fd, offset, &pid);
        if (type < 0) {
            snprintf(err, errlen, "cannot test the %s role's lock: %s", role, strerror(errno));
            return -1;
        }
        if (type == F_WRLCK) {
            snprintf(err, errlen, "the %s role is held by another process (pid %ld)", role, (long)pid);
            return -1;
        }
        double now = mmr_now();
        if (give_up == 0) {
            give_up = now + MMR_PROBE_GIVE_UP;
        } else if (now > give_up) {
            snprintf(err, errlen, "the %s role is held by another process: a shared lock (pid %ld), probably a liveness"
                     " probe, held it for %.0f ms", role, (long)pid, MMR_PROBE_GIVE_UP * 1000);
            return -1;
        }
        if (type == F_RDLCK) {
            nanosleep(&pause, NULL);
        } /* F_UNLCK: the probe just ended, try again at once */
    }
}

/* ---- Opening (docs/FORMAT.md 7) ------------------------------------------------------------------ */

/*
 * Waits, at most wait_seconds, while the file behind fd is shorter than the header or its magic is 0
 * (a creator of an older version still at work: this version's creators publish only whole files);
 * then maps it, checks the header and takes a snapshot of the positions. Returns 0, or -1 with err.
 */
static inline int mmr_map_ring(int fd, struct mmr_ring *r, double wait_seconds, char *err, size_t errlen)
{
    double deadline = mmr_now() + wait_seconds;
    struct stat st;
    for (;;) {
        int64_t magic = 0;
        if (fstat(fd, &st) != 0) {
            snprintf(err, errlen, "fstat failed: %s", strerror(errno));
            return -1;
        }
        if (!S_ISREG(st.st_mode)) {
            snprintf(err, errlen, "not a regular file (%s): not a ring file",
                     S_ISDIR(st.st_mode) ? "a directory" : "a FIFO, socket or device");
            return -1;
        }
        if (st.st_size >= MMR_DATA_OFFSET && pread(fd, &magic, sizeof magic, MMR_MAGIC_OFFSET) == sizeof magic && magic != 0) {
            break;
        }
        if (mmr_now() > deadline) {
            if (st.st_size < MMR_DATA_OFFSET) {
                snprintf(err, errlen, "file length %lld is shorter than the header (%d bytes) after waiting %.0f ms",
                         (long long)st.st_size, MMR_DATA_OFFSET, wait_seconds * 1000);
            } else {
                snprintf(err, errlen, "magic is still 0 after waiting %.0f ms: not a complete ring file (its creator"
                         " probably died while creating it); delete it, or create the ring again with replace (-r)",
                         wait_seconds * 1000);
            }
            return -1;
        }
        usleep(1000);
    }
    if (st.st_size > MMR_MAX_FILE_LENGTH) {
        snprintf(err, errlen, "file length %lld is longer than any ring (%lld bytes)", (long long)st.st_size,
                 (long long)MMR_MAX_FILE_LENGTH);
        return -1;
    }
    char *base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        snprintf(err, errlen, "mmap failed: %s", strerror(errno));
        return -1;
    }
    struct mmr_positions positions;
    if (mmr_check_header(r, base, st.st_size, err, errlen) != 0 || mmr_snapshot(r, &positions, err, errlen) != 0) {
        munmap(base, (size_t)st.st_size);
        return -1;
    }
    return 0;
}

/* ---- Creating (docs/FORMAT.md 6) ----------------------------------------------------------------- */

#define MMR_EXISTS (-2) /* mmr_create: the path exists and replace was not asked */

/* Splits path into its directory ("." when none) and its base name. */
static inline void mmr_split_path(const char *path, char *dir, size_t dirlen, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        snprintf(dir, dirlen, ".");
        *base = path;
    } else {
        snprintf(dir, dirlen, "%.*s", slash == path ? 1 : (int)(slash - path), path);
        *base = slash + 1;
    }
}

/*
 * Removes what dead creators left: in dir, every ".<base>.creating-<pid>-<hex>" whose pid is not this
 * process and no longer exists (kill(pid, 0) fails with ESRCH). Never opens them; a name that does not
 * parse, or a creator still alive (or owned by another user: EPERM), is left alone.
 */
static inline void mmr_remove_dead_creators(const char *dir, const char *base)
{
    char prefix[512];
    int prefix_length = snprintf(prefix, sizeof prefix, ".%s.creating-", base);
    if (prefix_length < 0 || (size_t)prefix_length >= sizeof prefix) {
        return;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, (size_t)prefix_length) != 0) {
            continue;
        }
        char *end;
        errno = 0;
        long pid = strtol(e->d_name + prefix_length, &end, 10);
        if (errno != 0 || end == e->d_name + prefix_length || *end != '-' || pid <= 0 || pid != (pid_t)pid) {
            continue;
        }
        if ((pid_t)pid != getpid() && kill((pid_t)pid, 0) == -1 && errno == ESRCH) {
            unlinkat(dirfd(d), e->d_name, 0);
        }
    }
    closedir(d);
}

/*
 * Creates a ring of capacity slots of record_size bytes at path so that the path is never a half-made
 * file: removes leftovers of dead creators, creates ".<base>.creating-<pid>-<16 hex>" in the same
 * directory (O_EXCL, mode, fchmod since the umask may clear bits), allocates the full length
 * (ftruncate, then posix_fallocate: a full tmpfs fails here, not with SIGBUS later), writes the header
 * and release-stores the magic last; then publishes it: with replace, rename() over the path; without,
 * link() (fails if the path exists) and unlink of the temporary name, or renameat2(RENAME_NOREPLACE)
 * where the file system has no hard links. Any failure removes the temporary file.
 * Returns an fd open read-write on the new ring; MMR_EXISTS if the path exists and !replace; -1 with err.
 */
static inline int mmr_create(const char *path, int32_t record_size, int64_t capacity, mode_t mode, int replace,
                             char *err, size_t errlen)
{
    int64_t length = mmr_file_length(record_size, capacity);
    if (record_size < 1 || record_size > MMR_MAX_RECORD_SIZE || capacity < 1 || (capacity & (capacity - 1)) != 0
        || capacity > MMR_MAX_CAPACITY || length > MMR_MAX_FILE_LENGTH) {
        snprintf(err, errlen, "cannot create a ring of record size %d and capacity %lld (%lld bytes; at most %lld)",
                 record_size, (long long)capacity, (long long)length, (long long)MMR_MAX_FILE_LENGTH);
        return -1;
    }
    char dir[4096], temp[4096 + 512];
    const char *base;
    mmr_split_path(path, dir, sizeof dir, &base);
    mmr_remove_dead_creators(dir, base);
    uint64_t nonce = 0;
    if (getrandom(&nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce) {
        nonce = (uint64_t)(mmr_now() * 1e9) ^ ((uint64_t)getpid() << 32); /* still unique enough with O_EXCL */
    }
    int n = snprintf(temp, sizeof temp, "%s/.%s.creating-%ld-%016llx", dir, base, (long)getpid(), (unsigned long long)nonce);
    if (n < 0 || (size_t)n >= sizeof temp) {
        snprintf(err, errlen, "path too long");
        return -1;
    }
    int fd = open(temp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create the temporary file %.300s: %s", temp, strerror(errno));
        return -1;
    }
    const char *failed = NULL;
    int cause = 0, rc;
    char *map = MAP_FAILED;
    if (fchmod(fd, mode) != 0) {
        failed = "cannot set the file mode";
        cause = errno;
    } else if (ftruncate(fd, length) != 0) {
        failed = "cannot set the length";
        cause = errno;
    } else if ((rc = posix_fallocate(fd, 0, length)) != 0) {
        failed = "cannot allocate the file (file system full?)";
        cause = rc;
    } else if ((map = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED) {
        failed = "mmap failed";
        cause = errno;
    }
    if (failed == NULL) {
        int32_t version = MMR_VERSION, stride = mmr_stride(record_size), seq = mmr_sequence_offset(record_size);
        int64_t data_offset = MMR_DATA_OFFSET;
        memcpy(map + MMR_VERSION_OFFSET, &version, 4);
        memcpy(map + MMR_RECORD_SIZE_OFFSET, &record_size, 4);
        memcpy(map + MMR_STRIDE_OFFSET, &stride, 4);
        memcpy(map + MMR_SEQUENCE_OFFSET_OFFSET, &seq, 4);
        memcpy(map + MMR_CAPACITY_OFFSET, &capacity, 8);
        memcpy(map + MMR_DATA_OFFSET_OFFSET, &data_offset, 8);
        /* release, last: an opener that acquires the magic sees every field above */
        mmr_store_release(map, MMR_MAGIC_OFFSET, MMR_MAGIC);
        munmap(map, (size_t)length);
        if (replace) {
            if (rename(temp, path) != 0) {
                failed = "cannot move the new ring into place";
                cause = errno;
            }
        } else if (link(temp, path) == 0) {
            unlink(temp);
            return fd;
        } else if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EXDEV) {
            /* no hard links here: an atomic rename that refuses to replace does the same */
            if (renameat2(AT_FDCWD, temp, AT_FDCWD, path, RENAME_NOREPLACE) != 0) {
                failed = "cannot move the new ring into place";
                cause = errno;
            }
        } else {
            failed = "cannot link the new ring into place";
            cause = errno;
        }
    }
    if (failed == NULL) {
        return fd;
    }
    unlink(temp);
    close(fd);
    if (cause == EEXIST) {
        snprintf(err, errlen, "ring file already exists (create it with replace, -r, to overwrite it)");
        return MMR_EXISTS;
    }
    snprintf(err, errlen, "%s: %s", failed, strerror(cause));
    return -1;
}

#endif
