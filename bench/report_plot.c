#include "bench/report_plot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/csv.h"
#include "bench/path.h"
#include "bench/report_data.h"
#include "bench/run.h"
#include "bench/scaling.h"
#include "bench/workload.h"

#define MAX_LANES_PER_MODE 16

/* ------------------------------------------------------------------ colors */

/* seq grey; thread modes blues; process modes oranges; then the rest */
static const unsigned mode_colors[] = {
	0x555555, 0x0072b2, 0xd55e00, 0x56b4e9, 0xe69f00, 0x009e73, 0xcc79a7, 0x882255,
};
static const unsigned series_colors[] = {
	0x0072b2, 0xe69f00, 0x009e73, 0xcc79a7, 0xd55e00, 0x56b4e9, 0x882255, 0x555555,
};

/* 0xRRGGBB of a mode (by its rank in d->modes) and of the i-th series. */
static unsigned plot_mode_color(int rank)
{
	size_t n = sizeof(mode_colors) / sizeof(mode_colors[0]);

	return mode_colors[rank < 0 ? n - 1 : (size_t)rank % n];
}

static unsigned plot_series_color(size_t i)
{
	return series_colors[i % (sizeof(series_colors) / sizeof(series_colors[0]))];
}

/* ------------------------------------------------------------------ names */

/* Every chart's file name starts with one of these (then a workload's slug). */
static const char *const chart_prefixes[] = {
	"speedup-vs-workers-", "speedup-io-vs-cpu-bound", "hosts-speedup-", "wall-spread-",
	"timeline-",
};

int plot_is_chart_name(const char *name)
{
	static const char *const exts[] = { ".png", ".svg", ".dat" };
	size_t n;

	if (name[0] == '.')
		name++;   /* a temporary name: ".NAME.tmp-PID.png" */
	n = strlen(name);
	for (size_t i = 0; i < sizeof(chart_prefixes) / sizeof(chart_prefixes[0]); i++) {
		if (strncmp(name, chart_prefixes[i], strlen(chart_prefixes[i])))
			continue;
		for (size_t e = 0; e < sizeof(exts) / sizeof(exts[0]); e++)
			if (n > 4 && !strcmp(name + n - 4, exts[e]))
				return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ finding things */

static int is_exec_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		return 0;
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n && snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, name) < (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return 1;
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

static int has_scripts(const char *dir)
{
	char buf[4400];

	if (snprintf(buf, sizeof(buf), "%s/speedup.gp", dir) >= (int)sizeof(buf))
		return 0;
	return access(buf, R_OK) == 0;
}

static int find_scripts(char *out, size_t len)
{
	const char *env = getenv("BENCH_PLOTS");
	char exe[4096], cand[4200];
	ssize_t n;

	if (env && *env && has_scripts(env)) {
		snprintf(out, len, "%s/", env);
		return 0;
	}
	if (has_scripts("plots")) {
		snprintf(out, len, "plots/");
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		static const char *const rel[] = {
			"/../share/bench/plots", "/../plots", "/../../plots",
		};
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(cand, sizeof(cand), "%s%s", exe, rel[i]);
			if (has_scripts(cand) && snprintf(out, len, "%s/", cand) < (int)len)
				return 0;
		}
	}
	return -ENOENT;
}

int plot_begin(struct plot_set *p, const char *dir)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if (!is_exec_in_path("gnuplot")) {
		fprintf(stderr, "bench: gnuplot not found in PATH: no charts drawn "
			"(install it: apt-get install gnuplot-nox)\n");
		return -ENOENT;
	}
	if (find_scripts(p->scripts, sizeof(p->scripts))) {
		fprintf(stderr, "bench: chart scripts (speedup.gp, ...) not found in $BENCH_PLOTS, "
			"./plots or PREFIX/share/bench/plots: no charts drawn\n");
		return -ENOENT;
	}
	rc = path_mkdir_p(dir);
	if (rc) {
		fprintf(stderr, "bench: cannot create plots folder %s: %s\n", dir, strerror(-rc));
		return rc;
	}
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	return 0;
}

void plot_end(struct plot_set *p)
{
	for (size_t i = 0; i < p->nmade; i++)
		free(p->made[i]);
	free(p->made);
	p->made = NULL;
	p->nmade = p->cap = 0;
}

/* ------------------------------------------------------------------ gnuplot */

/* gnuplot -e assignments: name='value' (quote doubled) or name=number. */
struct gp_vars {
	char buf[16384];
	size_t used;
	int overflow;
};

static void gp_append(struct gp_vars *v, const char *s, size_t n)
{
	if (v->used + n + 1 >= sizeof(v->buf)) {
		v->overflow = 1;
		return;
	}
	memcpy(v->buf + v->used, s, n);
	v->used += n;
	v->buf[v->used] = '\0';
}

static void gp_str(struct gp_vars *v, const char *name, const char *val)
{
	gp_append(v, name, strlen(name));
	gp_append(v, "='", 2);
	for (const char *s = val; *s; s++) {
		if (*s == '\'')
			gp_append(v, "''", 2);
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			gp_append(v, " ", 1);
		else
			gp_append(v, s, 1);
	}
	gp_append(v, "'; ", 3);
}

static void gp_num(struct gp_vars *v, const char *name, double x)
{
	char tmp[96];
	int n = snprintf(tmp, sizeof(tmp), "%s=%.9g; ", name, isfinite(x) ? x : 0.0);

	gp_append(v, tmp, (size_t)n);
}

/* In gnuplot's child, before exec: die with bench, quietly. */
static void gnuplot_child(int errfd, pid_t parent)
{
	int null = open("/dev/null", O_RDWR);

	/* a SIGKILLed bench (or its second Ctrl-C) takes gnuplot with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);   /* bench died before the line above */
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	dup2(errfd, STDERR_FILENO);
}

/*
 * Run gnuplot on @script with @vars; its messages are shown only on
 * failure.  A stop request (Ctrl-C, SIGTERM...) ends it: -EINTR, said by
 * the caller.
 */
