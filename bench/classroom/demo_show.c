#include "bench/classroom/demo_show.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/classroom/demo_exec.h"
#include "bench/classroom/demo_live.h"
#include "bench/api/path.h"
#include "bench/core/run.h"

#define WRAP_COLS 78
#define LANE_COLS_PLAIN 60
#define LANE_COLS_MAX 100
#define TIMELINE_MAX_ROWS 32

static struct {
	int colour;
	int cols;                  /* terminal width, 0: not a terminal */
	pid_t driver_tid;
	struct demo_page *page;
	int64_t t0_ns;
	void (*after_code)(void *arg);
	void *after_code_arg;
} sh;

void show_init(void)
{
	struct winsize ws;
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	sh.driver_tid = gettid();
	sh.cols = 0;
	if (isatty(STDOUT_FILENO)) {
		sh.cols = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
		sh.colour = !(nc && *nc) && !(term && !strcmp(term, "dumb"));
	}
}

int show_use_colour(void)
{
	return sh.colour;
}

int show_lane_cols(void)
{
	int c;

	if (!sh.cols)
		return LANE_COLS_PLAIN;
	c = sh.cols - 18;
	return c < 20 ? 20 : c > LANE_COLS_MAX ? LANE_COLS_MAX : c;
}

const char *show_colour(size_t i)
{
	static const char *const c[] = {
		"\033[31m", "\033[32m", "\033[33m", "\033[34m", "\033[35m", "\033[36m",
		"\033[91m", "\033[92m", "\033[93m", "\033[94m", "\033[95m", "\033[96m",
	};

	return sh.colour ? c[i % (sizeof(c) / sizeof(c[0]))] : "";
}

const char *show_colour_off(void)
{
	return sh.colour ? "\033[0m" : "";
}

void show_capture(struct demo_page *page)
{
	sh.page = page;
}

void show_after_code(void (*fn)(void *arg), void *arg)
{
	sh.after_code = fn;
	sh.after_code_arg = arg;
}

void show_set_t0(int64_t t0_ns)
{
	sh.t0_ns = t0_ns;
}

int64_t show_t0(void)
{
	return sh.t0_ns;
}

void demo_text_add(struct demo_text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *p = realloc(t->s, cap);

		if (!p)
			return;   /* the page misses a line; the screen has it */
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

void demo_page_free(struct demo_page *page)
{
	for (size_t c = 0; c < page->ncharts; c++) {
		for (size_t i = 0; i < page->chart[c].n; i++) {
			free((char *)page->chart[c].runs[i].mode);
			free((struct plot_task *)page->chart[c].runs[i].t);
		}
		free(page->chart[c].runs);
	}
	free(page->chart);
	page->chart = NULL;
	page->ncharts = 0;
	struct demo_text *all[] = { &page->tutorial, &page->code, &page->numbers, &page->charts,
				    &page->lesson };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		free(all[i]->s);
		*all[i] = (struct demo_text){ 0 };
	}
}

static int on_driver(void)
{
	return gettid() == sh.driver_tid;
}

static void keep(struct demo_text *t, const char *s, size_t n)
{
	if (sh.page && on_driver())
		demo_text_add(t, s, n);
}

static void out(const char *s, size_t n)
{
	fflush(stdout);
	fd_write_full(STDOUT_FILENO, s, n);   /* nothing to do if stdout is gone */
}

void say(const char *fmt, ...)
{
	char buf[512];
	size_t n = 0;
	va_list ap;
	int k;

	k = snprintf(buf, sizeof(buf), "%8.3f s  ", ns_to_s(clock_now_ns() - sh.t0_ns));
	if (k > 0)
		n = (size_t)k;
	va_start(ap, fmt);
	k = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (k > 0)
		n += (size_t)k;
	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (!live_say(buf, n))
		out(buf, n);
	keep(sh.page ? &sh.page->numbers : NULL, buf, n);
}

