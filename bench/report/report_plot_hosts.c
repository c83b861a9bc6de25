/*
 * Charts across hosts and of fits: each host's best time, noop's cost per
 * task (plots/hbars.gp), and the scaling chart of a fit (plots/scaling.gp).
 */
#include "bench/report/report_plot_int.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/analysis/report_data.h"
#include "bench/analysis/scaling.h"
#include "bench/analysis/stats.h"

/* ------------------------------------------------------------------ scaling fits */

void plot_name_part(char *out, size_t len, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < len && n < 40; s++) {
		int keep = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			   (*s >= '0' && *s <= '9') || *s == '_' || *s == '.';

		if (keep)
			out[n++] = *s;
		else if (n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

int plot_scaling(struct plot_set *p, const struct report_data *d, const struct scaling_fit *sf,
		 int with_host, char *name, size_t len)
{
	const struct rd_machine *mach = &d->machines[sf->machine];
	const struct rd_workload *wl = &d->workloads[sf->workload];
	const struct fit_scaling *fs = &sf->fit;
	double xmin, xmax, ymax = 1, pmin;
	size_t nmin = SIZE_MAX, nmax = 0;
	char file[240], host[48], mode[48], pin[24], title[1024], sub[1024], pt[64], legend[128];
	char al[160], ul[160], pl[160];
	struct gp_vars v = { .used = 0 };
	int logx, ranges = 0, rc;
	FILE *f;

	name[0] = '\0';
	if (!sf->fitted)
		return 0;
	pmin = fs->levels[0].p;
	plot_name_part(host, sizeof(host), mach->name);
	plot_name_part(mode, sizeof(mode), sf->mode);
	plot_name_part(pin, sizeof(pin), sf->pin);
	snprintf(file, sizeof(file), "scaling-%s%s%s-%s%s%s", with_host ? host : "",
		 with_host ? "-" : "", wl->slug, mode, strcmp(sf->pin, "none") ? "-" : "",
		 strcmp(sf->pin, "none") ? pin : "");
	logx = sf->max_p >= 16 * pmin;
	xmax = sf->max_p;
	if (sf->peak_extrapolated && fs->usl.peak_p <= 4 * sf->max_p)
		xmax = fs->usl.peak_p;
	xmax = logx ? xmax * 1.3 : xmax * 1.08 + 0.3;
	xmin = logx ? pmin / 1.3 : 0;
	f = plot_dat_open(p, file);
	if (!f)
		return -EIO;
	for (size_t l = 0; l < fs->nlevels; l++) {
		nmin = fs->levels[l].n < nmin ? fs->levels[l].n : nmin;
		nmax = fs->levels[l].n > nmax ? fs->levels[l].n : nmax;
		ranges |= fs->levels[l].n < STATS_CI_MIN_N;
	}
	if (nmin == nmax)
		snprintf(pt, sizeof(pt), "%zu rep%s", nmax, nmax == 1 ? "" : "s");
	else
		snprintf(pt, sizeof(pt), "%zu-%zu reps", nmin, nmax);
	snprintf(legend, sizeof(legend), "measured (median, %s of %s)",
		 ranges ? "range" : "95 % interval", pt);
	plot_dat_str(f, legend);
	fputc('\n', f);
	for (size_t l = 0; l < fs->nlevels; l++) {
		struct summary_stats st;

		if (scaling_level_stats(d, sf, l, &st) || !st.n)
			continue;
		if (isnan(st.ci_lo)) {
			st.ci_lo = st.min;
			st.ci_hi = st.max;
		}
		ymax = fmax(ymax, st.ci_hi);
		fprintf(f, "%.6g\t%.6g\t%.6g\t%.6g\n", fs->levels[l].p, st.median, st.ci_lo, st.ci_hi);
	}
	fprintf(f, "\n\nfits\n");
	for (int i = 0; i <= 200; i++) {
		double lo = logx ? log(xmin) : fmax(xmin, 1), hi = logx ? log(xmax) : xmax;
		double x = lo + (hi - lo) * i / 200, a, u;

		if (logx)
			x = exp(x);
		if (x < 1)
			continue;
		fit_curves_at(fs, x, &a, &u);
		ymax = fmax(ymax, fmax(a, u));
		fprintf(f, "%.6g\t%.6g\t%.6g\n", x, a, u);
	}
	rc = plot_dat_close(p, f, file);
	if (rc)
		return rc;
	/* among several hosts, each chart's title says whose it is */
	if (with_host)
		snprintf(title, sizeof(title), "Scaling of %s on %s: %s", sf->mode, mach->name,
			 wl->label);
	else
		snprintf(title, sizeof(title), "Scaling of %s: %s", sf->mode, wl->label);
	plot_machine_subtitle(sub, sizeof(sub), mach);
	scaling_p_text(pt, sizeof(pt), sf);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), " · %s: the tasks %s", pt,
		 sf->by_pus ? "compute" : "wait");
	if (sf->cpu_ratio >= 0)
		snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), " (task CPU/wall %.2f)",
			 sf->cpu_ratio);
	else
		snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), " (as the workload declares: "
			 "its task CPU time was not recorded)");
	if (strcmp(sf->pin, "none"))
		snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), " · pin %s", sf->pin);
	if (fs->amdahl.has_interval)
		snprintf(al, sizeof(al), "Amdahl: s = %.3f (95 %% %.3f-%.3f)", fs->amdahl.s,
			 fs->amdahl.lo, fs->amdahl.hi);
	else
		snprintf(al, sizeof(al), "Amdahl: s = %.3f", fs->amdahl.s);
	snprintf(ul, sizeof(ul), "USL: σ = %.3g, κ = %.3g", fs->usl.sigma, fs->usl.kappa);
	if (fs->usl.has_peak)
		snprintf(pl, sizeof(pl), "USL peak: p = %.0f, %.3g×%s", fs->usl.peak_p,
			 fs->usl.peak_speedup, sf->peak_extrapolated ? " (extrapolated)" : "");
	else
		pl[0] = '\0';
	snprintf(pt, sizeof(pt), "%s (log scale)", sf->by_pus ? "p = min(workers, PUs)" : "p = workers");
	if (!logx)
		pt[strlen(pt) - strlen(" (log scale)")] = '\0';
	plot_gp_heading(&v, title, sub, 1200);
	plot_gp_str(&v, "xlabel", pt);
	plot_gp_str(&v, "amdahl_label", al);
	plot_gp_str(&v, "usl_label", ul);
	plot_gp_num(&v, "pus", mach->usable_pus <= xmax ? mach->usable_pus : 0);
	plot_gp_num(&v, "peak_p", fs->usl.has_peak ? fs->usl.peak_p : 0);
	plot_gp_num(&v, "peak_speedup", fs->usl.has_peak ? fs->usl.peak_speedup : 0);
	plot_gp_str(&v, "peak_label", pl);
	plot_gp_num(&v, "logx", logx);
	plot_gp_num(&v, "xmin", xmin);
	plot_gp_num(&v, "xmax", xmax);
	plot_gp_num(&v, "ymax", ymax * 1.15);
	plot_gp_num(&v, "width", 1200);
	plot_gp_num(&v, "height", 700);
	rc = plot_draw(p, "scaling.gp", file, &v);
	if (!rc)
		snprintf(name, len, "%s.png", file);
	return rc;
}

