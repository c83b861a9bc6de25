/*
 * memory — the allocator state every run starts from.
 *
 * glibc adapts its mmap threshold as a program frees large blocks, but
 * only until something sets one of its malloc parameters (mallopt(3)):
 * from then on the threshold stays fixed for the life of the process, and
 * nothing turns the adaptation back on.  A workload that needs a policy
 * of its own for its runs (images: no mmap, no trimming) could therefore
 * not hand the next workload the allocator it found, and workloads
 * measured together would change each other's page faults and times.
 *
 * So bench fixes the state itself, once, before anything runs (in the
 * driver and in every mpi rank): the mmap threshold at glibc's own ceiling
 * for the adaptive one (32 MiB on 64-bit), where a long-running program's
 * threshold ends up once it has freed a block that large, and trimming
 * at twice that, as glibc pairs them.  Every workload is measured under
 * this state, whatever ran before it; a workload that changes the
 * parameters in run_begin() calls memory_defaults() in run_end().
 * Part of the plug-in API (bench/api/); the code is bench/sys/memory.c.
 */
#ifndef BENCH_MEMORY_H
#define BENCH_MEMORY_H

/* The mmap threshold of memory_defaults(), in bytes. */
#define MEMORY_MMAP_THRESHOLD (4ul * 1024 * 1024 * sizeof(long))

/* Set the allocator's parameters to bench's defaults (above). */
void memory_defaults(void);

#endif
