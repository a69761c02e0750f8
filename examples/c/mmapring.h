/*
 * mmapring.h: the ring file format (docs/FORMAT.md, io.mmapring.RingLayout) for C programs.
 *
 * Every number here is checked against the Java descriptor by examples/src/test/.../CHeaderTest,
 * which compiles mmapring_constants.c and compares its output with RingLayout and People.
 *
 *   offset  width  field
 *        0      8  magic "MMAPRING"  (stored LAST by the creator, release)
 *        8      4  version (1)
 *       12      4  record size       (132 for People)
 *       16      4  slot stride       (align8(record size) + 8 = 144)
 *       20      4  sequence offset   (align8(record size) = 136)
 *       24      8  capacity          (slots, a power of two)
 *       32      8  data offset       (384)
 *      128      8  tail              producer position (release-stored after each commit)
 *      256      8  head              consumer position (release-stored after each batch)
 *      384         slots: record bytes, zero pad to 8, int64 sequence word (= position + 1 when published)
 *
 * Little-endian; all 64-bit fields 8-byte aligned. Roles: an fcntl write lock (F_SETLK) on byte 128
 * (producer) or byte 256 (consumer), the same bytes Java's FileChannel.tryLock takes.
 */
#ifndef MMAPRING_H
#define MMAPRING_H

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MMR_MAGIC                 0x474E495250414D4DLL /* "MMAPRING" read as a little-endian int64 */
#define MMR_VERSION               1
#define MMR_MAGIC_OFFSET          0
#define MMR_VERSION_OFFSET        8
#define MMR_RECORD_SIZE_OFFSET    12
#define MMR_STRIDE_OFFSET         16
#define MMR_SEQUENCE_OFFSET_OFFSET 20
#define MMR_CAPACITY_OFFSET       24
#define MMR_DATA_OFFSET_OFFSET    32
#define MMR_COUNTER_BLOCK         128
#define MMR_TAIL_OFFSET           128
#define MMR_HEAD_OFFSET           256
#define MMR_DATA_OFFSET           384
#define MMR_SEQUENCE_WIDTH        8
#define MMR_MAX_RECORD_SIZE       (1 << 20)
#define MMR_MAX_CAPACITY          (1LL << 30)
#define MMR_MAX_FILE_LENGTH       2147483647LL
#define MMR_PRODUCER_LOCK_OFFSET  MMR_TAIL_OFFSET
#define MMR_CONSUMER_LOCK_OFFSET  MMR_HEAD_OFFSET

/* The seed's record, in the layout Java reads: name at 0 (UTF-8, NUL-terminated when shorter), id at 128. */
struct people {
    char name[128];
    int32_t id;
};

#define PEOPLE_NAME_OFFSET        0
#define PEOPLE_NAME_LENGTH        128
#define PEOPLE_MAX_NAME_BYTES     127
#define PEOPLE_ID_OFFSET          128
#define PEOPLE_SIZE               132
#define PEOPLE_STRIDE             144 /* mmr_stride(PEOPLE_SIZE) */
#define PEOPLE_SEQUENCE_OFFSET    136 /* mmr_sequence_offset(PEOPLE_SIZE) */

_Static_assert(sizeof(struct people) == PEOPLE_SIZE, "struct people must be 132 bytes");
_Static_assert(offsetof(struct people, id) == PEOPLE_ID_OFFSET, "people.id must be at 128");
_Static_assert(sizeof(_Atomic int64_t) == 8, "_Atomic int64_t must be 8 bytes");

static inline int32_t mmr_align8(int32_t n) { return (n + 7) & ~7; }
static inline int32_t mmr_sequence_offset(int32_t record_size) { return mmr_align8(record_size); }
static inline int32_t mmr_stride(int32_t record_size) { return mmr_align8(record_size) + MMR_SEQUENCE_WIDTH; }
static inline int64_t mmr_file_length(int32_t record_size, int64_t capacity)
{
    return MMR_DATA_OFFSET + capacity * mmr_stride(record_size);
}

/* An int64 field of the mapping, for atomic access (8-aligned by the format). */
static inline _Atomic int64_t *mmr_word(void *base, int64_t offset)
{
    return (_Atomic int64_t *)((char *)base + offset);
}

/* Acquire load: pairs with the peer's release store of the same word. */
static inline int64_t mmr_load_acquire(void *base, int64_t offset)
{
    return atomic_load_explicit(mmr_word(base, offset), memory_order_acquire);
}

/* Release store: every write before it is visible to whoever acquires this word. */
static inline void mmr_store_release(void *base, int64_t offset, int64_t value)
{
    atomic_store_explicit(mmr_word(base, offset), value, memory_order_release);
}

static inline int32_t mmr_get_i32(const void *base, int64_t offset)
{
    int32_t v;
    memcpy(&v, (const char *)base + offset, sizeof v); /* little-endian hosts only (x86-64, AArch64) */
    return v;
}

static inline int64_t mmr_get_i64(const void *base, int64_t offset)
{
    int64_t v;
    memcpy(&v, (const char *)base + offset, sizeof v);
    return v;
}

/* A mapped ring: the header's immutable fields, cached. */
struct mmr_ring {
    char *base;
    int64_t length;
    int32_t record_size;
    int32_t stride;
    int32_t sequence_offset;
    int64_t capacity;
    int64_t mask;
};