static int gnuplot_exec(const char *script, const char *vars)
{
	char *argv[] = { "gnuplot", "-e", (char *)vars, (char *)script, NULL };
	char msg[2048];
	size_t got = 0;
	int fds[2], status, killed = 0;
	pid_t pid, self = getpid();

	if (pipe2(fds, O_CLOEXEC) < 0)
		goto out_fail;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		goto out_fail;
	}
	if (pid == 0) {
		gnuplot_child(fds[1], self);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		char tmp[512];
		ssize_t n = read(fds[0], tmp, sizeof(tmp));

		if (run_stop_signal() && !killed) {
			kill(pid, SIGTERM);
			killed = 1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n && got + 1 < sizeof(msg); i++)
			msg[got++] = tmp[i];
	}
	msg[got] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			goto out_fail;
	if (killed || run_stop_signal())
		return -EINTR;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	fprintf(stderr, "bench: gnuplot failed on %s:\n%s", script, msg);
	return -EIO;
out_fail:
	fprintf(stderr, "bench: cannot run gnuplot on %s: %s\n", script, strerror(errno));
	return -errno;
}

static void remember(struct plot_set *p, const char *path)
{
	char *copy;

	if (p->nmade == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		char **m = realloc(p->made, cap * sizeof(*m));

		if (!m)
			return;
		p->made = m;
		p->cap = cap;
	}
	copy = strdup(path);
	if (copy)
		p->made[p->nmade++] = copy;
}

/* A chart's final file must be a regular file or not exist: "it is a FIFO..." otherwise. */
static int target_ok(struct plot_set *p, const char *path)
{
	char err[PATH_SHOW_MAX + 64];

	if (!path_check_output(NULL, path, err, sizeof(err)))
		return 1;
	fprintf(stderr, "bench: cannot draw %s\n", err);
	p->errors++;
	return 0;
}

/*
 * Draw chart @name (data in DIR/NAME.dat) with @script, as PNG and SVG.
 * gnuplot writes DIR/.NAME.tmp-PID.FMT, renamed to DIR/NAME.FMT once it
 * succeeded: an interrupted or failed drawing never leaves an empty or
 * half-drawn chart under the chart's name.
 */
static int draw(struct plot_set *p, const char *script, const char *name, struct gp_vars *v)
{
	static const char *const fmts[] = { "png", "svg" };
	char path[4400], tmp[4400], final[4400], data[4400];
	size_t base = v->used;
	int rc = 0;

	if (run_stop_signal()) {
		p->stopped = 1;
		return -EINTR;
	}
	snprintf(path, sizeof(path), "%s%s", p->scripts, script);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp-%d", p->dir, name, (int)getpid());
	snprintf(data, sizeof(data), "%s/%s.dat", p->dir, name);
	for (int f = 0; f < 2 && !rc; f++) {
		char tmp_file[4410];

		snprintf(final, sizeof(final), "%s/%s.%s", p->dir, name, fmts[f]);
		snprintf(tmp_file, sizeof(tmp_file), "%s.%s", tmp, fmts[f]);
		if (!target_ok(p, final))
			return -EINVAL;
		v->used = base;
		gp_str(v, "plotdir", p->scripts);
		gp_str(v, "out", tmp);
		gp_str(v, "data", data);
		gp_str(v, "fmt", fmts[f]);
		if (v->overflow) {
			fprintf(stderr, "bench: %s: chart settings too long\n", name);
			rc = -E2BIG;
			break;
		}
		rc = gnuplot_exec(path, v->buf);
		if (!rc && rename(tmp_file, final) < 0) {
			rc = -errno;
			fprintf(stderr, "bench: cannot write %s: %s\n", final, strerror(errno));
		}
		if (rc)
			unlink(tmp_file);
	}
	if (rc == -EINTR) {
		p->stopped = 1;
		return rc;
	}
	if (rc) {
		p->errors++;
		return rc;
	}
	snprintf(final, sizeof(final), "%s/%s.png", p->dir, name);
	remember(p, final);
	return 0;
}

/* ------------------------------------------------------------------ data files */

static FILE *dat_open(struct plot_set *p, const char *name)
{
	char path[4400], show[PATH_SHOW_MAX];
	const char *kind;
	FILE *f = NULL;
	int fd;

	if (run_stop_signal()) {
		p->stopped = 1;   /* not an error: the caller stops drawing */
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s.dat", p->dir, name);
	/* a FIFO there would block fopen(): regular files only */
	fd = path_open_regular(path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &kind);
	if (fd >= 0 && !(f = fdopen(fd, "w")))
		close(fd);
	if (!f) {
		if (kind)
			fprintf(stderr, "bench: cannot write %s: it is %s, not a regular file\n",
				path_show(show, sizeof(show), path), kind);
		else
			fprintf(stderr, "bench: cannot write %s: %s\n",
				path_show(show, sizeof(show), path), strerror(fd < 0 ? -fd : errno));
		p->errors++;
	}
	return f;
}

/* Close what dat_open() gave; a failed write is said and counted, like a chart. */
static int dat_close(struct plot_set *p, FILE *f, const char *name)
{
	int bad = ferror(f), closed = fclose(f);

	if (!bad && !closed)
		return 0;
	fprintf(stderr, "bench: cannot write %s/%s.dat: %s\n", p->dir, name,
		closed ? strerror(errno) : "write error");
	p->errors++;
	return -EIO;
}

/* A string cell: no tabs, line ends or double quotes (gnuplot would split or unquote). */
static void dat_str(FILE *f, const char *s)
{
	if (!*s) {
		fputc('-', f);
		return;
	}
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s == '"' ? '\'' : *s, f);
}

static void color_words(char *buf, size_t len, const unsigned *colors, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 9 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s#%06x", i ? " " : "", colors[i]);
}

static void machine_subtitle(char *buf, size_t len, const struct rd_machine *m)
{
	int n = snprintf(buf, len, "on %s (%s, %u PUs)", m->name,
			 *m->cpu_model ? m->cpu_model : "unknown CPU", m->usable_pus);

	/* a busy machine is said on every chart of it */
	if (m->contended_groups && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " · CONTENDED: others used %.1f of %u PUs, "
			 "not trustworthy", m->pus_taken, m->usable_pus);
}

static const char *bound_name(int bound)
{
	switch (bound) {
	case BOUND_IO: return "I/O-bound";
	case BOUND_CPU: return "CPU-bound";
	case BOUND_MIXED: return "CPU and I/O";
	case BOUND_NONE: return "harness overhead";
	default: return "";
	}
}

