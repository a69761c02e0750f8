/*
 * people_reader: consumes People from a ring file and checks them, as `people-ring read` does.
 * Waits (bounded) for the file, its header and a producer; validates the header and the positions (a
 * consistent snapshot); takes the consumer role (fcntl lock on byte 256, telling a liveness probe from a
 * holder) and checks every slot of [head, producer position); reads slot p when acquire(sequence word)
 * == p + 1, and releases head once per batch. Checks that ids are consecutive and that each name is
 * "<prefix>-<id>"; exit status 1 if not.
 *
 * With -n N it stops after N People; when the producer goes away before that, it says so and waits up
 * to -w seconds for a producer to come back (a restarted writer continues the stream), bounded in all
 * by -t; -x stops as soon as the producer is gone and the ring is drained, as it does without -n.
 * With -i it takes no role: it inspects the ring (-n snapshots of its positions) and prints them.
 *
 * usage: people_reader [-n count] [-q] [-x] [-p prefix] [-f first_id] [-w wait_seconds] [-t timeout_seconds] RING
 *        people_reader -i [-n snapshots] [-w wait_seconds] RING
 */
#include "mmapring.h"

#include <inttypes.h>
#include <stdarg.h>

#define BATCH 256
#define USAGE "usage: people_reader [-n count] [-q] [-x] [-p prefix] [-f first_id] [-w wait_seconds] [-t timeout_seconds] RING\n" \
              "       people_reader -i [-n snapshots] [-w wait_seconds] RING\n"

static const char *ring_path;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fflush(stdout);
    fprintf(stderr, "people_reader: ring %s: ", ring_path);
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
        fprintf(stderr, "people_reader: %s %s is not a number in [%lld, %lld]\n", option, text, min, max);
        exit(2);
    }
    return v;
}

/* Opens the ring file once it exists; bounded by the deadline. */
static int open_ring(double deadline)
{
    for (;;) {
        int fd = open(ring_path, O_RDWR | O_CLOEXEC);
        if (fd >= 0) {
            return fd;
        }
        if (errno != ENOENT) {
            die("cannot open: %s", strerror(errno));
        }
        if (mmr_now() > deadline) {
            die("no such file after the wait (start a writer)");
        }
        usleep(10000);
    }
}

static const char *role_state(int fd, off_t offset)
{
    int held = mmr_role_held(fd, offset);
    return held < 0 ? "unknown" : held ? "alive" : "none";
}

/* -i: snapshots of the positions, as an inspector takes them (no role, no write); exit 1 if one is refused. */
static int inspect(const struct mmr_ring *ring, int fd, long long snapshots)
{
    struct mmr_positions s;
    char err[512];
    long long retried = 0, moving = 0;
    int64_t max_backlog = 0;
    for (long long i = 0; i < snapshots; i++) {
        if (mmr_snapshot(ring, &s, err, sizeof err) != 0) {
            die("%s (snapshot %lld of %lld)", err, i + 1, snapshots);
        }
        retried += s.attempts > 1;
        moving += s.stale;
        if (s.backlog > max_backlog) {
            max_backlog = s.backlog;
        }
    }
    printf("people_reader: ring %s: head %lld, tail %lld, producer position %lld, backlog %lld of %lld;"
           " producer %s, consumer %s\n", ring_path, (long long)s.head, (long long)s.tail, (long long)s.position,
           (long long)s.backlog, (long long)ring->capacity, role_state(fd, MMR_PRODUCER_LOCK_OFFSET),
           role_state(fd, MMR_CONSUMER_LOCK_OFFSET));
    if (snapshots > 1) {
        printf("people_reader: ring %s: %lld snapshots, %lld retried (tail moved during the scan), %lld still moving"
               " at the last attempt, max backlog %lld of %lld\n", ring_path, snapshots, retried, moving,
               (long long)max_backlog, (long long)ring->capacity);
    }
    return 0;
}

