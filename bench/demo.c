#include "bench/demo.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/clock.h"
#include "bench/path.h"
#include "bench/pin.h"
#include "bench/plan.h"
#include "bench/registry.h"
#include "bench/run.h"
#include "bench/stats.h"
#include "bench/summary.h"
#include "bench/verdict.h"

#define EXIT_USAGE 2
#define TIMELINE_COLS 60
#define TUTORIAL_WORKERS 4     /* the tutorial's machine had 4 cores */

enum lesson_status { LESSON_OK, LESSON_FAILED, LESSON_SKIPPED };

struct demo {
	const struct config *cfg;
	double scale;              /* --time-scale */
	unsigned pus;
	unsigned pool;             /* --workers N, 0: the lesson's default */
	size_t nruns;
	/* the images lessons share one prepared set */
	const struct workload *images;
	void *images_state;
	size_t images_n;
	double images_seq_s, images_proc_s;
};

struct lesson {
	const char *name;
	const char *title;
	int (*run)(struct demo *d);
};

/* ------------------------------------------------------------------ output */

/*
 * What the demo's tasks do: the real workload (@inner), plus a line when
 * each task starts and, for the Process lessons, when it ends, as the
 * tutorial's do_something() printed them.  Global, so forked workers see it.
 */
struct demo_tasks {
	const struct workload *inner;
	void *state;
	int print_done;            /* the task prints its own "done" line */
	int silent;                /* not even a start line */
	long fail_index;           /* this task fails after its work; -1: none */
	int64_t t0_ns;             /* the time column starts here */
};

static struct demo_tasks demo_tasks;
static struct workload demo_workload;

/* One whole line with the time since t0, written at once (threads, children). */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	char buf[512];
	size_t n = 0;
	va_list ap;
	int k;

	k = snprintf(buf, sizeof(buf), "%8.3f s  ", ns_to_s(clock_now_ns() - demo_tasks.t0_ns));
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
	fflush(stdout);
	fd_write_full(STDOUT_FILENO, buf, n);   /* nothing to do if stdout is gone */
}

/* "1.0 s", "0.05 s": a duration as the tutorial would say it. */
static const char *secs(char *buf, size_t len, double s)
{
	if (fabs(s * 10 - round(s * 10)) < 1e-6)
		snprintf(buf, len, "%.1f s", s);
	else
		snprintf(buf, len, "%.3g s", s);
	return buf;
}

/* @text after @first, wrapped at 78 columns. */
static void para(const char *first, const char *text)
{
	size_t indent = strlen(first), col = indent;
	int line_start = 1;

	fputs(first, stdout);
	while (*text) {
		size_t word = strcspn(text, " ");

		if (!line_start && col + 1 + word > 78) {
			printf("\n%*s", (int)indent, "");
			col = indent;
			line_start = 1;
		}
		if (!line_start) {
			putchar(' ');
			col++;
		}
		line_start = 0;
		fwrite(text, 1, word, stdout);
		col += word;
		text += word;
		while (*text == ' ')
			text++;
	}
	putchar('\n');
}