/* The series a group belongs to: its mode, and its pin when there are several. */
static void series_name(char *buf, size_t len, const struct report_data *d, const struct rd_group *g)
{
	if (d->several_pins)
		snprintf(buf, len, "%s, pin %s", g->mode, g->pin);
	else
		snprintf(buf, len, "%s", g->mode);
}

static int cmp_groups(const struct report_data *d, const struct rd_group *a, const struct rd_group *b)
{
	int ra = report_data_mode_rank(d, a->mode), rb = report_data_mode_rank(d, b->mode);
	int c = strcmp(a->pin, b->pin);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (c)
		return c;
	return (a->workers > b->workers) - (a->workers < b->workers);
}

/* Indices of the groups of machine @m and workload @w, in mode/pin/workers order. */
static size_t select_groups(const struct report_data *d, size_t m, size_t w, size_t *out)
{
	size_t n = 0;

	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *grp = &d->groups[g];
		size_t k;

		if (grp->machine != m || grp->workload != w || !grp->wall.n)
			continue;
		for (k = n; k > 0 && cmp_groups(d, &d->groups[out[k - 1]], grp) > 0; k--)
			out[k] = out[k - 1];
		out[k] = g;
		n++;
	}
	return n;
}

static size_t total_reps(const struct report_data *d, const size_t *sel, size_t n, size_t *lo)
{
	size_t hi = 0;

	*lo = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t r = d->groups[sel[i]].wall.n;

		hi = r > hi ? r : hi;
		*lo = r < *lo ? r : *lo;
	}
	if (!n)
		*lo = 0;
	return hi;
}

static void reps_text(char *buf, size_t len, const struct report_data *d, const size_t *sel, size_t n)
{
	size_t lo, hi = total_reps(d, sel, n, &lo);

	if (lo == hi)
		snprintf(buf, len, "%zu rep%s", hi, hi == 1 ? "" : "s");
	else
		snprintf(buf, len, "%zu-%zu reps", lo, hi);
}

/*
 * The bar of a speedup: its 95 % interval, or the range of the paired
 * ratios when there are too few for one (*@range set then).
 */
static void speedup_bar(const struct rd_group *g, double *lo, double *hi, int *range)
{
	if (!isnan(g->speedup_lo)) {
		*lo = g->speedup_lo;
		*hi = g->speedup_hi;
	} else {
		*lo = g->ratio.min;
		*hi = g->ratio.max;
		*range = 1;
	}
}

/* What the bars of a chart are, for its subtitle. */
static const char *bars_text(int intervals, int ranges)
{
	if (intervals && ranges)
		return "bars: 95 % interval, or the range below 6 reps";
	return ranges ? "bars: range (fewer than 6 reps: no interval)" : "bars: 95 % interval";
}

/* ------------------------------------------------------------------ speedup vs workers */

static int chart_speedup(struct plot_set *p, const struct report_data *d, size_t m, size_t w)
{
	const struct rd_machine *mach = &d->machines[m];
	const struct rd_workload *wl = &d->workloads[w];
	size_t *sel = calloc(d->ngroups + 1, sizeof(*sel)), n, nseries = 0;
	unsigned colors[64], wmin = UINT_MAX, wmax = 1, ws[256];
	size_t nws = 0, total = 0;
	double ymax = 0, ymin = INFINITY, ideal_max = 1, base_ideal = NAN, dodge, lo, hi;
	char name[160], title[512], sub[768], reps[64], cw[1024], prev[256] = "";
	struct gp_vars v = { .used = 0 };
	FILE *f;
	int rc, logx, ranges = 0, intervals = 0;

	if (!sel)
		return -ENOMEM;
	n = select_groups(d, m, w, sel);
	for (size_t i = 0; i < n; i++) {
		const struct rd_group *g = &d->groups[sel[i]];

		if (g->speedup < 0)
			continue;
		if (report_data_is_baseline(g->mode) && isnan(base_ideal))
			base_ideal = g->ideal_s;
		wmin = g->workers < wmin ? g->workers : wmin;
		wmax = g->workers > wmax ? g->workers : wmax;
		speedup_bar(g, &lo, &hi, &ranges);
		intervals |= !isnan(g->speedup_lo);
		ymax = fmax(ymax, hi);
		ymin = fmin(ymin, lo > 0 ? lo : g->speedup);
		size_t k = 0;

		while (k < nws && ws[k] != g->workers)
			k++;
		if (k == nws && nws < 256) {
			/* keep the worker counts sorted */
			while (k > 0 && ws[k - 1] > g->workers) {
				ws[k] = ws[k - 1];
				k--;
			}
			ws[k] = g->workers;
			nws++;
		}
	}
	if (!nws) {
		free(sel);
		return 0;      /* no seq baseline: no speedups */
	}
	snprintf(name, sizeof(name), "speedup-vs-workers-%s", wl->slug);
	f = dat_open(p, name);
	if (!f) {
		free(sel);
		return -EIO;
	}
	/* block 0: the ideal for these tasks, from the ideal makespans */
	fprintf(f, "ideal for these tasks\n");
	if (ws[0] != 1)
		fprintf(f, "1\t1\n");
	for (size_t k = 0; k < nws; k++) {
		double vals[256], ideal;
		size_t nv = 0;

		for (size_t i = 0; i < n && nv < 256; i++)
			if (d->groups[sel[i]].workers == ws[k] && isfinite(d->groups[sel[i]].ideal_s))
				vals[nv++] = d->groups[sel[i]].ideal_s;
		ideal = nv && base_ideal > 0 ? base_ideal / stats_median(vals, nv) : NAN;
		if (!isfinite(ideal)) {
			ideal = ws[k] < d->groups[sel[0]].tasks ? ws[k] : (double)d->groups[sel[0]].tasks;
			if (wl->bound == BOUND_CPU || wl->bound == BOUND_MIXED)
				ideal = fmin(ideal, mach->usable_pus ? mach->usable_pus : 1);
		}
		ideal_max = fmax(ideal_max, ideal);
		fprintf(f, "%u\t%.6g\n", ws[k], ideal);
	}
	/* how many series, to nudge them apart */
	for (size_t i = 0; i < n; i++) {
		const struct rd_group *g = &d->groups[sel[i]];
		char s[256];

		if (g->speedup < 0)
			continue;
		series_name(s, sizeof(s), d, g);
		total += strcmp(s, prev) != 0;
		snprintf(prev, sizeof(prev), "%s", s);
	}
	prev[0] = '\0';
	logx = (wmax > mach->usable_pus ? wmax : mach->usable_pus) >= 16 * (wmin ? wmin : 1);
	/* one block per series */
	for (size_t i = 0; i < n; i++) {
		const struct rd_group *g = &d->groups[sel[i]];
		char s[256];

		if (g->speedup < 0)
			continue;
		series_name(s, sizeof(s), d, g);
		if (strcmp(s, prev)) {
			fprintf(f, "\n\n");
			dat_str(f, s);
			fputc('\n', f);
			if (nseries < 64)
				colors[nseries] = plot_mode_color(report_data_mode_rank(d, g->mode));
			nseries++;
			snprintf(prev, sizeof(prev), "%s", s);
		}
		dodge = ((double)nseries - 1 - (double)(total - 1) / 2) * 0.012;
		speedup_bar(g, &lo, &hi, &ranges);
		fprintf(f, "%.6g\t%.6g\t%.6g\t%.6g\n",
			logx ? g->workers * (1 + dodge) : g->workers + dodge * (wmax > 4 ? wmax : 4),
			g->speedup, lo, hi);
	}
	rc = dat_close(p, f, name);
	if (rc) {
		free(sel);
		return rc;
	}
	if (mach->usable_pus > wmax)
		wmax = mach->usable_pus;
	if (wmin == UINT_MAX)
		wmin = 1;
	/* the measurements set the scale; the ideal may run off the top */
	ymax = fmax(fmax(ymax, 1), fmin(ideal_max, 1.5 * fmax(ymax, 1)));
	reps_text(reps, sizeof(reps), d, sel, n);
	color_words(cw, sizeof(cw), colors, nseries < 64 ? nseries : 64);
	snprintf(title, sizeof(title), "Speedup vs workers: %s", wl->label);
	machine_subtitle(sub, sizeof(sub), mach);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub),
		 " · speedup = median of seq / mode per rep, %s · %s", reps,
		 bars_text(intervals, ranges));
	gp_str(&v, "title", title);
	gp_str(&v, "subtitle", sub);
	gp_num(&v, "pus", mach->usable_pus);
	gp_num(&v, "nseries", (double)nseries);
	gp_str(&v, "series_colors", cw);
	gp_num(&v, "logx", logx);
	gp_num(&v, "xmin", logx ? wmin / 1.3 : 0);
	gp_num(&v, "xmax", logx ? wmax * 1.3 : wmax * 1.08 + 0.3);
	gp_num(&v, "logy", ymin < 0.25);
	gp_num(&v, "ymin", ymin < 0.25 ? ymin / 1.6 : 0);
	gp_num(&v, "ymax", ymin < 0.25 ? ymax * 1.6 : ymax * 1.12);
	gp_num(&v, "width", 1200);
	gp_num(&v, "height", 700);
	free(sel);
	return draw(p, "speedup.gp", name, &v);
}

