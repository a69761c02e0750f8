/*
 * people_writer: publishes People named "<prefix>-<id>" into a ring file, as `people-ring write` does.
 * Creates the ring atomically (mmr_create: a temporary file made whole, then linked into place, so the
 * path is never half-made) or opens an existing one and validates it; takes the producer role (fcntl
 * lock on byte 128, telling a liveness probe from a holder); checks the positions with a snapshot and
 * every slot of [head, producer position); then uses the Java library's publication protocol: record
 * bytes, then release of the slot's sequence word (position + 1), then one release of tail per batch.
 *
 * usage: people_writer [-n count] [-c capacity] [-p prefix] [-f first_id] [-w wait_seconds] [-r] RING
 */
#include "mmapring.h"

#include <inttypes.h>
#include <stdarg.h>

#define BATCH 64
#define USAGE "usage: people_writer [-n count] [-c capacity] [-p prefix] [-f first_id] [-w wait_seconds] [-r] RING\n"

static const char *ring_path;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "people_writer: ring %s: ", ring_path);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    exit(1);
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

/*
 * The consumer's head, refreshed (acquire: pairs with the consumer's release of head; it has finished
 * reading every slot below it). A head outside [cached_head, position] went back or past the producer:
 * a corrupted file or a second consumer. Following it would republish old positions: stop instead.
 */
static int64_t refresh_head(const struct mmr_ring *ring, int64_t cached_head, int64_t position)
{
    int64_t head = mmr_load_acquire(ring->base, MMR_HEAD_OFFSET);
    if (head < cached_head || head > position) {
        die("head %lld moved outside [%lld, %lld] (corrupted file, or a second consumer)",
            (long long)head, (long long)cached_head, (long long)position);
    }
    return head;
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
            fprintf(stderr, USAGE);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, USAGE);
        return 2;
    }
    ring_path = argv[optind];
    if ((capacity & (capacity - 1)) != 0) {
        fprintf(stderr, "people_writer: -c %lld is not a power of two\n", (long long)capacity);
        return 2;
    }
    /* before anything is created: one mapping of at most 2^31 - 1 bytes (Java's MappedByteBuffer) */
    if (mmr_file_length(PEOPLE_SIZE, capacity) > MMR_MAX_FILE_LENGTH) {
        int64_t largest = 1;
        while (mmr_file_length(PEOPLE_SIZE, largest * 2) <= MMR_MAX_FILE_LENGTH) {
            largest *= 2;
        }
        fprintf(stderr, "people_writer: -c %lld makes a ring of %d + %lld x %d = %lld bytes, more than the format's"
                " limit of %lld bytes (at most -c %lld for People)\n", (long long)capacity, MMR_DATA_OFFSET,
                (long long)capacity, PEOPLE_STRIDE, (long long)mmr_file_length(PEOPLE_SIZE, capacity),
                (long long)MMR_MAX_FILE_LENGTH, (long long)largest);
        return 2;
    }
    if (strlen(prefix) > PEOPLE_MAX_NAME_BYTES - 12) {
        fprintf(stderr, "people_writer: -p prefix of %zu bytes exceeds %d (name is char[128]: prefix, '-', id, NUL)\n",
                strlen(prefix), PEOPLE_MAX_NAME_BYTES - 12);
        return 2;
    }

    char err[512];
    int fd = MMR_EXISTS;
    if (replace || access(ring_path, F_OK) != 0) {
        fd = mmr_create(ring_path, PEOPLE_SIZE, capacity, 0600, replace, err, sizeof err);
        if (fd == -1) {
            die("%s", err);
        }
    }
    if (fd == MMR_EXISTS) { /* it exists (another process may have created it first): open theirs */
        fd = open(ring_path, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            die("cannot open: %s", strerror(errno));
        }
    }
    struct mmr_ring ring;
    if (mmr_map_ring(fd, &ring, wait_seconds, err, sizeof err) != 0) {
        die("%s", err);
    }
    if (ring.record_size != PEOPLE_SIZE) {
        die("record size %d does not match People (%d)", ring.record_size, PEOPLE_SIZE);
    }
    char *base = ring.base;
    if (mmr_take_role(fd, MMR_PRODUCER_LOCK_OFFSET, "producer", err, sizeof err) != 0) {
        die("%s", err);
    }
    /* the role is ours: tail and the slots past it no longer move; head still may (the consumer) */
    struct mmr_positions start;
    if (mmr_snapshot(&ring, &start, err, sizeof err) != 0 || mmr_check_slots(&ring, start.head, start.position, err, sizeof err) != 0) {
        die("%s", err);
    }
    int64_t position = start.position;
    if (mmr_load_acquire(base, MMR_TAIL_OFFSET) != position) {
        /* release: repair the tail a crashed producer left behind; an inspector that acquires it sees the slots */
        mmr_store_release(base, MMR_TAIL_OFFSET, position);
    }
    /* ids wrap as int32 (unsigned arithmetic: no signed overflow); by default they continue the ring's positions */
    uint32_t id = have_first ? (uint32_t)first_id : (uint32_t)position;
    const uint32_t first = id;

    double began = mmr_now();
    int64_t cached_head = start.head;
    long long written = 0;
    while (written < count) {
        long long want = count - written < BATCH ? count - written : BATCH;
        if (position >= MMR_MAX_POSITION) {
            die("producer position %lld reached the format's bound 2^62 (%lld): no more People can be published"
                " (published %lld of %lld); create the ring again (-r)", (long long)position,
                (long long)MMR_MAX_POSITION, written, count);
        }
        if (want > MMR_MAX_POSITION - position) {
            want = MMR_MAX_POSITION - position; /* up to the bound; the next batch stops there */
        }
        int64_t free_slots = ring.capacity - (position - cached_head);
        if (free_slots < want) {
            cached_head = refresh_head(&ring, cached_head, position);
            free_slots = ring.capacity - (position - cached_head);
            if (free_slots == 0) {
                double full_since = mmr_now();
                unsigned spins = 0;
                while ((free_slots = ring.capacity - (position - (cached_head = refresh_head(&ring, cached_head, position)))) == 0) {
                    sched_yield();
                    if ((++spins & 1023) == 0 && mmr_now() - full_since > wait_seconds) {
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
    double seconds = mmr_now() - began;
    printf("people_writer: wrote %lld People (ids %" PRId32 "..%" PRId32 ") to %s in %.3f s: %.2f M msgs/s\n",
           written, (int32_t)first, (int32_t)(first + (uint32_t)written - 1u), ring_path, seconds,
           seconds > 0 ? written / seconds / 1e6 : 0.0);
    munmap(base, (size_t)ring.length);
    close(fd); /* drops the producer role */
    return 0;
}
