/*
 * stream: the C floor of cross-process throughput on the ring format (docs/FORMAT.md, version 1).
 *
 * A producer process (this one) and a consumer process (a fork that opens the same file by path and
 * takes the consumer role) stream People records with consecutive ids through one ring file in
 * /dev/shm. The producer caches head and re-reads it (acquire) only when the cache says the ring has
 * too little room; it writes the record with plain stores, release-stores each slot's sequence word
 * (position + 1) in order, then release-stores tail once per commit. The consumer acquires the
 * sequence word of the slot it is about to read, reads the id, checks that it is the next one, and
 * release-stores head once per batch of up to 256. Both sides busy-spin. The same work as the Java
 * benchmark CrossProcessThroughput.ringOffer / ringBatch (the name field is copied in, the consumer
 * reads the id only).
 *
 * Modes: offer (one record per commit) and batch (claims of up to 32: fill them, release the words in
 * order, then tail). Prints one line:
 *   stream mode=batch records=N seconds=S rate=R intervals=R1,R2,... received=N errors=0
 * where rate is records per second over the measured time (after the warm-up) and intervals the rates
 * of its `-i` equal parts (as JMH's measurement iterations). Exit status 0 only if the consumer received
 * every record sent, in order, with no error.
 *
 * usage: stream [-m offer|batch] [-w warmup_seconds] [-d seconds] [-i intervals] [-c capacity] [-s stride]
 */
#define _GNU_SOURCE
#include "cfloor.h"

#define BATCH 32
#define POLL_LIMIT 256
#define STALL_SECONDS 10.0
#define MAX_INTERVALS 1000

struct control {
    _Atomic int64_t total;      /* records the producer sent in all, once it stopped; -1 until then */
    _Atomic int consumer_ready;
    int64_t received;
    int64_t errors;
    char first_error[160];
};

/* The consumer: reads until it has every record the producer sent, checking each id. Runs in the child. */
static int consume(const char *path, struct control *control)
{
    struct mmr_ring ring;
    cf_open_ring(&ring, path, MMR_CONSUMER_LOCK_OFFSET);
    char *const base = ring.base;
    const int64_t mask = ring.mask;
    const int32_t stride = ring.stride;
    const int32_t sequence_offset = ring.sequence_offset;
    int64_t head = mmr_load_acquire(base, MMR_HEAD_OFFSET);
    uint32_t expected = (uint32_t)head;
    int64_t errors = 0;
    const pid_t parent = getppid();
    atomic_store_explicit(&control->consumer_ready, 1, memory_order_release);
    unsigned idle = 0;
    double stalled_since = 0;
    for (;;) {
        int n = 0;
        for (; n < POLL_LIMIT; n++) {
            const int64_t p = head + n;
            char *slot = base + MMR_DATA_OFFSET + (p & mask) * stride;
            /* acquire: pairs with the producer's release of this word; the record below it is complete */
            const int64_t sequence = atomic_load_explicit((_Atomic int64_t *)(slot + sequence_offset), memory_order_acquire);
            if (sequence != p + 1) {
                if (sequence > p + 1) {
                    snprintf(control->first_error, sizeof control->first_error,
                             "sequence word %lld of position %lld is ahead of it", (long long)sequence, (long long)p);
                    control->errors = ++errors;
                    control->received = head + n;
                    return 1;
                }
                break;
            }
            int32_t id;
            memcpy(&id, slot + PEOPLE_ID_OFFSET, sizeof id);
            if ((uint32_t)id != expected && errors++ == 0) {
                snprintf(control->first_error, sizeof control->first_error,
                         "expected id %u, got %d at position %lld", expected, id, (long long)p);
            }
            expected = (uint32_t)id + 1u;
        }
        if (n > 0) {
            head += n;
            /* release: every read of the slots below head happens before the producer may reuse them */
            mmr_store_release(base, MMR_HEAD_OFFSET, head);
            idle = 0;
            stalled_since = 0;
            continue;
        }
        if ((++idle & 0xFFFF) == 0) {
            const int64_t total = atomic_load_explicit(&control->total, memory_order_acquire);
            if (total >= 0 && head >= total) {
                break;
            }
            if (getppid() != parent) {
                snprintf(control->first_error, sizeof control->first_error, "producer process is gone");
                errors++;
                break;
            }
            const double now = cf_now();
            if (stalled_since == 0) {
                stalled_since = now;
            } else if (now - stalled_since > STALL_SECONDS) {
                snprintf(control->first_error, sizeof control->first_error,
                         "no record for %.0f s at position %lld", STALL_SECONDS, (long long)head);
                errors++;
                break;
            }
        }
    }
    control->received = head;
    control->errors = errors;
    return errors == 0 ? 0 : 1;
}

/* Publishes the claimed slots [position, position + n): each word in order, then tail. */
static inline void commit(char *base, const struct mmr_ring *ring, int64_t position, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        /* release: the record bytes written before are visible to whoever acquires this word */
        mmr_store_release(base, mmr_sequence_word(ring, position + i), position + i + 1);
    }
    /* release: for restart and inspection; nobody spins on tail */
    mmr_store_release(base, MMR_TAIL_OFFSET, position + n);
}