/* ------------------------------------------------------------------ grouped bars */

/* Best speedup of machine @m, workload @w, mode @mode over worker counts and pins. */
static const struct rd_group *best_group(const struct report_data *d, size_t m, size_t w,
					 const char *mode)
{
	const struct rd_group *best = NULL;

	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *grp = &d->groups[g];

		if (grp->machine == m && grp->workload == w && !strcmp(grp->mode, mode) &&
		    grp->speedup >= 0 && (!best || grp->speedup > best->speedup))
			best = grp;
	}
	return best;
}

/*
 * Bars of @nseries series over the modes: series i is (machine ms[i],
 * workload wsr[i]) named names[i].
 */
static int bars_chart(struct plot_set *p, const struct report_data *d, const char *name,
		      const size_t *ms, const size_t *wsr, char names[][256], size_t nseries,
		      const char *title, const char *sub, double hline, const char *hlabel)
{
	const char *cats[64];
	size_t ncats = 0;
	double ymax = hline * 1.1, bw, lo, hi;
	unsigned colors[64];
	char cw[1024], subtitle[1024];
	int ranges = 0, intervals = 0;
	struct gp_vars v = { .used = 0 };
	FILE *f;
	int rc;

	for (size_t r = 0; r < d->nmodes && ncats < 64; r++)
		for (size_t s = 0; s < nseries; s++)
			if (best_group(d, ms[s], wsr[s], d->modes[r])) {
				cats[ncats++] = d->modes[r];
				break;
			}
	if (!ncats || !nseries)
		return 0;
	f = dat_open(p, name);
	if (!f)
		return -EIO;
	for (size_t c = 0; c < ncats; c++) {
		fprintf(f, "%zu\t", c);
		dat_str(f, cats[c]);
		fputc('\n', f);
	}
	/* the axis fits the values; an interval too wide to show is cut at the top */
	for (size_t s = 0; s < nseries; s++)
		for (size_t c = 0; c < ncats; c++) {
			const struct rd_group *g = best_group(d, ms[s], wsr[s], cats[c]);

			if (g) {
				speedup_bar(g, &lo, &hi, &ranges);
				intervals |= !isnan(g->speedup_lo);
				ymax = fmax(ymax, fmin(hi, g->speedup * 1.3));
			}
		}
	ymax = fmax(ymax, 1) * (nseries * ncats > 12 ? 1.3 : 1.15);
	bw = 0.8 / (double)nseries;
	for (size_t s = 0; s < nseries; s++) {
		fprintf(f, "\n\n");
		dat_str(f, names[s]);
		fputc('\n', f);
		for (size_t c = 0; c < ncats; c++) {
			const struct rd_group *g = best_group(d, ms[s], wsr[s], cats[c]);
			double x = (double)c + ((double)s - (double)(nseries - 1) / 2) * bw;

			if (!g)
				continue;
			speedup_bar(g, &lo, &hi, &ranges);
			fprintf(f, "%.4f\t%.6g\t%.6g\t%.6g\t", x, g->speedup, lo, fmin(hi, ymax));
			fprintf(f, g->speedup >= 10 ? "%.1f×" : g->speedup >= 0.1 ? "%.2f×" : "%.2g×",
				g->speedup);
			fprintf(f, "\t%.6g\n", fmin(hi, ymax / 1.1));
		}
		if (s < 64)
			colors[s] = plot_series_color(s);
	}
	rc = dat_close(p, f, name);
	if (rc)
		return rc;
	color_words(cw, sizeof(cw), colors, nseries < 64 ? nseries : 64);
	snprintf(subtitle, sizeof(subtitle), "%s · %s", sub, bars_text(intervals, ranges));
	gp_str(&v, "title", title);
	gp_str(&v, "subtitle", subtitle);
	gp_str(&v, "ylabel", "speedup over seq (×, higher is better)");
	gp_num(&v, "nseries", (double)nseries);
	gp_str(&v, "series_colors", cw);
	gp_num(&v, "ncats", (double)ncats);
	gp_num(&v, "boxwidth", bw * 0.92);
	gp_num(&v, "ymax", ymax);
	gp_num(&v, "hline", hline);
	gp_str(&v, "hlabel", hlabel ? hlabel : "");
	gp_num(&v, "rotate", nseries * ncats > 12);
	gp_num(&v, "width", ncats * nseries > 40 ? 1600 : 1200);
	gp_num(&v, "height", 700);
	return draw(p, "bars.gp", name, &v);
}