static void paraf(const char *first, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void paraf(const char *first, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	para(first, buf);
}

static void tutorial(const char *text)
{
	para("tutorial: ", text);
}

/* The C call sequence, one statement a line. */
static void code(const char *text)
{
	printf("in C:\n");
	while (*text) {
		size_t n = strcspn(text, "\n");

		printf("    %.*s\n", (int)n, text);
		text += n;
		if (*text)
			text++;
	}
	printf("live:\n");
}

static void teaches(const char *text)
{
	para("lesson:   ", text);
}

static char task_symbol(size_t i)
{
	static const char sym[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

	return i < sizeof(sym) - 1 ? sym[i] : '#';
}

/* One row per worker (or process), time across, task numbers as marks. */
static void timeline(const char *row_name, const struct task_result *t, size_t n,
		     int64_t t0_ns, double span_s)
{
	char line[TIMELINE_COLS + 1], per[32];
	unsigned rows = 0;

	for (size_t i = 0; i < n; i++)
		if (t[i].start_ns && (unsigned)t[i].worker + 1 > rows)
			rows = (unsigned)t[i].worker + 1;
	if (!rows || !(span_s > 0))
		return;
	if (span_s / TIMELINE_COLS >= 0.1)
		snprintf(per, sizeof(per), "%.2f s", span_s / TIMELINE_COLS);
	else
		snprintf(per, sizeof(per), "%.1f ms", span_s / TIMELINE_COLS * 1e3);
	printf("timeline: one row per %s, one column = %s, marks are task numbers\n", row_name, per);
	for (unsigned r = 0; r < rows; r++) {
		memset(line, ' ', TIMELINE_COLS);
		line[TIMELINE_COLS] = '\0';
		for (size_t i = 0; i < n; i++) {
			long a, b;

			if ((unsigned)t[i].worker != r || !t[i].start_ns || t[i].end_ns < t[i].start_ns)
				continue;
			a = lround(ns_to_s(t[i].start_ns - t0_ns) / span_s * TIMELINE_COLS);
			b = lround(ns_to_s(t[i].end_ns - t0_ns) / span_s * TIMELINE_COLS);
			a = a < 0 ? 0 : a > TIMELINE_COLS - 1 ? TIMELINE_COLS - 1 : a;
			b = b <= a ? a + 1 : b > TIMELINE_COLS ? TIMELINE_COLS : b;
			for (long c = a; c < b; c++)
				line[c] = task_symbol(i);
		}
		printf("  %-7s %2u |%s|\n", row_name, r, line);
	}
	printf("  %10s 0 s%*s%.3f s\n", "", TIMELINE_COLS - 6, "", span_s);
}

static void ideal_vs_measured(double ideal_s, double wall_s, const char *why)
{
	printf("ideal %.3f s (%s), measured %.3f s", ideal_s, why, wall_s);
	if (ideal_s > 0)
		printf(" (%+.0f %%)", (wall_s / ideal_s - 1) * 100);
	printf("\n");
}

/* ------------------------------------------------------------------ tasks */

static double demo_nominal(const void *state, size_t index)
{
	const struct demo_tasks *t = state;

	return t->inner->nominal_s(t->state, index);
}

static int demo_run_task(void *state, size_t index, struct task_result *res)
{
	struct demo_tasks *t = state;
	double nominal = t->inner->nominal_s ? t->inner->nominal_s(t->state, index) : -1;
	char s[32];
	int rc;

	if (t->silent)
		;
	else if (nominal >= 0)
		say("task %zu: sleeping %s (pid %d, cpu %d)", index, secs(s, sizeof(s), nominal),
		    (int)getpid(), sched_getcpu());
	else
		say("task %zu: %s starts (pid %d, cpu %d)", index, t->inner->name, (int)getpid(),
		    sched_getcpu());
	rc = t->inner->run_task(t->state, index, res);
	if (!rc && (long)index == t->fail_index) {
		task_message(res, "ValueError: task %zu was given a bad value", index);
		return -EINVAL;
	}
	if (t->print_done && !rc && nominal >= 0)
		say("task %zu: done sleeping %s", index, secs(s, sizeof(s), nominal));
	else if (t->print_done && !rc)
		say("task %zu: done: %s", index, res->message);
	return rc;
}

/* The line the parent prints when it collects a task's result. */
static void say_result(const struct task_result *r)
{
	double nominal = demo_tasks.inner->nominal_s
			 ? demo_tasks.inner->nominal_s(demo_tasks.state, (size_t)r->index) : -1;
	char s[32];

	if (r->status != TASK_OK)
		say("task %d: %s: %s", r->index, task_status_name(r->status), r->message);
	else if (nominal >= 0)
		say("task %d: done sleeping %s", r->index, secs(s, sizeof(s), nominal));
	else
		say("task %d: done: %s", r->index, r->message);
}

struct demo_run {
	const char *mode;
	unsigned workers;          /* 0: one per task */
	int print_done;
	int silent;
	long fail_index;
	run_progress_fn *progress;
	void *arg;
};

/* Run @inner's prepared tasks through the real mode; 0 or -errno. */
static int demo_execute(struct demo *d, const struct demo_run *how, const struct workload *inner,
			void *state, size_t ntasks, struct run_result *res)
{
	const struct mode *m = registry_mode(how->mode);
	struct run_spec spec;
	struct run_options opt;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!m || m->unavailable) {
		fprintf(stderr, "bench: demo: mode %s is not available\n", how->mode);
		return -ENOENT;
	}
	demo_workload = (struct workload){
		.name = inner->name,
		.summary = inner->summary,
		.bound = inner->bound,
		.prepare = inner->prepare,
		.nominal_s = inner->nominal_s ? demo_nominal : NULL,
		.run_task = demo_run_task,
	};
	demo_tasks.inner = inner;
	demo_tasks.state = state;
	demo_tasks.print_done = how->print_done;
	demo_tasks.silent = how->silent;
	demo_tasks.fail_index = how->fail_index;
	memset(&spec, 0, sizeof(spec));
	spec.seq = d->nruns++;
	spec.workload = &demo_workload;
	spec.mode = m;
	spec.workers = how->workers;
	spec.pin = PIN_NONE;
	spec.rep = 1;
	memset(&opt, 0, sizeof(opt));
	opt.switch_ms = d->cfg->switch_ms;
	opt.progress = how->progress;
	opt.progress_arg = how->arg;
	fflush(stdout);
	demo_tasks.t0_ns = clock_now_ns();
	rc = run_execute(&spec, &demo_tasks, ntasks, &opt, res);
	if (!rc && res->status == RUN_ERROR)
		rc = -EIO;
	if (rc) {
		fprintf(stderr, "bench: demo: %s run failed: %s\n", how->mode,
			res->message[0] ? res->message : strerror(-rc));
		run_result_free(res);   /* the lesson stops here: nothing to show */
	}
	return rc;
}

/* Sleep tasks of @n durations (scaled) through the real sleep workload. */
static int run_sleep(struct demo *d, const struct demo_run *how, const double *seconds, size_t n,
		     struct run_result *res)
{
	const struct workload *w = registry_workload("sleep");
	struct config c = *d->cfg;
	char err[256] = "";
	void *state = NULL;
	size_t ntasks = 0;
	int rc;

	c.tasks = (long)n;
	c.nseconds = n;
	for (size_t i = 0; i < n; i++)
		c.seconds[i] = seconds[i] * d->scale;
	rc = w->prepare(&c, &state, &ntasks, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "bench: demo: sleep: %s\n", err[0] ? err : strerror(-rc));
		return rc;
	}
	rc = demo_execute(d, how, w, state, ntasks, res);
	if (w->finish)
		w->finish(state);
	return rc;
}

static void say_order(const char *what, const size_t *order, size_t n)
{
	char buf[256];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, " %zu", order[i]);
	say("%s:%s", what, buf);
}

/* Collected results: in completion order (as_completed) or submission order (map). */
struct collector {
	size_t order[64];          /* completion order */
	size_t ndone;
	char done[64];
	size_t next;               /* map: the next index to hand out */
	int map;                   /* 1: hand out in submission order */
	int quiet;                 /* 1: do not print results */
	int raised;                /* map: an error surfaced, the loop ended */
	int64_t raised_ns;
	long raised_index;
};

static void collect(const struct run_spec *spec, const struct run_result *r,
		    const struct task_result *task, size_t done, void *arg)
{
	struct collector *c = arg;
	size_t i = (size_t)task->index;

	if (!c->quiet && !c->map)
		say_result(task);
	if (i >= 64)
		return;
	c->order[c->ndone++] = i;
	c->done[i] = 1;
	if (c->quiet || !c->map)
		return;
	while (!c->raised && c->next < r->ntasks && c->done[c->next]) {
		const struct task_result *t = &r->results[c->next];

		if (t->status != TASK_OK) {
			c->raised = 1;
			c->raised_ns = clock_now_ns();
			c->raised_index = (long)c->next;
			say("task %zu: error surfaced here, when its result was collected: %s",
			    c->next, t->message);
			break;
		}
		say_result(t);
		c->next++;
	}
}

/* ------------------------------------------------------------------ lessons 1-5 */

/* The end of a lesson's run: its results freed; failed if a task failed. */
static int lesson_end(struct run_result *res)
{
	int failed = res->failed > 0;

	run_result_free(res);
	return failed ? LESSON_FAILED : LESSON_OK;
}

