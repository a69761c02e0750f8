/*
 * people_writer: publishes People named "<prefix>-<id>" into a ring file, as `people-ring write` does.
 * Creates the ring (open O_EXCL + ftruncate + posix_fallocate, header, magic release-stored last) or
 * opens an existing one and validates it; takes the producer role (fcntl lock on byte 128); uses the
 * Java library's publication protocol: record bytes, then release of the slot's sequence word
 * (position + 1), then one release of tail per batch.
 *
 * usage: people_writer [-n count] [-c capacity] [-p prefix] [-f first_id] [-w wait_seconds] [-r] RING
 */
#define _GNU_SOURCE
#include "mmapring.h"

#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#define BATCH 64

static const char *ring_path;

static void die(const char *fmt, const char *detail)
{
    fprintf(stderr, "people_writer: ring %s: ", ring_path);
    fprintf(stderr, fmt, detail);
    fputc('\n', stderr);
    exit(1);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long long parse_number(const char *option, const char *text, long long min, long long max)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "people_writer: %s %s is not a number in [%lld, %lld]\n", option, text, min, max);
        exit(2);
    }
    return v;
}

/* Creates a zero-filled ring of People and writes its header, magic last. Returns the fd, or -1 if it exists. */
static int create_ring(int64_t capacity, int replace)
{
    if (replace && unlink(ring_path) != 0 && errno != ENOENT) {
        die("cannot delete the old file: %s", strerror(errno));
    }
    int fd = open(ring_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            return -1;
        }
        die("cannot create: %s", strerror(errno));
    }
    int64_t length = mmr_file_length(PEOPLE_SIZE, capacity);
    /* ftruncate zero-fills; posix_fallocate reserves the pages now, so a full /dev/shm fails here, not with SIGBUS later */
    if (ftruncate(fd, length) != 0) {
        unlink(ring_path);
        die("cannot set the length: %s", strerror(errno));
    }
    int rc = posix_fallocate(fd, 0, length);
    if (rc != 0) {
        unlink(ring_path);
        die("cannot allocate the file (file system full?): %s", strerror(rc));
    }
    char *base = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        unlink(ring_path);
        die("mmap failed: %s", strerror(errno));
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
    return fd;
}

/* Opens an existing ring, waiting (bounded) while its creator is still writing the header. */
static int open_ring(double wait_seconds)
{
    double deadline = now_seconds() + wait_seconds;
    for (;;) {
        int fd = open(ring_path, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            die("cannot open: %s", strerror(errno));
        }
        struct stat st;
        int64_t magic = 0;
        if (fstat(fd, &st) == 0 && st.st_size >= MMR_DATA_OFFSET && pread(fd, &magic, 8, 0) == 8 && magic != 0) {
            return fd;
        }
        close(fd);
        if (now_seconds() > deadline) {
            die("%s", magic == 0 ? "header not initialised (magic is 0) after the wait" : "file shorter than the header");
        }
        usleep(1000);
    }
}