static int chart_bound(struct plot_set *p, const struct report_data *d, size_t m)
{
	size_t ms[64], wsr[64], n = 0;
	char (*names)[256] = calloc(64, 256);
	char title[512], sub[768], hl[128];
	const struct rd_machine *mach = &d->machines[m];
	int rc;

	if (!names)
		return -ENOMEM;
	for (size_t w = 0; w < d->nworkloads && n < 64; w++) {
		int any = 0;

		for (size_t r = 0; r < d->nmodes && !any; r++)
			any = best_group(d, m, w, d->modes[r]) != NULL;
		if (!any)
			continue;
		ms[n] = m;
		wsr[n] = w;
		if (snprintf(names[n], 256, "%s%s%s", d->workloads[w].label,
			     *bound_name(d->workloads[w].bound) ? ": " : "",
			     bound_name(d->workloads[w].bound)) >= 256)
			names[n][252] = '\0';
		n++;
	}
	snprintf(title, sizeof(title), "Speedup by mode: I/O-bound vs CPU-bound work");
	machine_subtitle(sub, sizeof(sub), mach);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub),
		 " · best worker count per mode");
	snprintf(hl, sizeof(hl), "%u PUs: the most CPU-bound work can gain", mach->usable_pus);
	rc = bars_chart(p, d, "speedup-io-vs-cpu-bound", ms, wsr, names, n, title, sub,
			mach->usable_pus, hl);
	free(names);
	return rc;
}

int plot_host_comparison(struct plot_set *p, const struct report_data *d, size_t w,
			 char *name, size_t len)
{
	size_t ms[64], wsr[64], n = 0;
	char (*names)[256] = calloc(64, 256);
	char title[512], sub[1024] = "", file[160];
	int rc;

	name[0] = '\0';
	if (!names)
		return -ENOMEM;
	for (size_t m = 0; m < d->nmachines && n < 64; m++) {
		int any = 0;

		for (size_t r = 0; r < d->nmodes && !any; r++)
			any = best_group(d, m, w, d->modes[r]) != NULL;
		if (!any)
			continue;
		ms[n] = m;
		wsr[n] = w;
		snprintf(names[n], 256, "%s (%u PUs)", d->machines[m].name, d->machines[m].usable_pus);
		n++;
	}
	snprintf(file, sizeof(file), "hosts-speedup-%s", d->workloads[w].slug);
	snprintf(title, sizeof(title), "Speedup by mode on each host: %s", d->workloads[w].label);
	for (size_t i = 0; i < n; i++)
		snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), "%s%s: %s", i ? " · " : "",
			 d->machines[ms[i]].name, d->machines[ms[i]].cpu_model);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub),
		 "%sbest worker count per mode", n ? " · " : "");
	rc = bars_chart(p, d, file, ms, wsr, names, n, title, sub, 0, NULL);
	if (!rc && n)
		snprintf(name, len, "%s.png", file);
	free(names);
	return rc;
}

/* ------------------------------------------------------------------ wall-time spread */

#define SPREAD_MAX_CATS 16     /* more mode × workers combinations: x = workers */

