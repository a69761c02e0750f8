/*
 * cfloor.h: what the two C floor programs (stream.c, pingpong.c) share. The ring format itself, and
 * every offset, come from examples/c/mmapring.h (included by relative path, never copied): this file
 * only creates, maps and checks ring files with it, the way docs/FORMAT.md sections 6-8 say.
 */
#ifndef CFLOOR_H
#define CFLOOR_H

#include "../../examples/c/mmapring.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

/* The name field every benchmark sends: "helloworld", NUL-padded to 128 bytes (as Records.nameField() in Java). */
static char cf_name_field[PEOPLE_NAME_LENGTH] = "helloworld";

static const char *cf_program = "cfloor";

/*
 * Slot stride of the rings this process creates and expects (option -s of every program). The default,
 * PEOPLE_STRIDE (144), is format version 1. Any other value (a multiple of 8 from 144 to 4096, e.g. 192:
 * three whole 64-byte lines per slot) is an experiment for "is a 64-byte-aligned stride worth a new
 * format version?": the sequence word stays at 136, after the record, and the header records the stride,
 * but such a file is NOT a valid version-1 ring (the library and mmr_check_header refuse it), so these
 * programs check its header themselves (cf_check_wide_header) and nothing else ever opens it.
 */
static int32_t cf_stride = PEOPLE_STRIDE;

/* Parses the -s option: a multiple of 8 in [PEOPLE_STRIDE, 4096]; exits with status 2 otherwise. */
static inline void cf_parse_stride(const char *text)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < PEOPLE_STRIDE || v > 4096 || v % 8 != 0) {
        fprintf(stderr, "%s: option -s: '%s' is not a slot stride (a multiple of 8 in [%d, 4096])\n", cf_program, text,
                PEOPLE_STRIDE);
        exit(2);
    }
    cf_stride = (int32_t)v;
}

/* Ring files this process created, deleted at exit (normal or by die()). */
static char cf_created[2][256];

static void cf_cleanup(void)
{
    for (int i = 0; i < 2; i++) {
        if (cf_created[i][0] != '\0') {
            unlink(cf_created[i]);
            cf_created[i][0] = '\0';
        }
    }
}

/* SIGTERM, SIGINT, SIGHUP: delete the ring files (unlink is async-signal-safe) and exit at once. */
static void cf_on_signal(int signal_number)
{
    for (int i = 0; i < 2; i++) {
        if (cf_created[i][0] != '\0') {
            unlink(cf_created[i]);
        }
    }
    _exit(128 + signal_number);
}

/* Deletes the ring files at exit, normal or by signal. Call once, before creating them. */
static inline void cf_cleanup_at_exit(void)
{
    atexit(cf_cleanup);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cf_on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

static void cf_die(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "%s: ", cf_program);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    exit(1);
}

static inline double cf_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int64_t cf_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline double cf_parse_double(const char *option, const char *text, double min, double max)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(v >= min && v <= max)) {
        fprintf(stderr, "%s: option %s: '%s' is not a number in [%g, %g]\n", cf_program, option, text, min, max);
        exit(2);
    }
    return v;
}

static inline long long cf_parse_long(const char *option, const char *text, long long min, long long max)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "%s: option %s: '%s' is not an integer in [%lld, %lld]\n", cf_program, option, text, min, max);
        exit(2);
    }
    return v;
}

/*
 * Creates a new, empty People ring of `capacity` slots at a fresh path in /dev/shm (or $TMPDIR when there
 * is no /dev/shm): O_EXCL, ftruncate + posix_fallocate (a full tmpfs fails here, not with SIGBUS later),
 * fields 8-39, then the magic with a release store, last. Writes the path to `path` and remembers it for
 * deletion at exit.
 */
