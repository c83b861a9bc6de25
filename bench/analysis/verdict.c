#include "bench/analysis/verdict.h"

#include <math.h>
#include <string.h>

#include "bench/api/mode.h"
#include "bench/core/registry.h"
#include "bench/report/trace.h"

#define MAX_CANDS 32

enum family { FAM_SEQ, FAM_THREADS, FAM_PROCESSES, FAM_TEACHING };

struct cand {
	const struct rd_group *g;
	double p;                  /* against the leader, Holm-adjusted; NaN for the leader */
};

struct judgement {
	const struct report_data *d;
	size_t m;                  /* the machine judged */
	unsigned pus;              /* its usable PUs */
	const char *workload;
	const struct rd_group *seq, *best_par, *winner;
	struct cand cands[MAX_CANDS];
	size_t ncands, leader;
	double p_value;            /* NaN: no comparison */
	int contended;
	double taken;              /* PUs others took, on average over the runs */
	size_t runs, busy_runs;
	size_t failed, stopped;    /* measured runs not ok, and those the user stopped */
	const char *teaching;      /* a teaching-only mode whose runs ended ok (gil) */
	double ratio;              /* task CPU / wall, < 0 unknown */
	const char *kind;
	const char *recommend;
	char headline[640];
	char reason[1536];
	char note[512];            /* threads vs processes at another worker count */
	char gil[384];
};

static enum family family_of(const struct rd_group *g)
{
	const struct mode *m = registry_mode(g->mode);

	if (report_data_is_baseline(g->mode))
		return FAM_SEQ;
	if (m && m->teaching_only)
		return FAM_TEACHING;
	return m && m->processes ? FAM_PROCESSES : FAM_THREADS;
}

static const char *kind_of(double ratio, int contended, int bound)
{
	if (bound == BOUND_NONE)
		return "no work";
	if (contended)
		return "not classified (contended runs)";
	if (ratio < 0)
		return "unknown";
	if (ratio >= 0.7)
		return "CPU-bound";
	if (ratio <= 0.3)
		return "I/O-bound";
	return "mixed";
}

static double mw(const struct rd_group *a, const struct rd_group *b)
{
	return stats_mann_whitney(a->walls, a->n, b->walls, b->n, NULL);
}

static void fmt_speedup(char *buf, size_t len, const struct rd_group *g)
{
	char iv[48];

	if (g->speedup < 0) {
		snprintf(buf, len, "no seq run to compare with");
		return;
	}
	summary_fmt_interval(iv, sizeof(iv), &g->ratio, 1);
	if (!isnan(g->speedup_lo))
		snprintf(buf, len, "%.2fx seq's speed, 95%% interval %s", g->speedup, iv);
	else
		snprintf(buf, len, "%.2fx seq's speed (%s; %zu paired reps, %d needed for an "
			 "interval)", g->speedup, iv, g->ratio.n, STATS_CI_MIN_N);
}

static int several_pins;   /* set by judge(): labels name the pin too */

static int label(char *buf, size_t len, const struct rd_group *g)
{
	if (several_pins)
		return snprintf(buf, len, "%s w=%u pin=%s", g->mode, g->workers, g->pin);
	return snprintf(buf, len, "%s w=%u", g->mode, g->workers);
}

/* ------------------------------------------------------------------ the candidates */

static void collect(size_t w, struct judgement *j)
{
	const struct report_data *d = j->d;
	double taken = 0, wall = 0;

	for (size_t i = 0; i < d->ngroups; i++) {
		const struct rd_group *g = &d->groups[i];
		size_t k;

		if (g->workload != w || g->machine != j->m)
			continue;
		j->contended |= g->contended;
		j->runs += g->n + g->failed;
		j->failed += g->failed;
		j->stopped += g->interrupted;
		if (g->n && family_of(g) == FAM_TEACHING)
			j->teaching = g->mode;
		j->busy_runs += g->contended_runs;
		taken += g->others_s + g->steal_s;
		wall += g->wall_sum;
		if (!g->n || family_of(g) == FAM_TEACHING)
			continue;
		if (family_of(g) == FAM_SEQ && (!j->seq || g->wall.median < j->seq->wall.median))
			j->seq = g;
		for (k = 0; k < j->ncands && strcmp(j->cands[k].g->mode, g->mode); k++)
			;
		if (k == j->ncands) {
			if (j->ncands == MAX_CANDS)
				continue;
			j->cands[j->ncands++].g = g;
		} else if (g->wall.median < j->cands[k].g->wall.median) {
			j->cands[k].g = g;
		}
	}
	j->taken = wall > 0 ? taken / wall : 0;
	if (j->ncands == 1) {
		/* one mode at several worker counts (or pins): its rows are the candidates */
		const char *mode = j->cands[0].g->mode;

		j->ncands = 0;
		for (size_t i = 0; i < d->ngroups && j->ncands < MAX_CANDS; i++) {
			const struct rd_group *g = &d->groups[i];

			if (g->workload == w && g->machine == j->m && g->n && !strcmp(g->mode, mode))
				j->cands[j->ncands++].g = g;
		}
	}
	for (size_t k = 0; k < j->ncands; k++) {
		const struct rd_group *g = j->cands[k].g;

		if (g->wall.median < j->cands[j->leader].g->wall.median)
			j->leader = k;
		if (family_of(g) != FAM_SEQ &&
		    (!j->best_par || g->wall.median < j->best_par->wall.median))
			j->best_par = g;
	}
}