static void vshow(struct demo_text *t, int print, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vshow(struct demo_text *t, int print, const char *fmt, va_list ap)
{
	char buf[2048];
	int k = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	size_t n = k < 0 ? 0 : (size_t)k >= sizeof(buf) - 1 ? sizeof(buf) - 2 : (size_t)k;

	buf[n++] = '\n';
	if (print)
		out(buf, n);
	if (t)
		keep(t, buf, n);
}

void show(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vshow(sh.page ? &sh.page->numbers : NULL, 1, fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vshow(NULL, 1, fmt, ap);
	va_end(ap);
}

const char *secs(char *buf, size_t len, double s)
{
	if (fabs(s * 10 - round(s * 10)) < 1e-6)
		snprintf(buf, len, "%.1f s", s);
	else
		snprintf(buf, len, "%.3g s", s);
	return buf;
}

void list_add(char *buf, size_t len, const char *sep, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n && n + 1 < len)
		n += (size_t)snprintf(buf + n, len - n, "%s", sep);
	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* @text after @first, wrapped; printed, and the text (unwrapped) into @t. */
static void para(const char *first, const char *text, struct demo_text *t)
{
	char line[WRAP_COLS * 4];
	size_t indent = strlen(first), col, used;
	const char *p = text;

	used = (size_t)snprintf(line, sizeof(line), "%s", first);
	col = indent;
	while (*p) {
		size_t word = strcspn(p, " ");

		if (col > indent && col + 1 + word > WRAP_COLS) {
			line[used++] = '\n';
			out(line, used);
			used = (size_t)snprintf(line, sizeof(line), "%*s", (int)indent, "");
			col = indent;
		}
		if (col > indent)
			line[used++] = ' ', col++;
		if (used + word + 2 > sizeof(line))
			word = sizeof(line) - used - 2;
		memcpy(line + used, p, word);
		used += word;
		col += word;
		p += word;
		while (*p == ' ')
			p++;
	}
	line[used++] = '\n';
	out(line, used);
	if (t) {
		/* the numbers keep their label ("order:", "note:"); the other
		 * sections have headings of their own */
		if (sh.page && t == &sh.page->numbers) {
			size_t label = strcspn(first, " ");

			keep(t, first, label);
			keep(t, " ", 1);
		}
		keep(t, text, strlen(text));
		keep(t, "\n", 1);
	}
}

void tutorial(const char *text)
{
	para("tutorial: ", text, sh.page ? &sh.page->tutorial : NULL);
}

void code(const char *text)
{
	if (*text)
		note("in C:");
	while (*text) {
		size_t n = strcspn(text, "\n");

		note("    %.*s", (int)n, text);
		if (sh.page) {
			keep(&sh.page->code, text, n);
			keep(&sh.page->code, "\n", 1);
		}
		text += n;
		if (*text)
			text++;
	}
	if (sh.after_code)
		sh.after_code(sh.after_code_arg);
	note("live:");
}

void codef(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	code(buf);
}

void teaches(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (run_stop_signal())
		snprintf(buf, sizeof(buf), "none from this run: Ctrl-C stopped it before it "
			 "finished, so its numbers above are of an unfinished run.");
	para("lesson:   ", buf, sh.page ? &sh.page->lesson : NULL);
}

void paraf(const char *first, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	para(first, buf, sh.page ? &sh.page->numbers : NULL);
}

int near_ideal(double ideal_s, double wall_s)
{
	return wall_s <= ideal_s * 1.25 + 0.02;
}

int ideal_vs_measured(double ideal_s, double wall_s, const char *why)
{
	if (demo_stopped()) {
		/* Ctrl-C ended the run: its time is not the lesson's to compare */
		show("stopped at %.3f s by Ctrl-C: not compared with the ideal (%.3f s)", wall_s,
		     ideal_s);
		return 0;
	}
	if (ideal_s > 0)
		show("ideal %.3f s (%s), measured %.3f s (%+.0f %%)", ideal_s, why, wall_s,
		     (wall_s / ideal_s - 1) * 100);
	else
		show("ideal %.3f s (%s), measured %.3f s", ideal_s, why, wall_s);
	return near_ideal(ideal_s, wall_s);
}

/* ------------------------------------------------------------------ timelines */

char task_symbol(size_t i)
{
	static const char sym[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

	return i < sizeof(sym) - 1 ? sym[i] : '#';
}

/* One lane: printed in colour where the terminal has it, kept plain. */
static void lane_out(const char *label, const char *marks, const int *who, int cols)
{
	char buf[LANE_COLS_MAX * 12 + 64], plain[LANE_COLS_MAX + 64];
	size_t n = 0, p;
	int prev = -1;

	p = (size_t)snprintf(plain, sizeof(plain), "  %-11s|%.*s|\n", label, cols, marks);
	n = (size_t)snprintf(buf, sizeof(buf), "  %-11s|", label);
	for (int c = 0; c < cols; c++) {
		if (sh.colour && who[c] != prev) {
			const char *esc = who[c] < 0 ? "\033[0m" : show_colour((size_t)who[c]);

			memcpy(buf + n, esc, strlen(esc));
			n += strlen(esc);
			prev = who[c];
		}
		buf[n++] = marks[c];
	}
	if (sh.colour && prev >= 0) {
		memcpy(buf + n, "\033[0m", 4);
		n += 4;
	}
	buf[n++] = '|';
	buf[n++] = '\n';
	out(buf, n);
	if (sh.page)
		keep(&sh.page->charts, plain, p);
}

static void keep_chart(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void keep_chart(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vshow(sh.page ? &sh.page->charts : NULL, 1, fmt, ap);
	va_end(ap);
}

static long to_col(int64_t ns, int64_t t0, double span_s, int cols)
{
	long c = lround(ns_to_s(ns - t0) / span_s * cols);

	return c < 0 ? 0 : c > cols ? cols : c;
}

static void draw_lanes(const struct lane_run *r, double span_s, int cols)
{
	char marks[LANE_COLS_MAX + 1], label[32];
	int who[LANE_COLS_MAX];
	unsigned rows = 0;

	for (size_t i = 0; i < r->n; i++)
		if (r->t[i].start_ns && r->t[i].worker >= 0 && (unsigned)r->t[i].worker + 1 > rows)
			rows = (unsigned)r->t[i].worker + 1;
	for (unsigned row = 0; row < rows && row < TIMELINE_MAX_ROWS; row++) {
		memset(marks, ' ', (size_t)cols);
		for (int c = 0; c < cols; c++)
			who[c] = -1;
		for (size_t i = 0; i < r->n; i++) {
			const struct task_result *t = &r->t[i];
			long a, b;

			if (t->worker != (int)row || !t->start_ns || t->end_ns < t->start_ns)
				continue;
			a = to_col(t->start_ns, r->t0_ns, span_s, cols);
			b = to_col(t->end_ns, r->t0_ns, span_s, cols);
			a = a > cols - 1 ? cols - 1 : a;
			b = b <= a ? a + 1 : b;
			for (long c = a; c < b; c++) {
				marks[c] = task_symbol(i);
				who[c] = (int)i;
			}
		}
		snprintf(label, sizeof(label), "%s %2u", r->row_name, row);
		lane_out(label, marks, who, cols);
	}
	if (rows > TIMELINE_MAX_ROWS)
		keep_chart("  (%u more %ss not drawn)", rows - TIMELINE_MAX_ROWS, r->row_name);
	if (r->gil) {
		gil_row(r->gil, r->ngil, r->t0_ns, span_s, cols, marks, who);
		lane_out("GIL held by", marks, who, cols);
	}
}

void gil_row(const struct gil_span *g, size_t n, int64_t t0_ns, double span_s, int cols,
	     char *marks, int *who)
{
	double held[LANE_COLS_MAX] = { 0 }, most[LANE_COLS_MAX] = { 0 };
	double col_s = span_s / cols;

	for (int c = 0; c < cols; c++) {
		marks[c] = ' ';
		who[c] = -1;
	}
	for (size_t k = 0; k < n; k++) {
		double a = ns_to_s(g[k].from_ns - t0_ns) / col_s;
		double b = ns_to_s(g[k].to_ns - t0_ns) / col_s;

		for (long c = (long)floor(a); c < (long)ceil(b) && c < cols; c++) {
			double part;

			if (c < 0)
				continue;
			part = fmin(b, (double)c + 1) - fmax(a, (double)c);
			held[c] += part;
			if (part > most[c]) {
				most[c] = part;
				who[c] = g[k].worker;
			}
		}
	}
	/* a column is a worker's when the lock was held most of it; '.' when
	 * it was held, but for less than half the column */
	for (int c = 0; c < cols; c++) {
		if (held[c] >= 0.5)
			marks[c] = task_symbol((size_t)who[c]);
		else if (held[c] > 0)
			marks[c] = '.', who[c] = -1;
		else
			who[c] = -1;
	}
}

static void axis(double span_s, int cols)
{
	keep_chart("  %11s0 s%*s%.3f s", "", cols - 7, "", span_s);
}

static void per_column(char *buf, size_t len, double span_s, int cols)
{
	if (span_s / cols >= 0.1)
		snprintf(buf, len, "%.2f s", span_s / cols);
	else
		snprintf(buf, len, "%.2g ms", span_s / cols * 1e3);
}

void timeline(const struct lane_run *r)
{
	timelines_shared(r, 1);
}

#define GIL_LEGEND "; GIL: who held it (. = for under half a column)"

static int gil_any(const struct lane_run *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].gil)
			return 1;
	return 0;
}

/* Copy run @r's started tasks into @out (times since the run started); 0 or -ENOMEM. */
static int chart_run(struct plot_run *out, const struct lane_run *r)
{
	struct plot_task *t = calloc(r->n ? r->n : 1, sizeof(*t));
	size_t k = 0;

	out->mode = strdup(r->chart_name ? r->chart_name : r->row_name);
	if (!t || !out->mode) {
		free(t);
		free((char *)out->mode);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct task_result *x = &r->t[i];

		if (!x->start_ns || x->worker < 0 || x->end_ns < x->start_ns)
			continue;
		t[k++] = (struct plot_task){
			.lane = (unsigned)x->worker,
			.index = (int)i,
			.start_s = ns_to_s(x->start_ns - r->t0_ns),
			.end_s = ns_to_s(x->end_ns - r->t0_ns),
			.cpu_s = ns_to_s(x->cpu_ns),
			.cpu_start = x->cpu_start,
			.cpu_end = x->cpu_end,
		};
	}
	out->t = t;
	out->n = k;
	out->wall_s = r->wall_s;
	return 0;
}

/* Keep @n runs in the page, to be drawn as one chart for the handout. */
static void keep_runs(struct demo_page *page, const struct lane_run *r, size_t n)
{
	struct demo_chart *c = realloc(page->chart, (page->ncharts + 1) * sizeof(*c));
	struct plot_run *runs;
	size_t k = 0;

	if (!c)
		return;   /* the page keeps its text timeline */
	page->chart = c;
	runs = calloc(n, sizeof(*runs));
	if (!runs)
		return;
	for (size_t i = 0; i < n; i++)
		if (!chart_run(&runs[k], &r[i]))
			k++;
	page->chart[page->ncharts++] = (struct demo_chart){ runs, k };
}

void timelines_shared(const struct lane_run *r, size_t n)
{
	int cols = show_lane_cols();
	double span = 0;
	char per[32];

	for (size_t i = 0; i < n; i++)
		if (r[i].wall_s > span)
			span = r[i].wall_s;
	if (!(span > 0))
		return;
	per_column(per, sizeof(per), span, cols);
	if (sh.page && on_driver())
		keep_runs(sh.page, r, n);
	if (n > 1)
		keep_chart("timelines on one time axis: one row per worker, one column = %s, "
			   "marks are task numbers%s", per,
			   gil_any(r, n) ? GIL_LEGEND : "");
	else
		keep_chart("timeline: one row per %s, one column = %s, marks are task numbers%s",
			   r->row_name, per, r->gil ? GIL_LEGEND : "");
	for (size_t i = 0; i < n; i++) {
		if (r[i].label)
			keep_chart("  %s (%.3f s)", r[i].label, r[i].wall_s);
		draw_lanes(&r[i], span, cols);
	}
	axis(span, cols);
}