/* ------------------------------------------------------------------ all of one machine */

/* ------------------------------------------------------------------ horizontal bars */

struct hbar {
	char name[200];
	double value, lo, hi;      /* seconds */
	unsigned color;
	char text[96];
};

struct hbar_keys {
	char names[1024];          /* words: the modes with a bar */
	unsigned colors[64];
	size_t n;
};

static void key_add(struct hbar_keys *k, const char *mode, unsigned color)
{
	size_t used = strlen(k->names);

	for (size_t i = 0; i < k->n; i++)
		if (k->colors[i] == color)
			return;
	if (k->n == 64 || used + strlen(mode) + 2 >= sizeof(k->names))
		return;
	k->colors[k->n++] = color;
	snprintf(k->names + used, sizeof(k->names) - used, "%s", used ? " " : "");
	for (const char *c = mode; *c; c++) {
		used = strlen(k->names);
		k->names[used] = *c == ' ' || *c == '\'' ? '_' : *c;
		k->names[used + 1] = '\0';
	}
}

/* The bar of group @g scaled by 1/@per (tasks, or 1): median and interval or range. */
static void group_bar(struct hbar *b, const struct rd_group *g, double per, int *ranges,
		      int *intervals)
{
	b->value = g->wall.median / per;
	if (!isnan(g->wall.ci_lo)) {
		b->lo = g->wall.ci_lo / per;
		b->hi = g->wall.ci_hi / per;
		*intervals = 1;
	} else {
		b->lo = g->wall.min / per;
		b->hi = g->wall.max / per;
		*ranges = 1;
	}
}