/* The leader against each other candidate, Holm-corrected. */
static void compare(struct judgement *j)
{
	double p[MAX_CANDS];
	size_t n = 0, wins = 0;
	const struct rd_group *lead = j->cands[j->leader].g;

	j->p_value = NAN;
	for (size_t k = 0; k < j->ncands; k++)
		if (k != j->leader)
			p[n++] = mw(lead, j->cands[k].g);
	stats_holm(p, n);
	n = 0;
	for (size_t k = 0; k < j->ncands; k++) {
		if (k == j->leader) {
			j->cands[k].p = NAN;
			continue;
		}
		j->cands[k].p = p[n++];
		wins += j->cands[k].p < VERDICT_ALPHA;
		if (isnan(j->p_value) || j->cands[k].p > j->p_value)
			j->p_value = j->cands[k].p;
	}
	if (n && wins == n)
		j->winner = lead;
}

/* Smallest two-sided p the exact Mann-Whitney test can give for @na against @nb. */
static double mw_min_p(size_t na, size_t nb)
{
	double lc = lgamma((double)(na + nb) + 1) - lgamma((double)na + 1) - lgamma((double)nb + 1);

	return fmin(1, 2 * exp(-lc));
}

/*
 * Could these run counts name a winner at all?  Only if the leader could
 * beat every other candidate after the Holm correction even when each
 * comparison gave its smallest possible p.
 */
static int winner_possible(const struct judgement *j, double *best_p)
{
	const struct rd_group *lead = j->cands[j->leader].g;
	double p[MAX_CANDS];
	size_t n = 0;
	int possible = 1;

	for (size_t k = 0; k < j->ncands; k++)
		if (k != j->leader)
			p[n++] = mw_min_p(lead->n, j->cands[k].g->n);
	stats_holm(p, n);
	*best_p = 0;
	for (size_t k = 0; k < n; k++) {
		*best_p = fmax(*best_p, p[k]);
		if (!(p[k] < VERDICT_ALPHA))
			possible = 0;
	}
	return possible;
}

