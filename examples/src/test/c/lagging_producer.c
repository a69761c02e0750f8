/*
 * lagging_producer: a valid producer that is "preempted" between the release of each slot's sequence
 * word and the release of tail (it yields there), for CSnapshotTest. The format allows any delay at
 * that point (docs/FORMAT.md 4), and a real producer gets it whenever the OS deschedules it there; this
 * one gets it every time, so a reader of the header sees tail behind head, and the slot it scans lapped,
 * thousands of times a second instead of once in millions of looks.
 *
 * usage: lagging_producer RING SECONDS   (publishes People named "person-<position>", one at a time)
 */
#include "mmapring.h"

#include <inttypes.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: lagging_producer RING SECONDS\n");
        return 2;
    }
    const char *path = argv[1];
    double end = mmr_now() + atof(argv[2]);
    char err[512];
    struct mmr_ring ring;
    struct mmr_positions start;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0 || mmr_map_ring(fd, &ring, 5, err, sizeof err) != 0
        || mmr_take_role(fd, MMR_PRODUCER_LOCK_OFFSET, "producer", err, sizeof err) != 0
        || mmr_snapshot(&ring, &start, err, sizeof err) != 0
        || mmr_check_slots(&ring, start.head, start.position, err, sizeof err) != 0) {
        fprintf(stderr, "lagging_producer: ring %s: %s\n", path, fd < 0 ? strerror(errno) : err);
        return 1;
    }
    int64_t position = start.position;
    mmr_store_release(ring.base, MMR_TAIL_OFFSET, position);
    long long published = 0;
    while (mmr_now() < end) {
        while (position - mmr_load_acquire(ring.base, MMR_HEAD_OFFSET) == ring.capacity) {
            if (mmr_now() >= end) {
                goto done;
            }
            sched_yield(); /* full: wait for the consumer */
        }
        struct people *p = (struct people *)(ring.base + mmr_slot(&ring, position));
        int32_t id = (int32_t)(uint32_t)position;
        memset(p->name, 0, sizeof p->name);
        snprintf(p->name, sizeof p->name, "person-%" PRId32, id);
        memcpy((char *)p + PEOPLE_ID_OFFSET, &id, 4);
        mmr_store_release(ring.base, mmr_sequence_word(&ring, position), position + 1);
        sched_yield(); /* the delay a preempted producer has here: tail lags the published slot */
        position++;
        mmr_store_release(ring.base, MMR_TAIL_OFFSET, position);
        published++;
    }
done:
    printf("lagging_producer: published %lld People to %s\n", published, path);
    return 0;
}