/* How hbars() scales its values: a time (s, ms or us from the largest), us, or a ratio. */
enum hbar_unit { HBAR_TIME, HBAR_US, HBAR_RATIO };

/*
 * Draw @n bars into chart @file: a log axis when @logx, or when times span
 * more than 30 times; room right of the longest bar for its text.
 */
static int hbars(struct plot_set *p, const char *file, const struct hbar *b, size_t n,
		 const struct hbar_keys *k, const char *title, const char *sub, const char *what,
		 enum hbar_unit how, int logx)
{
	double hi = 0, lo = INFINITY, scale, xmin, xmax;
	const char *unit;
	char xl[160], cw[1024];
	struct gp_vars v = { .used = 0 };
	FILE *f;
	int rc;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		hi = fmax(hi, fmax(b[i].hi, b[i].value));
		lo = fmin(lo, b[i].lo > 0 ? b[i].lo : b[i].value);
	}
	if (how == HBAR_RATIO) {
		scale = 1;
		unit = "×";
	} else if (how == HBAR_US || hi < 1e-3) {
		scale = 1e6;
		unit = "µs";
	} else if (hi < 1) {
		scale = 1e3;
		unit = "ms";
	} else {
		scale = 1;
		unit = "s";
	}
	logx = logx || (how != HBAR_RATIO && lo > 0 && hi / lo > 30);
	if (logx) {
		double l = log10(lo * scale), h = log10(hi * scale);

		xmin = pow(10, floor(l - 0.15));
		xmax = pow(10, h + fmax(0.5, (h - log10(xmin)) * 0.2));
	} else {
		xmin = 0;
		xmax = hi * scale * 1.45;
	}
	f = plot_dat_open(p, file);
	if (!f)
		return -EIO;
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%zu\t", i);
		plot_dat_str(f, b[i].name);
		fputc('\n', f);
	}
	fprintf(f, "\n\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%zu\t%.9g\t%.9g\t%.9g\t%u\t", i, b[i].value * scale, b[i].lo * scale,
			b[i].hi * scale, b[i].color);
		plot_dat_str(f, b[i].text);
		fputc('\n', f);
	}
	rc = plot_dat_close(p, f, file);
	if (rc)
		return rc;
	snprintf(xl, sizeof(xl), "%s (%s%s)", what, unit, logx ? "; log scale" : "");
	plot_color_words(cw, sizeof(cw), k->colors, k->n);
	plot_gp_heading(&v, title, sub, 1200);
	plot_gp_str(&v, "xlabel", xl);
	plot_gp_num(&v, "nrows", (double)n);
	plot_gp_num(&v, "logx", logx);
	plot_gp_num(&v, "xmin", xmin);
	plot_gp_num(&v, "xmax", xmax);
	plot_gp_num(&v, "nkeys", (double)k->n);
	plot_gp_str(&v, "key_names", k->names);
	plot_gp_str(&v, "key_colors", cw);
	plot_gp_num(&v, "width", 1200);
	plot_gp_num(&v, "height", 260 + 26 * (double)n);
	return plot_draw(p, "hbars.gp", file, &v);
}

/* The group with the lowest median wall time of @m on @w (mode @mode, or any: NULL). */
static const struct rd_group *fastest(const struct report_data *d, size_t m, size_t w,
				      const char *mode)
{
	const struct rd_group *best = NULL;

	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];

		if (x->machine != m || x->workload != w || !x->n || (mode && strcmp(x->mode, mode)))
			continue;
		if (!best || x->wall.median < best->wall.median)
			best = x;
	}
	return best;
}

/* "threadpool ×16: 52.1 ms" (per task when @per > 1), "!" when contended. */
static void bar_text(char *buf, size_t len, const struct rd_group *g, double per, int with_mode)
{
	char t[32];
	size_t n;

	stats_fmt_seconds(t, sizeof(t), g->wall.median / per);
	n = strlen(t);
	if (n > 3 && !strcmp(t + n - 3, " us"))
		snprintf(t + n - 3, sizeof(t) - (n - 3), " µs");   /* as on the axis */
	if (with_mode)
		snprintf(buf, len, "%s ×%u: %s%s", g->mode, g->workers, t, g->contended ? " !" : "");
	else
		snprintf(buf, len, "%s%s", t, g->contended ? " !" : "");
}