static void headline(struct judgement *j)
{
	const struct rd_group *lead = j->cands[j->leader].g;
	char a[64], sp[160];
	size_t used, fewest = lead->n;
	double best_p;

	if (j->contended) {
		snprintf(j->headline, sizeof(j->headline),
			 "verdict withheld: other processes used %.1f PUs on average during these "
			 "runs (%zu of %zu runs contended), so no winner can be trusted; rerun on a "
			 "quiet machine", j->taken, j->busy_runs, j->runs);
		return;
	}
	if (j->ncands < 2) {
		label(a, sizeof(a), lead);
		snprintf(j->headline, sizeof(j->headline), "only %s ran: nothing to compare it with", a);
		return;
	}
	label(a, sizeof(a), lead);
	if (j->winner) {
		if (family_of(lead) == FAM_SEQ)
			used = (size_t)snprintf(j->headline, sizeof(j->headline), "seq won: every "
						"other mode was significantly slower (p <= %.2g, "
						"Mann-Whitney U, Holm-corrected)", j->p_value);
		else {
			fmt_speedup(sp, sizeof(sp), lead);
			used = (size_t)snprintf(j->headline, sizeof(j->headline), "%s won: %s; "
						"significantly faster than every other mode (p <= %.2g, "
						"Mann-Whitney U, Holm-corrected)", a, sp, j->p_value);
			/* the runs as a whole differ, but not every repetition's pair did */
			if (lead->speedup_lo <= 1 && used < sizeof(j->headline))
				used += (size_t)snprintf(j->headline + used, sizeof(j->headline) - used,
							 ", though its paired speedup interval reaches "
							 "1: in some repetitions seq was as fast");
		}
		if (lead->failed && used < sizeof(j->headline))
			snprintf(j->headline + used, sizeof(j->headline) - used, "; %zu of its %zu runs "
				 "failed and are not in these numbers", lead->failed, lead->n + lead->failed);
		return;
	}
	if (!winner_possible(j, &best_p)) {
		/* too few runs for any test: "indistinguishable" would claim more than that */
		for (size_t k = 0; k < j->ncands; k++)
			if (j->cands[k].g->n < fewest)
				fewest = j->cands[k].g->n;
		used = (size_t)snprintf(j->headline, sizeof(j->headline), "no test can name a winner "
					"with %zu run%s %s (the smallest p possible, Holm-corrected, "
					"is %.2g): more repetitions would (--reps N, or a higher "
					"--max-reps); fastest by median: %s", fewest,
					fewest == 1 ? "" : "s", fewest == lead->n ? "each" :
					"in the smallest row", best_p, a);
		return;
	}
	{
		size_t tied[MAX_CANDS], nt = 0;

		for (size_t k = 0; k < j->ncands; k++)
			if (k != j->leader && !(j->cands[k].p < VERDICT_ALPHA))
				tied[nt++] = k;
		used = (size_t)snprintf(j->headline, sizeof(j->headline), "no single winner: %s", a);
		for (size_t i = 0; i < nt && used < sizeof(j->headline); i++) {
			const struct rd_group *g = j->cands[tied[i]].g;

			if (g->n < fewest)
				fewest = g->n;
			if (i == 4) {
				used += (size_t)snprintf(j->headline + used, sizeof(j->headline) - used,
							 " and %zu more", nt - 4);
				break;
			}
			label(a, sizeof(a), g);
			used += (size_t)snprintf(j->headline + used, sizeof(j->headline) - used,
						 "%s%s (p=%.2g)", i + 1 == nt ? " and " : ", ", a,
						 j->cands[tied[i]].p);
		}
	}
	if (used < sizeof(j->headline))
		used += (size_t)snprintf(j->headline + used, sizeof(j->headline) - used,
					 " are indistinguishable here (Mann-Whitney U, Holm-corrected)");
	/* tied among themselves, but each of them beats seq: say that too */
	{
		double worst = INFINITY;

		for (size_t k = 0; k < j->ncands; k++) {
			const struct rd_group *g = j->cands[k].g;

			if (k != j->leader && j->cands[k].p < VERDICT_ALPHA)
				continue;
			worst = family_of(g) == FAM_SEQ || isnan(g->speedup_lo) ? -1 :
				fmin(worst, g->speedup_lo);
		}
		if (worst > 1 && used < sizeof(j->headline))
			snprintf(j->headline + used, sizeof(j->headline) - used, "; each of them beats "
				 "seq (every speedup interval above 1; the fastest %.2fx, interval "
				 "%.2f-%.2fx)", lead->speedup, lead->speedup_lo, lead->speedup_hi);
	}
}

/* ------------------------------------------------------------------ reasons */

/*
 * Why @slow took longer than @fast, from the measured components: start-up
 * time, then system time (CPU seconds spread over the PUs that ran them).
 */
