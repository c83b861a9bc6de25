#include "bench/report/report_plot.h"
#include "bench/report/report_plot_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/data/csv.h"
#include "bench/api/child.h"
#include "bench/api/job.h"
#include "bench/api/path.h"
#include "bench/analysis/report_data.h"
#include "bench/core/run.h"
#include "bench/analysis/scaling.h"
#include "bench/api/workload.h"
#include "bench/sys/message.h"

/* ------------------------------------------------------------------ colors */

/* seq grey; thread modes blues; process modes oranges; then the rest */
static const unsigned mode_colors[] = {
	0x555555, 0x0072b2, 0xd55e00, 0x56b4e9, 0xe69f00, 0x009e73, 0xcc79a7, 0x882255,
};
static const unsigned series_colors[] = {
	0x0072b2, 0xe69f00, 0x009e73, 0xcc79a7, 0xd55e00, 0x56b4e9, 0x882255, 0x555555,
};

/* 0xRRGGBB of a mode (by its rank in d->modes) and of the i-th series. */
unsigned plot_mode_color(int rank)
{
	size_t n = sizeof(mode_colors) / sizeof(mode_colors[0]);

	return mode_colors[rank < 0 ? n - 1 : (size_t)rank % n];
}

unsigned plot_series_color(size_t i)
{
	return series_colors[i % (sizeof(series_colors) / sizeof(series_colors[0]))];
}

/* ------------------------------------------------------------------ names */

