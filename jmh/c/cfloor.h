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
    int64_t length = mmr_file_length(PEOPLE_SIZE, capacity);
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
    int32_t version = MMR_VERSION, record_size = PEOPLE_SIZE, stride = PEOPLE_STRIDE, seq = PEOPLE_SEQUENCE_OFFSET;
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
    if (mmr_lock_role(fd, role_offset) != 0) {
        cf_die("ring %s: cannot take the %s role: %s", path,
               role_offset == MMR_PRODUCER_LOCK_OFFSET ? "producer" : "consumer",
               (errno == EACCES || errno == EAGAIN) ? "held by another process" : strerror(errno));
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
    if (mmr_check_header(ring, base, st.st_size, err, sizeof err) != 0) {
        cf_die("ring %s: %s", path, err);
    }
    if (ring->record_size != PEOPLE_SIZE) {
        cf_die("ring %s: record size %d does not match People (%d)", path, ring->record_size, PEOPLE_SIZE);
    }
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