static void explain(const struct rd_group *slow, const struct rd_group *fast, unsigned pus,
		    char *buf, size_t len)
{
	double gap = slow->wall.median - fast->wall.median;
	double dspawn = slow->spawn_s - fast->spawn_s;
	unsigned par = slow->workers > fast->workers ? slow->workers : fast->workers;
	double dsys, share;
	char a[24], b[24], g[24], fa[24] = "", fb[24] = "";

	if (pus && par > pus)
		par = pus;
	dsys = (slow->sys_s - fast->sys_s) / (par ? par : 1);
	stats_fmt_seconds(g, sizeof(g), gap);
	if (gap > 0 && dspawn >= VERDICT_EXPLAINS * gap) {
		stats_fmt_seconds(a, sizeof(a), slow->spawn_s);
		stats_fmt_seconds(b, sizeof(b), fast->spawn_s);
		share = fmin(1, dspawn / gap);
		snprintf(buf, len, "starting the workers took %s against %s, %.0f %% of the %s "
			 "difference", a, b, 100 * share, g);
		return;
	}
	if (gap > 0 && !isnan(dsys) && dsys >= VERDICT_EXPLAINS * gap) {
		stats_fmt_seconds(a, sizeof(a), slow->sys_s);
		stats_fmt_seconds(b, sizeof(b), fast->sys_s);
		if (!isnan(slow->minflt) && !isnan(fast->minflt)) {
			snprintf(fa, sizeof(fa), "%.0f", slow->minflt);
			snprintf(fb, sizeof(fb), "%.0f", fast->minflt);
		}
		snprintf(buf, len, "system time: %s against %s of kernel CPU time%s%s%s%s%s%s, "
			 "about %.0f %% of the %s difference on %u PU%s%s", a, b,
			 fa[0] ? " (minor page faults " : "", fa, fa[0] ? " against " : "", fb,
			 fa[0] ? ")" : "", "", 100 * fmin(1, dsys / gap), g, par, par == 1 ? "" : "s",
			 family_of(slow) == FAM_THREADS && family_of(fast) == FAM_PROCESSES &&
			 slow->minflt > 1.2 * fast->minflt ?
			 ": the kernel serves every thread's page faults in one shared address space" : "");
		return;
	}
	stats_fmt_seconds(a, sizeof(a), dspawn);
	stats_fmt_seconds(b, sizeof(b), dsys);
	snprintf(buf, len, "the %s difference is not explained by start-up (%s more) or system "
		 "time (%s more per PU), the components bench measures", g,
		 dspawn > 0 ? a : "none", dsys > 0 ? b : "none");
}

/* What bounds the parallel rows, from how much the tasks compute. */
static void limit(const struct judgement *j, unsigned pus, char *buf, size_t len)
{
	const struct rd_group *b = j->best_par;

	buf[0] = '\0';
	if (j->ratio >= 0.7)
		snprintf(buf, len, "the tasks compute (CPU/wall %.2f), so the %u PU%s cap the speedup "
			 "at %ux (got %.2fx)", j->ratio, pus, pus == 1 ? "" : "s", pus, b->speedup);
	else if (j->ratio >= 0 && j->ratio <= 0.3)
		snprintf(buf, len, "the tasks mostly wait (CPU/wall %.2f), which needs no PU, so %u "
			 "workers overlap their waits (%.2fx)", j->ratio, b->workers, b->speedup);
	else if (j->ratio >= 0)
		snprintf(buf, len, "the tasks compute part of the time (CPU/wall %.2f): the %u PU%s "
			 "limit the computing part, the waits overlap (%.2fx)", j->ratio, pus,
			 pus == 1 ? "" : "s", b->speedup);
}

/*
 * The thread and the process row with as many workers that holds the
 * fastest member (10 sleeping threads beat 2 processes by their count).
 */
static int family_pair(const struct judgement *j, size_t w, const struct rd_group **t,
		       const struct rd_group **p, const struct rd_group *skip_t)
{
	const struct report_data *d = j->d;
	double best = INFINITY;

	*t = *p = NULL;
	for (size_t i = 0; i < d->ngroups; i++) {
		const struct rd_group *a = &d->groups[i];

		if (a->workload != w || a->machine != j->m || !a->n || family_of(a) != FAM_THREADS ||
		    a == skip_t)
			continue;
		for (size_t k = 0; k < d->ngroups; k++) {
			const struct rd_group *b = &d->groups[k];

			if (b->workload != w || !b->n || family_of(b) != FAM_PROCESSES ||
			    b->workers != a->workers || b->machine != a->machine)
				continue;
			if (fmin(a->wall.median, b->wall.median) < best) {
				best = fmin(a->wall.median, b->wall.median);
				*t = a;
				*p = b;
			}
		}
	}
	return *t != NULL;
}

/*
 * The p-value of @a against @b as the verdict's family of comparisons
 * sees it: the Holm-adjusted one when one of them is the leader and the
 * other a candidate, else the raw one corrected for the family's size
 * (Bonferroni), so that no sentence calls different what another calls
 * indistinguishable.
 */
