/*
 * compare — what `bench report` says across hosts: which one is faster, by
 * how much, and whether it is real.  Computed from bench/report_data (its
 * "machines" are hosts, or sources: one host's rows from one file), written
 * out by bench/report.
 *
 *   struct comparison c;
 *   compare_compute(d, baseline, &c);
 *   ... c.w[i].rows[r].group[m], compare_test(&c, i, r, m), c.rank[k] ...
 *   compare_free(&c);
 *
 * - Pivot: per workload, one row per mode x pin x workers (registry order
 *   of modes, then pin, then workers), one column per machine: its group
 *   there, if it ran it.
 * - Tests: in each row, each machine against the baseline machine: the
 *   ratio of their median wall times (other / baseline: below 1 the other
 *   is faster) and the two-sided Mann-Whitney U p-value of their wall
 *   times.  Significant when p < COMPARE_ALPHA and neither group was
 *   contended; otherwise a report prints "~" (benchstat's convention).
 *   No correction for the number of cells: each cell is its own question.
 * - Ranking: each machine's best time on a workload is its lowest median
 *   wall time there (any mode, workers, pin).  Its score is the geometric
 *   mean, over the workloads it shares with the baseline, of its best time
 *   / the baseline's best time (the baseline scores 1).  The 95 % interval
 *   is a percentile bootstrap: COMPARE_BOOT_RESAMPLES times, each best
 *   group's wall times are resampled with replacement (same count), the
 *   medians and the geometric mean recomputed; the interval runs from the
 *   2.5th to the 97.5th percentile (fixed seed: the same files give the
 *   same interval).  Which group is best is decided once, on the measured
 *   medians, not again per resample.  A best group with a single run has
 *   nothing to resample, and an interval would show only the other
 *   groups' noise: has_interval is 0 when any group involved has one run.
 *   Machines are ranked by score, fastest first.
 */
#ifndef BENCH_COMPARE_H
#define BENCH_COMPARE_H

#include <stddef.h>

struct report_data;

#define COMPARE_ALPHA 0.05
#define COMPARE_BOOT_RESAMPLES 2000
#define COMPARE_BOOT_SEED 0x636f6d70617265ULL   /* "compare" */

struct cmp_row {
	const char *mode, *pin;
	unsigned workers;
	long *group;               /* per machine: its group in this row, -1: none */
};

struct cmp_workload {
	size_t workload;
	struct cmp_row *rows;
	size_t nrows;
	long *best;                /* per machine: its fastest group on this workload, -1: none */
};

struct cmp_test {
	size_t w, row, other;      /* index into comparison.w, its row, the machine */
	double ratio;              /* other's median / the baseline's */
	double p;                  /* Mann-Whitney U, two-sided */
	int significant;           /* p < COMPARE_ALPHA and neither contended */
	int contended;             /* either group was */
};

struct cmp_rank {
	size_t machine;
	double geomean, lo, hi;    /* best time / the baseline's, over the shared workloads */
	int has_interval;
	size_t nworkloads;         /* shared with the baseline */
	int contended;             /* some best group involved was contended */
};

struct comparison {
	size_t baseline;
	struct cmp_workload *w;
	size_t nw;
	struct cmp_test *tests;
	size_t ntests;
	struct cmp_rank *rank;     /* ranked machines, fastest first (the baseline among them) */
	size_t nrank;
	size_t *unranked;          /* machines that share no workload with the baseline */
	size_t nunranked;
};

/*
 * The machine @name names: its full name ("vm · a.csv"), a host name (the
 * host, or the first of its sources), or HOST:FILE (the source of HOST
 * read from FILE, a basename).  0, -ENOENT, or -EINVAL when a host name
 * is shared by two machines (told apart by machine id: give its full name).
 */
int compare_find_host(const struct report_data *d, const char *name, size_t *m);

/* Everything above, against machine @baseline.  0, or -ENOMEM (nothing to free then). */
int compare_compute(const struct report_data *d, size_t baseline, struct comparison *c);

/* The test of machine @other in row @row of workload entry @w, or NULL (none there). */
const struct cmp_test *compare_test(const struct comparison *c, size_t w, size_t row,
				    size_t other);

void compare_free(struct comparison *c);

#endif
