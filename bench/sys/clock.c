#include "bench/api/clock.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>

static atomic_int wakeup_fd = -1;

void clock_set_wakeup_fd(int fd)
{
	atomic_store(&wakeup_fd, fd);
}

/* Plain sleep until @until: nothing can cut it short. */
static int sleep_until(const struct timespec *until)
{
	int err;

	do
		err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, until, NULL);
	while (err == EINTR);
	return -err;
}

/*
 * Sleep until @seconds from now, on the monotonic clock.  When a wake-up
 * descriptor is set (a stop request writes to it), wait on it with ppoll()
 * so that Ctrl-C ends the sleep at once.  The kernel lets a poll timeout
 * run late by 0.1 % of its length (1 ms for a 1 s sleep), so ppoll() only
 * covers all but that margin, and clock_nanosleep() the last stretch, which
 * wakes within the 50 us timer slack.
 */
int clock_sleep_s(double seconds)
{
	int64_t span = (int64_t)(seconds > 0 ? seconds * 1e9 : 0);
	int64_t t = clock_now_ns() + span;
	int64_t margin = span / 500 + 100000;
	int fd = atomic_load_explicit(&wakeup_fd, memory_order_relaxed);
	struct timespec until;

	if (margin > 200000000)
		margin = 200000000;
	until.tv_sec = t / 1000000000;
	until.tv_nsec = t % 1000000000;
	if (fd < 0)
		return sleep_until(&until);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = t - clock_now_ns() - margin;
		struct timespec ts;
		int n;

		if (left <= 0)
			return sleep_until(&until);
		ts.tv_sec = left / 1000000000;
		ts.tv_nsec = left % 1000000000;
		n = ppoll(&pfd, 1, &ts, NULL);
		if (n > 0)
			return -EINTR;   /* a stop was requested */
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}