static double family_p(const struct judgement *j, const struct rd_group *a, const struct rd_group *b)
{
	const struct rd_group *lead = j->cands[j->leader].g;

	for (size_t k = 0; k < j->ncands; k++)
		if ((a == lead && j->cands[k].g == b) || (b == lead && j->cands[k].g == a))
			return j->cands[k].p;
	return fmin(1, mw(a, b) * (double)(j->ncands > 1 ? j->ncands : 1));
}

/* Threads against processes: a sentence, and the recommendation when it decides. */
static const char *judge_pair(const struct judgement *j, const struct rd_group *t,
			      const struct rd_group *p, unsigned pus, char *buf, size_t len)
{
	double pv = family_p(j, t, p);
	const struct rd_group *fast = t->wall.median <= p->wall.median ? t : p;
	const struct rd_group *slow = fast == t ? p : t;
	char why[512], fa[64], sl[64], mf[24], ms[24];

	label(fa, sizeof(fa), fast);
	label(sl, sizeof(sl), slow);
	stats_fmt_seconds(mf, sizeof(mf), fast->wall.median);
	stats_fmt_seconds(ms, sizeof(ms), slow->wall.median);
	if (!(pv < VERDICT_ALPHA)) {
		snprintf(buf, len, "with %u workers threads (%s, %s) and processes (%s, %s) are "
			 "indistinguishable (p=%.2g)", t->workers, t->mode,
			 t == fast ? mf : ms, p->mode, p == fast ? mf : ms, pv);
		return "threads or processes";
	}
	explain(slow, fast, pus, why, sizeof(why));
	snprintf(buf, len, "%s (%s) beat %s (%s), p=%.2g; %.400s", fa, mf, sl, ms, pv, why);
	return fast == t ? "threads" : "processes";
}

static void recommend(size_t w, struct judgement *j)
{
	const struct rd_group *b = j->best_par, *t = NULL, *p = NULL;
	char lim[320], pair[640], a[64], iv[48];

	j->recommend = NULL;
	if (j->contended) {
		snprintf(j->reason, sizeof(j->reason), "the speedups above were measured while "
			 "other programs ran");
		return;
	}
	if (!b) {
		snprintf(j->reason, sizeof(j->reason), "run seq with threadpool and procpool "
			 "(--modes all) for a recommendation");
		return;
	}
	if (!j->seq || b->speedup < 0) {
		snprintf(j->reason, sizeof(j->reason), "add seq to --modes to know whether it pays");
		return;
	}
	label(a, sizeof(a), b);
	limit(j, j->pus, lim, sizeof(lim));
	if (b->speedup_lo > 1) {
		if (family_pair(j, w, &t, &p, NULL)) {
			j->recommend = judge_pair(j, t, p, j->pus, pair, sizeof(pair));
			snprintf(j->reason, sizeof(j->reason), "%s%s%s", pair, lim[0] ? "; " : "", lim);
		} else {
			j->recommend = family_of(b) == FAM_PROCESSES ? "processes" : "threads";
			snprintf(j->reason, sizeof(j->reason), "%s, the only kind measured, at %.2fx "
				 "(interval above 1)%s%s", j->recommend, b->speedup, lim[0] ? "; " : "",
				 lim);
		}
		/* the other pair, when the numbers show something there */
		if (t && family_pair(j, w, &t, &p, t) && family_p(j, t, p) < VERDICT_ALPHA)
			judge_pair(j, t, p, j->pus, j->note, sizeof(j->note));
		return;
	}
	j->recommend = "sequential";
	summary_fmt_interval(iv, sizeof(iv), &b->ratio, 1);
	if (b->speedup_hi < 1) {
		explain(b, j->seq, j->pus, pair, sizeof(pair));
		snprintf(j->reason, sizeof(j->reason), "the best parallel row, %s, was slower than "
			 "seq (%.2fx, interval %s): %s", a, b->speedup, iv, pair);
	} else if (isnan(b->speedup_lo)) {
		j->recommend = NULL;
		snprintf(j->reason, sizeof(j->reason), "the best parallel row, %s at %.2fx (%s), "
			 "has too few paired runs for an interval (%zu, %d needed); use --reps auto",
			 a, b->speedup, iv, b->ratio.n, STATS_CI_MIN_N);
	} else {
		j->recommend = NULL;
		snprintf(j->reason, sizeof(j->reason), "the best parallel row, %s at %.2fx (interval "
			 "%s), cannot be told from seq: its interval holds 1", a, b->speedup, iv);
	}
}

