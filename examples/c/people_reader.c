/*
 * people_reader: consumes People from a ring file and checks them, as `people-ring read` does.
 * Waits (bounded) for the file, its header and a producer; validates the header; takes the consumer
 * role (fcntl lock on byte 256); reads slot p when acquire(sequence word) == p + 1, and releases head
 * once per batch. Stops after -n People, or when the producer is gone and the ring is drained.
 * Checks that ids are consecutive and that each name is "<prefix>-<id>"; exit status 1 if not.
 *
 * usage: people_reader [-n count] [-q] [-p prefix] [-f first_id] [-w wait_seconds] [-t timeout_seconds] RING
 */
#define _GNU_SOURCE
#include "mmapring.h"

#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#define BATCH 256

static const char *ring_path;

static void die(const char *fmt, const char *detail)
{
    fprintf(stderr, "people_reader: ring %s: ", ring_path);
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
        fprintf(stderr, "people_reader: %s %s is not a number in [%lld, %lld]\n", option, text, min, max);
        exit(2);
    }
    return v;
}

/* Opens the ring once it exists and its creator has stored the magic; bounded by the deadline. */
static int open_ring(double deadline)
{
    for (;;) {
        int fd = open(ring_path, O_RDWR | O_CLOEXEC);
        int64_t magic = 0;
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size >= MMR_DATA_OFFSET && pread(fd, &magic, 8, 0) == 8 && magic != 0) {
            return fd;
        }
        int missing = fd < 0 && errno == ENOENT;
        if (fd < 0 && !missing) {
            die("cannot open: %s", strerror(errno));
        }
        if (fd >= 0) {
            close(fd);
        }
        if (now_seconds() > deadline) {
            die("%s", missing ? "no such file after the wait (start a writer)" : "header not initialised after the wait");
        }
        usleep(10000);
    }
}