static int lesson_sequential(struct demo *d)
{
	static const double seconds[] = { 1, 1 };
	struct demo_run how = { .mode = "seq", .workers = 1, .print_done = 1, .fail_index = -1 };
	struct run_result res;
	char why[64], s[32];

	tutorial("do_something() prints \"Sleeping 1 second...\", sleeps 1 s and prints "
		 "\"Done Sleeping...\"; the script calls it twice and prints its time: ~2 s.");
	code("do_something(1.0);        /* printf(); sleep(); printf() */\n"
	     "do_something(1.0);\n"
	     "printf(\"finished in %.2f s\\n\", elapsed());");
	if (run_sleep(d, &how, seconds, 2, &res))
		return LESSON_FAILED;
	say("finished in %.3f s", res.wall_s);
	timeline("worker", res.results, res.ntasks, res.t0_ns, res.wall_s);
	snprintf(why, sizeof(why), "2 x %s, one after the other", secs(s, sizeof(s), d->scale));
	ideal_vs_measured(res.ideal_s, res.wall_s, why);
	teaches("synchronous code runs one call at a time: the second do_something() starts "
		"only when the first returns, so the times add up.");
	return lesson_end(&res);
}

/* A task run by hand in a forked child (lessons 2 and 4). */
static void child_task(struct task_result *r, size_t i, double s)
{
	char buf[32];

	r->index = (int32_t)i;
	r->worker = (int32_t)i;
	r->pid = getpid();
	r->cpu_start = sched_getcpu();
	r->start_ns = clock_now_ns();
	say("task %zu: sleeping %s (pid %d, cpu %d)", i, secs(buf, sizeof(buf), s), (int)r->pid,
	    r->cpu_start);
	clock_sleep_s(s);
	say("task %zu: done sleeping %s", i, secs(buf, sizeof(buf), s));
	r->end_ns = clock_now_ns();
	r->status = TASK_OK;
}

/* fork() a child that runs child_task() and _exit()s; its pid or -errno. */
static pid_t fork_task(struct task_result *shared, size_t i, double s)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		job_child_init();
		child_task(&shared[i], i, s);
		_exit(0);
	}
	return pid < 0 ? -errno : pid;
}