static void judge_gil(size_t w, struct judgement *j)
{
	const struct report_data *d = j->d;
	const struct rd_group *g = NULL, *t = NULL;
	double pv;

	for (size_t i = 0; i < d->ngroups; i++) {
		const struct rd_group *x = &d->groups[i];

		if (x->workload == w && x->machine == j->m && x->n && family_of(x) == FAM_TEACHING &&
		    x->speedup >= 0 &&
		    (!g || x->wall.median < g->wall.median))
			g = x;
	}
	if (!g)
		return;
	for (size_t i = 0; i < d->ngroups; i++) {
		const struct rd_group *x = &d->groups[i];

		if (x->workload == w && x->machine == j->m && x->n && family_of(x) == FAM_THREADS &&
		    x->speedup >= 0 &&
		    (!t || (x->workers == g->workers) > (t->workers == g->workers) ||
		     ((x->workers == g->workers) == (t->workers == g->workers) &&
		      x->wall.median < t->wall.median)))
			t = x;
	}
	if (!t) {
		snprintf(j->gil, sizeof(j->gil), "GIL: %u threads under the simulated GIL reached "
			 "%.2fx", g->workers, g->speedup);
		return;
	}
	pv = mw(g, t);
	snprintf(j->gil, sizeof(j->gil), "GIL: %s w=%u reached %.2fx against %s w=%u at %.2fx: "
		 "%s (p=%.2g)", g->mode, g->workers, g->speedup, t->mode, t->workers, t->speedup,
		 !(pv < VERDICT_ALPHA) ? "indistinguishable" :
		 g->wall.median > t->wall.median ? "the GIL held the threads back" :
		 "faster with the GIL", pv);
}

static void judge(const struct report_data *d, size_t m, size_t w, struct judgement *j)
{
	int busy;

	memset(j, 0, sizeof(*j));
	j->p_value = NAN;
	several_pins = d->several_pins;
	j->d = d;
	j->m = m;
	j->pus = d->machines[m].usable_pus;
	j->workload = d->workloads[w].name;
	collect(w, j);
	j->ratio = report_data_cpu_ratio(d, m, w, &busy);
	j->kind = kind_of(j->ratio, busy || j->contended, d->workloads[w].bound);
	if (j->contended)
		j->ratio = -1;
	if (!j->ncands) {
		if (j->failed)
			snprintf(j->headline, sizeof(j->headline), "no measured run ended ok (%zu "
				 "failed%s)", j->failed, j->stopped ? ", the rest stopped by you" : "");
		else if (j->stopped)
			snprintf(j->headline, sizeof(j->headline), "no measured run finished: %zu "
				 "stopped by you", j->stopped);
		else if (j->teaching)
			snprintf(j->headline, sizeof(j->headline), "only %s ran, a mode for teaching "
				 "whose runs the verdict does not judge", j->teaching);
		else
			snprintf(j->headline, sizeof(j->headline), "no measured repetition ran "
				 "(only warm-ups did)");
		snprintf(j->reason, sizeof(j->reason), "nothing was measured to compare");
		return;
	}
	compare(j);
	headline(j);
	recommend(w, j);
	if (!j->contended)
		judge_gil(w, j);
}

void verdict_headline(const struct report_data *d, size_t m, size_t w, char *buf, size_t len,
		      const struct rd_group **winner)
{
	struct judgement j;

	judge(d, m, w, &j);
	snprintf(buf, len, "%s", j.headline);
	if (winner)
		*winner = j.contended ? NULL : j.winner;
}

/* ------------------------------------------------------------------ output */

