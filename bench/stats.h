/*
 * stats — numbers computed from raw measurements, never stored in their place.
 *
 * Speedup = median(seq wall) / median(mode wall), same workload and pin.
 * Efficiency = speedup / min(workers, usable PUs); for I/O-bound work,
 * which needs no PU while it waits, speedup / workers.
 * Ideal makespan: longest-processing-time-first list scheduling of the task
 * durations on the given number of workers (10 x 1 s on 4 workers: 3 s;
 * 5,4,3,2,1 s on 4 workers: 5 s).  Durations are the workload's nominal
 * ones when it has them (sleep), the measured wall time of each task for
 * I/O-bound work, and each task's CPU time otherwise; CPU-bound work gets
 * at most one worker per usable PU.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>
#include <stdio.h>

struct summary_stats {
	size_t n;
	double median, min, max, mean, sd;
	double ci_lo, ci_hi;     /* 95 % interval of the mean (Student t); = mean when n < 2 */
};

/* Sort-free summary of @n values (the array is reordered). */
void stats_summarize(double *v, size_t n, struct summary_stats *out);
double stats_median(double *v, size_t n);
/* Two-sided 95 % Student t quantile for @df degrees of freedom. */
double stats_t95(size_t df);

/*
 * 95 % interval of @speedup = base / mode wall time: the log of a ratio of
 * two means has variance (sd_b/mean_b)^2/n_b + (sd_m/mean_m)^2/n_m (delta
 * method), with Welch-Satterthwaite degrees of freedom.  With fewer than 2
 * values on either side the interval is the point itself.
 */
void stats_speedup_interval(const struct summary_stats *base, const struct summary_stats *mode,
			    double speedup, double *lo, double *hi);

/*
 * A duration for people: 3 significant digits in s, ms or us ("1.23 s",
 * "456 ms", "12.5 us"), whole seconds from 100 s, "-" when unknown.  The
 * one formatter of the table, the verdict and the report.
 */
void stats_fmt_seconds(char *buf, size_t len, double s);

/* See above.  @machines >= 1. */
double stats_ideal_makespan(const double *durations, size_t n, unsigned machines);

/* One row of the summary: a workload × mode × workers × pin group. */
struct summary_row {
	const char *workload;
	const char *mode;
	unsigned workers;
	const char *pin;
	int pinned;
	int io_bound;              /* efficiency counts workers, not PUs */
	int pin_wrapped;           /* more workers than PUs: pins wrapped around */
	size_t tasks;
	struct summary_stats wall;
	double ideal_s;            /* median over reps */
	double speedup;            /* < 0: no seq baseline */
	double speedup_lo, speedup_hi;  /* interval from the wall intervals */
	double efficiency;
	double cpu_per_wall;       /* (user + sys) / wall, median */
	double spawn_s;            /* median */
	size_t failed_runs;
	long max_rss_kb;
	/* raw values per measured rep */
	double *v_wall, *v_ideal, *v_cpu, *v_spawn;
	size_t nv, capv;
};

struct summary {
	struct summary_row *rows;
	size_t nrows, cap;
	/* Optional: more members of the JSON object, each printed as
	 * ",\n\"name\": value" after "summary" (the verdict). */
	void (*json_extra)(FILE *out, void *arg);
	void *json_extra_arg;
};

struct run_spec;
struct run_result;

/* Collect measured (non-warm-up) runs; compute once all are in. */
int summary_add(struct summary *s, const struct run_spec *spec, const struct run_result *r);
void summary_compute(struct summary *s, unsigned pus);
void summary_print_table(const struct summary *s, FILE *out);
void summary_print_json(const struct summary *s, FILE *out);
void summary_free(struct summary *s);

#endif
