/*
 * scaling — the scaling laws of bench/analysis/fit.h fitted to the measurements of
 * bench/report_data, for the summary, --json, the charts and the report.
 *
 *   struct scaling_set s;
 *   if (scaling_compute(d, &s) == 0) {
 *           scaling_print_table(d, &s, stdout);     (nothing when s.n == 0)
 *           scaling_free(&s);
 *   }
 *
 * One fit per machine x workload x mode x pin whose paired speedups over
 * seq cover at least FIT_MIN_LEVELS worker counts (seq itself, and modes
 * that run one worker per task, usually do not), but noop's: it measures
 * the harness, there is no work to scale.  The points are the
 * per-repetition paired speedups (report_data_ratios), each at its
 * parallelism p:
 * - p = min(workers, usable PUs) when the tasks compute: more workers than
 *   PUs share the PUs, so they add no parallelism;
 * - p = workers when they mostly wait (report_data_waits: task CPU / wall
 *   in seq at most 0.3): waiting needs no PU.
 * A fit is refused, with the reason in @why, when some of its runs (or the
 * seq runs its speedups pair with, or the runs that say how much the tasks
 * compute) were contended: a law fitted to them would describe the other
 * load, not the program; and when capping p at the PUs leaves fewer than FIT_MIN_LEVELS
 * distinct p.
 */
#ifndef BENCH_SCALING_H
#define BENCH_SCALING_H

#include <stddef.h>
#include <stdio.h>

#include "bench/analysis/fit.h"
#include "bench/analysis/stats.h"

struct report_data;

struct scaling_fit {
	size_t machine, workload;
	const char *mode, *pin;
	size_t nworkers;           /* distinct worker counts with paired speedups */
	unsigned min_workers, max_workers;
	int by_pus;                /* p = min(workers, PUs): the tasks compute */
	unsigned pus;              /* the machine's usable PUs */
	double cpu_ratio;          /* task CPU / wall that decided by_pus; < 0 unknown */
	int fitted;                /* 0: refused, see why */
	char why[256];
	struct fit_scaling fit;    /* when fitted */
	double max_p;              /* largest measured p */
	int peak_extrapolated;     /* the USL has a peak, beyond max_p */
};

struct scaling_set {
	struct scaling_fit *fits;
	size_t n;
};

/* Fit every candidate of @d (see above).  0, or -ENOMEM (nothing to free then). */
int scaling_compute(const struct report_data *d, struct scaling_set *set);
void scaling_free(struct scaling_set *set);

/*
 * The block under the summary table: a line per fit (s with its interval,
 * sigma, kappa, the predicted peak, flagged when extrapolated), a line of
 * e(p), a legend.  Nothing when @set is empty.
 */
void scaling_print_table(const struct report_data *d, const struct scaling_set *set, FILE *out);

/*
 * The fits as a JSON array (no trailing newline): host (the machine's
 * name in @d), workload, params, mode, pin, p_basis, pus, workers [min,
 * max], fitted, reason, amdahl_serial, amdahl_lo, amdahl_hi, amdahl_max_speedup,
 * amdahl_r2, karp_flatt [{p, n, speedup, e}], usl_sigma, usl_kappa,
 * usl_peak_workers, usl_peak_speedup, usl_peak_extrapolated, usl_r2, max_p.
 * Numbers that do not exist (no peak) are null.
 */
void scaling_print_json(const struct report_data *d, const struct scaling_set *set, FILE *out);

/*
 * The measured speedups at level @level of fitted @f (f->fit.levels[level]):
 * their median, range and 95 % interval (bench/analysis/stats.h).  0, or -ENOMEM.
 */
int scaling_level_stats(const struct report_data *d, const struct scaling_fit *f, size_t level,
			struct summary_stats *out);

/* "p = min(workers, 2 PUs)" or "p = workers", for labels. */
void scaling_p_text(char *buf, size_t len, const struct scaling_fit *f);

#endif