/*
 * Bar @b of group @g (a time, divided by @per), in @color, with its text
 * and its swatch in @k; sets what it shows in *@ranges, *@intervals, *@busy.
 */
static void host_bar(struct hbar *b, struct hbar_keys *k, const struct rd_group *g, unsigned color,
		     double per, int with_mode, int *ranges, int *intervals, int *busy)
{
	group_bar(b, g, per, ranges, intervals);
	b->color = color;
	bar_text(b->text, sizeof(b->text), g, per, with_mode);
	*busy |= g->contended;
	key_add(k, g->mode, color);
}


static void bars_subtitle(char *buf, size_t len, const char *what, int intervals, int ranges,
			  int busy)
{
	snprintf(buf, len, "%s · %s%s", what, plot_bars_text(intervals, ranges),
		 busy ? " · ! contended (others used the PUs)" : "");
}

int plot_host_times(struct plot_set *p, const struct report_data *d, size_t w, char *name,
		    size_t len)
{
	struct hbar *b = calloc(d->nmachines ? d->nmachines : 1, sizeof(*b));
	struct hbar_keys k = { .n = 0 };
	char file[160], title[512], sub[512];
	size_t n = 0;
	int ranges = 0, intervals = 0, busy = 0, rc;

	name[0] = '\0';
	if (!b)
		return -ENOMEM;
	for (size_t m = 0; m < d->nmachines; m++) {
		const struct rd_group *g = fastest(d, m, w, NULL);
		unsigned c;

		if (!g)
			continue;
		c = plot_mode_color(report_data_mode_rank(d, g->mode));
		snprintf(b[n].name, sizeof(b[n].name), "%s", d->machines[m].name);
		host_bar(&b[n++], &k, g, c, 1, 1, &ranges, &intervals, &busy);
	}
	snprintf(file, sizeof(file), "hosts-time-%s", d->workloads[w].slug);
	snprintf(title, sizeof(title), "Best time on each host: %s", d->workloads[w].label);
	bars_subtitle(sub, sizeof(sub), "each host's fastest mode and worker count, written beside "
		      "its bar · lower is better", intervals, ranges, busy);
	rc = hbars(p, file, b, n, &k, title, sub, "median wall time", HBAR_TIME, 0);
	if (!rc && n)
		snprintf(name, len, "%s.png", file);
	free(b);
	return rc;
}

int plot_overhead(struct plot_set *p, const struct report_data *d, size_t m, size_t w)
{
	size_t *sel = calloc(d->ngroups + 1, sizeof(*sel)), n;
	struct hbar *b = calloc(d->ngroups + 1, sizeof(*b));
	struct hbar_keys k = { .n = 0 };
	char file[160], title[512], sub[1024], what[512], reps[64];
	int ranges = 0, intervals = 0, busy = 0, rc;

	if (!sel || !b) {
		free(sel);
		free(b);
		return -ENOMEM;
	}
	n = plot_select_groups(d, m, w, sel);
	for (size_t i = 0; i < n; i++) {
		const struct rd_group *g = &d->groups[sel[i]];
		double per = g->tasks ? (double)g->tasks : 1;
		unsigned c = plot_mode_color(report_data_mode_rank(d, g->mode));

		if (d->several_pins)
			snprintf(b[i].name, sizeof(b[i].name), "%s ×%u, pin %s", g->mode, g->workers,
				 g->pin);
		else
			snprintf(b[i].name, sizeof(b[i].name), "%s ×%u", g->mode, g->workers);
		group_bar(&b[i], g, per, &ranges, &intervals);
		b[i].color = c;
		bar_text(b[i].text, sizeof(b[i].text), g, per, 0);
		busy |= g->contended;
		key_add(&k, g->mode, c);
	}
	plot_reps_text(reps, sizeof(reps), d, sel, n);
	snprintf(file, sizeof(file), "overhead-%s", d->workloads[w].slug);
	snprintf(title, sizeof(title), "Cost per task: %s", d->workloads[w].label);
	plot_machine_subtitle(what, sizeof(what), &d->machines[m]);
	snprintf(what + strlen(what), sizeof(what) - strlen(what),
		 " · wall time / tasks, per mode and worker count (×N) · %s · lower is better", reps);
	bars_subtitle(sub, sizeof(sub), what, intervals, ranges, busy);
	rc = hbars(p, file, b, n, &k, title, sub, "wall time per task", HBAR_US, 1);
	free(sel);
	free(b);
	return rc;
}

