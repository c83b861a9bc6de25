/*
 * demo_live — the live view of a lesson's run, for a projector.
 *
 * On a terminal, while a run goes on, a block of lanes (one per worker)
 * under the task lines grows as tasks start and end: each task's number,
 * in colour unless NO_COLOR is set, as wide as the terminal; for a gil
 * run one more lane says who holds the lock.  The task lines (say()) are
 * printed above the block.  When stdout is not a terminal nothing is
 * drawn: the task lines are plain lines, as they happen.
 *
 * Workers report through live_task_start()/live_task_end(), from any
 * thread or forked process (the state is in shared memory, lock-free);
 * a thread of the driver redraws the block ten times a second with
 * write(2) only (no stdio, no malloc: a fork in the meantime is safe).
 *
 * The simulated GIL's hand-overs are recorded for every gil run, terminal
 * or not (live_gil_spans()), for the timeline drawn after the run.
 *
 *   live_init(tty)                      once
 *   live_begin(lanes, ntasks, expect_s, gil)  before a run (t0: now)
 *   ... the run ...
 *   live_end()                          after it; the block is erased
 *   live_gil_spans(&spans)              the run's GIL holds (gil runs)
 */
#ifndef BENCH_DEMO_LIVE_H
#define BENCH_DEMO_LIVE_H

#include <stddef.h>
#include <stdint.h>

struct gil_span;

/* Once, before any worker exists.  @tty: draw on the terminal.  0 or -errno. */
int live_init(int tty);
void live_fini(void);

/* A run of @ntasks tasks on @lanes workers starts now; @expect_s: the
 * time it should take (the axis grows past it), 0: unknown; @gil: it is
 * a gil run (record the lock's hand-overs). */
void live_begin(unsigned lanes, size_t ntasks, double expect_s, int gil);
void live_end(void);

/* From a worker (thread or process). */
void live_task_start(int worker, size_t index);
void live_task_end(int worker, size_t index);

/* say()'s line while the block is drawn: 1 if the live view prints it. */
int live_say(const char *line, size_t n);

/* The last gil run's holds, sorted by time (malloc'd; *out NULL: none). */
size_t live_gil_spans(struct gil_span **out);

#endif