static int chart_spread(struct plot_set *p, const struct report_data *d, size_t m, size_t w)
{
	const struct rd_machine *mach = &d->machines[m];
	const struct rd_workload *wl = &d->workloads[w];
	size_t *sel = calloc(d->ngroups + 1, sizeof(*sel)), n, nmodes = 0;
	double lo = INFINITY, hi = 0, scale;
	unsigned wmin = UINT_MAX, wmax = 1, colors[64];
	char name[160], title[512], sub[768], reps[64], names[1024] = "", cw[1024];
	struct gp_vars v = { .used = 0 };
	int rc, byworkers, logx;
	FILE *f;

	if (!sel)
		return -ENOMEM;
	n = select_groups(d, m, w, sel);
	if (!n) {
		free(sel);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rd_group *g = &d->groups[sel[i]];

		lo = fmin(lo, g->wall.min);
		hi = fmax(hi, g->wall.max);
		wmin = g->workers < wmin ? g->workers : wmin;
		wmax = g->workers > wmax ? g->workers : wmax;
		if (i == 0 || strcmp(g->mode, d->groups[sel[i - 1]].mode)) {
			size_t used = strlen(names);

			if (nmodes < 64)
				colors[nmodes] = plot_mode_color(report_data_mode_rank(d, g->mode));
			nmodes++;
			snprintf(names + used, sizeof(names) - used, "%s", used ? " " : "");
			for (const char *c = g->mode; *c && strlen(names) + 2 < sizeof(names); c++) {
				used = strlen(names);
				names[used] = *c == ' ' || *c == '\'' ? '_' : *c;
				names[used + 1] = '\0';
			}
		}
	}
	byworkers = n > SPREAD_MAX_CATS;
	logx = wmax >= 16 * (wmin ? wmin : 1);
	scale = hi < 1 ? 1e3 : 1;
	snprintf(name, sizeof(name), "wall-spread-%s", wl->slug);
	f = dat_open(p, name);
	if (!f) {
		free(sel);
		return -EIO;
	}
	for (size_t i = 0; i < n && !byworkers; i++) {
		const struct rd_group *g = &d->groups[sel[i]];

		fprintf(f, "%zu\t", i);
		dat_str(f, g->mode);
		if (d->several_pins)
			fprintf(f, " ×%u pin %s\n", g->workers, g->pin);
		else
			fprintf(f, " ×%u\n", g->workers);
	}
	if (byworkers) {
		/* tics at the worker counts measured, as many as fit side by side */
		double last = -INFINITY;

		for (unsigned k = wmin; k <= wmax; k++) {
			int seen = 0;
			double at = logx ? log2(k) : k;

			for (size_t i = 0; i < n && !seen; i++)
				seen = d->groups[sel[i]].workers == k;
			if (!seen || at - last < (logx ? 0.25 : (wmax - wmin) / 25.0))
				continue;
			fprintf(f, "%u\t%u\n", k, k);
			last = at;
		}
	}
	for (int block = 1; block <= 2; block++) {
		size_t mode_no = 0;

		fprintf(f, "\n\n");
		for (size_t i = 0; i < n; i++) {
			const struct rd_group *g = &d->groups[sel[i]];
			unsigned c = plot_mode_color(report_data_mode_rank(d, g->mode));
			double x = (double)i, half = 0.32;

			if (i && strcmp(g->mode, d->groups[sel[i - 1]].mode))
				mode_no++;
			if (byworkers) {
				/* nudge each mode a little, so none hides another */
				double nudge = ((double)mode_no - (double)(nmodes - 1) / 2) * 0.025;

				x = logx ? g->workers * (1 + nudge) : g->workers + nudge * wmax;
				half = logx ? x * 0.02 : wmax * 0.01;
			}
			if (block == 2) {
				fprintf(f, "%.6g\t%.9g\t%.6g\t%u\n", x - half, g->wall.median * scale,
					2 * half, c);
				continue;
			}
			for (size_t k = 0; k < g->n; k++) {
				double jitter = g->n > 1 ? ((double)(k % 7) - 3) / 3 * half * 0.45 : 0;

				fprintf(f, "%.6g\t%.9g\t%u\n", x + jitter, g->walls[k] * scale, c);
			}
		}
	}
	rc = dat_close(p, f, name);
	if (rc) {
		free(sel);
		return rc;
	}
	reps_text(reps, sizeof(reps), d, sel, n);
	color_words(cw, sizeof(cw), colors, nmodes < 64 ? nmodes : 64);
	snprintf(title, sizeof(title), "Wall time of every repetition: %s", wl->label);
	machine_subtitle(sub, sizeof(sub), mach);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), " · %s per mode%s · lower is better",
		 reps, d->several_pins ? " and pin" : "");
	gp_str(&v, "title", title);
	gp_str(&v, "subtitle", sub);
	gp_str(&v, "ylabel", scale > 1 ? "wall time (ms)" : "wall time (s)");
	gp_num(&v, "byworkers", byworkers);
	gp_num(&v, "ncats", (double)n);
	gp_num(&v, "logx", logx);
	gp_num(&v, "xmin", logx ? wmin / 1.3 : 0);
	gp_num(&v, "xmax", logx ? wmax * 1.3 : wmax * 1.08 + 0.3);
	gp_num(&v, "nmodes", (double)(nmodes < 64 ? nmodes : 64));
	gp_str(&v, "mode_names", names);
	gp_str(&v, "mode_colors", cw);
	gp_num(&v, "logy", lo > 0 && hi / lo > 50);
	gp_num(&v, "rotate", n > 7);
	gp_num(&v, "width", 1200);
	gp_num(&v, "height", 700);
	free(sel);
	return draw(p, "spread.gp", name, &v);
}

/* ------------------------------------------------------------------ timeline */

/* The tasks file, read once, with the columns the timeline needs. */
struct tasks_file {
	struct csv t;
	int run, task, worker, cpu_start, cpu_end, start, end, message;
	int loaded;
};

static int tasks_load(struct tasks_file *tf, const char *path, char *err, size_t len)
{
	struct csv_error e;
	int rc;

	memset(tf, 0, sizeof(*tf));
	if (!path || access(path, F_OK) != 0)
		return 0;
	rc = csv_read_file(path, &tf->t, &e);
	if (rc) {
		snprintf(err, len, "%s:%zu: %s", path, e.line, e.msg);
		return -EINVAL;
	}
	tf->run = csv_column(&tf->t, "run");
	tf->task = csv_column(&tf->t, "task");
	tf->worker = csv_column(&tf->t, "worker");
	tf->cpu_start = csv_column(&tf->t, "cpu_start");
	tf->cpu_end = csv_column(&tf->t, "cpu_end");
	tf->start = csv_column(&tf->t, "start_s");
	tf->end = csv_column(&tf->t, "end_s");
	tf->message = csv_column(&tf->t, "message");   /* optional */
	if (tf->run < 0 || tf->task < 0 || tf->worker < 0 || tf->start < 0 || tf->end < 0) {
		snprintf(err, len, "%s:1: no run, task, worker, start_s or end_s column: "
			 "not a bench tasks CSV", path);
		csv_free(&tf->t);
		return -EINVAL;
	}
	tf->loaded = 1;
	return 0;
}

/* The run of group @g with the median wall time (the later one of a tie). */
static const struct rd_run *typical_run(const struct report_data *d, size_t g)
{
	const struct rd_group *grp = &d->groups[g];
	const struct rd_run *best = NULL;

	for (size_t i = 0; i < d->nruns; i++) {
		const struct rd_run *r = &d->runs[i];

		if (r->group != g || r->warmup || !r->ok)
			continue;
		if (!best || fabs(r->wall_s - grp->wall.median) <= fabs(best->wall_s - grp->wall.median))
			best = r;
	}
	return best;
}

/* Pick each mode's fastest group (lowest median wall; fewer workers on a tie). */
static size_t timeline_groups(const struct report_data *d, size_t m, size_t w, size_t *out)
{
	size_t n = 0;

	for (size_t r = 0; r < d->nmodes; r++) {
		long best = -1;

		for (size_t g = 0; g < d->ngroups; g++) {
			const struct rd_group *grp = &d->groups[g];

			if (grp->machine != m || grp->workload != w || strcmp(grp->mode, d->modes[r]) ||
			    !grp->wall.n)
				continue;
			if (best < 0 || grp->wall.median < d->groups[best].wall.median ||
			    (grp->wall.median == d->groups[best].wall.median &&
			     grp->workers < d->groups[best].workers))
				best = (long)g;
		}
		if (best >= 0)
			out[n++] = (size_t)best;
	}
	return n;
}

