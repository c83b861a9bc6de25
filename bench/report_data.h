/*
 * report_data — runs CSVs (from one host or many) read back and summarized
 * for the charts and the report.
 *
 * Rows are grouped by machine × workload (name and parameters) × mode ×
 * workers × pin.  Only measured runs (not warm-ups) whose status is "ok"
 * count; each group gets the statistics of its wall times and the speedup
 * over seq on the same machine and workload (same pin when there is one),
 * computed like the terminal summary (bench/stats).
 */
#ifndef BENCH_REPORT_DATA_H
#define BENCH_REPORT_DATA_H

#include <stddef.h>

#include "bench/csv.h"
#include "bench/stats.h"

struct rd_machine {
	const char *host, *machine_id, *cpu_model, *arch, *os, *kernel, *compiler, *version;
	unsigned packages, cores, pus, usable_pus, numa_nodes;
	double mem_bytes, l1d, l2, l3;
	char name[192];            /* host, with the id when two share a name */
	size_t nruns;              /* measured ok runs */
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
	struct summary_stats wall;
	double ideal_s, spawn_s;   /* medians */
	double speedup, speedup_lo, speedup_hi;   /* speedup < 0: no seq baseline */
	size_t last_row;           /* latest row of this group (for the timeline) */
};

struct rd_run {
	size_t file, row, group;
	const char *id;
	unsigned rep;
	int warmup, ok;
	double wall_s;
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
};

/*
 * Read the runs CSVs @paths[0..n-1] and compute the groups.  0, or
 * -EINVAL/-errno with @err naming the file and line ("a.csv:7: ...") for
 * an unreadable or malformed file, a missing column, mixed or unknown
 * schema versions, or a value that is not a number.
 */
int report_data_load(struct report_data *d, const char *const *paths, size_t n,
		     char *err, size_t len);
void report_data_free(struct report_data *d);

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
