/*
 * pingpong: the C floor of the cross-process round trip on the ring format (docs/FORMAT.md, version 1).
 *
 * Two ring files in /dev/shm, "ping" and "pong". This process is the producer of ping and the consumer
 * of pong; a forked echo process opens both files by path and takes the other two roles. One People
 * goes each way per round trip: the pinger writes the record (name field and id, plain stores),
 * release-stores the slot's sequence word and tail, then spins (acquire) on the sequence word of the
 * next pong slot, checks the id and release-stores pong's head. The echo spins on the next ping slot's
 * word, reads the id, sends a record with that id on pong the same way, then release-stores ping's head.
 * Both busy-spin. The same work as the Java benchmark RoundTrip.ring.
 *
 * Each round trip is timed with CLOCK_MONOTONIC (what Java's System.nanoTime reads); after `-w` warm-up
 * round trips, `-n` are recorded, sorted, and printed:
 *   pingpong round_trips=N p50=.. p90=.. p99=.. p999=.. max=.. mean=.. (nanoseconds)
 * Exit status 0 only if every echo carried the id sent.
 *
 * usage: pingpong [-w warmup_round_trips] [-n round_trips] [-c capacity] [-s stride]
 */
#define _GNU_SOURCE
#include "cfloor.h"

#define STALL_SECONDS 10.0

struct control {
    _Atomic int stop;
    int64_t errors;
    char first_error[160];
};

/* Writes one People with `id` into the next slot of `ring` and publishes it: word, then tail. */
static inline void send_one(const struct mmr_ring *ring, int64_t position, int32_t id)
{
    char *slot = ring->base + mmr_slot(ring, position);
    memcpy(slot + PEOPLE_NAME_OFFSET, cf_name_field, PEOPLE_NAME_LENGTH);
    memcpy(slot + PEOPLE_ID_OFFSET, &id, sizeof id);
    /* release: the record above is visible to whoever acquires this word */
    mmr_store_release(ring->base, mmr_sequence_word(ring, position), position + 1);
    /* release: for restart and inspection; nobody spins on tail */
    mmr_store_release(ring->base, MMR_TAIL_OFFSET, position + 1);
}

/* Whether the slot of `position` holds its published record; a word ahead of it is corruption (exit). */
static inline int published(const struct mmr_ring *ring, int64_t position)
{
    /* acquire: pairs with the producer's release of this word; the record below it is complete */
    const int64_t sequence = mmr_load_acquire(ring->base, mmr_sequence_word(ring, position));
    if (sequence > position + 1) {
        cf_die("sequence word %lld of position %lld is ahead of it", (long long)sequence, (long long)position);
    }
    return sequence == position + 1;
}

static int echo(const char *ping_path, const char *pong_path, struct control *control)
{
    struct mmr_ring in, out;
    cf_open_ring(&in, ping_path, MMR_CONSUMER_LOCK_OFFSET);
    cf_open_ring(&out, pong_path, MMR_PRODUCER_LOCK_OFFSET);
    int64_t head = mmr_load_acquire(in.base, MMR_HEAD_OFFSET);
    int64_t position = cf_producer_position(&out, pong_path);
    int64_t cached_head = mmr_load_acquire(out.base, MMR_HEAD_OFFSET);
    const pid_t parent = getppid();
    for (;;) {
        unsigned spins = 0;
        while (!published(&in, head)) {
            if ((++spins & 0xFFFF) == 0 && (atomic_load_explicit(&control->stop, memory_order_acquire) || getppid() != parent)) {
                return 0;
            }
        }
        int32_t id;
        memcpy(&id, in.base + mmr_slot(&in, head) + PEOPLE_ID_OFFSET, sizeof id);
        while (position - cached_head == out.capacity) {
            /* acquire: pairs with the pinger's release of pong's head */
            cached_head = mmr_load_acquire(out.base, MMR_HEAD_OFFSET);
        }
#ifdef CFLOOR_BROKEN
        if (head == 100000) {
            id++; /* broken on purpose (build.sh --broken): the pinger must report it */
        }
#endif
        send_one(&out, position++, id);
        /* release: the read of this slot happens before the pinger may reuse it */
        mmr_store_release(in.base, MMR_HEAD_OFFSET, ++head);
    }
}

