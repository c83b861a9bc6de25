/*
 * demo_exec — how `bench demo` runs a lesson's tasks, and what the lessons
 * share.
 *
 * A lesson runs its tasks through run_execute() with the real modes and
 * workloads, wrapped so that each task prints its line when it starts
 * (and, for the Process lessons, when it ends) as the tutorial's
 * do_something() did, and reports to the live view.  Every run is written
 * to the results CSV like any bench run, its params saying which lesson it
 * was ("lesson 7: 10 x 0.05s"), so a class's files merge in bench report.
 * A finished run is kept as a demo_shot to be drawn.
 */
#ifndef BENCH_DEMO_EXEC_H
#define BENCH_DEMO_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "bench/core/config.h"
#include "bench/core/run.h"
#include "bench/classroom/demo_show.h"

struct recorder;

enum lesson_status { LESSON_OK, LESSON_FAILED, LESSON_SKIPPED, LESSON_STOPPED };

struct demo {
	const struct config *cfg;
	double scale;              /* --time-scale */
	unsigned pus;              /* usable PUs: os.process_cpu_count() */
	unsigned pool;             /* --workers N, 0: the lesson's default */
	size_t nruns;
	struct recorder *rec;      /* the results CSV (NULL: none) */
	int record_failed;         /* said once */
	int lesson;                /* the lesson running, from 1 */
	/* the lesson's headline time, for --ask (< 0: none) */
	double headline_s;
	/* the machine during the lesson's runs (bench/sys/contention.h) */
	int load_known;
	int contended;
	double others_pus;             /* the most PUs others took in one run */
	/* the images lessons share one prepared set */
	const struct workload *images;
	void *images_state;
	size_t images_n;
	double images_seq_s, images_proc_s;
};

/* How to run a lesson's tasks. */
struct demo_run {
	const char *mode;
	const struct mode *mode_impl;   /* a lesson's own way to run them (NULL: @mode's) */
	const char *note;          /* added to the CSV's params ("joined in the loop") */
	unsigned workers;          /* 0: one per task */
	int print_done;            /* a task prints its own "done" line */
	int silent;                /* tasks print nothing */
	int raw;                   /* run the workload itself, unwrapped (overhead) */
	long fail_index;           /* this task fails after its work; -1: none */
	double expect_s;           /* for the live view's axis, 0: the ideal */
	run_progress_fn *progress;
	void *arg;
};

/* A finished run, kept to be drawn. */
struct demo_shot {
	char label[64];
	struct run_spec spec;      /* workload: the real one, not the demo's wrapper */
	const char *row_name;
	struct run_result res;
	struct gil_span *gil;
	size_t ngil;
};

/* Run @inner's prepared tasks through the real mode into @shot; 0 or -errno. */
int demo_execute(struct demo *d, const struct demo_run *how, const struct workload *inner,
		 void *state, size_t ntasks, struct demo_shot *shot);
/* Sleep tasks of @n durations (scaled by --time-scale). */
int run_sleep(struct demo *d, const struct demo_run *how, const double *seconds, size_t n,
	      struct demo_shot *shot);
/* Prepare @workload from @c and run it once; the table line when !live. */
int measure(struct demo *d, const struct config *c, const char *workload,
	    const struct demo_run *how, struct demo_shot *shot);

void shot_free(struct demo_shot *s);
/* The lane description of @s (its results, its GIL holds). */
struct lane_run shot_lanes(const struct demo_shot *s);
void shot_timeline(const struct demo_shot *s);
/* @n shots on one time axis. */
void shots_timeline(const struct demo_shot *const *s, size_t n);

/* The end of a lesson's run: freed; failed if a task failed, stopped on Ctrl-C. */
int lesson_end(struct demo_shot *s);
/* Ctrl-C asked to end the lesson. */
int demo_stopped(void);

/* 1 when @r was measured on a busy machine (bench/sys/contention.h). */
int demo_contended(const struct run_result *r);
/*
 * Why a result may contradict the lesson, from what bench measured during
 * the lesson's runs: "the machine was busy: other programs took up to 1.3
 * of its 2 PUs ...", or that others took little, so bench cannot say why.
 */
const char *demo_why_off(const struct demo *d);

/* Collected results: in completion order (as_completed) or submission order (map). */
#define COLLECT_MAX 64
struct collector {
	size_t order[COLLECT_MAX]; /* completion order */
	int64_t done_ns[COLLECT_MAX];   /* when the parent learnt of it */
	int64_t handed_ns[COLLECT_MAX]; /* map: when map() handed it over */
	size_t ndone;
	char done[COLLECT_MAX];
	size_t next;               /* map: the next index to hand out */
	int map;                   /* 1: hand out in submission order */
	int quiet;                 /* 1: do not print results */
	int raised;                /* map: an error surfaced, the loop ended */
	int64_t raised_ns;
	long raised_index;
};

void collect(const struct run_spec *spec, const struct run_result *r,
	     const struct task_result *task, size_t done, void *arg);
void say_order(const char *what, const size_t *order, size_t n);
/* The line the parent prints when it collects a task's result. */
void say_result(const struct task_result *r);

#endif
