/*
 * datapath: the C floor of the ring's code path alone, without any cross-core traffic. One process,
 * one ring file in /dev/shm (format version 1), holding both roles: it produces 32 People (one commit
 * per record, or one commit for the 32), then consumes them (checking every id, one release of head),
 * and again, for the measured time. Every line stays in this core's cache, so the rate is what the
 * instructions of the protocol cost; the Java benchmark DataPath does the same work.
 *
 * Prints: datapath mode=offer records=N seconds=S rate=R intervals=R1,R2,... errors=0
 * Exit status 0 only if every id read was the one written.
 *
 * usage: datapath [-m offer|batch] [-w warmup_seconds] [-d seconds] [-i intervals] [-s stride]
 */
#define _GNU_SOURCE
#include "cfloor.h"

#define BATCH 32
#define MAX_INTERVALS 1000

int main(int argc, char **argv)
{
    cf_program = "datapath";
    int batch = 0;
    double warmup = 1, duration = 3;
    int intervals = 3;
    int opt;
    while ((opt = getopt(argc, argv, "m:w:d:i:s:")) != -1) {
        switch (opt) {
        case 'm':
            if (strcmp(optarg, "offer") == 0) {
                batch = 0;
            } else if (strcmp(optarg, "batch") == 0) {
                batch = 1;
            } else {
                fprintf(stderr, "datapath: option -m: '%s' is neither offer nor batch\n", optarg);
                return 2;
            }
            break;
        case 'w': warmup = cf_parse_double("-w", optarg, 0, 600); break;
        case 'd': duration = cf_parse_double("-d", optarg, 0.01, 600); break;
        case 'i': intervals = (int)cf_parse_long("-i", optarg, 1, MAX_INTERVALS); break;
        case 's': cf_parse_stride(optarg); break;
        default:
            fprintf(stderr, "usage: datapath [-m offer|batch] [-w warmup_seconds] [-d seconds] [-i intervals] [-s stride]\n");
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "usage: datapath [-m offer|batch] [-w warmup_seconds] [-d seconds] [-i intervals] [-s stride]\n");
        return 2;
    }
    cf_cleanup_at_exit();
    char path[256];
    cf_create_ring(path, sizeof path, "datapath", 4096);
    struct mmr_ring producer, consumer;
    cf_open_ring(&producer, path, MMR_PRODUCER_LOCK_OFFSET);
    /* a second descriptor for the consumer role: fcntl locks are per process, so this one shares them */
    cf_open_ring(&consumer, path, MMR_CONSUMER_LOCK_OFFSET);
    char *const out = producer.base;
    char *const in = consumer.base;
    int64_t position = cf_producer_position(&producer, path);
    int64_t cached_head = mmr_load_acquire(out, MMR_HEAD_OFFSET);
    int64_t head = mmr_load_acquire(in, MMR_HEAD_OFFSET);
    uint32_t id = 0, expected = 0;
    int64_t errors = 0;

    static double mark_time[MAX_INTERVALS + 1];
    static int64_t mark_position[MAX_INTERVALS + 1];
    const double measure_from = cf_now() + warmup;
    int marks = 0;
    for (uint64_t rounds = 1;; rounds++) {
        /* produce BATCH records */
        if (producer.capacity - (position - cached_head) < BATCH) {
            cached_head = mmr_load_acquire(out, MMR_HEAD_OFFSET); /* acquire: pairs with the release of head */
        }
        for (int i = 0; i < BATCH; i++) {
            char *slot = out + mmr_slot(&producer, position + i);
            memcpy(slot + PEOPLE_NAME_OFFSET, cf_name_field, PEOPLE_NAME_LENGTH);
            int32_t record_id = (int32_t)(id + (uint32_t)i);
#ifdef CFLOOR_BROKEN
            if (position + i == 100000) {
                record_id++; /* broken on purpose (build.sh --broken): the check below must report it */
            }
#endif
            memcpy(slot + PEOPLE_ID_OFFSET, &record_id, sizeof record_id);
            if (!batch) {
                /* release: the record is visible to whoever acquires this word; then tail, per commit */
                mmr_store_release(out, mmr_sequence_word(&producer, position + i), position + i + 1);
                mmr_store_release(out, MMR_TAIL_OFFSET, position + i + 1);
            }
        }
        if (batch) {
            for (int i = 0; i < BATCH; i++) {
                mmr_store_release(out, mmr_sequence_word(&producer, position + i), position + i + 1);
            }
            mmr_store_release(out, MMR_TAIL_OFFSET, position + BATCH);
        }
        position += BATCH;
        id += BATCH;
        /* consume them */
        int n = 0;
        for (; n < BATCH; n++) {
            const int64_t p = head + n;
            char *slot = in + MMR_DATA_OFFSET + (p & consumer.mask) * consumer.stride;
            /* acquire: pairs with the release of this word */
            const int64_t sequence = atomic_load_explicit((_Atomic int64_t *)(slot + consumer.sequence_offset), memory_order_acquire);
            if (sequence != p + 1) {
                break;
            }
            int32_t got;
            memcpy(&got, slot + PEOPLE_ID_OFFSET, sizeof got);
            if ((uint32_t)got != expected) {
                errors++;
            }
            expected = (uint32_t)got + 1u;
        }
        if (n != BATCH) {
            cf_die("consumed %d of %d records just published at position %lld", n, BATCH, (long long)head);
        }
        head += n;
        mmr_store_release(in, MMR_HEAD_OFFSET, head); /* release: the reads happen before reuse */
        if ((rounds & 0xFF) == 0) {
            const double now = cf_now();
            if (now >= measure_from + marks * (duration / intervals)) {
                mark_time[marks] = now;
                mark_position[marks] = head;
                if (++marks > intervals) {
                    break;
                }
            }
        }
    }
    if (errors != 0) {
        fprintf(stderr, "datapath: %lld ids were not the ones written\n", (long long)errors);
        return 1;
    }
    const double seconds = mark_time[intervals] - mark_time[0];
    const int64_t records = mark_position[intervals] - mark_position[0];
    printf("datapath mode=%s stride=%d records=%lld seconds=%.3f rate=%.1f intervals=", batch ? "batch" : "offer", cf_stride,
           (long long)records, seconds, records / seconds);
    for (int k = 1; k <= intervals; k++) {
        printf("%s%.1f", k > 1 ? "," : "", (mark_position[k] - mark_position[k - 1]) / (mark_time[k] - mark_time[k - 1]));
    }
    printf(" errors=0\n");
    return 0;
}