/* Print @text after @first, wrapped at 78 columns, later lines after @cont. */
static void print_wrapped(FILE *out, const char *first, const char *cont, const char *text)
{
	size_t col = strlen(first), indent = strlen(cont);
	int line_start = 1;

	fputs(first, out);
	while (*text) {
		size_t word = strcspn(text, " ");

		if (!line_start && col + 1 + word > 78) {
			fprintf(out, "\n%s", cont);
			col = indent;
			line_start = 1;
		}
		if (!line_start) {
			fputc(' ', out);
			col++;
		}
		line_start = 0;
		fwrite(text, 1, word, out);
		col += word;
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', out);
}

void verdict_print(const struct summary *s, FILE *out)
{
	const struct report_data *d = &s->data;
	char line[2048];

	if (!s->nrows)
		return;
	fprintf(out, "\nverdict on this machine (%u PU%s usable)\n", s->pus, s->pus == 1 ? "" : "s");
	for (size_t w = 0; w < d->nworkloads; w++) {
		struct judgement j;

		judge(d, report_data_last_machine(d), w, &j);
		snprintf(line, sizeof(line), "%s: %s", j.workload, j.headline);
		print_wrapped(out, "  ", "      ", line);
		if (j.ratio >= 0 || j.contended) {
			if (j.ratio >= 0)
				snprintf(line, sizeof(line), "tasks: %s (task CPU time / wall time %.2f)",
					 j.kind, j.ratio);
			else
				snprintf(line, sizeof(line), "tasks: %s", j.kind);
			print_wrapped(out, "    ", "      ", line);
		}
		if (j.recommend)
			snprintf(line, sizeof(line), "use %s: %s", j.recommend, j.reason);
		else
			snprintf(line, sizeof(line), "no recommendation: %s", j.reason);
		print_wrapped(out, "    ", "      ", line);
		if (j.note[0])
			print_wrapped(out, "    ", "      ", j.note);
		if (j.gil[0])
			print_wrapped(out, "    ", "      ", j.gil);
	}
}

static void json_string(FILE *out, const char *key, const char *s, int comma)
{
	fprintf(out, "\"%s\": ", key);
	trace_json_string(out, s);
	fprintf(out, "%s", comma ? ", " : "");
}

static void json_number(FILE *out, const char *key, double v, int comma)
{
	if (isnan(v) || isinf(v) || v < 0)
		fprintf(out, "\"%s\": null%s", key, comma ? ", " : "");
	else
		fprintf(out, "\"%s\": %.4g%s", key, v, comma ? ", " : "");
}

void verdict_print_json(const struct summary *s, FILE *out)
{
	const struct report_data *d = &s->data;

	fprintf(out, "[");
	for (size_t w = 0; w < d->nworkloads; w++) {
		struct judgement j;
		const struct rd_group *b;
		size_t ntied = 0;

		judge(d, report_data_last_machine(d), w, &j);
		b = j.winner;
		fprintf(out, "%s\n  {", w ? "," : "");
		json_string(out, "workload", j.workload, 1);
		fprintf(out, "\"contended\": %s, ", j.contended ? "true" : "false");
		fprintf(out, "\"winner\": ");
		if (b && !j.contended)
			trace_json_string(out, b->mode);
		else
			fprintf(out, "null");
		fprintf(out, ", \"workers\": ");
		if (b && !j.contended)
			fprintf(out, "%u", b->workers);
		else
			fprintf(out, "null");
		fprintf(out, ", \"tied\": [");
		for (size_t k = 0; !b && !j.contended && j.ncands > 1 && k < j.ncands; k++) {
			if (k != j.leader && j.cands[k].p < VERDICT_ALPHA)
				continue;
			fprintf(out, "%s{\"mode\": ", ntied++ ? ", " : "");
			trace_json_string(out, j.cands[k].g->mode);
			fprintf(out, ", \"workers\": %u}", j.cands[k].g->workers);
		}
		fprintf(out, "], ");
		json_number(out, "p_value", j.p_value, 1);
		json_number(out, "speedup", b && b->speedup >= 0 ? b->speedup : -1, 1);
		json_number(out, "speedup_ci95_lo", b && b->speedup >= 0 ? b->speedup_lo : -1, 1);
		json_number(out, "speedup_ci95_hi", b && b->speedup >= 0 ? b->speedup_hi : -1, 1);
		json_number(out, "pus_taken", j.taken, 1);
		json_number(out, "task_cpu_per_wall", j.ratio, 1);
		json_string(out, "kind", j.kind, 1);
		if (j.recommend)
			json_string(out, "recommend", j.recommend, 1);
		else
			fprintf(out, "\"recommend\": null, ");
		json_string(out, "headline", j.headline, 1);
		json_string(out, "reason", j.reason, 1);
		json_string(out, "note", j.note, 1);
		json_string(out, "gil", j.gil, 0);
		fprintf(out, "}");
	}
	fprintf(out, "\n]");
}

static void verdict_json_member(FILE *out, void *arg)
{
	fprintf(out, ",\n\"verdict\": ");
	verdict_print_json(arg, out);
}

void verdict_attach_json(struct summary *s)
{
	s->json_extra = verdict_json_member;
	s->json_extra_arg = s;
}