static int compare_i64(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank percentile q (0 < q <= 100) of n sorted samples. */
static int64_t percentile(const int64_t *sorted, int64_t n, double q)
{
    int64_t rank = (int64_t)(q / 100.0 * n + 0.999999999);
    if (rank < 1) {
        rank = 1;
    }
    return sorted[(rank > n ? n : rank) - 1];
}

int main(int argc, char **argv)
{
    cf_program = "pingpong";
    long long warmup = 200000, count = 1000000;
    int64_t capacity = 4096;
    int opt;
    while ((opt = getopt(argc, argv, "w:n:c:s:")) != -1) {
        switch (opt) {
        case 'w': warmup = cf_parse_long("-w", optarg, 0, 1000000000LL); break;
        case 'n': count = cf_parse_long("-n", optarg, 1, 100000000LL); break;
        case 'c': capacity = cf_parse_long("-c", optarg, 1, MMR_MAX_CAPACITY); break;
        case 's': cf_parse_stride(optarg); break;
        default:
            fprintf(stderr, "usage: pingpong [-w warmup_round_trips] [-n round_trips] [-c capacity] [-s stride]\n");
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "usage: pingpong [-w warmup_round_trips] [-n round_trips] [-c capacity] [-s stride]\n");
        return 2;
    }
    if ((capacity & (capacity - 1)) != 0) {
        fprintf(stderr, "pingpong: option -c: capacity %lld is not a power of two\n", (long long)capacity);
        return 2;
    }
    int64_t *samples = malloc((size_t)count * sizeof *samples);
    if (samples == NULL) {
        cf_die("cannot allocate %lld samples", count);
    }
    memset(samples, 0, (size_t)count * sizeof *samples); /* touch the pages before timing */
    cf_cleanup_at_exit();
    char ping_path[256], pong_path[256];
    cf_create_ring(ping_path, sizeof ping_path, "ping", capacity);
    cf_create_ring(pong_path, sizeof pong_path, "pong", capacity);
    struct control *control = cf_shared_page(sizeof *control);

    fflush(NULL);
    pid_t child = fork();
    if (child < 0) {
        cf_die("fork failed: %s", strerror(errno));
    }
    if (child == 0) {
        memset(cf_created, 0, sizeof cf_created); /* the parent deletes the files */
        _exit(echo(ping_path, pong_path, control));
    }

    struct mmr_ring out, in;
    cf_open_ring(&out, ping_path, MMR_PRODUCER_LOCK_OFFSET);
    cf_open_ring(&in, pong_path, MMR_CONSUMER_LOCK_OFFSET);
    int64_t position = cf_producer_position(&out, ping_path);
    int64_t cached_head = mmr_load_acquire(out.base, MMR_HEAD_OFFSET);
    int64_t head = mmr_load_acquire(in.base, MMR_HEAD_OFFSET);
    int failed = 0;
    const long long total = warmup + count;
    for (long long i = 0; i < total && !failed; i++) {
        const int32_t id = (int32_t)(uint32_t)i;
        const int64_t t0 = cf_nanos();
        while (position - cached_head == out.capacity) {
            /* acquire: pairs with the echo's release of ping's head */
            cached_head = mmr_load_acquire(out.base, MMR_HEAD_OFFSET);
        }
        send_one(&out, position++, id);
        unsigned spins = 0;
        double waiting_since = 0;
        while (!published(&in, head)) {
            if ((++spins & 0xFFFF) == 0) {
                const double now = cf_now();
                if (waiting_since == 0) {
                    waiting_since = now;
                } else if (now - waiting_since > STALL_SECONDS) {
                    fprintf(stderr, "pingpong: no echo of id %d for %.0f s\n", id, STALL_SECONDS);
                    failed = 1;
                    break;
                }
                if (waitpid(child, NULL, WNOHANG) == child) {
                    fprintf(stderr, "pingpong: echo process exited early\n");
                    child = -1;
                    failed = 1;
                    break;
                }
            }
        }
        if (failed) {
            break;
        }
        int32_t echoed;
        memcpy(&echoed, in.base + mmr_slot(&in, head) + PEOPLE_ID_OFFSET, sizeof echoed);
        /* release: the read of this slot happens before the echo may reuse it */
        mmr_store_release(in.base, MMR_HEAD_OFFSET, ++head);
        const int64_t t1 = cf_nanos();
        if (echoed != id && control->errors++ == 0) {
            snprintf(control->first_error, sizeof control->first_error, "sent id %d, echo carried %d", id, echoed);
        }
        if (i >= warmup) {
            samples[i - warmup] = t1 - t0;
        }
    }
    atomic_store_explicit(&control->stop, 1, memory_order_release);
    const int status = child < 0 ? -1 : cf_wait_child(child, 30);
    if (failed || status != 0 || control->errors != 0) {
        fprintf(stderr, "pingpong: failed (echo exit %d, %lld errors%s%s)\n", status, (long long)control->errors,
                control->first_error[0] ? ": first: " : "", control->first_error);
        return 1;
    }
    qsort(samples, (size_t)count, sizeof *samples, compare_i64);
    double sum = 0;
    for (long long i = 0; i < count; i++) {
        sum += (double)samples[i];
    }
    printf("pingpong stride=%d round_trips=%lld p50=%lld p90=%lld p99=%lld p999=%lld max=%lld mean=%.1f\n", cf_stride, count,
           (long long)percentile(samples, count, 50), (long long)percentile(samples, count, 90),
           (long long)percentile(samples, count, 99), (long long)percentile(samples, count, 99.9),
           (long long)samples[count - 1], sum / count);
    free(samples);
    return 0;
}