static int reap(pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int lesson_no_join(struct demo *d)
{
	size_t bytes = 2 * sizeof(struct task_result);
	struct task_result *shared = job_shared_alloc(bytes);
	double s = d->scale, first_line, done_at = 0;
	pid_t pids[2] = { 0, 0 };
	int64_t t0, parent_done;
	int bad = 0;

	tutorial("two multiprocessing.Process(target=do_something), start() both, no join(): "
		 "the script printed \"finished in 0 s\" before the tasks even printed.");
	code("for (i = 0; i < 2; i++)\n"
	     "    if (fork() == 0) {         /* Process(...).start() */\n"
	     "        do_something(1.0);\n"
	     "        _exit(0);\n"
	     "    }\n"
	     "printf(\"finished in %.2f s\\n\", elapsed());   /* no waitpid(): no join() */");
	if (!shared)
		return LESSON_FAILED;
	demo_tasks.t0_ns = t0 = clock_now_ns();
	for (size_t i = 0; i < 2; i++) {
		pids[i] = fork_task(shared, i, s);
		if (pids[i] < 0) {
			fprintf(stderr, "bench: demo: cannot fork: %s\n", strerror(-pids[i]));
			bad = 1;
		}
	}
	parent_done = clock_now_ns();
	say("parent: finished in %.4f s, without waiting for its children",
	    ns_to_s(parent_done - t0));
	/* out of the lesson's sight: reap them, so none is left behind */
	for (size_t i = 0; i < 2; i++)
		if (pids[i] > 0 && reap(pids[i]) != 0)
			bad = 1;
	printf("\n");
	first_line = ns_to_s((shared[0].start_ns < shared[1].start_ns ? shared[0].start_ns
			      : shared[1].start_ns) - t0);
	for (size_t i = 0; i < 2; i++)
		if (ns_to_s(shared[i].end_ns - t0) > done_at)
			done_at = ns_to_s(shared[i].end_ns - t0);
	timeline("process", shared, 2, t0, done_at);
	ideal_vs_measured(s, done_at, "the children's two sleeps side by side");
	paraf("order:    ", "the parent was done at %.4f s, %s; the children finished their "
	      "sleep at %.3f s, long after.", ns_to_s(parent_done - t0),
	      parent_done < t0 + (int64_t)(first_line * 1e9)
	      ? "before either child printed a line"
	      : "after a child printed its first line (a fork costs far less than starting a "
		"Python interpreter) but before either finished", done_at);
	teaches("start() does not wait: fork() returns at once and the parent runs on, so "
		"without waitpid() (join) the parent's \"finished\" comes first and measures "
		"nothing. (bench reaped the children afterwards, so no zombie is left.)");
	job_shared_free(shared, bytes);
	return bad ? LESSON_FAILED : LESSON_OK;
}

static int lesson_join(struct demo *d)
{
	static const double seconds[] = { 1, 1 };
	struct demo_run how = { .mode = "fork", .print_done = 1, .fail_index = -1 };
	struct run_result res;
	char why[64], s[32];

	tutorial("the same two processes, then join() both: ~1 s, and \"finished\" comes last.");
	code("for (i = 0; i < 2; i++)\n"
	     "    if ((pid[i] = fork()) == 0) {\n"
	     "        do_something(1.0);\n"
	     "        _exit(0);\n"
	     "    }\n"
	     "for (i = 0; i < 2; i++)\n"
	     "    waitpid(pid[i], &status, 0);      /* join() */\n"
	     "printf(\"finished in %.2f s\\n\", elapsed());");
	if (run_sleep(d, &how, seconds, 2, &res))
		return LESSON_FAILED;
	say("parent: finished in %.3f s, after waitpid() of both", res.wall_s);
	timeline("process", res.results, res.ntasks, res.t0_ns, res.wall_s);
	snprintf(why, sizeof(why), "two %s sleeps side by side", secs(s, sizeof(s), d->scale));
	ideal_vs_measured(res.ideal_s, res.wall_s, why);
	teaches("join() is waitpid(): the parent waits until both children exit. They slept "
		"at the same time, so two 1 s tasks took ~1 s, not 2.");
	return lesson_end(&res);
}

static int lesson_loop(struct demo *d)
{
	double seconds[10];
	size_t bytes = 10 * sizeof(struct task_result);
	struct task_result *shared;
	struct demo_run how = { .mode = "fork", .print_done = 1, .fail_index = -1 };
	struct run_result res;
	char why[64], s[32];
	int64_t t0;
	double serial_s;
	int bad = 0;

	for (size_t i = 0; i < 10; i++)
		seconds[i] = 1;
	tutorial("ten processes created and started in one loop, joined in a second loop: "
		 "~1 s even on 4 cores. Joining inside the first loop would serialize them.");
	code("for (i = 0; i < 10; i++)                /* start them all... */\n"
	     "    if ((pid[i] = fork()) == 0) { do_something(1.0); _exit(0); }\n"
	     "for (i = 0; i < 10; i++)                /* ...then join them all */\n"
	     "    waitpid(pid[i], NULL, 0);");
	if (run_sleep(d, &how, seconds, 10, &res))
		return LESSON_FAILED;
	say("start all, then join all: finished in %.3f s", res.wall_s);
	timeline("process", res.results, res.ntasks, res.t0_ns, res.wall_s);
	snprintf(why, sizeof(why), "ten %s sleeps at once, on %u PUs", secs(s, sizeof(s), d->scale),
		 d->pus);
	ideal_vs_measured(res.ideal_s, res.wall_s, why);
	bad |= res.failed != 0;
	run_result_free(&res);

	printf("\nnow the mistake: waitpid() inside the start loop\n");
	code("for (i = 0; i < 10; i++) {\n"
	     "    if ((pid = fork()) == 0) { do_something(1.0); _exit(0); }\n"
	     "    waitpid(pid, NULL, 0);              /* join() too early */\n"
	     "}");
	shared = job_shared_alloc(bytes);
	if (!shared)
		return LESSON_FAILED;
	demo_tasks.t0_ns = t0 = clock_now_ns();
	for (size_t i = 0; i < 10; i++) {
		pid_t pid = fork_task(shared, i, d->scale);

		if (pid < 0 || reap(pid) != 0)
			bad = 1;
	}
	serial_s = ns_to_s(clock_now_ns() - t0);
	say("join inside the loop: finished in %.3f s", serial_s);
	timeline("process", shared, 10, t0, serial_s);
	ideal_vs_measured(d->scale, serial_s, "what the tasks needed, had they overlapped");
	paraf("lesson:   ", "sleeping tasks need no core each: ten of them finished together on "
	      "%u PUs. Joining inside the start loop waits for each child before starting the "
	      "next, so the same ten took %.1fx as long.", d->pus,
	      serial_s / (res.wall_s > 0 ? res.wall_s : 1));
	job_shared_free(shared, bytes);
	return bad ? LESSON_FAILED : LESSON_OK;
}

static int lesson_args(struct demo *d)
{
	double seconds[10];
	struct demo_run how = { .mode = "fork", .print_done = 1, .fail_index = -1 };
	struct run_result res;
	char why[64], s[32];

	for (size_t i = 0; i < 10; i++)
		seconds[i] = 1.5;
	tutorial("do_something(seconds) with args=[1.5] for ten processes: ~1.5 s; arguments "
		 "to a process must be picklable.");
	code("double secs = 1.5;\n"
	     "for (i = 0; i < 10; i++)\n"
	     "    if ((pid[i] = fork()) == 0) {\n"
	     "        do_something(secs);     /* the child's own copy of secs */\n"
	     "        _exit(0);\n"
	     "    }\n"
	     "for (i = 0; i < 10; i++)\n"
	     "    waitpid(pid[i], NULL, 0);");
	if (run_sleep(d, &how, seconds, 10, &res))
		return LESSON_FAILED;
	say("finished in %.3f s", res.wall_s);
	timeline("process", res.results, res.ntasks, res.t0_ns, res.wall_s);
	snprintf(why, sizeof(why), "ten %s sleeps at once", secs(s, sizeof(s), 1.5 * d->scale));
	ideal_vs_measured(res.ideal_s, res.wall_s, why);
	teaches("a process gets its arguments as a copy: fork() duplicates the parent's memory, "
		"so secs is simply there (Python pickles it instead). Results come back as copies "
		"too: bench's children write a fixed-size struct task_result, no pointers, into "
		"shared memory - the C counterpart of \"picklable\".");
	return lesson_end(&res);
}

/* ------------------------------------------------------------------ lessons 6-11: pools */

static unsigned pool_size(const struct demo *d, unsigned fallback)
{
	return d->pool ? d->pool : fallback;
}

static int lesson_submit(struct demo *d)
{
	static const double seconds[] = { 1 };
	struct collector col = { .quiet = 1 };
	struct demo_run how = { .mode = "procpool", .workers = pool_size(d, d->pus),
				.fail_index = -1, .progress = collect, .arg = &col };
	struct run_result res;

	tutorial("with ProcessPoolExecutor() as executor: f1 = executor.submit(do_something, 1); "
		 "print(f1.result()) - the function now returns its message: ~1 s.");
	code("for (w = 0; w < nworkers; w++)            /* ProcessPoolExecutor() */\n"
	     "    if (fork() == 0) worker_loop();       /* take a task, run it, report it */\n"
	     "submit(0);                               /* f1 = executor.submit(...) */\n"
	     "read(done_pipe, &i, sizeof(i));          /* f1.result(): wait for task 0 */\n"
	     "printf(\"%s\\n\", results[i].message);    /* copied back from the worker */");
	if (run_sleep(d, &how, seconds, 1, &res))
		return LESSON_FAILED;
	say("f1.result() -> \"%s\"", res.results[0].message);
	timeline("worker", res.results, res.ntasks, res.t0_ns, res.wall_s);
	ideal_vs_measured(res.ideal_s, res.wall_s, "one task");
	teaches("a pool runs a submitted function in a worker process and hands back its "
		"return value: result() waits for that one task, then copies its result out.");
	return lesson_end(&res);
}

static int lesson_as_completed(struct demo *d)
{
	double seconds[10];
	unsigned w = pool_size(d, TUTORIAL_WORKERS);
	struct collector col = { 0 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = -1,
				.progress = collect, .arg = &col };
	struct run_result res;
	unsigned rounds = (10 + w - 1) / w;
	char why[96], s[32];

	for (size_t i = 0; i < 10; i++)
		seconds[i] = 1;
	tutorial("ten executor.submit(do_something, 1) in a list comprehension; as_completed() "
		 "yields them as they finish: 3 s, not 1 s - the pool had 4 workers.");
	code("for (w = 0; w < 4; w++)                 /* ProcessPoolExecutor(4) */\n"
	     "    if (fork() == 0) worker_loop();\n"
	     "for (i = 0; i < 10; i++) submit(i);\n"
	     "while (done < 10) {                      /* as_completed() */\n"
	     "    read(done_pipe, &i, sizeof(i));      /* whichever finishes first */\n"
	     "    printf(\"%s\\n\", results[i].message);\n"
	     "}");
	if (run_sleep(d, &how, seconds, 10, &res))
		return LESSON_FAILED;
	say_order("completion order", col.order, col.ndone);
	say("pool of %u workers for 10 tasks: ceil(10/%u) = %u round%s", w, w, rounds,
	    rounds == 1 ? "" : "s");
	timeline("worker", res.results, res.ntasks, res.t0_ns, res.wall_s);
	snprintf(why, sizeof(why), "%u round%s of %s", rounds, rounds == 1 ? "" : "s",
		 secs(s, sizeof(s), d->scale));
	ideal_vs_measured(res.ideal_s, res.wall_s, why);
	paraf("lesson:   ", "a pool has a fixed number of workers (%u here, --workers to "
	      "change): ten tasks on %u workers take %u rounds. Results arrive as tasks finish.",
	      w, w, rounds);
	return lesson_end(&res);
}

static const double five_to_one[] = { 5, 4, 3, 2, 1 };

/* "tasks 3 2 4 1 0 took 2.0 1.0 ..." for lessons 8 and 9 */
static void say_durations(const struct collector *col)
{
	char buf[256], s[32];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < col->ndone && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, " %s",
					 secs(s, sizeof(s), five_to_one[col->order[i]]));
	say("their durations (unscaled):%s", buf);
}