/* Every chart's file name starts with one of these (then a workload's slug). */
static const char *const chart_prefixes[] = {
	"speedup-vs-workers-", "speedup-io-vs-cpu-bound", "hosts-speedup-", "wall-spread-",
	"timeline-", "overhead-", "hosts-time-", "hosts-overhead-", "scaling-",
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

const char *plot_unavailable(void)
{
	char scripts[4096];

	if (!is_exec_in_path("gnuplot"))
		return "gnuplot not found in PATH (install it: apt-get install gnuplot-nox)";
	if (find_scripts(scripts, sizeof(scripts)))
		return "chart scripts (speedup.gp, ...) not found in $BENCH_PLOTS, ./plots or "
		       "PREFIX/share/bench/plots";
	return NULL;
}

int plot_begin(struct plot_set *p, const char *dir)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if (!is_exec_in_path("gnuplot")) {
		error("gnuplot not found in PATH: no charts drawn "
			"(install it: apt-get install gnuplot-nox)");
		return -ENOENT;
	}
	if (find_scripts(p->scripts, sizeof(p->scripts))) {
		error("chart scripts (speedup.gp, ...) not found in $BENCH_PLOTS, "
			"./plots or PREFIX/share/bench/plots: no charts drawn");
		return -ENOENT;
	}
	rc = path_mkdir_p(dir);
	if (rc) {
		error("cannot create plots folder %s: %s", dir, strerror(-rc));
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

/* @n bytes of @s as a single-quoted gnuplot string. */
static void gp_quoted(struct gp_vars *v, const char *s, size_t n)
{
	gp_append(v, "'", 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			gp_append(v, "''", 2);
		else if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
			gp_append(v, " ", 1);
		else
			gp_append(v, s + i, 1);
	}
	gp_append(v, "'", 1);
}

void plot_gp_str(struct gp_vars *v, const char *name, const char *val)
{
	gp_append(v, name, strlen(name));
	gp_append(v, "=", 1);
	gp_quoted(v, val, strlen(val));
	gp_append(v, "; ", 2);
}

/* Characters (not bytes) of UTF-8 text. */
static size_t text_chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/*
 * @val as lines of at most @max characters joined by "\n": broken at
 * " · " where it can, else at a space.
 */
static void gp_lines(struct gp_vars *v, const char *name, const char *val, size_t max)
{
	static const char sep[] = " · ";
	const char *line = val;

	gp_append(v, name, strlen(name));
	gp_append(v, "=", 1);
	while (*line) {
		const char *cut = NULL, *next = NULL, *at;

		if (text_chars(line, strlen(line)) > max) {
			/* the last separator that keeps the line short enough */
			for (at = strstr(line, sep); at; at = strstr(at + 1, sep))
				if (text_chars(line, (size_t)(at - line)) <= max) {
					cut = at;
					next = at + strlen(sep);
				}
			for (at = strchr(line, ' '); !cut && at; at = strchr(at + 1, ' '))
				if (text_chars(line, (size_t)(at - line)) <= max || !next) {
					cut = at;
					next = at + 1;
					if (text_chars(line, (size_t)(at - line)) > max)
						break;
				}
		}
		gp_quoted(v, line, cut ? (size_t)(cut - line) : strlen(line));
		if (!cut)
			break;
		gp_append(v, ".\"\\n\".", 6);
		line = next;
	}
	if (!*val)
		gp_append(v, "''", 2);
	gp_append(v, "; ", 2);
}

void plot_gp_heading(struct gp_vars *v, const char *title, const char *subtitle, double width)
{
	/* about 10 px a character at the charts' font, with room for the margins */
	size_t max = width > 300 ? (size_t)(width / 10) : 30;

	snprintf(v->title, sizeof(v->title), "%s", title);
	gp_lines(v, "title", title, max);
	gp_lines(v, "subtitle", subtitle, max);
}

void plot_gp_num(struct gp_vars *v, const char *name, double x)
{
	char tmp[96];
	int n = snprintf(tmp, sizeof(tmp), "%s=%.9g; ", name, isfinite(x) ? x : 0.0);

	gp_append(v, tmp, (size_t)n);
}

struct gnuplot_run {
	char msg[2048];         /* what it said on stderr */
	size_t got;
	int wstatus, reaped;
};

static void gnuplot_reaped(const struct child_exit *e, void *arg)
{
	struct gnuplot_run *g = arg;

	g->wstatus = e->wstatus;
	g->reaped = 1;
}

/*
 * Until gnuplot has ended and its stderr is closed: keep what it says,
 * end it (SIGTERM) on a stop request.  Returns 1 if it was stopped, or
 * -errno.
 */
static int gnuplot_follow(struct child_set *set, int id, int errfd, struct gnuplot_run *g)
{
	struct pollfd fds[2];
	int killed = 0, rc;

	fds[0] = (struct pollfd){ .fd = errfd, .events = POLLIN };
	while (fds[0].fd >= 0 || child_live(set)) {
		if (run_stop_signal() && !killed && child_live(set)) {
			kill(child_pid(set, id), SIGTERM);
			killed = 1;
		}
		fds[1] = (struct pollfd){ .fd = killed ? -1 : job_stop_fd(), .events = POLLIN };
		rc = child_wait(set, fds, 2, INT64_MAX);
		if (rc)
			return rc;
		if (fds[0].revents) {
			char tmp[512];
			ssize_t n = read(errfd, tmp, sizeof(tmp));

			if (n <= 0 && !(n < 0 && errno == EINTR))
				fds[0].fd = -1;   /* closed: everything said */
			for (ssize_t i = 0; i < n && g->got + 1 < sizeof(g->msg); i++)
				g->msg[g->got++] = tmp[i];
		}
		rc = child_reap(set, gnuplot_reaped, g);
		if (rc < 0)
			return rc;
	}
	return killed;
}

/*
 * Run gnuplot on @script with @vars; its messages are shown only on
 * failure.  A stop request (Ctrl-C, SIGTERM...) ends it: -EINTR, said by
 * the caller.
 */
static int gnuplot_exec(const char *script, const char *vars)
{
	char *argv[] = { "gnuplot", "-e", (char *)vars, (char *)script, NULL };
	struct gnuplot_run g = { .got = 0 };
	struct child_set *set = child_set_new(1);
	int fds[2], io[3], id, rc;

	if (!set) {
		errno = ENOMEM;
		goto out_fail;
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		goto out_fail;
	/* the child dies with bench: a SIGKILLed bench (or its second
	 * Ctrl-C) takes gnuplot with it */
	io[0] = io[1] = CHILD_NULL;
	io[2] = fds[1];
	fflush(NULL);
	id = child_spawn_exec(set, argv, io, 0);
	close(fds[1]);
	if (id < 0) {
		close(fds[0]);
		errno = -id;
		goto out_fail;
	}
	rc = gnuplot_follow(set, id, fds[0], &g);
	close(fds[0]);
	if (rc < 0 || !g.reaped) {
		errno = rc < 0 ? -rc : ECHILD;
		goto out_fail;
	}
	child_set_free(set);
	g.msg[g.got] = '\0';
	if (rc || run_stop_signal())
		return -EINTR;
	if (WIFEXITED(g.wstatus) && WEXITSTATUS(g.wstatus) == 0)
		return 0;
	if (WIFEXITED(g.wstatus) && WEXITSTATUS(g.wstatus) == 127)
		return -ENOENT;
	while (g.got && g.msg[g.got - 1] == '\n')
		g.msg[--g.got] = '\0';   /* error() ends the line */
	error("gnuplot failed on %s:\n%s", script, g.msg);
	return -EIO;
out_fail:
	rc = errno;
	child_set_free(set);
	error("cannot run gnuplot on %s: %s", script, strerror(rc));
	return -rc;
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

/* XML text: the five special characters escaped. */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f);
		}
}

/* The whole of file @path, NUL-terminated, into *@out (to free). 0 or -errno. */
static int read_whole(const char *path, char **out)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return -errno;
	do {
		if (len + 4096 + 1 > cap) {
			char *q = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!q) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = q;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	return 0;
}

/* The SVG's document <title> (gnuplot writes "Gnuplot") becomes @title. */
static int svg_set_title(struct plot_set *p, const char *name, const char *title)
{
	static const char gp_title[] = "<title>Gnuplot</title>";
	char path[4400], tmp[4410];
	char *text = NULL, *at;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s.svg", p->dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	rc = read_whole(path, &text);
	if (rc) {
		error("cannot read %s: %s", path, strerror(-rc));
		return rc;
	}
	at = strstr(text, gp_title);
	if (!at) {
		free(text);
		return 0;
	}
	f = fopen(tmp, "w");
	if (!f) {
		rc = -errno;
		goto out_fail;
	}
	fwrite(text, 1, (size_t)(at - text), f);
	fputs("<title>", f);
	xml_text(f, title);
	fputs("</title>", f);
	fputs(at + strlen(gp_title), f);
	if (ferror(f) | fclose(f)) {
		rc = -EIO;
		goto out_fail;
	}
	if (rename(tmp, path)) {
		rc = -errno;
		goto out_fail;
	}
	free(text);
	return 0;
out_fail:
	error("cannot write %s: %s", path, strerror(-rc));
	unlink(tmp);
	free(text);
	return rc;
}

/* A chart's final file must be a regular file or not exist: "it is a FIFO..." otherwise. */
static int target_ok(struct plot_set *p, const char *path)
{
	char err[PATH_SHOW_MAX + 64];

	if (!path_check_output(NULL, path, err, sizeof(err)))
		return 1;
	error("cannot draw %s", err);
	p->errors++;
	return 0;
}

/*
 * Draw chart @name (data in DIR/NAME.dat) with @script, as PNG and SVG.
 * gnuplot writes DIR/.NAME.tmp-PID.FMT, renamed to DIR/NAME.FMT once it
 * succeeded: an interrupted or failed drawing never leaves an empty or
 * half-drawn chart under the chart's name.
 */
int plot_draw(struct plot_set *p, const char *script, const char *name, struct gp_vars *v)
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
		plot_gp_str(v, "plotdir", p->scripts);
		plot_gp_str(v, "out", tmp);
		plot_gp_str(v, "data", data);
		plot_gp_str(v, "fmt", fmts[f]);
		if (v->overflow) {
			error("%s: chart settings too long", name);
			rc = -E2BIG;
			break;
		}
		rc = gnuplot_exec(path, v->buf);
		if (!rc && rename(tmp_file, final) < 0) {
			rc = -errno;
			error("cannot write %s: %s", final, strerror(errno));
		}
		if (rc)
			unlink(tmp_file);
	}
	if (rc == -EINTR) {
		p->stopped = 1;
		return rc;
	}
	if (!rc && v->title[0])
		rc = svg_set_title(p, name, v->title);
	if (rc) {
		p->errors++;
		return rc;
	}
	snprintf(final, sizeof(final), "%s/%s.png", p->dir, name);
	remember(p, final);
	return 0;
}