/* Offset of the slot of position p, and of its sequence word. */
static inline int64_t mmr_slot(const struct mmr_ring *r, int64_t p)
{
    return MMR_DATA_OFFSET + (p & r->mask) * r->stride;
}

static inline int64_t mmr_sequence_word(const struct mmr_ring *r, int64_t p)
{
    return mmr_slot(r, p) + r->sequence_offset;
}

/*
 * Checks a mapped header as Java's RingFile.open does. On error returns -1 with a message naming the
 * field in err (e.g. "slot stride 64 does not match record size 132 (expected 144)").
 */
static inline int mmr_check_header(struct mmr_ring *r, char *base, int64_t file_length, char *err, size_t errlen)
{
    int64_t magic = mmr_load_acquire(base, MMR_MAGIC_OFFSET); /* acquire: pairs with the creator's release */
    if (magic != MMR_MAGIC) {
        snprintf(err, errlen, "magic 0x%llx is not MMAPRING (0x%llx): not a ring file",
                 (unsigned long long)magic, (unsigned long long)MMR_MAGIC);
        return -1;
    }
    int32_t version = mmr_get_i32(base, MMR_VERSION_OFFSET);
    if (version != MMR_VERSION) {
        snprintf(err, errlen, "version %d is not supported (this program reads %d)", version, MMR_VERSION);
        return -1;
    }
    int32_t record_size = mmr_get_i32(base, MMR_RECORD_SIZE_OFFSET);
    if (record_size < 1 || record_size > MMR_MAX_RECORD_SIZE) {
        snprintf(err, errlen, "record size %d is outside [1, %d]", record_size, MMR_MAX_RECORD_SIZE);
        return -1;
    }
    int32_t stride = mmr_get_i32(base, MMR_STRIDE_OFFSET);
    if (stride != mmr_stride(record_size)) {
        snprintf(err, errlen, "slot stride %d does not match record size %d (expected %d)",
                 stride, record_size, mmr_stride(record_size));
        return -1;
    }
    int32_t sequence_offset = mmr_get_i32(base, MMR_SEQUENCE_OFFSET_OFFSET);
    if (sequence_offset != mmr_sequence_offset(record_size)) {
        snprintf(err, errlen, "sequence offset %d does not match record size %d (expected %d)",
                 sequence_offset, record_size, mmr_sequence_offset(record_size));
        return -1;
    }
    int64_t capacity = mmr_get_i64(base, MMR_CAPACITY_OFFSET);
    if (capacity < 1 || (capacity & (capacity - 1)) != 0 || capacity > MMR_MAX_CAPACITY) {
        snprintf(err, errlen, "capacity %lld is not a power of two in [1, %lld]",
                 (long long)capacity, (long long)MMR_MAX_CAPACITY);
        return -1;
    }
    int64_t data_offset = mmr_get_i64(base, MMR_DATA_OFFSET_OFFSET);
    if (data_offset != MMR_DATA_OFFSET) {
        snprintf(err, errlen, "data offset %lld is not %d", (long long)data_offset, MMR_DATA_OFFSET);
        return -1;
    }
    int64_t expected = mmr_file_length(record_size, capacity);
    if (file_length != expected) {
        snprintf(err, errlen, "file length %lld does not match the header (%d + capacity %lld x stride %d = %lld)",
                 (long long)file_length, MMR_DATA_OFFSET, (long long)capacity, stride, (long long)expected);
        return -1;
    }
    r->base = base;
    r->length = file_length;
    r->record_size = record_size;
    r->stride = stride;
    r->sequence_offset = sequence_offset;
    r->capacity = capacity;
    r->mask = capacity - 1;
    return 0;
}

/*
 * Takes a role: an exclusive fcntl lock on one byte (MMR_PRODUCER_LOCK_OFFSET or MMR_CONSUMER_LOCK_OFFSET),
 * the lock Java's FileChannel.tryLock(offset, 1, false) takes. Returns 0, or -1 with errno (EACCES or
 * EAGAIN: another process holds the role). The OS drops it when the process exits.
 */
static inline int mmr_lock_role(int fd, off_t offset)
{
    struct flock lock;
    memset(&lock, 0, sizeof lock);
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = offset;
    lock.l_len = 1;
    return fcntl(fd, F_SETLK, &lock);
}

/* Whether another process holds the role at offset: 1 yes, 0 no, -1 error. */
static inline int mmr_role_held(int fd, off_t offset)
{
    struct flock lock;
    memset(&lock, 0, sizeof lock);
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = offset;
    lock.l_len = 1;
    if (fcntl(fd, F_GETLK, &lock) != 0) {
        return -1;
    }
    return lock.l_type != F_UNLCK;
}

/* The producer's true position: tail, moved over slots already published (a producer that died between its stores). */
static inline int64_t mmr_producer_position(const struct mmr_ring *r)
{
    int64_t tail = mmr_load_acquire(r->base, MMR_TAIL_OFFSET);
    int64_t p = tail;
    while (p - tail < r->capacity && mmr_load_acquire(r->base, mmr_sequence_word(r, p)) == p + 1) {
        p++;
    }
    return p;
}

#endif
