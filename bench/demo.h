/*
 * demo — `bench demo`: the tutorial's lessons replayed in C.
 *
 *   bench demo --list          one line per lesson
 *   bench demo 7 | map         one lesson, by number or short name
 *   bench demo                 every lesson in order; on a terminal it
 *                              waits for Enter between lessons
 *
 * Each lesson prints the C call sequence that matches the tutorial's code,
 * the task lines as they happen ("task 3: sleeping 1.0 s (pid 4121, cpu
 * 1)"), a timeline with one row per worker, the ideal and the measured
 * time, and what it teaches.  The runs go through run_execute() with the
 * real modes and workloads; lessons 2 and 4 call fork() and waitpid()
 * themselves, since the order of those calls is their point.
 *
 * Options: --time-scale F multiplies every sleep (tests use 0.05),
 * --workers N sets the pool size (lessons 7-11 use 4 like the tutorial's
 * machine), --quick gives the images lessons fewer images.
 */
#ifndef BENCH_DEMO_H
#define BENCH_DEMO_H

#include "bench/config.h"

/* Run `bench demo` as @cfg says; returns the exit status (0, 1 or 2). */
int demo_main(const struct config *cfg);

#endif