int main(int argc, char **argv)
{
    long long count = 0, first_id = 0;
    int have_first = 0, quiet = 0, opt;
    double wait_seconds = 10, timeout_seconds = 0;
    const char *prefix = "person";
    while ((opt = getopt(argc, argv, "n:qp:f:w:t:")) != -1) {
        switch (opt) {
        case 'n': count = parse_number("-n", optarg, 0, INT64_MAX); break;
        case 'q': quiet = 1; break;
        case 'p': prefix = optarg; break;
        case 'f': first_id = parse_number("-f", optarg, INT32_MIN, INT32_MAX); have_first = 1; break;
        case 'w': wait_seconds = (double)parse_number("-w", optarg, 0, 3600); break;
        case 't': timeout_seconds = (double)parse_number("-t", optarg, 0, 86400); break;
        default:
            fprintf(stderr, "usage: people_reader [-n count] [-q] [-p prefix] [-f first_id] [-w wait_seconds] [-t timeout_seconds] RING\n");
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: people_reader [-n count] [-q] [-p prefix] [-f first_id] [-w wait_seconds] [-t timeout_seconds] RING\n");
        return 2;
    }
    ring_path = argv[optind];
    if (strlen(prefix) > PEOPLE_MAX_NAME_BYTES - 12) {
        fprintf(stderr, "people_reader: -p prefix of %zu bytes is too long\n", strlen(prefix));
        return 2;
    }

    double begin = now_seconds();
    double deadline = begin + wait_seconds;
    int fd = open_ring(deadline);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        die("fstat failed: %s", strerror(errno));
    }
    if (st.st_size > MMR_MAX_FILE_LENGTH) {
        die("%s", "file is longer than any ring");
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
    if (mmr_lock_role(fd, MMR_CONSUMER_LOCK_OFFSET) != 0) {
        die("%s", (errno == EACCES || errno == EAGAIN) ? "the consumer role is held by another process"
                                                       : strerror(errno));
    }
    int64_t position = mmr_load_acquire(base, MMR_HEAD_OFFSET);
    int64_t producer = mmr_producer_position(&ring);
    if (position < 0 || position > producer || producer - position > ring.capacity) {
        die("%s", "head and producer position break the ring's invariants: corrupted file");
    }
    while (mmr_role_held(fd, MMR_PRODUCER_LOCK_OFFSET) == 0 && mmr_producer_position(&ring) == position) {
        if (now_seconds() > deadline) {
            die("%s", "no producer appeared within the wait and the ring is empty");
        }
        usleep(1000);
    }

    uint32_t expected = have_first ? (uint32_t)first_id : (uint32_t)position;
    long long received = 0, lost = 0, behind = 0, bad_names = 0;
    char want[PEOPLE_NAME_LENGTH + 16];
    double start = now_seconds();
    double end = timeout_seconds > 0 ? begin + timeout_seconds : 0;
    double next_liveness = start;
    int timed_out = 0;
    for (;;) {
        int64_t n = 0;
        long long limit = count > 0 && count - received < BATCH ? count - received : BATCH;
        while (n < limit) {
            int64_t p = position + n;
            /* acquire: pairs with the producer's release of this word; the record below it is complete */
            int64_t sequence = mmr_load_acquire(base, mmr_sequence_word(&ring, p));
            if (sequence != p + 1) {
                if (sequence > p + 1) {
                    die("%s", "a sequence word is ahead of its position: corrupted file, or an overrun");
                }
                break;
            }
            const char *record = base + mmr_slot(&ring, p);
            int32_t id;
            memcpy(&id, record + PEOPLE_ID_OFFSET, 4);
            size_t name_length = strnlen(record + PEOPLE_NAME_OFFSET, PEOPLE_NAME_LENGTH);
            int32_t diff = (int32_t)((uint32_t)id - expected);
            if (diff > 0) {
                lost += diff;
            } else if (diff < 0) {
                behind++;
            }
            if (diff >= 0) {
                expected = (uint32_t)id + 1u;
            }
            int want_length = snprintf(want, sizeof want, "%s-%" PRId32, prefix, id);
            if ((size_t)want_length != name_length || memcmp(want, record, name_length) != 0) {
                if (bad_names++ < 5) {
                    fprintf(stderr, "people_reader: bad name: id %" PRId32 " has name \"%.*s\"\n", id, (int)name_length, record);
                }
            }
            if (!quiet) {
                printf("id=%" PRId32 " name=%.*s\n", id, (int)name_length, record);
            }
            n++;
        }
        if (n > 0) {
            position += n;
            received += n;
            /* release: every read of the slots below position happens before the producer may reuse them */
            mmr_store_release(base, MMR_HEAD_OFFSET, position);
            if (count > 0 && received >= count) {
                break;
            }
            continue;
        }
        double now = now_seconds();
        if (now >= next_liveness) {
            next_liveness = now + 0.001;
            int held = mmr_role_held(fd, MMR_PRODUCER_LOCK_OFFSET);
            if (held < 0) {
                die("cannot probe the producer lock: %s", strerror(errno));
            }
            if (!held) {
                /* the producer is gone: read what it published before it left, then stop */
                if (mmr_load_acquire(base, mmr_sequence_word(&ring, position)) != position + 1) {
                    break;
                }
                continue;
            }
            if (end > 0 && now > end) {
                timed_out = 1;
                break;
            }
        }
        sched_yield();
    }
    double seconds = now_seconds() - start;
    long long missing = count > 0 ? count - received : 0;
    int ok = lost == 0 && behind == 0 && bad_names == 0 && missing == 0 && !timed_out;
    printf("people_reader: read %lld People from %s in %.3f s (%.2f M msgs/s): lost %lld, out of order or duplicate %lld,"
           " bad names %lld, missing %lld%s: %s\n",
           received, ring_path, seconds, seconds > 0 ? received / seconds / 1e6 : 0.0, lost, behind, bad_names, missing,
           timed_out ? ", timed out" : "", ok ? "OK" : "FAILED");
    munmap(base, (size_t)st.st_size);
    close(fd);
    return ok ? 0 : 1;
}
