/*
 * verdict — what a comparison means, in a few sentences that a test or a
 * measured component supports.
 *
 * For each workload of a summary:
 * - the candidates are the fastest row (by median wall time) of every mode
 *   but the teaching ones, seq included.  The fastest of them is compared
 *   with each other one by the Mann-Whitney U test on their wall times,
 *   Holm-corrected for the number of comparisons, alpha = VERDICT_ALPHA.
 *   It is named the winner only when it is significantly faster than every
 *   other candidate; otherwise the verdict says which ones are tied, with
 *   the p-value;
 * - parallelising is "worth it" only when the best parallel row's paired
 *   speedup interval lies above 1 (at least 6 repetitions);
 * - threads against processes: the pair with as many workers that holds
 *   the fastest row, by the same test; a reason is named only from
 *   measured components: start-up (spawn) time when its difference is at
 *   least a quarter of the wall-time difference, system time (and page
 *   faults) likewise, and how much the tasks compute (task CPU / wall time);
 * - contended runs (bench/sys/contention.h) withhold the verdict: it says how
 *   much of the machine others took instead, and never classifies the
 *   tasks from such runs.
 */
#ifndef BENCH_VERDICT_H
#define BENCH_VERDICT_H

#include <stdio.h>

#include "bench/analysis/summary.h"

#define VERDICT_ALPHA 0.05
/* A component explains a difference when it is this share of it. */
#define VERDICT_EXPLAINS 0.25

/*
 * The first sentence of the verdict on workload @w of machine @m of @d
 * (who won, or which are tied, or why it is withheld); *@winner (may be
 * NULL) the winning group, NULL when there is none.
 */
void verdict_headline(const struct report_data *d, size_t m, size_t w, char *buf, size_t len,
		      const struct rd_group **winner);

/* The verdict for every workload of @s (computed). */
void verdict_print(const struct summary *s, FILE *out);
/* The same as a JSON array (no trailing newline). */
void verdict_print_json(const struct summary *s, FILE *out);
/* Make summary_print_json(@s) end with a "verdict" member. */
void verdict_attach_json(struct summary *s);

#endif
