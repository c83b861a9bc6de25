#include "bench/analysis/compare.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/analysis/report_data.h"
#include "bench/analysis/stats.h"

int compare_find_host(const struct report_data *d, const char *name, size_t *m)
{
	size_t hits = 0, at = 0;

	for (size_t i = 0; i < d->nmachines; i++)
		if (!strcmp(d->machines[i].name, name)) {
			*m = i;
			return 0;
		}
	/* "HOST:FILE": the source of HOST read from FILE (a basename) */
	const char *colon = strrchr(name, ':');

	if (colon)
		for (size_t i = 0; i < d->nmachines; i++) {
			const struct rd_machine *x = &d->machines[i];

			if (strlen(x->host) == (size_t)(colon - name) &&
			    !strncmp(x->host, name, (size_t)(colon - name)) &&
			    !strcmp(report_data_basename(d->paths[x->file]), colon + 1)) {
				*m = i;
				return 0;
			}
		}
	/* a host name: that host, or the first of its sources; two machines
	 * that call themselves the same ("vm (20a8a6)", "vm (036eaa)") are
	 * not one to pick from */
	for (size_t i = 0; i < d->nmachines; i++) {
		if (strcmp(d->machines[i].host, name))
			continue;
		if (!hits++)
			at = i;
		else if (strcmp(d->machines[i].machine_id, d->machines[at].machine_id))
			return -EINVAL;
	}
	if (!hits)
		return -ENOENT;
	*m = at;
	return 0;
}

/* ------------------------------------------------------------------ pivot */

static int row_order(const struct report_data *d, const struct rd_group *a, const struct cmp_row *b)
{
	int ra = report_data_mode_rank(d, a->mode), rb = report_data_mode_rank(d, b->mode);
	int c;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	c = strcmp(a->pin, b->pin);
	if (c)
		return c;
	return (a->workers > b->workers) - (a->workers < b->workers);
}

/* The row of group @g in @cw, made (in order) when there is none yet. */
static int place(const struct report_data *d, struct cmp_workload *cw, size_t g, size_t *cap)
{
	const struct rd_group *x = &d->groups[g];
	size_t at = 0;
	int c = 1;

	while (at < cw->nrows && (c = row_order(d, x, &cw->rows[at])) > 0)
		at++;
	if (at == cw->nrows || c) {
		struct cmp_row r = { x->mode, x->pin, x->workers, NULL };

		if (cw->nrows == *cap) {
			size_t n = *cap ? 2 * *cap : 16;
			struct cmp_row *q = realloc(cw->rows, n * sizeof(*q));

			if (!q)
				return -ENOMEM;
			cw->rows = q;
			*cap = n;
		}
		r.group = malloc((d->nmachines ? d->nmachines : 1) * sizeof(long));
		if (!r.group)
			return -ENOMEM;
		for (size_t m = 0; m < d->nmachines; m++)
			r.group[m] = -1;
		memmove(&cw->rows[at + 1], &cw->rows[at], (cw->nrows - at) * sizeof(cw->rows[0]));
		cw->rows[at] = r;
		cw->nrows++;
	}
	cw->rows[at].group[x->machine] = (long)g;
	return 0;
}

static int build_workload(const struct report_data *d, size_t w, struct cmp_workload *cw)
{
	size_t cap = 0;

	memset(cw, 0, sizeof(*cw));
	cw->workload = w;
	cw->best = malloc((d->nmachines ? d->nmachines : 1) * sizeof(long));
	if (!cw->best)
		return -ENOMEM;
	for (size_t m = 0; m < d->nmachines; m++)
		cw->best[m] = -1;
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];
		long *b = &cw->best[x->machine];

		if (x->workload != w || !x->n)
			continue;
		if (place(d, cw, g, &cap))
			return -ENOMEM;
		if (*b < 0 || x->wall.median < d->groups[*b].wall.median)
			*b = (long)g;
	}
	return 0;
}

/* ------------------------------------------------------------------ tests */

static int add_tests(const struct report_data *d, struct comparison *c)
{
	size_t cap = 0;

	for (size_t i = 0; i < c->nw; i++)
		for (size_t r = 0; r < c->w[i].nrows; r++) {
			const struct cmp_row *row = &c->w[i].rows[r];
			long bg = row->group[c->baseline];

			if (bg < 0)
				continue;
			for (size_t m = 0; m < d->nmachines; m++) {
				const struct rd_group *a, *b = &d->groups[bg];
				struct cmp_test *t;

				if (m == c->baseline || row->group[m] < 0)
					continue;
				a = &d->groups[row->group[m]];
				if (c->ntests == cap) {
					size_t n = cap ? 2 * cap : 64;
					struct cmp_test *q = realloc(c->tests, n * sizeof(*q));

					if (!q)
						return -ENOMEM;
					c->tests = q;
					cap = n;
				}
				t = &c->tests[c->ntests++];
				t->w = i;
				t->row = r;
				t->other = m;
				t->ratio = a->wall.median / b->wall.median;
				t->p = stats_mann_whitney(a->walls, a->n, b->walls, b->n, NULL);
				t->contended = a->contended || b->contended;
				t->significant = t->p < COMPARE_ALPHA && !t->contended;
			}
		}
	return 0;
}