/*
 * Where each of the first @shown lanes of run @run ran, when its tasks say
 * ("rank R on HOST: ...", the mpi mode): "rank R @ HOST" in @names[k],
 * else an empty string.
 */
static void lane_places(const struct tasks_file *tf, const char *run, unsigned shown,
			char names[][48])
{
	unsigned left = shown;

	for (unsigned k = 0; k < shown; k++)
		names[k][0] = '\0';
	for (size_t r = 0; r < tf->t.nrows && left && tf->message >= 0; r++) {
		const char *wk = csv_cell(&tf->t, r, tf->worker);
		char host[24], *end;
		unsigned rank;
		long k;

		if (strcmp(csv_cell(&tf->t, r, tf->run), run))
			continue;
		k = strtol(wk, &end, 10);
		if (end == wk || k < 0 || k >= (long)shown || names[k][0] ||
		    sscanf(csv_cell(&tf->t, r, tf->message), "rank %u on %23[^: ]", &rank, host) != 2)
			continue;
		snprintf(names[k], sizeof(names[k]), "rank %u @ %s", rank, host);
		left--;
	}
}

/* The longest label that fits @px pixels (about 7 px a character at the chart's size). */
static void task_label(char *buf, size_t len, const char *task, const char *c0, const char *c1,
		       double px)
{
	char cpu[64];
	size_t chars = px > 8 ? (size_t)((px - 6) / 7) : 0;

	if (*c1 && strcmp(c0, c1))
		snprintf(cpu, sizeof(cpu), "%s→%s", c0, c1);
	else
		snprintf(cpu, sizeof(cpu), "%s", c0);
	snprintf(buf, len, "task %s @ CPU %s", task, cpu);
	if (strlen(buf) <= chars)
		return;
	snprintf(buf, len, "t%s @cpu%s", task, cpu);
	if (strlen(buf) <= chars)
		return;
	snprintf(buf, len, "%s@%s", task, cpu);
	if (strlen(buf) <= chars)
		return;
	snprintf(buf, len, "%s", task);
	if (strlen(buf) > chars)
		buf[0] = '\0';
}

static int chart_timeline(struct plot_set *p, const struct report_data *d, size_t m, size_t w,
			  const struct tasks_file *tf)
{
	const struct rd_machine *mach = &d->machines[m];
	const struct rd_workload *wl = &d->workloads[w];
	size_t sel[64], n, nlanes = 0, lane0[64];
	const struct rd_run *runs[64];
	double xmax = 0, scale, plot_px = 1200 - 260;
	char name[160], title[512], sub[768], xl[64];
	struct gp_vars v = { .used = 0 };
	FILE *f;
	int rc;

	if (!tf->loaded)
		return 0;
	n = timeline_groups(d, m, w, sel);
	for (size_t i = 0; i < n; i++) {
		runs[i] = typical_run(d, sel[i]);
		if (runs[i])
			xmax = fmax(xmax, runs[i]->wall_s);
	}
	if (!n || !(xmax > 0))
		return 0;
	scale = xmax < 1 ? 1e3 : 1;
	xmax *= scale * 1.02;
	snprintf(name, sizeof(name), "timeline-%s", wl->slug);
	f = dat_open(p, name);
	if (!f)
		return -EIO;
	/* block 0: lanes */
	for (size_t i = 0; i < n; i++) {
		const struct rd_group *g = &d->groups[sel[i]];
		unsigned shown = g->workers < MAX_LANES_PER_MODE ? g->workers : MAX_LANES_PER_MODE;

		char places[MAX_LANES_PER_MODE][48];

		lane0[i] = nlanes;
		lane_places(tf, runs[i] ? runs[i]->id : "", shown, places);
		for (unsigned k = 0; k < shown; k++, nlanes++) {
			char lane[64];

			/* the worker, or for mpi the rank and its host */
			if (places[k][0])
				snprintf(lane, sizeof(lane), "%.47s", places[k]);
			else
				snprintf(lane, sizeof(lane), "w%u", k);
			fprintf(f, "%zu\t", nlanes);
			if (k == 0) {
				dat_str(f, g->mode);
				fprintf(f, "  ");
			}
			dat_str(f, lane);
			fprintf(f, "\n");
		}
		if (g->workers > shown)
			fprintf(f, "%zu\t+%u more workers (not drawn)\n", nlanes++, g->workers - shown);
	}
	/* block 1: lifetimes; block 2: start-up; block 3: tasks */
	for (int block = 1; block <= 3; block++) {
		fprintf(f, "\n\n");
		for (size_t i = 0; i < n; i++) {
			const struct rd_group *g = &d->groups[sel[i]];
			unsigned shown = g->workers < MAX_LANES_PER_MODE ? g->workers : MAX_LANES_PER_MODE;
			unsigned color = plot_mode_color(report_data_mode_rank(d, g->mode));
			double first[MAX_LANES_PER_MODE];

			if (!runs[i])
				continue;
			for (unsigned k = 0; k < shown; k++)
				first[k] = INFINITY;
			if (block == 1) {
				for (unsigned k = 0; k < shown; k++)
					fprintf(f, "%zu\t0\t%.9g\n", lane0[i] + k, runs[i]->wall_s * scale);
				continue;
			}
			for (size_t r = 0; r < tf->t.nrows; r++) {
				const char *wk = csv_cell(&tf->t, r, tf->worker);
				char *e1, *e2, label[96];
				double s, e;
				long k;

				if (strcmp(csv_cell(&tf->t, r, tf->run), runs[i]->id) || !*wk)
					continue;
				k = strtol(wk, NULL, 10);
				s = strtod(csv_cell(&tf->t, r, tf->start), &e1);
				e = strtod(csv_cell(&tf->t, r, tf->end), &e2);
				if (k < 0 || k >= (long)shown || *e1 || *e2 || e1 == csv_cell(&tf->t, r, tf->start))
					continue;
				if (block == 2) {
					first[k] = fmin(first[k], s);
					continue;
				}
				task_label(label, sizeof(label), csv_cell(&tf->t, r, tf->task),
					   csv_cell(&tf->t, r, tf->cpu_start), csv_cell(&tf->t, r, tf->cpu_end),
					   (e - s) * scale / xmax * plot_px);
				fprintf(f, "%zu\t%.9g\t%.9g\t%u\t", lane0[i] + (size_t)k, s * scale,
					e * scale, color);
				dat_str(f, label[0] ? label : " ");
				fputc('\n', f);
			}
			if (block == 2)
				for (unsigned k = 0; k < shown; k++)
					if (isfinite(first[k]) && first[k] > 0)
						fprintf(f, "%zu\t0\t%.9g\n", lane0[i] + k, first[k] * scale);
		}
	}
	/* block 4: separators between modes */
	fprintf(f, "\n\n");
	for (size_t i = 1; i < n; i++)
		fprintf(f, "%.1f\n", (double)lane0[i] - 0.5);
	if (n < 2)
		fprintf(f, "NaN\n");
	rc = dat_close(p, f, name);
	if (rc)
		return rc;
	snprintf(title, sizeof(title), "Timeline of one run per mode: %s", wl->label);
	machine_subtitle(sub, sizeof(sub), mach);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub),
		 " · each mode's median run at its fastest worker count · a lane per worker");
	snprintf(xl, sizeof(xl), "time since the run started (%s)", scale > 1 ? "ms" : "s");
	gp_str(&v, "title", title);
	gp_str(&v, "subtitle", sub);
	gp_str(&v, "xlabel", xl);
	gp_num(&v, "nlanes", (double)nlanes);
	gp_num(&v, "xmax", xmax);
	gp_num(&v, "width", 1200);
	gp_num(&v, "height", nlanes * 30 + 230 > 420 ? (double)nlanes * 30 + 230 : 420);
	return draw(p, "timeline.gp", name, &v);
}

