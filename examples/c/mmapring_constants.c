/*
 * Prints every constant of mmapring.h as NAME=value, one a line; CHeaderTest compares them with the
 * Java descriptor (io.mmapring.RingLayout, io.mmapring.People) so the two can never drift silently.
 */
#include "mmapring.h"

#define PRINT(name) printf("%s=%lld\n", #name, (long long)(name))

int main(void)
{
    PRINT(MMR_MAGIC);
    PRINT(MMR_VERSION);
    PRINT(MMR_MAGIC_OFFSET);
    PRINT(MMR_VERSION_OFFSET);
    PRINT(MMR_RECORD_SIZE_OFFSET);
    PRINT(MMR_STRIDE_OFFSET);
    PRINT(MMR_SEQUENCE_OFFSET_OFFSET);
    PRINT(MMR_CAPACITY_OFFSET);
    PRINT(MMR_DATA_OFFSET_OFFSET);
    PRINT(MMR_COUNTER_BLOCK);
    PRINT(MMR_TAIL_OFFSET);
    PRINT(MMR_HEAD_OFFSET);
    PRINT(MMR_DATA_OFFSET);
    PRINT(MMR_SEQUENCE_WIDTH);
    PRINT(MMR_MAX_RECORD_SIZE);
    PRINT(MMR_MAX_CAPACITY);
    PRINT(MMR_MAX_FILE_LENGTH);
    PRINT(MMR_MAX_POSITION);
    PRINT(MMR_PRODUCER_LOCK_OFFSET);
    PRINT(MMR_CONSUMER_LOCK_OFFSET);
    PRINT(PEOPLE_NAME_OFFSET);
    PRINT(PEOPLE_NAME_LENGTH);
    PRINT(PEOPLE_MAX_NAME_BYTES);
    PRINT(PEOPLE_ID_OFFSET);
    PRINT(PEOPLE_SIZE);
    PRINT(PEOPLE_STRIDE);
    PRINT(PEOPLE_SEQUENCE_OFFSET);
    printf("sizeof_people=%zu\n", sizeof(struct people));
    printf("offsetof_people_id=%zu\n", offsetof(struct people, id));
    printf("mmr_stride_people=%d\n", mmr_stride(PEOPLE_SIZE));
    printf("mmr_sequence_offset_people=%d\n", mmr_sequence_offset(PEOPLE_SIZE));
    return 0;
}
