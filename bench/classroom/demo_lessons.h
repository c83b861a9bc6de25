/*
 * demo_lessons — the lessons of `bench demo`, one function each.
 *
 * demo_basics.c: the tutorial's Process and pool lessons (1-11);
 * demo_photos.c: its photo lessons and the rule of thumb, with the
 * simulated GIL (12-16); demo_more.c: what the tutorial promised or could
 * not show (races and locks, copy-on-write, overhead and Amdahl).
 * Each returns an enum lesson_status and computes every sentence it says
 * from the run it just made.
 */
#ifndef BENCH_DEMO_LESSONS_H
#define BENCH_DEMO_LESSONS_H

#include "bench/classroom/demo_exec.h"

#define TUTORIAL_WORKERS 4     /* the tutorial's machine had 4 cores */

/* --workers N, else @fallback. */
unsigned pool_size(const struct demo *d, unsigned fallback);

int lesson_sequential(struct demo *d);
int lesson_no_join(struct demo *d);
int lesson_join(struct demo *d);
int lesson_loop(struct demo *d);
int lesson_args(struct demo *d);
int lesson_submit(struct demo *d);
int lesson_as_completed(struct demo *d);
int lesson_completion_order(struct demo *d);
int lesson_map(struct demo *d);
int lesson_exceptions(struct demo *d);
int lesson_with(struct demo *d);

int lesson_images_seq(struct demo *d);
int lesson_images_procpool(struct demo *d);
int lesson_images_threadpool(struct demo *d);
int lesson_rule(struct demo *d);
int lesson_gil(struct demo *d);

int lesson_race(struct demo *d);
int lesson_cow(struct demo *d);
int lesson_overhead(struct demo *d);
int lesson_task_size(struct demo *d);
int lesson_amdahl(struct demo *d);

/* The images lessons' prepared set (0, or a LESSON_ status). */
int images_ready(struct demo *d);
void images_release(struct demo *d);

#endif