/* When task 4 (the 1 s one) started, and after which task on its worker. */
static void say_late_start(const struct demo *d, const struct run_result *res, unsigned w)
{
	const struct task_result *t = &res->results[4], *before = NULL;
	double at = ns_to_s(t->start_ns - res->t0_ns);
	char s[32];

	for (size_t i = 0; i < 4; i++) {
		const struct task_result *o = &res->results[i];

		if (o->worker == t->worker && o->end_ns <= t->start_ns &&
		    (!before || o->end_ns > before->end_ns))
			before = o;
	}
	if (at > 0.5 * d->scale && before)
		say("task 4 (1.0 s) waited for a free worker: it started at %.3f s, when task %d "
		    "(%s) freed worker %d", at, before->index,
		    secs(s, sizeof(s), five_to_one[before->index]), t->worker);
	else
		say("task 4 (1.0 s) started at %.3f s: %u workers, no wait", at, w);
}

static int lesson_completion_order(struct demo *d)
{
	unsigned w = pool_size(d, TUTORIAL_WORKERS);
	struct collector col = { 0 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = -1,
				.progress = collect, .arg = &col };
	struct run_result res;

	tutorial("secs = [5, 4, 3, 2, 1], one submit each, results printed with as_completed(): "
		 "in finishing order; with 4 workers the 1 s task starts only when the 2 s one "
		 "frees a worker. Total ~5 s.");
	code("double secs[] = { 5, 4, 3, 2, 1 };\n"
	     "for (i = 0; i < 5; i++) submit(i);       /* task i sleeps secs[i] */\n"
	     "while (done < 5) {                       /* as_completed() */\n"
	     "    read(done_pipe, &i, sizeof(i));\n"
	     "    printf(\"%s\\n\", results[i].message);\n"
	     "}");
	if (run_sleep(d, &how, five_to_one, 5, &res))
		return LESSON_FAILED;
	say_order("completion order", col.order, col.ndone);
	say_durations(&col);
	say_late_start(d, &res, w);
	timeline("worker", res.results, res.ntasks, res.t0_ns, res.wall_s);
	ideal_vs_measured(res.ideal_s, res.wall_s, "the longest task, 5 s, scaled");
	teaches("as_completed() hands out results in the order tasks finish, not the order "
		"they were submitted: short tasks come first, and a task that waits for a free "
		"worker finishes later than its length alone says.");
	return lesson_end(&res);
}

static int lesson_map(struct demo *d)
{
	unsigned w = pool_size(d, TUTORIAL_WORKERS);
	struct collector col = { .map = 1 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = -1,
				.progress = collect, .arg = &col };
	struct run_result res;
	size_t returned[5];

	tutorial("results = executor.map(do_something, secs) with secs = [5, 4, 3, 2, 1]: "
		 "results come back in submission order (5, 4, 3, 2, 1) though they finish in "
		 "another order. ~5 s.");
	code("for (i = 0; i < 5; i++) submit(i);\n"
	     "for (next = 0; next < 5; next++) {      /* map(): in submission order */\n"
	     "    while (!finished[next])\n"
	     "        read(done_pipe, &i, sizeof(i)), finished[i] = 1;\n"
	     "    printf(\"%s\\n\", results[next].message);\n"
	     "}");
	if (run_sleep(d, &how, five_to_one, 5, &res))
		return LESSON_FAILED;
	for (size_t i = 0; i < col.next && i < 5; i++)
		returned[i] = i;
	say_order("finished in this order", col.order, col.ndone);
	say_order("map returned", returned, col.next);
	timeline("worker", res.results, res.ntasks, res.t0_ns, res.wall_s);
	ideal_vs_measured(res.ideal_s, res.wall_s, "the longest task, 5 s, scaled");
	teaches("map() returns results in the order the tasks were submitted: the first "
		"result (the 5 s task) is the last to finish, so nothing prints until ~5 s, "
		"then everything at once.");
	return lesson_end(&res);
}

static int lesson_exceptions(struct demo *d)
{
	static const double seconds[] = { 1, 1, 0.25, 1 };
	unsigned w = pool_size(d, TUTORIAL_WORKERS);
	struct collector col = { .map = 1, .raised_index = -1 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = 2,
				.progress = collect, .arg = &col };
	struct run_result res;
	const struct task_result *bad;
	int ok;

	tutorial("an exception raised inside a task is raised in the caller only when its "
		 "result is retrieved from the iterator.");
	code("for (i = 0; i < 4; i++) submit(i);      /* task 2 fails after 0.25 s */\n"
	     "for (next = 0; next < 4; next++) {      /* map() */\n"
	     "    wait_for(next);\n"
	     "    if (results[next].status != TASK_OK)  /* the exception */\n"
	     "        goto raised;                      /* leaves the loop */\n"
	     "    printf(\"%s\\n\", results[next].message);\n"
	     "}");
	if (run_sleep(d, &how, seconds, 4, &res))
		return LESSON_FAILED;
	bad = &res.results[2];
	if (col.raised)
		say("the error happened inside task 2 at %.3f s but surfaced only at %.3f s, "
		    "when the loop reached task 2", ns_to_s(bad->end_ns - res.t0_ns),
		    ns_to_s(col.raised_ns - res.t0_ns));
	say("the loop stopped there: %zu result%s printed, task 3 ran (%s) but its result "
	    "was never read", col.next, col.next == 1 ? "" : "s",
	    task_status_name(res.results[3].status));
	say("run status: %s (%zu of %zu tasks failed), so `bench` would exit with status 1",
	    run_status_name(res.status), res.failed, res.ntasks);
	timeline("worker", res.results, res.ntasks, res.t0_ns, res.wall_s);
	ideal_vs_measured(res.ideal_s, res.wall_s, "the longest task");
	teaches("a failing task does not stop the pool: the error is stored with its result "
		"and surfaces when that result is collected - here after tasks 0 and 1 - not "
		"when it happened.");
	ok = col.raised && col.raised_index == 2 && res.status == RUN_FAILED && res.failed == 1;
	run_result_free(&res);
	return ok ? LESSON_OK : LESSON_FAILED;
}

