/*
 * verdict — what a comparison means, in a few lines computed from it.
 *
 * After the summary table, for each workload: which mode won and by how
 * much (speedup over seq with its interval), how CPU-bound the tasks were
 * (summed task CPU time / summed task wall time, from the seq runs when
 * there are some, since other modes add waiting), and what follows on this
 * machine, with the one reason that decides it: the PU count, the cost of
 * starting workers, the GIL (when the gil mode ran) or time spent waiting.
 *
 *   struct verdict v = { 0 };
 *   for each run:   verdict_add(&v, spec, &result);
 *   after summary_compute():
 *                   verdict_print(&v, &summary, pus, stdout);
 */
#ifndef BENCH_VERDICT_H
#define BENCH_VERDICT_H

#include <stddef.h>
#include <stdio.h>

#include "bench/config.h"

struct run_spec;
struct run_result;
struct summary;

/* Task time of one workload, summed over the measured runs. */
struct verdict_load {
	const char *workload;
	int bound;                   /* enum bound */
	double seq_cpu_s, seq_wall_s;
	size_t seq_tasks;
	double cpu_s, wall_s;        /* every mode but gil */
	size_t tasks;
};

struct verdict {
	struct verdict_load loads[CONFIG_MAX_LIST];
	size_t nloads;
	/* set by verdict_attach_json() */
	const struct summary *summary;
	unsigned pus;
};

/* Add the ok tasks of one measured run (warm-ups are ignored). */
void verdict_add(struct verdict *v, const struct run_spec *spec, const struct run_result *r);

/* CPU time / wall time of @workload's tasks; < 0 when unknown. */
double verdict_cpu_ratio(const struct verdict *v, const char *workload);

/* The verdict for every workload of @s (computed) on @pus usable PUs. */
void verdict_print(const struct verdict *v, const struct summary *s, unsigned pus, FILE *out);
/* The same as a JSON array (no trailing newline). */
void verdict_print_json(const struct verdict *v, const struct summary *s, unsigned pus, FILE *out);

/* Make summary_print_json(@s) end with a "verdict" member. */
void verdict_attach_json(struct verdict *v, struct summary *s, unsigned pus);

#endif