const struct cmp_test *compare_test(const struct comparison *c, size_t w, size_t row,
				    size_t other)
{
	for (size_t i = 0; i < c->ntests; i++)
		if (c->tests[i].w == w && c->tests[i].row == row && c->tests[i].other == other)
			return &c->tests[i];
	return NULL;
}

/* ------------------------------------------------------------------ ranking */

/* splitmix64, fixed seed: the same files give the same interval. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The median of a resample (with replacement) of @g's wall times; @tmp: n doubles. */
static double resampled_median(const struct rd_group *g, double *tmp, uint64_t *state)
{
	for (size_t k = 0; k < g->n; k++)
		tmp[k] = g->walls[(size_t)(((next_random(state) >> 32) * (uint64_t)g->n) >> 32)];
	return stats_median(tmp, g->n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The bootstrap interval of machine @m's score (see the header). */
static int rank_interval(const struct report_data *d, const struct comparison *c, size_t m,
			 struct cmp_rank *rk, size_t maxn)
{
	const size_t nb = COMPARE_BOOT_RESAMPLES, k = nb / 40;
	double *score = malloc(nb * sizeof(double)), *tmp = malloc((maxn ? maxn : 1) * sizeof(double));
	uint64_t state = COMPARE_BOOT_SEED;

	if (!score || !tmp) {
		free(score);
		free(tmp);
		return -ENOMEM;
	}
	for (size_t b = 0; b < nb; b++) {
		double sum = 0;

		for (size_t i = 0; i < c->nw; i++) {
			long hm = c->w[i].best[m], hb = c->w[i].best[c->baseline];

			if (hm < 0 || hb < 0)
				continue;
			sum += log(resampled_median(&d->groups[hm], tmp, &state) /
				   resampled_median(&d->groups[hb], tmp, &state));
		}
		score[b] = exp(sum / (double)rk->nworkloads);
	}
	qsort(score, nb, sizeof(double), cmp_double);
	rk->lo = score[k];
	rk->hi = score[nb - 1 - k];
	free(score);
	free(tmp);
	return 0;
}

static int score(const struct report_data *d, const struct comparison *c, size_t m,
		 struct cmp_rank *rk)
{
	double sum = 0;
	size_t maxn = 0;
	int one_run = 0;

	memset(rk, 0, sizeof(*rk));
	rk->machine = m;
	for (size_t i = 0; i < c->nw; i++) {
		long hm = c->w[i].best[m], hb = c->w[i].best[c->baseline];

		if (hm < 0 || hb < 0)
			continue;
		rk->nworkloads++;
		sum += log(d->groups[hm].wall.median / d->groups[hb].wall.median);
		rk->contended |= d->groups[hm].contended || d->groups[hb].contended;
		one_run |= d->groups[hm].n < 2 || d->groups[hb].n < 2;
		maxn = d->groups[hm].n > maxn ? d->groups[hm].n : maxn;
		maxn = d->groups[hb].n > maxn ? d->groups[hb].n : maxn;
	}
	if (!rk->nworkloads)
		return 0;
	rk->geomean = exp(sum / (double)rk->nworkloads);
	rk->lo = rk->hi = rk->geomean;
	rk->has_interval = !one_run && m != c->baseline;
	return rk->has_interval ? rank_interval(d, c, m, rk, maxn) : 0;
}

static int rank_machines(const struct report_data *d, struct comparison *c)
{
	c->rank = calloc(d->nmachines ? d->nmachines : 1, sizeof(*c->rank));
	c->unranked = calloc(d->nmachines ? d->nmachines : 1, sizeof(*c->unranked));
	if (!c->rank || !c->unranked)
		return -ENOMEM;
	for (size_t m = 0; m < d->nmachines; m++) {
		struct cmp_rank rk;
		size_t at;

		if (score(d, c, m, &rk))
			return -ENOMEM;
		if (!rk.nworkloads) {
			c->unranked[c->nunranked++] = m;
			continue;
		}
		/* insertion by score, the earlier machine first on a tie */
		for (at = c->nrank; at > 0 && c->rank[at - 1].geomean > rk.geomean; at--)
			c->rank[at] = c->rank[at - 1];
		c->rank[at] = rk;
		c->nrank++;
	}
	return 0;
}

/* ------------------------------------------------------------------ all */

int compare_compute(const struct report_data *d, size_t baseline, struct comparison *c)
{
	memset(c, 0, sizeof(*c));
	c->baseline = baseline;
	c->w = calloc(d->nworkloads ? d->nworkloads : 1, sizeof(*c->w));
	if (!c->w)
		return -ENOMEM;
	for (size_t w = 0; w < d->nworkloads; w++) {
		if (build_workload(d, w, &c->w[c->nw])) {
			c->nw++;
			goto out_free;
		}
		c->nw++;
	}
	if (add_tests(d, c) || rank_machines(d, c))
		goto out_free;
	return 0;
out_free:
	compare_free(c);
	return -ENOMEM;
}

void compare_free(struct comparison *c)
{
	for (size_t i = 0; i < c->nw; i++) {
		for (size_t r = 0; r < c->w[i].nrows; r++)
			free(c->w[i].rows[r].group);
		free(c->w[i].rows);
		free(c->w[i].best);
	}
	free(c->w);
	free(c->tests);
	free(c->rank);
	free(c->unranked);
	memset(c, 0, sizeof(*c));
}
