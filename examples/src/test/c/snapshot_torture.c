/*
 * snapshot_torture: mmr_snapshot against every interleaving of a valid producer and consumer, for
 * CSnapshotTest. A ring of CAPACITY People slots lives in this process's memory; a timer signal
 * interrupts the snapshot loop at arbitrary instructions (every 20 us), and the handler takes one to
 * four steps of the protocol, chosen at random among those a valid producer and consumer may take
 * next: release the next slot's word (room permitting, batches up to the capacity), release tail, or
 * consume one slot (release head). So the snapshot sees tail lag head, and the slot it scans lapped,
 * between any two of its loads, thousands of times a second, with no scheduler luck needed.
 * Prints the counts; exit 1 if any snapshot was refused or showed a backlog above the capacity.
 *
 * usage: snapshot_torture CAPACITY SECONDS
 */
#include "mmapring.h"

#include <sys/time.h>

static struct mmr_ring ring;
static int64_t produced, head, tail, batch_end; /* the model's positions (only the handler writes them) */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static volatile sig_atomic_t steps;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* One protocol step, chosen at random among the enabled ones. */
static void step(void)
{
    int can_word = produced - head < ring.capacity && produced < batch_end;
    int can_tail = produced > tail;
    int can_consume = head < produced;
    for (;;) {
        switch (next_random() % 3) {
        case 0:
            if (can_word) {
                /* release: the producer publishes position produced */
                mmr_store_release(ring.base, mmr_sequence_word(&ring, produced), produced + 1);
                produced++;
                return;
            }
            break;
        case 1:
            if (can_tail) {
                mmr_store_release(ring.base, MMR_TAIL_OFFSET, produced); /* once per batch */
                tail = produced;
                batch_end = tail + 1 + (int64_t)(next_random() % (uint64_t)ring.capacity); /* the next batch */
                return;
            }
            break;
        default:
            if (can_consume) {
                head++;
                mmr_store_release(ring.base, MMR_HEAD_OFFSET, head); /* release: the consumer is done with the slot */
                return;
            }
            break;
        }
        if (!can_word && !can_tail && !can_consume) {
            return; /* cannot happen: tail or the consumer can always move when the producer cannot */
        }
    }
}

static void on_timer(int signal)
{
    (void)signal;
    int n = 1 + (int)(next_random() % 4);
    for (int i = 0; i < n; i++) {
        step();
    }
    steps += n;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: snapshot_torture CAPACITY SECONDS\n");
        return 2;
    }
    int64_t capacity = atoll(argv[1]);
    double seconds = atof(argv[2]);
    int64_t length = mmr_file_length(PEOPLE_SIZE, capacity);
    char *base = aligned_alloc(4096, (size_t)((length + 4095) / 4096 * 4096));
    memset(base, 0, (size_t)length);
    int32_t version = MMR_VERSION, record_size = PEOPLE_SIZE, stride = PEOPLE_STRIDE, seq = PEOPLE_SEQUENCE_OFFSET;
    int64_t data_offset = MMR_DATA_OFFSET;
    memcpy(base + MMR_VERSION_OFFSET, &version, 4);
    memcpy(base + MMR_RECORD_SIZE_OFFSET, &record_size, 4);
    memcpy(base + MMR_STRIDE_OFFSET, &stride, 4);
    memcpy(base + MMR_SEQUENCE_OFFSET_OFFSET, &seq, 4);
    memcpy(base + MMR_CAPACITY_OFFSET, &capacity, 8);
    memcpy(base + MMR_DATA_OFFSET_OFFSET, &data_offset, 8);
    mmr_store_release(base, MMR_MAGIC_OFFSET, MMR_MAGIC);
    char err[512];
    if (mmr_check_header(&ring, base, length, err, sizeof err) != 0) {
        fprintf(stderr, "snapshot_torture: %s\n", err);
        return 2;
    }
    batch_end = 1;

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_timer;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval every = {{0, 20}, {0, 20}};
    setitimer(ITIMER_REAL, &every, NULL);

    long long snapshots = 0, refused = 0, retried = 0, above = 0;
    int64_t max_backlog = 0;
    char first[512] = "";
    double end = mmr_now() + seconds;
    while ((snapshots & 1023) != 0 || mmr_now() < end) {
        struct mmr_positions s;
        snapshots++;
        if (mmr_snapshot(&ring, &s, err, sizeof err) != 0) {
            if (refused++ == 0) {
                snprintf(first, sizeof first, "%s", err);
            }
            continue;
        }
        retried += s.attempts > 1;
        above += s.backlog > capacity;
        if (s.backlog > max_backlog) {
            max_backlog = s.backlog;
        }
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("snapshot_torture: capacity %lld: %lld snapshots, %lld protocol steps (positions up to %lld), %lld retried,"
           " %lld refused, %lld with a backlog above the capacity, max backlog %lld\n", (long long)capacity, snapshots,
           (long long)steps, (long long)produced, retried, refused, above, (long long)max_backlog);
    if (refused > 0) {
        printf("snapshot_torture: first refusal: %s\n", first);
    }
    return refused == 0 && above == 0 ? 0 : 1;
}
