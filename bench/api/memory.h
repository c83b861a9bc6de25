/*
 * memory — the allocator state every run starts from.
 *
 * glibc's malloc keeps state that outlives a run and that a workload's
 * settings would change for good:
 *   - it adapts its mmap threshold as a program frees large blocks, but
 *     only until something sets a malloc parameter (mallopt(3)); from then
 *     on the threshold stays fixed, and nothing turns the adaptation back on;
 *   - it gives threads arenas of their own, fixes how many there may be the
 *     first time a thread asks for one (M_ARENA_MAX 0 does not undo a
 *     limit), and hands the arenas of threads that ended to new threads, so
 *     a later run's threads start from an earlier run's heaps.
 * A workload that needs a policy of its own for its runs (images: no mmap,
 * no trimming) could therefore not hand the next workload the allocator it
 * found, and workloads measured together, or one after the other, would
 * change each other's page faults and times.
 *
 * So bench fixes the state itself, once, before anything runs (in the
 * driver, and so in every worker it forks and every mpi rank):
 *   - the mmap threshold at glibc's own ceiling for the adaptive one
 *     (32 MiB on 64-bit), where a long-running program's threshold ends up
 *     once it has freed a block that large, and trimming at twice that, as
 *     glibc pairs them;
 *   - one arena for every thread: malloc_trim() before each run then
 *     returns every thread's freed memory, so no run inherits a heap.  The
 *     price: threads that malloc in a loop share one lock (small blocks
 *     mostly come from each thread's tcache without it), which processes,
 *     each with its own heap, do not.
 * Every workload is measured under this state, whatever ran before it; a
 * workload that changes the parameters in run_begin() calls
 * memory_defaults() in run_end().  Part of the plug-in API (bench/api/);
 * the code is bench/sys/memory.c.
 */
#ifndef BENCH_MEMORY_H
#define BENCH_MEMORY_H

/* The mmap threshold of memory_defaults(), in bytes. */
#define MEMORY_MMAP_THRESHOLD (4ul * 1024 * 1024 * sizeof(long))

/* Set the allocator's parameters to bench's defaults (above). */
void memory_defaults(void);

#endif