/* ------------------------------------------------------------------ scaling fits */

/* A file-name part: letters, digits, '-' and '_' kept, the rest '_'. */
static void name_part(char *out, size_t len, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < len && n < 40; s++)
		out[n++] = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			   (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ? *s : '_';
	out[n] = '\0';
}

int plot_scaling(struct plot_set *p, const struct report_data *d, const struct scaling_fit *sf,
		 int with_host, char *name, size_t len)
{
	const struct rd_machine *mach = &d->machines[sf->machine];
	const struct rd_workload *wl = &d->workloads[sf->workload];
	const struct fit_scaling *fs = &sf->fit;
	double xmin, xmax, ymax = 1, pmin = fs->levels[0].p;
	size_t nmin = SIZE_MAX, nmax = 0;
	char file[240], host[48], mode[48], pin[24], title[512], sub[1024], pt[64], legend[128];
	char al[160], ul[160], pl[160];
	struct gp_vars v = { .used = 0 };
	int logx, ranges = 0, rc;
	FILE *f;

	name[0] = '\0';
	if (!sf->fitted)
		return 0;
	name_part(host, sizeof(host), mach->name);
	name_part(mode, sizeof(mode), sf->mode);
	name_part(pin, sizeof(pin), sf->pin);
	snprintf(file, sizeof(file), "scaling-%s%s%s-%s%s%s", with_host ? host : "",
		 with_host ? "-" : "", wl->slug, mode, strcmp(sf->pin, "none") ? "-" : "",
		 strcmp(sf->pin, "none") ? pin : "");
	logx = sf->max_p >= 16 * pmin;
	xmax = sf->max_p;
	if (sf->peak_extrapolated && fs->usl.peak_p <= 4 * sf->max_p)
		xmax = fs->usl.peak_p;
	xmax = logx ? xmax * 1.3 : xmax * 1.08 + 0.3;
	xmin = logx ? pmin / 1.3 : 0;
	f = dat_open(p, file);
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
	dat_str(f, legend);
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
	rc = dat_close(p, f, file);
	if (rc)
		return rc;
	snprintf(title, sizeof(title), "Scaling of %s: %s", sf->mode, wl->label);
	machine_subtitle(sub, sizeof(sub), mach);
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
	gp_str(&v, "title", title);
	gp_str(&v, "subtitle", sub);
	gp_str(&v, "xlabel", pt);
	gp_str(&v, "amdahl_label", al);
	gp_str(&v, "usl_label", ul);
	gp_num(&v, "pus", mach->usable_pus <= xmax ? mach->usable_pus : 0);
	gp_num(&v, "peak_p", fs->usl.has_peak ? fs->usl.peak_p : 0);
	gp_num(&v, "peak_speedup", fs->usl.has_peak ? fs->usl.peak_speedup : 0);
	gp_str(&v, "peak_label", pl);
	gp_num(&v, "logx", logx);
	gp_num(&v, "xmin", xmin);
	gp_num(&v, "xmax", xmax);
	gp_num(&v, "ymax", ymax * 1.15);
	gp_num(&v, "width", 1200);
	gp_num(&v, "height", 700);
	rc = draw(p, "scaling.gp", file, &v);
	if (!rc)
		snprintf(name, len, "%s.png", file);
	return rc;
}

/* ------------------------------------------------------------------ all of one machine */

/* A scaling chart for every fit of machine @m. */
static void chart_fits(struct plot_set *p, const struct report_data *d, size_t m)
{
	struct scaling_set set;
	char name[256];

	if (scaling_compute(d, &set))
		return;
	for (size_t i = 0; i < set.n; i++)
		if (set.fits[i].machine == m)
			plot_scaling(p, d, &set.fits[i], 0, name, sizeof(name));
	scaling_free(&set);
}

int plot_machine_charts(struct plot_set *p, const struct report_data *d, size_t machine,
			const char *tasks_csv, char *err, size_t len)
{
	struct tasks_file tf;
	int rc;

	rc = tasks_load(&tf, tasks_csv, err, len);
	if (rc)
		return rc;
	for (size_t w = 0; w < d->nworkloads && !p->stopped; w++) {
		if (chart_speedup(p, d, machine, w) == -ENOENT)
			goto out;
		chart_spread(p, d, machine, w);
		chart_timeline(p, d, machine, w, &tf);
	}
	if (!p->stopped) {
		chart_bound(p, d, machine);
		chart_fits(p, d, machine);
	}
out:
	if (tf.loaded)
		csv_free(&tf.t);
	return 0;
}
