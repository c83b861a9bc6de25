/*
 * demo — `bench demo`: the tutorial's lessons replayed in C, and the ones
 * it promised or could not show.
 *
 *   bench demo --list          one line per lesson
 *   bench demo 7 | map         one lesson, by number or short name
 *   bench demo 7- | 7-11       lesson 7 and those after it, or a range
 *   bench demo                 every lesson in order
 *
 * Each lesson prints the C call sequence that matches the tutorial's code,
 * the task lines as they happen ("task 3: sleeping 1.0 s (worker 1, pid
 * 4121, cpu 1)") under a live view of the workers on a terminal, a
 * timeline with one row per worker, the ideal and the measured time, and
 * what it teaches, every sentence computed from the run just made.  The
 * runs go through run_execute() with the real modes and workloads and are
 * written to the results CSV (--results, --csv) with the lesson in their
 * params; lessons 2, 4 and 18 call fork() and waitpid() themselves, since
 * the order of those calls is their point.
 *
 * On a terminal, between lessons: Enter next, r again, q quit (--no-pause:
 * never ask).  Ctrl-C ends the lesson running (its rows kept) and returns
 * to that prompt; a second one quits.  --ask asks for a prediction before
 * a run and compares; --handout DIR writes a Markdown page per lesson.
 * --time-scale F multiplies every sleep (tests use 0.05), --workers N sets
 * the pool size, --quick gives the images lessons fewer images.
 */
#ifndef BENCH_DEMO_H
#define BENCH_DEMO_H

#include "bench/core/config.h"

/* Run `bench demo` as @cfg says; returns the exit status (0, 1, 2 or 128+signal). */
int demo_main(const struct config *cfg);

#endif