static int lesson_with(struct demo *d)
{
	double seconds[6];
	unsigned w = pool_size(d, TUTORIAL_WORKERS);
	struct collector col = { .quiet = 1 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = -1,
				.progress = collect, .arg = &col };
	struct run_result res;

	for (size_t i = 0; i < 6; i++)
		seconds[i] = 1;
	tutorial("even without reading any result, leaving the with block waits for every "
		 "task (executor.shutdown(wait=True)).");
	code("for (i = 0; i < 6; i++) submit(i);      /* no result is ever read */\n"
	     "for (w = 0; w < 4; w++)                 /* end of the with block */\n"
	     "    waitpid(worker[w], NULL, 0);        /* workers exit when the queue is empty */");
	if (run_sleep(d, &how, seconds, 6, &res))
		return LESSON_FAILED;
	say("left the with block at %.3f s: %zu of %zu tasks had finished, though no result "
	    "was read", res.wall_s, res.completed, res.ntasks);
	timeline("worker", res.results, res.ntasks, res.t0_ns, res.wall_s);
	ideal_vs_measured(res.ideal_s, res.wall_s, "6 tasks on the pool's workers");
	teaches("the end of the with block joins the pool: it returns only when every "
		"submitted task has run, so nothing is lost and no worker is left behind.");
	return lesson_end(&res);
}

/* ------------------------------------------------------------------ lessons 12-14: images */

static int images_ready(struct demo *d)
{
	const struct workload *w = registry_workload("images");
	char err[1024] = "";
	struct config c;
	int rc;

	if (d->images_state)
		return 0;
	if (!w) {
		printf("skipped: the images workload is not in this build yet\n");
		return -ENOENT;
	}
	if (w->unavailable) {
		printf("skipped: the images workload is not available here: %s\n", w->unavailable);
		return -ENOTSUP;
	}
	c = *d->cfg;
	c.tasks = -1;
	c.nseconds = 0;
	rc = w->prepare(&c, &d->images_state, &d->images_n, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "bench: demo: images: %s\n", err[0] ? err : strerror(-rc));
		d->images_state = NULL;
		return rc;
	}
	d->images = w;
	return 0;
}

static int images_lesson(struct demo *d, const char *mode, unsigned workers, const char *text,
			 const char *sequence, double *measured)
{
	struct collector col = { 0 };
	struct demo_run how = { .mode = mode, .workers = workers, .fail_index = -1,
				.progress = collect, .arg = &col };
	struct run_result res;
	char why[64];
	int rc;

	tutorial(text);
	code(sequence);
	rc = images_ready(d);
	if (rc)
		return rc == -ENOENT || rc == -ENOTSUP ? LESSON_SKIPPED : LESSON_FAILED;
	if (demo_execute(d, &how, d->images, d->images_state, d->images_n, &res))
		return LESSON_FAILED;
	say("processed %zu images in %.3f s", res.completed, res.wall_s);
	timeline("worker", res.results, res.ntasks, res.t0_ns, res.wall_s);
	snprintf(why, sizeof(why), "each image's CPU time, on %u worker%s",
		 workers < d->pus ? workers : d->pus, workers == 1 ? "" : "s");
	ideal_vs_measured(res.ideal_s, res.wall_s, why);
	if (d->images_seq_s > 0 && strcmp(mode, "seq"))
		say("%.2fx the speed of lesson 12's sequential loop (%.3f s)",
		    d->images_seq_s / res.wall_s, d->images_seq_s);
	*measured = res.wall_s;
	rc = lesson_end(&res);
	return rc;
}

static int lesson_images_seq(struct demo *d)
{
	int rc = images_lesson(d, "seq", 1,
		"15 high-resolution photos, one after the other: open, GaussianBlur(15), "
		"thumbnail((1200, 1200)), save to processed/ - 22 s.",
		"for (i = 0; i < n; i++)\n"
		"    process_image(names[i]);   /* read, decode, blur, resize, encode, write */",
		&d->images_seq_s);

	if (rc == LESSON_OK)
		teaches("one image at a time: the time is the sum of every image's read, "
			"compute and write.");
	return rc;
}

static int lesson_images_procpool(struct demo *d)
{
	unsigned w = pool_size(d, d->pus);
	int rc = images_lesson(d, "procpool", w,
		"the loop body becomes process_image(name), run with executor.map(process_image, "
		"names) on a ProcessPoolExecutor - 7 s.",
		"for (w = 0; w < nworkers; w++)\n"
		"    if (fork() == 0) worker_loop();   /* each runs process_image(i) */\n"
		"map(process_image, names);            /* results in submission order */",
		&d->images_proc_s);

	if (rc == LESSON_OK)
		paraf("lesson:   ", "processes decode and blur different images on different PUs "
		      "at the same time; with %u PUs the speedup is bounded by %u.", d->pus, d->pus);
	return rc;
}

static int lesson_images_threadpool(struct demo *d)
{
	unsigned w = pool_size(d, d->pus);
	double thread_s = 0;
	int rc = images_lesson(d, "threadpool", w,
		"swap ProcessPoolExecutor for ThreadPoolExecutor, one word - 7.2 s: as fast, "
		"because much of the work was file I/O.",
		"for (w = 0; w < nworkers; w++)\n"
		"    pthread_create(&t[w], NULL, worker_loop, pool);\n"
		"map(process_image, names);",
		&thread_s);

	if (rc != LESSON_OK)
		return rc;
	if (d->images_proc_s > 0)
		paraf("lesson:   ", "threads took %.3f s, processes %.3f s: in C threads compute in "
		      "parallel too (no GIL), so the thread pool keeps up with the process pool "
		      "whether the work is I/O or not; Python threads kept up only because much "
		      "of the tutorial's time was I/O.", thread_s, d->images_proc_s);
	else
		teaches("in C threads compute in parallel too (no GIL), so the thread pool keeps "
			"up with the process pool (run lesson 13 first to compare).");
	return rc;
}

