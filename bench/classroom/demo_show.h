/*
 * demo_show — what `bench demo` prints, and the page each lesson leaves.
 *
 * Every line a lesson shows goes through these functions, so that each is
 * printed once and also kept in the lesson's page (demo_page) for the
 * handout: the tutorial's words, the C code, this run's numbers, the
 * timeline charts and the lesson.  say() may be called from any worker
 * thread or process (the task lines); only the driver thread's lines go
 * into the page.  While a live view runs on a terminal, say() hands its
 * line to the live view (bench/classroom/demo_live.h), which prints it above the
 * lanes.
 */
#ifndef BENCH_DEMO_SHOW_H
#define BENCH_DEMO_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include "bench/api/workload.h"
#include "bench/report/report_plot.h"

/* A growing string (NULL until something is added). */
struct demo_text {
	char *s;
	size_t len, cap;
};

/* A timeline the lesson drew, kept to be drawn as a chart for the handout. */
struct demo_chart {
	struct plot_run *runs;     /* each with its own copy of mode and tasks */
	size_t n;
};

/* What one lesson showed. */
struct demo_page {
	struct demo_text tutorial, code, numbers, charts, lesson;
	struct demo_chart *chart;  /* the timelines, in the order shown */
	size_t ncharts;
};

/* Once, from the driver thread: colour and width from the terminal. */
void show_init(void);
/* Keep what follows in @page (NULL: keep nothing). */
void show_capture(struct demo_page *page);
void demo_page_free(struct demo_page *page);
void demo_text_add(struct demo_text *t, const char *s, size_t n);

/* Called after code() has printed the code, before the run (--ask). */
void show_after_code(void (*fn)(void *arg), void *arg);

/* Time zero of the time column of say(). */
void show_set_t0(int64_t t0_ns);
int64_t show_t0(void);

/* One time-stamped line ("   0.503 s  task 1: ..."), from anywhere. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Lines of this run's numbers, from the driver (printed and kept). */
void show(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Printed only (not part of the handout page). */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void tutorial(const char *text);
/* The C call sequence, one statement a line; then "live:". */
void code(const char *text);
void codef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The lesson, computed from the run: "lesson:   ..." wrapped at 78 columns. */
void teaches(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A wrapped paragraph after @first ("order:    "), kept with the numbers. */
void paraf(const char *first, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Add an item to the list in @buf ("" to start): @sep before it unless first; truncates. */
void list_add(char *buf, size_t len, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "1.0 s", "0.05 s": a duration as the tutorial would say it. */
const char *secs(char *buf, size_t len, double s);

/*
 * "ideal 1.000 s (why), measured 1.004 s (+0 %)".  Returns 1 when the
 * measured time is within what the lesson's point allows (25 % over the
 * ideal, and 20 ms for starting workers), else 0.
 */
int ideal_vs_measured(double ideal_s, double wall_s, const char *why);
int near_ideal(double ideal_s, double wall_s);

/* A span of time a worker held the simulated GIL. */
struct gil_span {
	int worker;
	int64_t from_ns, to_ns;
};

/* A run to draw: one lane per worker, time across. */
struct lane_run {
	const char *label;             /* heading, NULL: none */
	const char *chart_name;        /* what the handout's chart calls it, NULL: row_name */
	const char *row_name;          /* "worker", "process", "thread" */
	const struct task_result *t;
	size_t n;
	int64_t t0_ns;
	double wall_s;
	const struct gil_span *gil;    /* NULL: not a gil run */
	size_t ngil;
};

/* One run on its own time axis. */
void timeline(const struct lane_run *r);
/* Several runs on one shared time axis (the longest run sets it). */
void timelines_shared(const struct lane_run *r, size_t n);

/*
 * The "GIL held by" lane: column by column, the number of the worker that
 * held the lock for most of it, '.' where it was held for less than half
 * of it, blank where nobody held it.  @marks and @who get @cols entries.
 */
void gil_row(const struct gil_span *g, size_t n, int64_t t0_ns, double span_s, int cols,
	     char *marks, int *who);

/* Symbol of task @i in a lane ('0'-'9', 'a'-'z', 'A'-'Z', then '#'). */
char task_symbol(size_t i);
/* Colour escape for mark @i (empty without colour). */
const char *show_colour(size_t i);
const char *show_colour_off(void);
int show_use_colour(void);
/* Columns of a timeline lane on this terminal (60 when not a terminal). */
int show_lane_cols(void);

#endif