int main(int argc, char **argv)
{
    cf_program = "stream";
    int batch = 0;
    double warmup = 1, duration = 3;
    int intervals = 3;
    int64_t capacity = 4096;
    int opt;
    while ((opt = getopt(argc, argv, "m:w:d:i:c:s:")) != -1) {
        switch (opt) {
        case 'm':
            if (strcmp(optarg, "offer") == 0) {
                batch = 0;
            } else if (strcmp(optarg, "batch") == 0) {
                batch = 1;
            } else {
                fprintf(stderr, "stream: option -m: '%s' is neither offer nor batch\n", optarg);
                return 2;
            }
            break;
        case 'w': warmup = cf_parse_double("-w", optarg, 0, 600); break;
        case 'd': duration = cf_parse_double("-d", optarg, 0.01, 600); break;
        case 'i': intervals = (int)cf_parse_long("-i", optarg, 1, MAX_INTERVALS); break;
        case 'c': capacity = cf_parse_long("-c", optarg, BATCH, MMR_MAX_CAPACITY); break;
        case 's': cf_parse_stride(optarg); break;
        default:
            fprintf(stderr, "usage: stream [-m offer|batch] [-w warmup_seconds] [-d seconds] [-i intervals] [-c capacity] [-s stride]\n");
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "usage: stream [-m offer|batch] [-w warmup_seconds] [-d seconds] [-i intervals] [-c capacity] [-s stride]\n");
        return 2;
    }
    if ((capacity & (capacity - 1)) != 0) {
        fprintf(stderr, "stream: option -c: capacity %lld is not a power of two\n", (long long)capacity);
        return 2;
    }
    cf_cleanup_at_exit();
    char path[256];
    cf_create_ring(path, sizeof path, "stream", capacity);
    struct control *control = cf_shared_page(sizeof *control);
    atomic_store(&control->total, -1);

    fflush(NULL);
    pid_t child = fork();
    if (child < 0) {
        cf_die("fork failed: %s", strerror(errno));
    }
    if (child == 0) {
        memset(cf_created, 0, sizeof cf_created); /* the parent deletes the file */
        _exit(consume(path, control));
    }

    struct mmr_ring ring;
    cf_open_ring(&ring, path, MMR_PRODUCER_LOCK_OFFSET);
    char *const base = ring.base;
    const int64_t capacity_slots = ring.capacity;
    int64_t position = cf_producer_position(&ring, path);
    int64_t cached_head = mmr_load_acquire(base, MMR_HEAD_OFFSET);
    const int64_t want = batch ? BATCH : 1;
    uint32_t id = (uint32_t)position;

    /* boundary k of the measured time: its clock reading and the position reached at it */
    static double mark_time[MAX_INTERVALS + 1];
    static int64_t mark_position[MAX_INTERVALS + 1];
    const double start = cf_now();
    const double measure_from = start + warmup;
    int marks = 0; /* boundaries passed so far: 0 = still warming up */
    double full_since = 0;
    unsigned spins = 0, commits = 0;
    int failed = 0;
    for (;;) {
        int64_t free_slots = capacity_slots - (position - cached_head);
        if (free_slots < want) {
            /* acquire: pairs with the consumer's release of head; it has finished reading every slot below it */
            cached_head = mmr_load_acquire(base, MMR_HEAD_OFFSET);
            free_slots = capacity_slots - (position - cached_head);
            if (free_slots == 0) {
                if ((++spins & 0xFFFF) == 0) {
                    const double now = cf_now();
                    if (full_since == 0) {
                        full_since = now;
                    } else if (now - full_since > STALL_SECONDS) {
                        fprintf(stderr, "stream: ring %s full for %.0f s at position %lld: consumer stuck\n",
                                path, STALL_SECONDS, (long long)position);
                        failed = 1;
                        break;
                    }
                    if (waitpid(child, NULL, WNOHANG) == child) {
                        fprintf(stderr, "stream: consumer exited early: %s\n", control->first_error);
                        child = -1;
                        failed = 1;
                        break;
                    }
                }
                continue;
            }
        }
        full_since = 0;
        const int64_t n = want < free_slots ? want : free_slots;
        for (int64_t i = 0; i < n; i++) {
            char *slot = base + mmr_slot(&ring, position + i);
            memcpy(slot + PEOPLE_NAME_OFFSET, cf_name_field, PEOPLE_NAME_LENGTH);
            int32_t record_id = (int32_t)(id + (uint32_t)i);
#ifdef CFLOOR_BROKEN
            if (position + i == 100000) {
                record_id++; /* broken on purpose (build.sh --broken): the consumer must report it */
            }
#endif
            memcpy(slot + PEOPLE_ID_OFFSET, &record_id, sizeof record_id);
        }
        commit(base, &ring, position, n);
        position += n;
        id += (uint32_t)n;
        if ((++commits & (batch ? 0x3F : 0x3FF)) == 0) {
            const double now = cf_now();
            if (now >= measure_from + marks * (duration / intervals)) {
                mark_time[marks] = now;
                mark_position[marks] = position;
                if (++marks > intervals) {
                    break;
                }
            }
        }
    }
    /* release: the consumer acquires total and stops once it has read that many */
    atomic_store_explicit(&control->total, position, memory_order_release);
    int status = child < 0 ? -1 : cf_wait_child(child, 30);
    if (status != 0 || control->errors != 0 || control->received != position) {
        fprintf(stderr, "stream: consumer (exit %d) received %lld of %lld with %lld errors%s%s\n", status,
                (long long)control->received, (long long)position, (long long)control->errors,
                control->first_error[0] ? ": first: " : "", control->first_error);
        failed = 1;
    }
    if (failed) {
        return 1;
    }
    const double seconds = mark_time[intervals] - mark_time[0];
    const int64_t records = mark_position[intervals] - mark_position[0];
    printf("stream mode=%s stride=%d records=%lld seconds=%.3f rate=%.1f intervals=", batch ? "batch" : "offer", cf_stride,
           (long long)records, seconds, records / seconds);
    for (int k = 1; k <= intervals; k++) {
        printf("%s%.1f", k > 1 ? "," : "", (mark_position[k] - mark_position[k - 1]) / (mark_time[k] - mark_time[k - 1]));
    }
    printf(" received=%lld errors=%lld\n", (long long)control->received, (long long)control->errors);
    return 0;
}
