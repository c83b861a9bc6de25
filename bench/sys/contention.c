#include "bench/sys/contention.h"

#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench/api/path.h"

int contention_parse_stat(const char *text, int (*want)(int cpu, void *arg), void *arg,
			  unsigned long long *busy_ticks, unsigned long long *steal_ticks)
{
	int found = 0;

	*busy_ticks = *steal_ticks = 0;
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal = 0;
		int cpu, n;

		if (strncmp(p, "cpu", 3) || p[3] < '0' || p[3] > '9')
			continue;
		n = sscanf(p, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &user, &nice,
			   &sys, &idle, &iowait, &irq, &softirq, &steal);
		if (n < 8 || (want && !want(cpu, arg)))
			continue;
		/* guest time is already inside user */
		*busy_ticks += user + nice + sys + irq + softirq;
		*steal_ticks += steal;
		found = 1;
	}
	return found ? 0 : -1;
}

double contention_parse_psi(const char *text)
{
	const char *some = text ? strstr(text, "some ") : NULL;
	const char *total = some ? strstr(some, "total=") : NULL;
	const char *nl = some ? strchr(some, '\n') : NULL;
	unsigned long long us;

	if (!total || (nl && total > nl) || sscanf(total, "total=%llu", &us) != 1)
		return NAN;
	return (double)us / 1e6;
}

/* Up to @len - 1 bytes of a /proc file, NUL-terminated; -1 if unreadable. */
static int read_proc(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = fd_read_full(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int in_affinity(int cpu, void *arg)
{
	const cpu_set_t *set = arg;

	return cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, set);
}

void contention_sample(struct contention_sample *s)
{
	static char buf[1 << 16];   /* the driver's thread only */
	unsigned long long busy, steal;
	double tick = (double)sysconf(_SC_CLK_TCK);
	cpu_set_t set;
	int have_set = sched_getaffinity(0, sizeof(set), &set) == 0;

	s->busy_s = s->steal_s = s->psi_some_s = NAN;
	if (!read_proc("/proc/stat", buf, sizeof(buf)) && tick > 0 &&
	    !contention_parse_stat(buf, have_set ? in_affinity : NULL, &set, &busy, &steal)) {
		s->busy_s = (double)busy / tick;
		s->steal_s = (double)steal / tick;
	}
	if (!read_proc("/proc/pressure/cpu", buf, sizeof(buf)))
		s->psi_some_s = contention_parse_psi(buf);
}

/* The marks kept, oldest first once the ring wraps. */
#define MARKS 1024
static struct contention_mark marks[MARKS];
static size_t nmarks;

void contention_mark(struct contention_mark *m)
{
	struct rusage self, kids;
	struct timespec ts;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	contention_sample(&m->c);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	m->t_ns = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	m->own_s = (double)self.ru_utime.tv_sec + (double)self.ru_utime.tv_usec / 1e6 +
		   (double)self.ru_stime.tv_sec + (double)self.ru_stime.tv_usec / 1e6 +
		   (double)kids.ru_utime.tv_sec + (double)kids.ru_utime.tv_usec / 1e6 +
		   (double)kids.ru_stime.tv_sec + (double)kids.ru_stime.tv_usec / 1e6;
	marks[nmarks++ % MARKS] = *m;
}

const struct contention_mark *contention_window(const struct contention_mark *end)
{
	const struct contention_mark *best = NULL;
	size_t n = nmarks < MARKS ? nmarks : MARKS;

	for (size_t i = 0; i < n; i++) {
		const struct contention_mark *m = &marks[(nmarks - 1 - i) % MARKS];

		if (m->t_ns >= end->t_ns)
			continue;
		best = m;   /* older and older: the oldest kept, at worst */
		if (end->t_ns - m->t_ns >= (long long)(CONTENTION_WINDOW_S * 1e9))
			break;
	}
	return best;
}

double contention_load1(void)
{
	char buf[128];
	double l;

	if (read_proc("/proc/loadavg", buf, sizeof(buf)) || sscanf(buf, "%lf", &l) != 1)
		return NAN;
	return l;
}

int contention_is_contended(double others_s, double steal_s, double wall_s, unsigned pus)
{
	double taken = (isnan(others_s) ? 0 : others_s) + (isnan(steal_s) ? 0 : steal_s);
	double tick = 1.0 / 100;   /* USER_HZ is 100 on every Linux ABI */

	if (!pus || !(wall_s > 0))
		return 0;
	return taken > CONTENTION_SHARE * pus * wall_s + CONTENTION_TICKS * tick * pus;
}
