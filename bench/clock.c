#include "bench/clock.h"

#include <errno.h>

int clock_sleep_s(double seconds)
{
	struct timespec until;
	int64_t t = clock_now_ns() + (int64_t)(seconds * 1e9);
	int err;

	until.tv_sec = t / 1000000000;
	until.tv_nsec = t % 1000000000;
	do
		err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
	while (err == EINTR);
	return -err;
}
