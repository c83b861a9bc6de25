/* memory — the allocator state every run starts from (bench/api/memory.h). */
#include "bench/api/memory.h"

#include <malloc.h>

void memory_defaults(void)
{
	mallopt(M_MMAP_MAX, 65536);   /* glibc's default */
	mallopt(M_MMAP_THRESHOLD, (int)MEMORY_MMAP_THRESHOLD);
	mallopt(M_TRIM_THRESHOLD, (int)(2 * MEMORY_MMAP_THRESHOLD));
	mallopt(M_ARENA_MAX, 1);      /* before any thread: the main arena only */
}
