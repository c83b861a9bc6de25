/*
 * report_data — the one analysis path: runs rows (CSV files from one host
 * or many, or the rows a live run has just written) read back and
 * summarized.  The terminal summary, the verdict, --json, the charts and
 * `bench report` all compute from here, so they cannot disagree.
 *
 * Rows are grouped by machine x workload (name and parameters) x mode x
 * workers x pin.  One rule for every reader: warm-ups are left out; a
 * measured run that did not end "ok" is counted (failed) and shown, never
 * used in a median.  Each group gets:
 * - its wall times: median, range and the order-statistic 95 % interval
 *   (bench/analysis/stats.h; none below 6 runs);
 * - the paired speedup over seq of the same machine and workload (same pin
 *   when there is one): per repetition of a session, seq_k / mode_k, and
 *   the median of those ratios with its interval;
 * - medians of the per-run figures (ideal, spawn, CPU, faults, memory) and
 *   the sums of task CPU and wall time (how CPU-bound the tasks are);
 * - contention: a run is contended when others (and steal) took more than
 *   their share of the PUs (bench/sys/contention.h); a group when one of its
 *   runs was, or all of them together were.
 */
#ifndef BENCH_REPORT_DATA_H
#define BENCH_REPORT_DATA_H

#include <stddef.h>

#include "bench/data/csv.h"
#include "bench/analysis/stats.h"

struct rd_machine {
	const char *host, *machine_id, *cpu_model, *arch, *os, *kernel, *compiler, *version;
	unsigned packages, cores, pus, usable_pus, numa_nodes;
	double mem_bytes, l1d, l2, l3;
	char name[192];            /* host, with the id when two share a name, and the
	                              file when its rows are kept apart by source */
	size_t nruns;              /* measured ok runs */
	size_t contended_groups;   /* rows whose runs were contended */
	double pus_taken;          /* PUs others took on average over its measured runs */
	size_t unwatched_runs;     /* measured runs with no contention columns (schema 1):
	                              whether others used its PUs then is not known */
	size_t file;               /* the (first) file its rows come from */
	size_t nfiles;             /* how many files its rows come from (pooled when > 1) */
	size_t last_file;          /* private: the last file seen, while loading */
};

struct rd_workload {
	const char *name, *params;
	char label[320];           /* "sleep (6 x 0.1s)" */
	char slug[96];             /* for file names: "sleep", "sleep-2" */
	int bound;                 /* enum bound, from the registry; -1 unknown */
};

struct rd_group {
	size_t machine, workload;
	const char *mode, *pin;
	unsigned workers;
	size_t tasks;
	double *walls;             /* measured, ok */
	size_t n, cap;
	size_t failed;             /* measured runs not ok */
	size_t interrupted;        /* measured runs stopped by the user (not failed) */
	size_t contended_runs;     /* measured runs that were contended */
	int contended;             /* see above */
	int pinned;                /* some run was really bound */
	struct summary_stats wall;
	double precision;          /* interval half-width / median; NaN: no interval */
	/* medians over the measured ok runs (NaN: no such column) */
	double ideal_s, spawn_s, cpu_per_wall, user_s, sys_s, minflt, mem_kb, max_rss_kb;
	int ideal_exact;           /* every run's ideal was the optimum, not a bound */
	/* sums over the measured ok runs */
	double task_cpu_s, task_wall_s;
	double others_s, steal_s, wall_sum;   /* over all measured runs; wall_sum: their windows */
	long baseline;             /* index of the seq group it is compared with, -1: none */
	struct summary_stats ratio;   /* paired speedups; n = 0: none */
	double *ratios;            /* the per-repetition paired speedups (ratio.n of them) */
	double speedup, speedup_lo, speedup_hi;   /* speedup < 0: none; lo/hi NaN: no interval */
	double efficiency;         /* speedup / min(workers, PUs), or / workers for waiting work */
	size_t last_row;           /* latest row of this group (for the timeline) */
};

