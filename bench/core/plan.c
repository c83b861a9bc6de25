#include "bench/core/plan.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/core/options.h"
#include "bench/core/registry.h"

/* Resolve the mode names ("all" expands) into @out, without duplicates. */
static int plan_modes(const struct config *cfg, const struct mode **out, size_t *n,
		      char *err, size_t len)
{
	char names[512];

	*n = 0;
	for (size_t i = 0; i < cfg->nmodes; i++) {
		const char *name = cfg->modes[i];

		if (!strcmp(name, "all")) {
			for (size_t j = 0; j < registry_nmodes; j++) {
				const struct mode *m = registry_modes[j];
				size_t k;

				if (!registry_mode_in_all(m))
					continue;
				for (k = 0; k < *n && out[k] != m; k++)
					;
				if (k == *n && *n < CONFIG_MAX_LIST)
					out[(*n)++] = m;
			}
			continue;
		}
		const struct mode *m = registry_mode(name);
		if (!m) {
			registry_mode_names(names, sizeof(names));
			snprintf(err, len, "--modes: unknown mode '%s' (valid: %s, all)", name, names);
			return -EINVAL;
		}
		if (m->unavailable) {
			snprintf(err, len, "--modes: mode '%s' is not available: %s", name, m->unavailable);
			return -EINVAL;
		}
		size_t k;
		for (k = 0; k < *n && out[k] != m; k++)
			;
		if (k == *n)
			out[(*n)++] = m;
	}
	return 0;
}

static unsigned fixed_workers(const struct mode *m)
{
	if (m->baseline)
		return 1;
	if (m->one_worker_per_task)
		return 0;
	return (unsigned)-1;   /* takes --workers */
}

/* The worker count of the @k-th --workers entry for mode @m. */
static int plan_count(const struct config *cfg, const struct mode *m, unsigned fixed, size_t k,
		      unsigned auto_workers, unsigned *workers, char *err, size_t len)
{
	int automatic = !cfg->workers[k];

	*workers = fixed;
	if (fixed != (unsigned)-1)
		return 0;
	*workers = automatic ? auto_workers : cfg->workers[k];
	return m->plan_workers ? m->plan_workers(workers, automatic, err, len) : 0;
}

int plan_expand(const struct config *cfg, unsigned auto_workers,
		struct run_spec **runs, size_t *nruns, char *err, size_t len)
{
	const struct mode *modes[CONFIG_MAX_LIST];
	const struct workload *wls[CONFIG_MAX_LIST];
	size_t nmodes, cap, n = 0;
	struct run_spec *out;
	char why[1024];
	int rc;

	rc = plan_modes(cfg, modes, &nmodes, err, len);
	if (rc)
		return rc;
	for (size_t w = 0; w < cfg->nworkloads; w++) {
		wls[w] = registry_workload_open(cfg->workloads[w], why, sizeof(why));
		if (!wls[w]) {
			snprintf(err, len, "--workload: %s", why);
			return -EINVAL;
		}
		if (wls[w]->unavailable) {
			snprintf(err, len, "--workload: '%s' is not available: %s",
				 cfg->workloads[w], wls[w]->unavailable);
			return -EINVAL;
		}
	}

	/* an option that means nothing without its owner (--seconds: sleep's) */
	if (options_refuse_unused(cfg, wls, cfg->nworkloads, err, len))
		return -EINVAL;

	cap = cfg->nworkloads * nmodes * cfg->nworkers * cfg->npins;
	out = calloc(cap ? cap : 1, sizeof(*out));
	if (!out)
		return -ENOMEM;

	for (size_t w = 0; w < cfg->nworkloads; w++) {
		{
			for (size_t m = 0; m < nmodes; m++) {
				unsigned fixed = fixed_workers(modes[m]);
				size_t nw = fixed == (unsigned)-1 ? cfg->nworkers : 1;
				unsigned counts[CONFIG_MAX_LIST];

				for (size_t k = 0; k < nw; k++) {
					rc = plan_count(cfg, modes[m], fixed, k, auto_workers, &counts[k],
							err, len);
					if (rc) {
						free(out);
						return rc;
					}
					/* "--workers 2,auto" on 2 PUs: run 2 once */
					int dup = 0;
					for (size_t j = 0; j < k; j++)
						dup |= counts[j] == counts[k];
					if (dup)
						continue;
					unsigned workers = counts[k];
					for (size_t p = 0; p < cfg->npins; p++) {
						struct run_spec *s = &out[n];

						s->seq = n;
						s->workload = wls[w];
						s->workload_index = w;
						s->mode = modes[m];
						s->workers = workers;
						s->pin = cfg->pins[p];
						n++;
					}
				}
			}
		}
	}
	*runs = out;
	*nruns = n;
	return 0;
}

unsigned plan_effective_workers(const struct run_spec *spec, size_t ntasks)
{
	if (spec->workers == 0)
		return ntasks ? (unsigned)ntasks : 1;
	return spec->workers;
}

/* splitmix64: a small, good generator for a reproducible shuffle. */
static uint64_t mix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void plan_shuffle(size_t *order, size_t n, unsigned long long seed, unsigned round)
{
	uint64_t x = seed ^ ((uint64_t)round * 0xd1b54a32d192ed03ULL);

	for (size_t i = n; i > 1; i--) {
		size_t k = (size_t)(mix(&x) % i), t = order[i - 1];

		order[i - 1] = order[k];
		order[k] = t;
	}
}