/* ------------------------------------------------------------------ data files */

FILE *plot_dat_open(struct plot_set *p, const char *name)
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
			error("cannot write %s: it is %s, not a regular file",
				path_show(show, sizeof(show), path), kind);
		else
			error("cannot write %s: %s",
				path_show(show, sizeof(show), path), strerror(fd < 0 ? -fd : errno));
		p->errors++;
	}
	return f;
}

/* Close what plot_dat_open() gave; a failed write is said and counted, like a chart. */
int plot_dat_close(struct plot_set *p, FILE *f, const char *name)
{
	int bad = ferror(f), closed = fclose(f);

	if (!bad && !closed)
		return 0;
	error("cannot write %s/%s.dat: %s", p->dir, name,
		closed ? strerror(errno) : "write error");
	p->errors++;
	return -EIO;
}

/* A string cell: no tabs, line ends or double quotes (gnuplot would split or unquote). */
void plot_dat_str(FILE *f, const char *s)
{
	if (!*s) {
		fputc('-', f);
		return;
	}
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s == '"' ? '\'' : *s, f);
}

void plot_color_words(char *buf, size_t len, const unsigned *colors, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 9 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s#%06x", i ? " " : "", colors[i]);
}

void plot_machine_subtitle(char *buf, size_t len, const struct rd_machine *m)
{
	int n = snprintf(buf, len, "on %s (%s, %u PUs)", m->name,
			 *m->cpu_model ? m->cpu_model : "unknown CPU", m->usable_pus);

	/* a busy machine is said on every chart of it */
	if (m->contended_groups && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " · CONTENDED: others used %.1f of %u PUs, "
			 "not trustworthy", m->pus_taken, m->usable_pus);
	else if (m->unwatched_runs && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " · contention not recorded");
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
size_t plot_select_groups(const struct report_data *d, size_t m, size_t w, size_t *out)
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

void plot_reps_text(char *buf, size_t len, const struct report_data *d, const size_t *sel, size_t n)
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
void plot_speedup_bar(const struct rd_group *g, double *lo, double *hi, int *range)
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
const char *plot_bars_text(int intervals, int ranges)
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
	n = plot_select_groups(d, m, w, sel);
	for (size_t i = 0; i < n; i++) {
		const struct rd_group *g = &d->groups[sel[i]];

		if (g->speedup < 0)
			continue;
		if (report_data_is_baseline(g->mode) && isnan(base_ideal))
			base_ideal = g->ideal_s;
		wmin = g->workers < wmin ? g->workers : wmin;
		wmax = g->workers > wmax ? g->workers : wmax;
		plot_speedup_bar(g, &lo, &hi, &ranges);
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
	f = plot_dat_open(p, name);
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
			plot_dat_str(f, s);
			fputc('\n', f);
			if (nseries < 64)
				colors[nseries] = plot_mode_color(report_data_mode_rank(d, g->mode));
			nseries++;
			snprintf(prev, sizeof(prev), "%s", s);
		}
		/* seq stays on its tick; the others are nudged apart */
		dodge = report_data_is_baseline(g->mode) ? 0 :
			((double)nseries - 1 - (double)(total - 1) / 2) * 0.012;
		plot_speedup_bar(g, &lo, &hi, &ranges);
		fprintf(f, "%.6g\t%.6g\t%.6g\t%.6g\n",
			logx ? g->workers * (1 + dodge) : g->workers + dodge * (wmax > 4 ? wmax : 4),
			g->speedup, lo, hi);
	}
	rc = plot_dat_close(p, f, name);
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
	plot_reps_text(reps, sizeof(reps), d, sel, n);
	plot_color_words(cw, sizeof(cw), colors, nseries < 64 ? nseries : 64);
	snprintf(title, sizeof(title), "Speedup vs workers: %s", wl->label);
	plot_machine_subtitle(sub, sizeof(sub), mach);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub),
		 " · speedup = median of seq / mode per rep, %s · %s", reps,
		 plot_bars_text(intervals, ranges));
	plot_gp_heading(&v, title, sub, 1200);
	plot_gp_num(&v, "pus", mach->usable_pus);
	plot_gp_num(&v, "nseries", (double)nseries);
	plot_gp_str(&v, "series_colors", cw);
	plot_gp_num(&v, "logx", logx);
	plot_gp_num(&v, "xmin", logx ? wmin / 1.3 : 0);
	plot_gp_num(&v, "xmax", logx ? wmax * 1.3 : wmax * 1.08 + 0.3);
	plot_gp_num(&v, "logy", ymin < 0.25);
	plot_gp_num(&v, "ymin", ymin < 0.25 ? ymin / 1.6 : 0);
	plot_gp_num(&v, "ymax", ymin < 0.25 ? ymax * 1.6 : ymax * 1.12);
	plot_gp_num(&v, "width", 1200);
	plot_gp_num(&v, "height", 700);
	free(sel);
	return plot_draw(p, "speedup.gp", name, &v);
}

