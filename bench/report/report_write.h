/*
 * report_write — the files `bench report` writes: report.md for people,
 * report.json for programs, both from the same computed comparison
 * (bench/compare), fits (bench/scaling) and data (bench/report_data).
 *
 * Nothing in either file depends on when or where the report was made
 * (no date, no folder): the same CSV files give the same bytes, so a
 * committed example can be checked against a fresh one.
 *
 * report.json members: "baseline", "files", "hosts"
 * (name, host, sources, pooled, the fingerprint fields, runs), "workloads"
 * (workload, params, per host its class and task CPU/wall), "cells" (host,
 * source, workload, params, mode, pin, workers, n, median_s, ci95_lo_s,
 * ci95_hi_s, min_s, max_s, speedup, speedup_lo, speedup_hi, contended),
 * "comparisons" (workload, params, mode, pin, workers, baseline, other,
 * ratio, p_value, significant, contended), "ranking" (rank, host,
 * geomean_ratio, lo, hi, workloads, contended, in rank order), "unranked",
 * "fits" (host, workload, params, mode, pin, fitted, reason,
 * amdahl_serial, amdahl_lo, amdahl_hi, usl_sigma, usl_kappa,
 * usl_peak_workers, ... as bench/analysis/scaling.h prints them).  Intervals that do
 * not exist (below 6 repetitions) are null.
 */
#ifndef BENCH_REPORT_WRITE_H
#define BENCH_REPORT_WRITE_H

#include <stddef.h>
#include <stdio.h>

struct report_data;
struct comparison;
struct scaling_set;

#define REPORT_CHART_NAME 200

/* The charts drawn for the report: PNG file names in its folder, "" when none. */
struct report_charts {
	char (*time)[REPORT_CHART_NAME];      /* per workload: each host's best time */
	char (*speedup)[REPORT_CHART_NAME];   /* per workload: speedup (or overhead) by mode */
	char (*fit)[REPORT_CHART_NAME];       /* per fit */
	int no_gnuplot;                       /* none drawn: gnuplot missing */
};

struct report_view {
	const struct report_data *d;
	const struct comparison *c;
	const struct scaling_set *fits;
	const struct report_charts *charts;
};

/*
 * Write report.md / report.json at @path.  0, or -errno (-EINVAL: @path is
 * no regular file, a FIFO or a device, which is never opened for writing).
 */
int report_write_md(const char *path, const struct report_view *v);
int report_write_json(const char *path, const struct report_view *v);

/* @path opened for writing, a regular file only (bench/api/path.h); NULL with errno set. */
FILE *report_open_output(const char *path);

/* "1.23×", "12.3×", "0.0012×": the report's one format for ratios. */
void report_fmt_x(char *buf, size_t len, double x);

#endif
