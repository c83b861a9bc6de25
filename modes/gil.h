/*
 * gil — watching the simulated GIL from outside (the classroom's live view).
 *
 * gil_watch() installs one callback that every gil run calls, from its
 * worker threads, each time a worker starts to wait for the lock, takes
 * it, or lets go of it.  The callback runs while the lock changes hands
 * (under the GIL's mutex for a wait or a hand-over), so it must be short
 * and must not block: record and return.  NULL uninstalls it.  Install it
 * only between runs.
 */
#ifndef BENCH_MODES_GIL_H
#define BENCH_MODES_GIL_H

#include <stdint.h>

enum gil_event {
	GIL_WAITS,    /* the worker asks for the lock */
	GIL_TAKES,    /* the worker holds it from now */
	GIL_DROPS,    /* the worker lets go of it */
};

typedef void gil_watch_fn(unsigned worker, enum gil_event ev, int64_t ns, void *arg);

void gil_watch(gil_watch_fn *fn, void *arg);

#endif