/* ------------------------------------------------------------------ lessons 15-16 */

/* Run @workload (prepared from @c) under @mode, adding it to @s and @v. */
static int measure(struct demo *d, const struct config *c, const char *workload, const char *mode,
		   unsigned workers, int live, struct summary *s,
		   struct run_result *keep)
{
	const struct workload *w = registry_workload(workload);
	struct demo_run how = { .mode = mode, .workers = workers, .print_done = live,
				.silent = !live, .fail_index = -1 };
	struct run_spec spec = { 0 };
	struct run_result res;
	char err[512] = "";
	void *state = NULL;
	size_t n = 0;
	int rc;

	if (!w) {
		fprintf(stderr, "bench: demo: no workload '%s' in this bench\n", workload);
		return -ENOENT;
	}
	rc = w->prepare(c, &state, &n, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "bench: demo: %s: %s\n", workload, err[0] ? err : strerror(-rc));
		return rc;
	}
	rc = demo_execute(d, &how, w, state, n, &res);
	if (w->finish)
		w->finish(state);
	if (rc)
		return rc;
	spec.workload = &demo_workload;
	spec.mode = registry_mode(mode);
	spec.workers = workers;
	spec.rep = 1;
	summary_add(s, &spec, &res, "");
	if (!live)
		printf("  %-6s %-10s %u worker%s  %7.3f s  %s\n", workload, mode, res.workers,
		       res.workers == 1 ? " " : "s", res.wall_s,
		       res.failed ? "(some tasks failed)" : "");
	rc = res.failed ? -EIO : 0;
	if (keep)
		*keep = res;
	else
		run_result_free(&res);
	return rc;
}

/* A config for the contrast workloads, sized by --time-scale. */
static struct config contrast_config(const struct demo *d, size_t ntasks, double sleep_s)
{
	struct config c = *d->cfg;
	double mb = d->cfg->io_mb * d->scale;

	c.tasks = (long)ntasks;
	c.nseconds = 1;
	c.seconds[0] = sleep_s * d->scale;
	c.workloads[0] = "sleep";   /* --seconds is meant for sleep */
	c.nworkloads = 1;
	/* one unit of cpu work is ~0.05 s: a task of ~sleep_s seconds, at least 0.02 s */
	c.work = fmax(0.4, 20 * sleep_s * d->scale);
	c.io_mb = fmin(d->cfg->io_mb, fmax(1, mb));
	return c;
}

static double row_wall(const struct summary *s, const char *workload, const char *mode)
{
	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].workload, workload) && !strcmp(s->rows[i].mode, mode))
			return s->rows[i].wall.median;
	return NAN;
}

static int lesson_rule(struct demo *d)
{
	static const char *const workloads[] = { "sleep", "io", "cpu" };
	static const char *const modes[] = { "seq", "threadpool", "procpool", "gil" };
	unsigned w = pool_size(d, d->pus < 2 ? 2 : d->pus);
	struct config c = contrast_config(d, 2 * w, 0.5);
	struct summary s = { 0 };
	int bad = 0;

	tutorial("threads for I/O-bound work, processes for CPU-bound work - but \"it's hard "
		 "to tell without benchmarks\". So here are the benchmarks, on this machine.");
	code("for each workload in { sleep, io, cpu }:\n"
	     "    for each mode in { seq, threadpool, procpool, gil }:\n"
	     "        run_execute(&spec, state, ntasks, &opt, &result);   /* one rep */");
	printf("  %u tasks each; sleep %.3g s, io %g MB, cpu %g units per task\n",
	       2 * w, c.seconds[0], c.io_mb, c.work);
	for (size_t i = 0; i < 3; i++)
		for (size_t m = 0; m < 4; m++)
			if (measure(d, &c, workloads[i], modes[m], !strcmp(modes[m], "seq") ? 1 : w, 0,
				    &s, NULL))
				bad = 1;
	summary_compute(&s);
	printf("\n  %-6s %10s %18s %18s %18s\n", "", "seq", "threadpool", "procpool", "gil");
	for (size_t i = 0; i < 3; i++) {
		double seq = row_wall(&s, workloads[i], "seq");

		printf("  %-6s %8.3f s", workloads[i], seq);
		for (size_t m = 1; m < 4; m++) {
			double t = row_wall(&s, workloads[i], modes[m]);

			printf("  %7.3f s (%4.2fx)", t, seq / t);
		}
		printf("\n");
	}
	verdict_print(&s, stdout);
	printf("\n");
	teaches("the rule of thumb comes from Python, where the GIL (the gil column) lets only "
		"one thread compute at a time. The verdict above comes from this machine's "
		"numbers; measure yours - with one rep each these are a sketch, not a benchmark.");
	summary_free(&s);
	return bad ? LESSON_FAILED : LESSON_OK;
}