struct rd_run {
	size_t file, row, group;
	const char *id;
	size_t session_len;        /* the run id's session part ("1a2b3c" of "1a2b3c-7") */
	unsigned rep;
	int warmup, ok, contended;
	double wall_s, others_s, steal_s;
	double window_s;           /* what others_s and steal_s were measured over */
};

struct report_data {
	const char *const *paths;
	size_t nfiles;
	struct csv *files;
	struct rd_run *runs;
	size_t nruns;
	struct rd_machine *machines;
	size_t nmachines;
	struct rd_workload *workloads;
	size_t nworkloads;
	struct rd_group *groups;
	size_t ngroups;
	const char *modes[64];     /* registry order first, then as found */
	size_t nmodes;
	int several_pins;
	int by_source;             /* a machine's rows from two files are two machines */
};

/*
 * Read the runs CSVs @paths[0..n-1] and compute the groups.  0, or
 * -EINVAL/-errno with @err naming the file and line ("a.csv:7: ...") for
 * an unreadable or malformed file, a missing column, mixed or unknown
 * schema versions, or a value that is not a number.
 */
int report_data_load(struct report_data *d, const char *const *paths, size_t n,
		     char *err, size_t len);
/*
 * The same, with @by_source: the rows of one machine from two files are
 * two "machines" (sources), each named "host · FILE" (FILE without its
 * folder), so they are compared rather than pooled.
 */
int report_data_load_sources(struct report_data *d, const char *const *paths, size_t n,
			     int by_source, char *err, size_t len);
/*
 * The same over rows in memory: @n tables already parsed (csv_parse),
 * which @d takes over, named @names (for messages).
 */
int report_data_load_tables(struct report_data *d, struct csv *tables, const char *const *names,
			    size_t n, char *err, size_t len);

/* Is @mode the baseline the others are compared with (seq)? */
int report_data_is_baseline(const char *mode);
/* Do the tasks of group @g mostly wait (CPU/wall of seq, uncontended, <= 0.3)? */
int report_data_waits(const struct report_data *d, const struct rd_group *g);
/*
 * Task CPU time / wall time of workload @w on machine @m: from seq when it
 * ran, else from every mode but gil; < 0 when unknown or when the runs it
 * would come from were contended (*@contended set then).
 */
double report_data_cpu_ratio(const struct report_data *d, size_t m, size_t w, int *contended);
void report_data_free(struct report_data *d);

/*
 * What the tasks of workload @w on machine @m are, from the measurement
 * (report_data_cpu_ratio): "CPU-bound" (CPU/wall >= 0.7), "I/O-bound"
 * (<= 0.3), "mixed", "not classified (contended runs)", "unknown" (no task
 * CPU time recorded), or "no work" (noop measures the harness).  *@ratio
 * (may be NULL): the ratio, < 0 when unknown.
 */
const char *report_data_class(const struct report_data *d, size_t m, size_t w, double *ratio);

/* The file name of @path without its folder. */
const char *report_data_basename(const char *path);

/*
 * The paired per-repetition speedups of group @g (seq_k / mode_k, the
 * values ratio summarizes), in no particular order: their number, and
 * *@out pointing at them (NULL when there are none).
 */
size_t report_data_ratios(const struct rd_group *g, const double **out);

/* Index of @name in d->modes (its rank for sorting), or -1. */
int report_data_mode_rank(const struct report_data *d, const char *name);

/* The machine of the last row of the last file: "this host" after a run. */
size_t report_data_last_machine(const struct report_data *d);

/* A cell of a run's row, by column name ("" when absent). */
const char *report_data_cell(const struct report_data *d, const struct rd_run *run,
			     const char *col);

/* A short human size: "32 KiB", "1.5 GiB" (durations: stats_fmt_seconds). */
void report_fmt_bytes(char *buf, size_t len, double bytes);

#endif