int main(int argc, char **argv)
{
    long long count = 1000000, first_id = 0;
    int have_first = 0;
    int64_t capacity = 4096;
    double wait_seconds = 30;
    const char *prefix = "person";
    int replace = 0, opt;
    while ((opt = getopt(argc, argv, "n:c:p:f:w:r")) != -1) {
        switch (opt) {
        case 'n': count = parse_number("-n", optarg, 0, INT64_MAX); break;
        case 'c': capacity = parse_number("-c", optarg, 1, MMR_MAX_CAPACITY); break;
        case 'p': prefix = optarg; break;
        case 'f': first_id = parse_number("-f", optarg, INT32_MIN, INT32_MAX); have_first = 1; break;
        case 'w': wait_seconds = (double)parse_number("-w", optarg, 1, 3600); break;
        case 'r': replace = 1; break;
        default:
            fprintf(stderr, "usage: people_writer [-n count] [-c capacity] [-p prefix] [-f first_id] [-w wait_seconds] [-r] RING\n");
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: people_writer [-n count] [-c capacity] [-p prefix] [-f first_id] [-w wait_seconds] [-r] RING\n");
        return 2;
    }
    ring_path = argv[optind];
    if ((capacity & (capacity - 1)) != 0) {
        fprintf(stderr, "people_writer: -c %lld is not a power of two\n", (long long)capacity);
        return 2;
    }
    if (strlen(prefix) > PEOPLE_MAX_NAME_BYTES - 12) {
        fprintf(stderr, "people_writer: -p prefix of %zu bytes exceeds %d (name is char[128]: prefix, '-', id, NUL)\n",
                strlen(prefix), PEOPLE_MAX_NAME_BYTES - 12);
        return 2;
    }

    int fd = create_ring(capacity, replace);
    if (fd < 0) {
        fd = open_ring(wait_seconds);
    }
    if (mmr_lock_role(fd, MMR_PRODUCER_LOCK_OFFSET) != 0) {
        die("%s", (errno == EACCES || errno == EAGAIN) ? "the producer role is held by another process"
                                                       : strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        die("fstat failed: %s", strerror(errno));
    }
    if (st.st_size < MMR_DATA_OFFSET || st.st_size > MMR_MAX_FILE_LENGTH) {
        die("%s", "file length is not that of a ring");
    }
    char *base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        die("mmap failed: %s", strerror(errno));
    }
    struct mmr_ring ring;
    char err[256];
    if (mmr_check_header(&ring, base, st.st_size, err, sizeof err) != 0) {
        die("%s", err);
    }
    if (ring.record_size != PEOPLE_SIZE) {
        die("%s", "record size does not match People (132)");
    }

    int64_t head = mmr_load_acquire(base, MMR_HEAD_OFFSET);
    int64_t position = mmr_producer_position(&ring);
    if (head < 0 || head > position || position - head > ring.capacity) {
        die("%s", "producer position is outside [head, head + capacity]: corrupted file");
    }
    if (mmr_load_acquire(base, MMR_TAIL_OFFSET) != position) {
        mmr_store_release(base, MMR_TAIL_OFFSET, position); /* repair the tail a crashed producer left behind */
    }
    /* ids wrap as int32 (unsigned arithmetic: no signed overflow); by default they continue the ring's positions */
    uint32_t id = have_first ? (uint32_t)first_id : (uint32_t)position;
    const uint32_t first = id;

    double start = now_seconds();
    int64_t cached_head = head;
    long long written = 0;
    while (written < count) {
        long long want = count - written < BATCH ? count - written : BATCH;
        int64_t free_slots = ring.capacity - (position - cached_head);
        if (free_slots < want) {
            /* acquire: pairs with the consumer's release of head; it has finished reading every slot below it */
            cached_head = mmr_load_acquire(base, MMR_HEAD_OFFSET);
            free_slots = ring.capacity - (position - cached_head);
            if (free_slots == 0) {
                double full_since = now_seconds();
                unsigned spins = 0;
                while ((free_slots = ring.capacity - (position - (cached_head = mmr_load_acquire(base, MMR_HEAD_OFFSET)))) == 0) {
                    sched_yield();
                    if ((++spins & 1023) == 0 && now_seconds() - full_since > wait_seconds) {
                        fprintf(stderr, "people_writer: ring %s: full for %.0f s, no consumer made room (published %lld of %lld)\n",
                                ring_path, wait_seconds, written, count);
                        return 1;
                    }
                }
            }
        }
        int64_t n = want < free_slots ? want : free_slots;
        for (int64_t i = 0; i < n; i++) {
            struct people *p = (struct people *)(base + mmr_slot(&ring, position + i));
            memset(p->name, 0, sizeof p->name);
            int32_t record_id = (int32_t)(id + (uint32_t)i);
            snprintf(p->name, sizeof p->name, "%s-%" PRId32, prefix, record_id);
            memcpy((char *)p + PEOPLE_ID_OFFSET, &record_id, 4);
        }
        for (int64_t i = 0; i < n; i++) {
            /* release: the record bytes above are visible to whoever acquires this word (the consumer) */
            mmr_store_release(base, mmr_sequence_word(&ring, position + i), position + i + 1);
        }
        position += n;
        /* release: for restart and inspection; nobody spins on tail */
        mmr_store_release(base, MMR_TAIL_OFFSET, position);
        id += (uint32_t)n;
        written += n;
    }
    double seconds = now_seconds() - start;
    printf("people_writer: wrote %lld People (ids %" PRId32 "..%" PRId32 ") to %s in %.3f s: %.2f M msgs/s\n",
           written, (int32_t)first, (int32_t)(first + (uint32_t)written - 1u), ring_path, seconds,
           seconds > 0 ? written / seconds / 1e6 : 0.0);
    munmap(base, (size_t)st.st_size);
    close(fd); /* drops the producer role */
    return 0;
}