int main(int argc, char **argv)
{
    long long count = 0, first_id = 0;
    int have_first = 0, quiet = 0, stop_when_producer_exits = 0, inspect_only = 0, opt;
    double wait_seconds = 10, timeout_seconds = 0;
    const char *prefix = "person";
    while ((opt = getopt(argc, argv, "n:qxip:f:w:t:")) != -1) {
        switch (opt) {
        case 'n': count = parse_number("-n", optarg, 0, INT64_MAX); break;
        case 'q': quiet = 1; break;
        case 'x': stop_when_producer_exits = 1; break;
        case 'i': inspect_only = 1; break;
        case 'p': prefix = optarg; break;
        case 'f': first_id = parse_number("-f", optarg, INT32_MIN, INT32_MAX); have_first = 1; break;
        case 'w': wait_seconds = (double)parse_number("-w", optarg, 0, 3600); break;
        case 't': timeout_seconds = (double)parse_number("-t", optarg, 0, 86400); break;
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
    if (strlen(prefix) > PEOPLE_MAX_NAME_BYTES - 12) {
        fprintf(stderr, "people_reader: -p prefix of %zu bytes is too long\n", strlen(prefix));
        return 2;
    }

    double begin = mmr_now();
    double deadline = begin + wait_seconds;
    int fd = open_ring(deadline);
    struct mmr_ring ring;
    char err[512];
    double header_wait = deadline - mmr_now();
    if (mmr_map_ring(fd, &ring, header_wait > 0.1 ? header_wait : 0.1, err, sizeof err) != 0) {
        die("%s", err);
    }
    if (ring.record_size != PEOPLE_SIZE) {
        die("record size %d does not match People (%d)", ring.record_size, PEOPLE_SIZE);
    }
    if (inspect_only) {
        return inspect(&ring, fd, count > 0 ? count : 1);
    }
    char *base = ring.base;
    if (mmr_take_role(fd, MMR_CONSUMER_LOCK_OFFSET, "consumer", err, sizeof err) != 0) {
        die("%s", err);
    }
    /* the role is ours: head no longer moves, and no producer can overwrite a slot of [head, P) */
    struct mmr_positions start;
    if (mmr_snapshot(&ring, &start, err, sizeof err) != 0 || mmr_check_slots(&ring, start.head, start.position, err, sizeof err) != 0) {
        die("%s", err);
    }
    int64_t position = start.head;
    for (;;) {
        int held = mmr_role_held(fd, MMR_PRODUCER_LOCK_OFFSET);
        if (held != 0 || mmr_load_acquire(base, mmr_sequence_word(&ring, position)) == position + 1) {
            break; /* a producer, or People already in the ring */
        }
        if (mmr_now() > deadline) {
            die("no producer appeared within the wait and the ring is empty");
        }
        usleep(1000);
    }

    uint32_t expected = have_first ? (uint32_t)first_id : (uint32_t)position;
    long long received = 0, lost = 0, behind = 0, bad_names = 0;
    char want[PEOPLE_NAME_LENGTH + 16];
    double started = mmr_now();
    double end = timeout_seconds > 0 ? begin + timeout_seconds : 0;
    double next_liveness = started, absent_since = 0;
    int timed_out = 0, absent = 0, no_producer = 0;
    /* without a count nothing says more is coming: stop once the producer is gone, as with -x */
    stop_when_producer_exits |= count == 0;
    for (;;) {
        int64_t n = 0;
        long long limit = count > 0 && count - received < BATCH ? count - received : BATCH;
        while (n < limit) {
            int64_t p = position + n;
            /* acquire: pairs with the producer's release of this word; the record below it is complete */
            int64_t sequence = mmr_load_acquire(base, mmr_sequence_word(&ring, p));
            if (sequence != p + 1) {
                if (sequence > p + 1) {
                    die("slot %lld (position %lld) holds sequence word %lld, ahead of its position: corrupted file,"
                        " or an overrun", (long long)(p & ring.mask), (long long)p, (long long)sequence);
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
            if (absent) { /* a producer came and went between two looks at its lock */
                absent = 0;
                fflush(stdout);
                fprintf(stderr, "people_reader: ring %s: a producer is back after %lld of %lld People\n", ring_path,
                        received, count);
            }
            position += n;
            received += n;
            /* release: every read of the slots below position happens before the producer may reuse them */
            mmr_store_release(base, MMR_HEAD_OFFSET, position);
            if (count > 0 && received >= count) {
                break;
            }
            continue;
        }
        double now = mmr_now();
        if (now >= next_liveness) {
            next_liveness = now + 0.001;
            pid_t pid = 0;
            int lock = mmr_role_lock(fd, MMR_PRODUCER_LOCK_OFFSET, &pid);
            if (lock < 0) {
                die("cannot probe the producer lock: %s", strerror(errno));
            }
            if (lock != F_WRLCK) {
                /* the producer is gone: read what it published before it left */
                if (mmr_load_acquire(base, mmr_sequence_word(&ring, position)) == position + 1) {
                    continue;
                }
                if (stop_when_producer_exits) {
                    break;
                }
                if (!absent) {
                    absent = 1;
                    absent_since = now;
                    fflush(stdout);
                    fprintf(stderr, "people_reader: ring %s: the producer is gone after %lld of %lld People; waiting up"
                            " to %.0f s (-w) for a producer to come back\n", ring_path, received, count, wait_seconds);
                } else if (now - absent_since > wait_seconds) {
                    no_producer = 1;
                    break;
                }
            } else if (absent) {
                absent = 0;
                fflush(stdout);
                fprintf(stderr, "people_reader: ring %s: a producer is back (pid %ld) after %lld of %lld People\n",
                        ring_path, (long)pid, received, count);
            }
            if (end > 0 && now > end) {
                timed_out = 1;
                break;
            }
        }
        sched_yield();
    }
    double seconds = mmr_now() - started;
    long long missing = count > 0 ? count - received : 0;
    int ok = lost == 0 && behind == 0 && bad_names == 0 && missing == 0 && !timed_out;
    printf("people_reader: read %lld People from %s in %.3f s (%.2f M msgs/s): lost %lld, out of order or duplicate %lld,"
           " bad names %lld, missing %lld%s%s: %s\n",
           received, ring_path, seconds, seconds > 0 ? received / seconds / 1e6 : 0.0, lost, behind, bad_names, missing,
           no_producer ? " (no producer came back within -w)" : missing > 0 && !timed_out ? " (the producer left)" : "",
           timed_out ? ", timed out" : "", ok ? "OK" : "FAILED");
    munmap(base, (size_t)ring.length);
    close(fd);
    return ok ? 0 : 1;
}