/* The report's noop chart: each host's cost per task, per mode at its fastest worker count. */
int plot_host_overhead(struct plot_set *p, const struct report_data *d, size_t w, char *name,
		       size_t len)
{
	struct hbar *b = calloc(d->nmachines * d->nmodes + 1, sizeof(*b));
	struct hbar_keys k = { .n = 0 };
	char file[160], title[512], sub[512];
	size_t n = 0;
	int ranges = 0, intervals = 0, busy = 0, rc;

	name[0] = '\0';
	if (!b)
		return -ENOMEM;
	for (size_t m = 0; m < d->nmachines; m++)
		for (size_t r = 0; r < d->nmodes; r++) {
			const struct rd_group *g = fastest(d, m, w, d->modes[r]);
			double per;
			unsigned c;

			if (!g)
				continue;
			per = g->tasks ? (double)g->tasks : 1;
			c = plot_mode_color((int)r);
			snprintf(b[n].name, sizeof(b[n].name), "%s · %s ×%u", d->machines[m].name,
				 g->mode, g->workers);
			host_bar(&b[n++], &k, g, c, per, 0, &ranges, &intervals, &busy);
		}
	snprintf(file, sizeof(file), "hosts-overhead-%s", d->workloads[w].slug);
	snprintf(title, sizeof(title), "Cost per task on each host: %s", d->workloads[w].label);
	bars_subtitle(sub, sizeof(sub), "wall time / tasks, each mode at its fastest worker count "
		      "(×N) · lower is better", intervals, ranges, busy);
	rc = hbars(p, file, b, n, &k, title, sub, "wall time per task", HBAR_US, 1);
	if (!rc && n)
		snprintf(name, len, "%s.png", file);
	free(b);
	return rc;
}

/* The report's chart of workload @w: each host's speedup per mode at the mode's best worker count. */
int plot_host_comparison(struct plot_set *p, const struct report_data *d, size_t w,
			 char *name, size_t len)
{
	struct hbar *b = calloc(d->nmachines * d->nmodes + 1, sizeof(*b));
	struct hbar_keys k = { .n = 0 };
	char file[160], title[512], sub[512];
	size_t n = 0;
	int ranges = 0, intervals = 0, busy = 0, rc;

	name[0] = '\0';
	if (!b)
		return -ENOMEM;
	for (size_t m = 0; m < d->nmachines; m++)
		for (size_t r = 0; r < d->nmodes; r++) {
			const struct rd_group *g = plot_best_group(d, m, w, d->modes[r]);
			unsigned c;

			if (!g || report_data_is_baseline(g->mode))
				continue;
			c = plot_mode_color((int)r);
			snprintf(b[n].name, sizeof(b[n].name), "%s · %s ×%u", d->machines[m].name,
				 g->mode, g->workers);
			b[n].value = g->speedup;
			plot_speedup_bar(g, &b[n].lo, &b[n].hi, &ranges);
			intervals |= !isnan(g->speedup_lo);
			b[n].color = c;
			snprintf(b[n].text, sizeof(b[n].text), g->speedup >= 10 ? "%.1f×%s" : "%.2f×%s",
				 g->speedup, g->contended ? " !" : "");
			busy |= g->contended;
			key_add(&k, g->mode, c);
			n++;
		}
	snprintf(file, sizeof(file), "hosts-speedup-%s", d->workloads[w].slug);
	snprintf(title, sizeof(title), "Speedup over seq on each host: %s", d->workloads[w].label);
	bars_subtitle(sub, sizeof(sub), "each mode at its best worker count (×N) · seq = 1 · "
		      "higher is better", intervals, ranges, busy);
	rc = hbars(p, file, b, n, &k, title, sub, "speedup over seq", HBAR_RATIO, 0);
	if (!rc && n)
		snprintf(name, len, "%s.png", file);
	free(b);
	return rc;
}