static inline void cf_create_ring(char *path, size_t pathlen, const char *role, int64_t capacity)
{
    struct stat st;
    const char *dir = (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
        ? "/dev/shm" : (getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
    snprintf(path, pathlen, "%s/mmapring-cfloor-%s-%s-%ld", dir, cf_program, role, (long)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        cf_die("ring %s: cannot create: %s", path, strerror(errno));
    }
    for (int i = 0; i < 2; i++) {
        if (cf_created[i][0] == '\0') {
            snprintf(cf_created[i], sizeof cf_created[i], "%s", path);
            break;
        }
    }
    int64_t length = MMR_DATA_OFFSET + capacity * cf_stride; /* mmr_file_length(PEOPLE_SIZE, capacity) at stride 144 */
    if (ftruncate(fd, length) != 0) {
        cf_die("ring %s: cannot set the length to %lld: %s", path, (long long)length, strerror(errno));
    }
    int rc = posix_fallocate(fd, 0, length);
    if (rc != 0) {
        cf_die("ring %s: cannot allocate %lld bytes (file system full?): %s", path, (long long)length, strerror(rc));
    }
    char *base = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        cf_die("ring %s: mmap failed: %s", path, strerror(errno));
    }
    int32_t version = MMR_VERSION, record_size = PEOPLE_SIZE, stride = cf_stride, seq = PEOPLE_SEQUENCE_OFFSET;
    int64_t data_offset = MMR_DATA_OFFSET;
    memcpy(base + MMR_VERSION_OFFSET, &version, 4);
    memcpy(base + MMR_RECORD_SIZE_OFFSET, &record_size, 4);
    memcpy(base + MMR_STRIDE_OFFSET, &stride, 4);
    memcpy(base + MMR_SEQUENCE_OFFSET_OFFSET, &seq, 4);
    memcpy(base + MMR_CAPACITY_OFFSET, &capacity, 8);
    memcpy(base + MMR_DATA_OFFSET_OFFSET, &data_offset, 8);
    /* release, last: an opener that acquires the magic sees every field above */
    mmr_store_release(base, MMR_MAGIC_OFFSET, MMR_MAGIC);
    munmap(base, (size_t)length);
    close(fd);
}

/*
 * The header check of an experimental wide-stride ring (cf_stride != 144): mmr_check_header's checks with
 * the stride and the file length of cf_stride. Fills `r` like mmr_check_header; 0 if the header is sound.
 */
static inline int cf_check_wide_header(struct mmr_ring *r, char *base, int64_t file_length, char *err, size_t errlen)
{
    if (mmr_load_acquire(base, MMR_MAGIC_OFFSET) != MMR_MAGIC) { /* acquire: pairs with the creator's release */
        snprintf(err, errlen, "magic is not MMAPRING: not a ring file");
        return -1;
    }
    const int32_t record_size = mmr_get_i32(base, MMR_RECORD_SIZE_OFFSET);
    const int32_t stride = mmr_get_i32(base, MMR_STRIDE_OFFSET);
    const int32_t sequence_offset = mmr_get_i32(base, MMR_SEQUENCE_OFFSET_OFFSET);
    const int64_t capacity = mmr_get_i64(base, MMR_CAPACITY_OFFSET);
    if (mmr_get_i32(base, MMR_VERSION_OFFSET) != MMR_VERSION || record_size != PEOPLE_SIZE || stride != cf_stride
        || sequence_offset != PEOPLE_SEQUENCE_OFFSET || capacity < 1 || (capacity & (capacity - 1)) != 0
        || capacity > MMR_MAX_CAPACITY || mmr_get_i64(base, MMR_DATA_OFFSET_OFFSET) != MMR_DATA_OFFSET
        || file_length != MMR_DATA_OFFSET + capacity * stride) {
        snprintf(err, errlen, "not a People ring of stride %d (record size %d, stride %d, sequence offset %d, capacity %lld, "
                 "length %lld)", cf_stride, record_size, stride, sequence_offset, (long long)capacity, (long long)file_length);
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

/*
 * Opens a ring file, maps it, checks its header (mmr_check_header) and that it holds People, and takes
 * the role whose lock byte is `role_offset` (MMR_PRODUCER_LOCK_OFFSET or MMR_CONSUMER_LOCK_OFFSET).
 * The descriptor stays open for the life of the process, as the role needs.
 */
static inline void cf_open_ring(struct mmr_ring *ring, const char *path, off_t role_offset)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        cf_die("ring %s: cannot open: %s", path, strerror(errno));
    }
    char role_err[256];
    if (mmr_take_role(fd, role_offset, role_offset == MMR_PRODUCER_LOCK_OFFSET ? "producer" : "consumer", role_err,
                      sizeof role_err) != 0) {
        cf_die("ring %s: %s", path, role_err);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        cf_die("ring %s: fstat failed: %s", path, strerror(errno));
    }
    if (st.st_size < MMR_DATA_OFFSET || st.st_size > MMR_MAX_FILE_LENGTH) {
        cf_die("ring %s: file length %lld is not that of a ring", path, (long long)st.st_size);
    }
    char *base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        cf_die("ring %s: mmap failed: %s", path, strerror(errno));
    }
    char err[256];
    if ((cf_stride == PEOPLE_STRIDE ? mmr_check_header(ring, base, st.st_size, err, sizeof err)
                                    : cf_check_wide_header(ring, base, st.st_size, err, sizeof err)) != 0) {
        cf_die("ring %s: %s", path, err);
    }
    if (ring->record_size != PEOPLE_SIZE) {
        cf_die("ring %s: record size %d does not match People (%d)", path, ring->record_size, PEOPLE_SIZE);
    }
}

/* The producer's true position (tail moved over the published slots after it), from a consistent snapshot. */
static inline int64_t cf_producer_position(const struct mmr_ring *ring, const char *path)
{
    struct mmr_positions positions;
    char err[256];
    if (mmr_snapshot(ring, &positions, err, sizeof err) != 0) {
        cf_die("ring %s: %s", path, err);
    }
    return positions.position;
}

/* Waits for a child, at most `seconds`; kills it after that. Returns its exit status (0 = success), or -1. */
static inline int cf_wait_child(pid_t child, double seconds)
{
    double deadline = cf_now() + seconds;
    int status;
    for (;;) {
        pid_t r = waitpid(child, &status, WNOHANG);
        if (r == child) {
            if (WIFEXITED(status)) {
                return WEXITSTATUS(status);
            }
            fprintf(stderr, "%s: child %ld ended by signal %d\n", cf_program, (long)child,
                    WIFSIGNALED(status) ? WTERMSIG(status) : -1);
            return -1;
        }
        if (r < 0) {
            fprintf(stderr, "%s: waitpid failed: %s\n", cf_program, strerror(errno));
            return -1;
        }
        if (cf_now() > deadline) {
            fprintf(stderr, "%s: child %ld still running after %.0f s, killing it\n", cf_program, (long)child, seconds);
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            return -1;
        }
        usleep(1000);
    }
}

/* A page shared by parent and child (MAP_SHARED | MAP_ANONYMOUS, inherited over fork) for control flags and results. */
static inline void *cf_shared_page(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        cf_die("cannot map a shared control page: %s", strerror(errno));
    }
    return p;
}

#endif