static int lesson_gil(struct demo *d)
{
	static const char *const workloads[] = { "cpu", "sleep" };
	static const char *const modes[] = { "seq", "gil", "pthread" };
	unsigned w = pool_size(d, d->pus < 2 ? 2 : d->pus > 4 ? 4 : d->pus);
	struct config c = contrast_config(d, w, 1);
	struct run_result kept[2];
	struct summary s = { 0 };
	double sp[2][3];
	int bad = 0;

	tutorial("(not in the tutorial) why Python threads did not speed up CPU-bound work: the "
		 "global interpreter lock. A thread must hold it to compute, lets go of it while "
		 "waiting, and hands it over every switch interval (5 ms).");
	paraf("in C:     ", "the gil mode: %u threads pull tasks from a queue; each must hold one "
	      "ticket lock to compute, releases it in task_io_begin() and takes it back in "
	      "task_io_end(), and at a task_checkpoint() hands it to the next waiter after "
	      "%g ms (--switch-ms). pthread: one plain thread per task, no lock.", w,
	      d->cfg->switch_ms);
	printf("live:\n");
	memset(kept, 0, sizeof(kept));
	for (size_t i = 0; i < 2; i++)
		for (size_t m = 0; m < 3; m++) {
			int keep = i == 0 && m > 0;

			printf("%s under %s:\n", workloads[i], modes[m]);
			if (measure(d, &c, workloads[i], modes[m], !strcmp(modes[m], "gil") ? w :
				    !strcmp(modes[m], "seq") ? 1 : 0, 1, &s,
				    keep ? &kept[m - 1] : NULL))
				bad = 1;
		}
	summary_compute(&s);
	printf("\n  %u tasks each, %u threads, %u PUs\n", w, w, d->pus);
	printf("  %-6s %10s %18s %18s\n", "", "seq", "gil", "pthread");
	for (size_t i = 0; i < 2; i++) {
		double seq = row_wall(&s, workloads[i], "seq");

		printf("  %-6s %8.3f s", workloads[i], seq);
		for (size_t m = 1; m < 3; m++) {
			double t = row_wall(&s, workloads[i], modes[m]);

			sp[i][m] = seq / t;
			printf("  %7.3f s (%4.2fx)", t, sp[i][m]);
		}
		printf("\n");
	}
	for (size_t m = 0; m < 2; m++)
		if (kept[m].results) {
			printf("\ncpu under %s: ", m == 0 ? "gil" : "pthread");
			timeline("thread", kept[m].results, kept[m].ntasks,
				 kept[m].t0_ns, kept[m].wall_s);
			ideal_vs_measured(kept[m].ideal_s, kept[m].wall_s,
					  "the tasks' CPU time spread over the PUs");
			run_result_free(&kept[m]);
		}
	printf("\n");
	paraf("lesson:   ", "on cpu, %u threads under the simulated GIL ran at %.2fx seq's speed "
	      "- they took turns, so each task took as long as all of them - while plain "
	      "threads reached %.2fx on %u PUs. On sleep both scaled (%.2fx and %.2fx): a "
	      "waiting thread lets go of the GIL. That is the tutorial's rule of thumb, and "
	      "why it does not hold in C, which has no GIL.", w, sp[0][1], sp[0][2], d->pus,
	      sp[1][1], sp[1][2]);
	summary_free(&s);
	return bad ? LESSON_FAILED : LESSON_OK;
}

/* ------------------------------------------------------------------ driver */

static const struct lesson lessons[] = {
	{ "sequential", "do_something() twice: the times add up", lesson_sequential },
	{ "no-join", "two processes started, never joined: the parent finishes first",
	  lesson_no_join },
	{ "join", "start + join: two 1 s tasks in ~1 s", lesson_join },
	{ "loop", "ten processes in a loop; joining inside the loop serializes", lesson_loop },
	{ "args", "arguments reach a process as copies", lesson_args },
	{ "submit", "a process pool: submit() and result()", lesson_submit },
	{ "as-completed", "ten tasks on a 4-worker pool: 3 rounds, completion order",
	  lesson_as_completed },
	{ "completion-order", "5,4,3,2,1 s: results in finishing order", lesson_completion_order },
	{ "map", "map(): results in submission order", lesson_map },
	{ "exceptions", "a task's error surfaces when its result is collected", lesson_exceptions },
	{ "with", "leaving the with block waits for every task", lesson_with },
	{ "images-seq", "the photo pipeline, one image after another", lesson_images_seq },
	{ "images-procpool", "the photo pipeline on a process pool", lesson_images_procpool },
	{ "images-threadpool", "the photo pipeline on a thread pool", lesson_images_threadpool },
	{ "rule", "threads for I/O, processes for CPU? measured here", lesson_rule },
	{ "gil", "a simulated GIL: gil vs pthread on cpu and on sleep", lesson_gil },
};

#define NLESSONS (sizeof(lessons) / sizeof(lessons[0]))

static void list_lessons(void)
{
	for (size_t i = 0; i < NLESSONS; i++)
		printf("  %2zu  %-18s %s\n", i + 1, lessons[i].name, lessons[i].title);
}

/* A lesson by number ("7") or short name ("map"); -1 when unknown. */
static long find_lesson(const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*arg && !*end)
		return n >= 1 && n <= (long)NLESSONS ? n - 1 : -1;
	for (size_t i = 0; i < NLESSONS; i++)
		if (!strcmp(arg, lessons[i].name))
			return (long)i;
	return -1;
}

/* On a terminal, between lessons: 0 to go on, 1 to stop. */
static int pause_for_enter(size_t next)
{
	char line[64];

	printf("\n-- press Enter for lesson %zu (%s), q to stop -- ", next + 1, lessons[next].name);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	return line[0] == 'q' || line[0] == 'Q';
}

int demo_main(const struct config *cfg)
{
	long selected[NLESSONS];
	size_t nselected = 0;
	struct demo d;
	int interactive, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (cfg->list) {
		printf("bench demo: the tutorial's lessons, in C (bench demo N or NAME runs one)\n");
		list_lessons();
		return 0;
	}
	for (size_t i = 0; i < cfg->nargs; i++) {
		long k = find_lesson(cfg->args[i]);

		if (k < 0) {
			fprintf(stderr, "bench: demo: unknown lesson '%s' (see bench demo --list)\n",
				cfg->args[i]);
			return EXIT_USAGE;
		}
		if (nselected < NLESSONS)
			selected[nselected++] = k;
	}
	if (!cfg->nargs)
		for (size_t i = 0; i < NLESSONS; i++)
			selected[nselected++] = (long)i;
	interactive = !cfg->nargs && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

	memset(&d, 0, sizeof(d));
	d.cfg = cfg;
	d.scale = cfg->time_scale > 0 ? cfg->time_scale : 1;
	d.pus = pin_usable_pus();
	d.pool = cfg->nworkers >= 1 ? cfg->workers[0] : 0;
	for (size_t i = 0; i < nselected; i++) {
		const struct lesson *l = &lessons[selected[i]];
		int rc;

		if (interactive && i > 0 && pause_for_enter((size_t)selected[i]))
			break;
		printf("%s== lesson %ld: %s - %s ==\n", i ? "\n" : "", selected[i] + 1, l->name,
		       l->title);
		rc = l->run(&d);
		if (rc == LESSON_FAILED) {
			printf("lesson %ld did not run as it should (see the messages above)\n",
			       selected[i] + 1);
			failed = 1;
		}
	}
	if (d.images && d.images->finish && d.images_state)
		d.images->finish(d.images_state);
	return failed ? 1 : 0;
}
