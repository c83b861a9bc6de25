/*
 * workload — what a task does, independent of how it is run.
 *
 * A workload exports one `const struct workload workload_<name>` and is
 * listed in bench/core/registry.c.  The driver calls, in this order:
 *
 *   prepare()    once, in the parent, before any worker exists: read the
 *                options, list the tasks, load or generate inputs;
 *   run_task()   once per task, in whatever thread or process the mode
 *                chose; it must be safe in a thread and in a forked child,
 *                and must not start threads of its own;
 *   finish()     once, in the parent, after the last run.
 *
 * A workload knows nothing about threads or fork, but it says which parts
 * of a task would run inside a Python interpreter and which in C code that
 * lets go of the interpreter lock, as CPython extensions do with
 * Py_BEGIN_ALLOW_THREADS (Pillow: ImagingSectionEnter):
 *
 *   task_gil_release() .. task_gil_acquire()   C code that releases the GIL
 *                                              (decoding, filtering, encoding)
 *   task_io_begin() .. task_io_end()           a wait (sleep, file I/O): the
 *                                              same, as Python's I/O does
 *   task_checkpoint()                          now and then in long work that
 *                                              holds it (the eval loop's check)
 *
 * Everything else is taken to hold the GIL.  Sections may nest.  Only the
 * simulated GIL (the gil mode) acts on them; elsewhere each costs one
 * branch on a thread-local pointer.
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "bench/api/option.h"

struct config;

enum bound {
	BOUND_NONE,    /* noop: measures the harness itself */
	BOUND_IO,      /* waits: sleep, files */
	BOUND_CPU,     /* computes */
	BOUND_MIXED,   /* both: images */
};

/* Per-task stage times; a workload fills those it has, others stay 0. */
enum stage {
	STAGE_READ,    /* read the input file into memory */
	STAGE_DECODE,
	STAGE_BLUR,
	STAGE_RESIZE,
	STAGE_ENCODE,
	STAGE_WRITE,   /* write the output file */
	NSTAGES
};

extern const char *const stage_names[NSTAGES];

enum task_status {
	TASK_PENDING = 0,  /* never started (run stopped first) */
	TASK_OK,
	TASK_FAILED,       /* the task returned an error */
	TASK_CRASHED,      /* its worker died: signal or exit code */
	TASK_TIMEOUT,      /* killed or abandoned by --task-timeout */
	TASK_SKIPPED,      /* deliberately not run */
};

#define TASK_MESSAGE_MAX 200

/*
 * The result of one task: a fixed-size plain record (no pointers), so a
 * process mode can copy it through a pipe or shared memory unchanged.
 * Times are absolute CLOCK_MONOTONIC nanoseconds.
 */
struct task_result {
	int64_t submit_ns;
	int64_t start_ns;
	int64_t end_ns;
	int64_t cpu_ns;            /* CPU time the task's thread used */
	double stage_s[NSTAGES];
	int32_t index;
	int32_t worker;
	int32_t pid;
	int32_t tid;
	int32_t cpu_start;
	int32_t cpu_end;
	int32_t planned_pu;        /* -1 when unpinned */
	int32_t status;            /* enum task_status */
	char message[TASK_MESSAGE_MAX];
};

struct workload {
	const char *name;
	const char *summary;
	enum bound bound;
	/* --tasks sets how many tasks it has (noop, sleep, cpu, io). */
	int takes_tasks;
	/* --images, --out, --quick: an input folder, an output folder, a
	 * smaller built-in set (images). */
	int takes_images;
	/* Non-NULL when this build or machine cannot run it: why. */
	const char *unavailable;
	/* The name the command line gives it, when that is not ->name (a
	 * plug-in: "plugin:FILE.so"); modes that start bench again pass it
	 * on (mpi).  NULL: ->name. */
	const char *cli_name;

	/*
	 * Parse the options this workload uses from @cfg, make the inputs and
	 * set *state and *ntasks.  On error write a message to @err and return
	 * a negative errno: the driver exits 2 before anything runs.
	 */
	int (*prepare)(const struct config *cfg, void **state, size_t *ntasks,
		       char *err, size_t errlen);
	/* Optional: a short parameter string for the CSV ("1s x10"). */
	void (*describe)(const void *state, char *buf, size_t len);
	/* Optional: the duration a task is meant to take, for the ideal
	 * makespan (sleep knows it); return < 0 when unknown. */
	double (*nominal_s)(const void *state, size_t index);
	/*
	 * Run task @index.  Fill res->message (always) and res->stage_s (if
	 * any); return 0, or a negative errno with res->message saying why.
	 */
	int (*run_task)(void *state, size_t index, struct task_result *res);
	void (*finish)(void *state);
	/*
	 * Optional, in bench's process around each of this workload's runs
	 * (before the first worker exists, after the last is gone): settings
	 * that must hold for its runs only, such as the allocator's, so that
	 * workloads measured together do not change each other's numbers.
	 */
	void (*run_begin)(void *state);
	void (*run_end)(void *state);
	/* Optional: its own options (bench/api/option.h), read in prepare(). */
	const struct option *options;
};

/* Printf into res->message, truncating safely. */
void task_message(struct task_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Section markers for modes that care (see above). */
struct section_hooks {
	void (*release)(void);       /* outermost task_gil_release() */
	void (*acquire)(void);       /* its task_gil_acquire() */
	void (*checkpoint)(void);
};

extern _Thread_local const struct section_hooks *section_hooks;

static inline void task_gil_release(void)
{
	if (section_hooks)
		section_hooks->release();
}

static inline void task_gil_acquire(void)
{
	if (section_hooks)
		section_hooks->acquire();
}

/* A wait releases the GIL like any other C section. */
static inline void task_io_begin(void)
{
	task_gil_release();
}

static inline void task_io_end(void)
{
	task_gil_acquire();
}

static inline void task_checkpoint(void)
{
	if (section_hooks)
		section_hooks->checkpoint();
}

#endif
