/*
 * contention — how busy the machine was while bench measured.
 *
 * Around every run bench samples the kernel's counters for the PUs it may
 * run on: busy time (user, nice, system, irq, softirq from /proc/stat),
 * hypervisor steal, and CPU pressure (/proc/pressure/cpu, "some").  The
 * run's others_cpu_s is the busy time minus bench's own CPU time (its
 * process and workers): what other programs took from the PUs meanwhile.
 *
 * /proc/stat counts in clock ticks (10 ms), too coarse for a run of a few
 * milliseconds, so the counters are read over a window of at least
 * CONTENTION_WINDOW_S seconds that ends with the run: the run itself when
 * it is that long, else the run and the ones just before it (window_s in
 * the CSV says how long it was).  bench's own CPU time over the window is
 * its and its reaped workers' rusage, so the window can span several runs.
 *
 * A run is contended when others_cpu_s + steal_s is more than
 * CONTENTION_SHARE of the usable PUs' capacity over the window (PUs x
 * window_s), beyond the counters' resolution (CONTENTION_TICKS ticks per
 * PU of slack).  The judgement is made
 * where the rows are read (bench/report_data), so that the live summary
 * and `bench report` make it the same way; the CSV keeps the raw values.
 */
#ifndef BENCH_CONTENTION_H
#define BENCH_CONTENTION_H

#include <stddef.h>

/* Others may take this share of the PUs before a run counts as contended. */
#define CONTENTION_SHARE 0.10
/* Counter resolution allowed per PU, in clock ticks (USER_HZ, 10 ms). */
#define CONTENTION_TICKS 2
/* The shortest window the counters are read over. */
#define CONTENTION_WINDOW_S 0.25

struct contention_sample {
	double busy_s;      /* summed over the usable PUs; NaN: /proc/stat unreadable */
	double steal_s;
	double psi_some_s;  /* NaN: no /proc/pressure/cpu */
};

/* Sample the counters now. */
void contention_sample(struct contention_sample *s);

/*
 * The run boundaries bench samples: the counters, and bench's own CPU time
 * so far (its rusage and its reaped workers').  contention_mark() samples
 * one; contention_window() gives the newest earlier mark at least
 * CONTENTION_WINDOW_S before @end (or the oldest one kept).
 */
struct contention_mark {
	long long t_ns;
	struct contention_sample c;
	double own_s;
};

void contention_mark(struct contention_mark *m);
const struct contention_mark *contention_window(const struct contention_mark *end);

/*
 * Parse /proc/stat text @text: sum busy and steal ticks over the "cpuN"
 * lines whose N @want(N, arg) accepts (NULL: all).  0, or -1 when no cpu
 * line was found.  (Split out for the tests.)
 */
int contention_parse_stat(const char *text, int (*want)(int cpu, void *arg), void *arg,
			  unsigned long long *busy_ticks, unsigned long long *steal_ticks);

/* "some ... total=N" of /proc/pressure/cpu text, in seconds; NaN if absent. */
double contention_parse_psi(const char *text);

/* The 1-minute load average (/proc/loadavg); NaN when unknown. */
double contention_load1(void);

/*
 * Is a run of @wall_s seconds on @pus usable PUs, during which others
 * used @others_s and the hypervisor stole @steal_s, contended?  NaN
 * values count as 0 (unknown is not busy; the counters are then empty).
 */
int contention_is_contended(double others_s, double steal_s, double wall_s, unsigned pus);

#endif
