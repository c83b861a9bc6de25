/*
 * clock — one monotonic time base for every thread and process.
 *
 * CLOCK_MONOTONIC is system-wide, so a time taken in a forked child can be
 * compared with one taken in the parent.  All times are int64 nanoseconds.
 */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* CPU time consumed by the calling thread, in nanoseconds. */
static inline int64_t clock_thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline double ns_to_s(int64_t ns)
{
	return (double)ns / 1e9;
}

/*
 * Sleep for @seconds on the monotonic clock, resuming after signals.
 * Returns 0, or -EINTR early once the wake-up descriptor (below) becomes
 * readable: a stop request (Ctrl-C) then ends every sleeping task at once
 * instead of after its full duration.
 */
int clock_sleep_s(double seconds);

/* The descriptor clock_sleep_s() watches (-1: none); set before threads start. */
void clock_set_wakeup_fd(int fd);

#endif