/* ------------------------------------------------------------------ grouped bars */

/* Best speedup of machine @m, workload @w, mode @mode over worker counts and pins. */
const struct rd_group *plot_best_group(const struct report_data *d, size_t m, size_t w,
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
			if (plot_best_group(d, ms[s], wsr[s], d->modes[r])) {
				cats[ncats++] = d->modes[r];
				break;
			}
	if (!ncats || !nseries)
		return 0;
	f = plot_dat_open(p, name);
	if (!f)
		return -EIO;
	for (size_t c = 0; c < ncats; c++) {
		fprintf(f, "%zu\t", c);
		plot_dat_str(f, cats[c]);
		fputc('\n', f);
	}
	/* the axis fits the values; an interval too wide to show is cut at the top */
	for (size_t s = 0; s < nseries; s++)
		for (size_t c = 0; c < ncats; c++) {
			const struct rd_group *g = plot_best_group(d, ms[s], wsr[s], cats[c]);

			if (g) {
				plot_speedup_bar(g, &lo, &hi, &ranges);
				intervals |= !isnan(g->speedup_lo);
				ymax = fmax(ymax, fmin(hi, g->speedup * 1.3));
			}
		}
	ymax = fmax(ymax, 1) * (nseries * ncats > 12 ? 1.3 : 1.15);
	bw = 0.8 / (double)nseries;
	for (size_t s = 0; s < nseries; s++) {
		fprintf(f, "\n\n");
		plot_dat_str(f, names[s]);
		fputc('\n', f);
		for (size_t c = 0; c < ncats; c++) {
			const struct rd_group *g = plot_best_group(d, ms[s], wsr[s], cats[c]);
			double x = (double)c + ((double)s - (double)(nseries - 1) / 2) * bw;

			if (!g)
				continue;
			plot_speedup_bar(g, &lo, &hi, &ranges);
			fprintf(f, "%.4f\t%.6g\t%.6g\t%.6g\t", x, g->speedup, lo, fmin(hi, ymax));
			fprintf(f, g->speedup >= 10 ? "%.1f×" : g->speedup >= 0.1 ? "%.2f×" : "%.2g×",
				g->speedup);
			/* seq has one worker by definition, and a short bar */
			if (report_data_is_baseline(g->mode))
				fprintf(f, "\t%.6g\t \n", fmin(hi, ymax / 1.1));
			else
				fprintf(f, "\t%.6g\tw=%u\n", fmin(hi, ymax / 1.1), g->workers);
		}
		if (s < 64)
			colors[s] = plot_series_color(s);
	}
	rc = plot_dat_close(p, f, name);
	if (rc)
		return rc;
	plot_color_words(cw, sizeof(cw), colors, nseries < 64 ? nseries : 64);
	snprintf(subtitle, sizeof(subtitle), "%s · w=N at a bar's foot: the worker count of that "
		 "speedup · %s", sub, plot_bars_text(intervals, ranges));
	plot_gp_heading(&v, title, subtitle, ncats * nseries > 40 ? 1600 : 1200);
	plot_gp_str(&v, "ylabel", "speedup over seq (×, higher is better)");
	plot_gp_num(&v, "nseries", (double)nseries);
	plot_gp_str(&v, "series_colors", cw);
	plot_gp_num(&v, "ncats", (double)ncats);
	plot_gp_num(&v, "boxwidth", bw * 0.92);
	plot_gp_num(&v, "ymax", ymax);
	plot_gp_num(&v, "hline", hline);
	plot_gp_str(&v, "hlabel", hlabel ? hlabel : "");
	plot_gp_num(&v, "rotate", nseries * ncats > 12);
	plot_gp_num(&v, "width", ncats * nseries > 40 ? 1600 : 1200);
	plot_gp_num(&v, "height", 700);
	return plot_draw(p, "bars.gp", name, &v);
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
		double ratio;
		const char *kind;

		/* noop measures the harness: its own chart gives its cost per task */
		if (d->workloads[w].bound == BOUND_NONE)
			continue;
		for (size_t r = 0; r < d->nmodes && !any; r++)
			any = plot_best_group(d, m, w, d->modes[r]) != NULL;
		if (!any)
			continue;
		ms[n] = m;
		wsr[n] = w;
		/* the class measured (task CPU / wall in seq), never a label */
		kind = report_data_class(d, m, w, &ratio);
		if (ratio >= 0 && strcmp(kind, "no work") && !strstr(kind, "contended"))
			snprintf(names[n], 256, "%.180s: %s (CPU/wall %.2f)", d->workloads[w].label, kind,
				 ratio);
		else
			snprintf(names[n], 256, "%.180s: %s", d->workloads[w].label, kind);
		n++;
	}
	snprintf(title, sizeof(title), "Speedup by mode: I/O-bound vs CPU-bound work");
	plot_machine_subtitle(sub, sizeof(sub), mach);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub),
		 " · each mode at its best worker count · classes from task CPU / wall in seq");
	snprintf(hl, sizeof(hl), "%u PUs: the most CPU-bound work can gain", mach->usable_pus);
	rc = bars_chart(p, d, "speedup-io-vs-cpu-bound", ms, wsr, names, n, title, sub,
			mach->usable_pus, hl);
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
	n = plot_select_groups(d, m, w, sel);
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
	f = plot_dat_open(p, name);
	if (!f) {
		free(sel);
		return -EIO;
	}
	for (size_t i = 0; i < n && !byworkers; i++) {
		const struct rd_group *g = &d->groups[sel[i]];

		fprintf(f, "%zu\t", i);
		plot_dat_str(f, g->mode);
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
				double nudge = report_data_is_baseline(g->mode) ? 0 :
					       ((double)mode_no - (double)(nmodes - 1) / 2) * 0.025;

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
	rc = plot_dat_close(p, f, name);
	if (rc) {
		free(sel);
		return rc;
	}
	plot_reps_text(reps, sizeof(reps), d, sel, n);
	plot_color_words(cw, sizeof(cw), colors, nmodes < 64 ? nmodes : 64);
	snprintf(title, sizeof(title), "Wall time of every repetition: %s", wl->label);
	plot_machine_subtitle(sub, sizeof(sub), mach);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), " · %s per mode%s · lower is better",
		 reps, d->several_pins ? " and pin" : "");
	plot_gp_heading(&v, title, sub, 1200);
	plot_gp_str(&v, "ylabel", scale > 1 ? "wall time (ms)" : "wall time (s)");
	plot_gp_num(&v, "byworkers", byworkers);
	plot_gp_num(&v, "ncats", (double)n);
	plot_gp_num(&v, "logx", logx);
	plot_gp_num(&v, "xmin", logx ? wmin / 1.3 : 0);
	plot_gp_num(&v, "xmax", logx ? wmax * 1.3 : wmax * 1.08 + 0.3);
	plot_gp_num(&v, "nmodes", (double)(nmodes < 64 ? nmodes : 64));
	plot_gp_str(&v, "mode_names", names);
	plot_gp_str(&v, "mode_colors", cw);
	plot_gp_num(&v, "logy", lo > 0 && hi / lo > 50);
	plot_gp_num(&v, "rotate", n > 7);
	plot_gp_num(&v, "width", 1200);
	plot_gp_num(&v, "height", 700);
	free(sel);
	return plot_draw(p, "spread.gp", name, &v);
}

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
	for (size_t w = 0; w < d->nworkloads && !p->stopped; w++) {
		int rc = d->workloads[w].bound == BOUND_NONE ? plot_overhead(p, d, machine, w) :
			 chart_speedup(p, d, machine, w);

		if (rc == -ENOENT)
			return 0;
		chart_spread(p, d, machine, w);
	}
	if (p->stopped)
		return 0;
	chart_bound(p, d, machine);
	chart_fits(p, d, machine);
	if (p->stopped)
		return 0;
	return plot_timelines(p, d, machine, tasks_csv, p->timeline_axis, err, len);
}
