/*
 * summary — the terminal table and the --json summary of a measurement.
 *
 * A run's rows go in exactly as they go into the runs CSV (the same
 * formatter, bench/record), and summary_compute() reads them back through
 * the one analysis path, bench/report_data, so that the live summary, the
 * verdict, the charts and `bench report` of that CSV agree:
 *
 *   struct summary s = { .machine = &m };
 *   for each run:   summary_add(&s, spec, &result, params);
 *   summary_compute(&s);
 *   summary_print_table(&s, stdout);      or summary_print_json(&s, stdout)
 *   summary_free(&s);
 */
#ifndef BENCH_SUMMARY_H
#define BENCH_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "bench/analysis/report_data.h"
#include "bench/analysis/stats.h"

struct machine;
struct run_spec;
struct run_result;

/* One row of the table: a workload x mode x workers x pin group. */
struct summary_row {
	const char *workload;
	const char *mode;
	unsigned workers;
	struct summary_stats wall;
	const struct rd_group *group;   /* everything else */
};

struct summary {
	const struct machine *machine;  /* the rows' fingerprint; NULL: this machine */
	/* the rows, as CSV text */
	char *csv;
	size_t len, cap;
	int error;                      /* -errno: a row could not be kept */
	/* after summary_compute() */
	struct report_data data;
	int computed;
	struct summary_row *rows;
	size_t nrows;
	unsigned pus;                   /* usable PUs of the rows' machine */
	/* Optional: more members of the JSON object, each printed as
	 * ",\n\"name\": value" after "summary" (the verdict). */
	void (*json_extra)(FILE *out, void *arg);
	void *json_extra_arg;
};

/* Keep the row of one run (warm-ups too: the analysis leaves them out). */
int summary_add(struct summary *s, const struct run_spec *spec, const struct run_result *r,
		const char *params);
/* Analyse the rows.  0, or -errno with the reason printed. */
int summary_compute(struct summary *s);
/* The row of @workload x @mode (the first, when several worker counts ran), or NULL. */
const struct summary_row *summary_find(const struct summary *s, const char *workload,
				       const char *mode);

/*
 * Contention over the rows: 1 when some row is contended; *@pus_taken is
 * how many PUs others (and the hypervisor) took on average over the runs.
 */
int summary_contention(const struct summary *s, double *pus_taken);

void summary_print_table(const struct summary *s, FILE *out);
void summary_print_json(const struct summary *s, FILE *out);
void summary_free(struct summary *s);

/* "95 % interval 1.20-1.31x" or "range 1.1-1.4x (n < 6: no interval)" style cells. */
void summary_fmt_interval(char *buf, size_t len, const struct summary_stats *st, int ratio);

#endif
