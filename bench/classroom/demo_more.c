/*
 * demo_more — lessons 17-21: what the tutorial promised for a later video
 * or could not show: race conditions and locks, copy-on-write after fork,
 * the cost of a task, where parallelism stops paying, and Amdahl's law.
 */
#include "bench/classroom/demo_lessons.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/api/child.h"
#include "bench/api/clock.h"
#include "bench/analysis/fit.h"
#include "bench/api/mode.h"
#include "bench/core/registry.h"
#include "bench/analysis/stats.h"
#include "bench/core/options.h"
#include "bench/sys/message.h"

#define RACE_MAX_TASKS 64

/* ------------------------------------------------------------------ 17: race */

enum counter_kind { COUNT_PLAIN, COUNT_ATOMIC, COUNT_MUTEX };

struct counter_state {
	enum counter_kind kind;
	size_t ntasks;
	long per_task;
	atomic_long value;             /* the shared counter */
	pthread_mutex_t lock;
	atomic_int arrived;            /* tasks at the start line */
	int64_t loop_ns[RACE_MAX_TASKS];
};

static int counter_run_task(void *state, size_t index, struct task_result *res)
{
	struct counter_state *s = state;
	int64_t give_up = clock_now_ns() + 1000000000, t0;
	long v;

	/* start together (for a second at most), so that the increments overlap */
	atomic_fetch_add(&s->arrived, 1);
	while (atomic_load(&s->arrived) < (int)s->ntasks && clock_now_ns() < give_up)
		;
	t0 = clock_now_ns();
	for (long i = 0; i < s->per_task; i++) {
		switch (s->kind) {
		case COUNT_PLAIN:
			/*
			 * counter++ with nothing to protect it: a load, an add, a
			 * store.  Two relaxed atomic accesses instead of a plain
			 * int keep it defined behaviour (and ThreadSanitizer
			 * quiet) while losing updates exactly as counter++ does:
			 * two threads that load the same value both store
			 * value + 1.  Not atomic_fetch_add: that would be the fix.
			 */
			v = atomic_load_explicit(&s->value, memory_order_relaxed);
			atomic_store_explicit(&s->value, v + 1, memory_order_relaxed);
			break;
		case COUNT_ATOMIC:
			atomic_fetch_add_explicit(&s->value, 1, memory_order_relaxed);
			break;
		case COUNT_MUTEX:
			pthread_mutex_lock(&s->lock);
			v = atomic_load_explicit(&s->value, memory_order_relaxed);
			atomic_store_explicit(&s->value, v + 1, memory_order_relaxed);
			pthread_mutex_unlock(&s->lock);
			break;
		}
	}
	if (index < RACE_MAX_TASKS)
		s->loop_ns[index] = clock_now_ns() - t0;
	task_message(res, "%ld increments", s->per_task);
	return 0;
}

static void counter_describe(const void *state, char *buf, size_t len)
{
	const struct counter_state *s = state;
	static const char *const kind[] = { "no lock", "atomic", "mutex" };

	snprintf(buf, len, "%zu threads x %ld increments, %s", s->ntasks, s->per_task,
		 kind[s->kind]);
}

static const struct workload counter_workload = {
	.name = "counter",
	.summary = "threads incrementing one shared counter",
	.bound = BOUND_CPU,
	.describe = counter_describe,
	.run_task = counter_run_task,
};

struct race_row {
	const char *name;
	long lost, total;
	double ns_per_inc;
};

static int race_run(struct demo *d, struct counter_state *s, enum counter_kind kind,
		    struct race_row *row)
{
	struct demo_run how = { .mode = "pthread", .silent = 1, .fail_index = -1 };
	struct demo_shot shot;
	int64_t longest = 0;
	int rc;

	s->kind = kind;
	atomic_store(&s->value, 0);
	atomic_store(&s->arrived, 0);
	memset(s->loop_ns, 0, sizeof(s->loop_ns));
	rc = demo_execute(d, &how, &counter_workload, s, s->ntasks, &shot);
	if (rc)
		return rc;
	for (size_t i = 0; i < s->ntasks; i++)
		if (s->loop_ns[i] > longest)
			longest = s->loop_ns[i];
	row->total = (long)s->ntasks * s->per_task;
	row->lost = row->total - atomic_load(&s->value);
	row->ns_per_inc = (double)longest / (double)s->per_task;
	show("  %-22s lost %8ld of %ld updates (%4.1f %%), %6.1f ns per increment", row->name,
	     row->lost, row->total, 100.0 * (double)row->lost / (double)row->total,
	     row->ns_per_inc);
	return lesson_end(&shot) == LESSON_OK ? 0 : -EIO;
}

int lesson_race(struct demo *d)
{
	static struct counter_state s;  /* shared by the threads */
	struct race_row rows[3] = {
		{ .name = "counter++ (no lock)" },
		{ .name = "atomic_fetch_add()" },
		{ .name = "pthread_mutex_lock()" },
	};
	unsigned t = d->pus < 2 ? 2 : d->pus > 8 ? 8 : d->pus;
	int bad = 0;

	t = pool_size(d, t) > RACE_MAX_TASKS ? RACE_MAX_TASKS : pool_size(d, t);
	memset(&s, 0, sizeof(s));
	s.ntasks = t;
	/* long enough to span many time slices, on a busy machine too */
	s.per_task = (long)fmax(2e6, 1e7 * d->scale);
	pthread_mutex_init(&s.lock, NULL);
	tutorial("(the tutorial's \"future video\") threads share memory: when several update "
		 "one variable without a lock, updates get lost - a race condition. A lock fixes "
		 "it, at a price.");
	codef("long counter = 0;                      /* shared by %u threads */\n"
	      "for (i = 0; i < %ld; i++)              /* in every thread: */\n"
	      "    counter++;                         /* load, add, store: not atomic */\n"
	      "    /* or: atomic_fetch_add(&counter, 1);                          */\n"
	      "    /* or: lock(&m); counter++; unlock(&m);                        */", t,
	      s.per_task);
	show("  %u threads (%u PUs), %ld increments each", t, d->pus, s.per_task);
	for (int k = 0; k < 3 && !demo_stopped(); k++)
		if (race_run(d, &s, (enum counter_kind)k, &rows[k]))
			bad = 1;
	pthread_mutex_destroy(&s.lock);
	if (demo_stopped())
		return LESSON_STOPPED;
	if (bad)
		return LESSON_FAILED;
	d->headline_s = -1;
	if (rows[0].lost > 0)
		teaches("counter++ is a load, an add and a store: two threads that load the same "
			"value both store value + 1, so %ld of %ld updates (%.1f %%) were lost. An "
			"atomic increment lost none at %.1f ns each, a mutex none at %.1f ns (%.1fx "
			"and %.1fx the unprotected increment's time)%s.", rows[0].lost, rows[0].total,
			100.0 * (double)rows[0].lost / (double)rows[0].total, rows[1].ns_per_inc,
			rows[2].ns_per_inc, rows[1].ns_per_inc / rows[0].ns_per_inc,
			rows[2].ns_per_inc / rows[0].ns_per_inc,
			rows[2].ns_per_inc > rows[1].ns_per_inc
			? ": the mutex costs the most here" : "");
	else
		teaches("this run lost no update without a lock: %s The race is still there, it "
			"did not bite this time; the atomic (%.1f ns) and the mutex (%.1f ns) make "
			"sure it never does.", d->pus < 2 ? "on one PU the threads take turns and "
			"rarely stop inside counter++." : "the threads did not overlap enough.",
			rows[1].ns_per_inc, rows[2].ns_per_inc);
	return rows[1].lost == 0 && rows[2].lost == 0 ? LESSON_OK : LESSON_FAILED;
}

/* ------------------------------------------------------------------ 18: copy-on-write */

static int cow_value = 1;     /* a global, like a module-level variable in Python */

#define COW_MB 16

struct cow_report {
	int value;                 /* what the child saw after its change */
	long read_faults, write_faults;
	int64_t read_ns, write_ns;
};

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static void cow_child(struct cow_report *rep, volatile unsigned char *buf, size_t bytes,
		      long page)
{
	unsigned sum = 0;
	long f0;
	int64_t t0;

	cow_value = 42;
	rep->value = cow_value;
	say("child:  set value = %d (at %p)", cow_value, (void *)&cow_value);
	f0 = minor_faults();
	t0 = clock_now_ns();
	for (size_t i = 0; i < bytes; i += (size_t)page)
		sum += buf[i];
	rep->read_ns = clock_now_ns() - t0;
	rep->read_faults = minor_faults() - f0;
	f0 = minor_faults();
	t0 = clock_now_ns();
	for (size_t i = 0; i < bytes; i += (size_t)page)
		buf[i] = (unsigned char)(sum + 1);
	rep->write_ns = clock_now_ns() - t0;
	rep->write_faults = minor_faults() - f0;
}

int lesson_cow(struct demo *d)
{
	size_t bytes = (size_t)COW_MB << 20;
	long page = sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096;
	struct cow_report *rep = job_shared_alloc(sizeof(*rep));
	unsigned char *buf = malloc(bytes);
	size_t pages = bytes / (size_t)page;
	pid_t pid;
	int st = 0, ok;

	tutorial("(not in the tutorial) why a process's work must be sent back: after fork() "
		 "the child has its own copy of the parent's memory, so a change it makes is "
		 "invisible to the parent.");
	codef("int value = 1;                          /* a global */\n"
	      "if (fork() == 0) {\n"
	      "    value = 42;                         /* the child's copy only */\n"
	      "    shared->value = value;              /* sent back: shared memory */\n"
	      "    _exit(0);\n"
	      "}\n"
	      "waitpid(pid, NULL, 0);\n"
	      "printf(\"%%d %%d\\n\", value, shared->value);  /* 1 42 */\n"
	      "/* and: the child reads, then writes, one byte of each of %zu pages (%d MB) */",
	      pages, COW_MB);
	if (!rep || !buf) {
		free(buf);
		job_shared_free(rep, sizeof(*rep));
		error("demo: cow: out of memory");
		return LESSON_FAILED;
	}
	memset(buf, 1, bytes);      /* the pages exist before the fork */
	cow_value = 1;
	show_set_t0(clock_now_ns());
	say("parent: value = %d (at %p)", cow_value, (void *)&cow_value);
	fflush(stdout);
	pid = child_fork();
	if (pid < 0) {
		error("demo: cannot fork: %s", strerror(errno));
		free(buf);
		job_shared_free(rep, sizeof(*rep));
		return LESSON_FAILED;
	}
	if (pid == 0) {
		job_child_init();
		cow_child(rep, buf, bytes, page);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	say("parent: after waitpid(), value = %d (at %p: the same address, another copy)",
	    cow_value, (void *)&cow_value);
	say("parent: the child's value, sent back through shared memory: %d", rep->value);
	show("the child read one byte of each of %zu pages: %ld page faults, %.2f ms", pages,
	     rep->read_faults, (double)rep->read_ns / 1e6);
	show("the child wrote one byte of each of %zu pages: %ld page faults, %.2f ms (%.2f us "
	     "a page)", pages, rep->write_faults, (double)rep->write_ns / 1e6,
	     (double)rep->write_ns / 1e3 / (double)pages);
	ok = WIFEXITED(st) && WEXITSTATUS(st) == 0 && cow_value == 1 && rep->value == 42;
	d->headline_s = -1;
	if (ok)
		teaches("the child's value = 42 changed its own copy: the parent still saw %d at "
			"the same address. fork() shares the pages until one side writes: reading "
			"%zu pages cost the child %ld page faults, writing them %ld (%.2f us a page), "
			"one copy per page written. That is why a process's results must be sent "
			"back, as bench's process modes do through shared memory and pipes.",
			cow_value, pages, rep->read_faults, rep->write_faults,
			(double)rep->write_ns / 1e3 / (double)pages);
	free(buf);
	job_shared_free(rep, sizeof(*rep));
	return ok ? LESSON_OK : LESSON_FAILED;
}

/* ------------------------------------------------------------------ 19-21 */

/* Run @workload from @c under @mode on @workers, unwrapped; its wall, or < 0. */
static double run_raw(struct demo *d, const struct config *c, const char *workload,
		      const char *mode, unsigned workers, double *task_s)
{
	struct demo_run how = { .mode = mode, .workers = workers, .silent = 1, .raw = 1,
				.fail_index = -1 };
	const struct workload *w = registry_workload(workload);
	struct demo_shot shot;
	char err[256] = "";
	void *state;
	size_t n = 0;
	double wall;
	int rc;

	if (!w || w->prepare(c, &state, &n, err, sizeof(err))) {
		error("demo: %s: %s", workload, err[0] ? err : "cannot prepare");
		return -1;
	}
	rc = demo_execute(d, &how, w, state, n, &shot);
	if (w->finish)
		w->finish(state);
	if (rc)
		return -1;
	wall = shot.res.failed ? -1 : shot.res.wall_s;
	if (task_s) {
		double sum = 0;

		for (size_t i = 0; i < shot.res.ntasks; i++)
			sum += ns_to_s(shot.res.results[i].end_ns - shot.res.results[i].start_ns);
		*task_s = shot.res.ntasks ? sum / (double)shot.res.ntasks : 0;
	}
	shot_free(&shot);
	return wall;
}

int lesson_overhead(struct demo *d)
{
	static const struct { const char *mode; size_t tasks; const char *what; } rows[] = {
		{ "pthread", 200, "start + join a thread" },
		{ "fork", 200, "fork + waitpid a process" },
		{ "threadpool", 20000, "a task through a pool of threads" },
		{ "procpool", 20000, "a task through a pool of processes" },
	};
	unsigned w = pool_size(d, d->pus < 2 ? 2 : d->pus);
	double us[4] = { 0 };
	struct config c = *d->cfg;

	tutorial("(not in the tutorial) every process and every task hand-over costs "
		 "something; a task must be longer than that for parallelism to pay.");
	codef("/* noop tasks do nothing: the time per task is the cost of running one */\n"
	      "pthread:    200 x (pthread_create() + pthread_join())\n"
	      "fork:       200 x (fork() + waitpid())\n"
	      "threadpool: 20000 tasks on %u pool thread%s\n"
	      "procpool:   20000 tasks on %u pool process%s", w, w == 1 ? "" : "s",
	      w, w == 1 ? "" : "es");
	for (size_t i = 0; i < 4 && !demo_stopped(); i++) {
		double wall;

		c.tasks = (long)rows[i].tasks;
		wall = run_raw(d, &c, "noop", rows[i].mode, i < 2 ? 0 : w, NULL);
		if (wall < 0)
			return demo_stopped() ? LESSON_STOPPED : LESSON_FAILED;
		us[i] = wall / (double)rows[i].tasks * 1e6;
		show("  %-10s %6zu tasks  %8.3f s  %8.2f us per task: %s%s", rows[i].mode,
		     rows[i].tasks, wall, us[i], rows[i].what,
		     i < 2 ? "" : w == 1 ? " (one worker)" : "");
	}
	if (demo_stopped())
		return LESSON_STOPPED;
	d->headline_s = -1;
	teaches("starting a process cost %.0f us here, a thread %.0f us (%.1fx less); a pool "
		"pays that once, then gets through a no-op task every %.2f us with %u thread%s and "
		"every %.2f us with %u process%s (wall time / tasks%s): a task has to take well "
		"over that to gain from a pool, and lesson 20 finds where parallelism starts to "
		"pay on this machine.", us[1], us[0], us[0] > 0 ? us[1] / us[0] : 0,
		us[2], w, w == 1 ? "" : "s", us[3], w, w == 1 ? "" : "es",
		w == 1 ? ", its one worker taking one task at a time" : "");
	return LESSON_OK;
}

#define NSIZES 5

int lesson_task_size(struct demo *d)
{
	static const double units[NSIZES] = { 1e-4, 1e-3, 1e-2, 1e-1, 1 };
	static const char *const modes[] = { "threadpool", "procpool" };
	unsigned w = pool_size(d, d->pus < 2 ? 2 : d->pus);
	double task_s[NSIZES] = { 0 }, sp[NSIZES][2] = { { 0 } };
	long pays[2] = { -1, -1 }, loses[2] = { -1, -1 };
	struct config c = *d->cfg;
	char a[32], b[32], line[512];
	size_t shown = 0;

	tutorial("(not in the tutorial) cpu work cut into tasks of different sizes, from four "
		 "per worker to 4000 in all (so the total work differs: see seq): small tasks "
		 "drown in the cost of handing them out.");
	codef("for size in ~5 us, 50 us, 0.5 ms, 5 ms, 50 ms of cpu work per task:\n"
	      "    run the tasks under seq, threadpool and procpool (%u workers)\n"
	      "    speedup = seq time / pool time", w);
	show("  %-10s %6s %10s %12s %12s", "task", "tasks", "seq", "threadpool", "procpool");
	for (size_t k = 0; k < NSIZES && !demo_stopped(); k++) {
		double total = 4 * d->scale, seq;
		long tasks = lround(total / units[k]);

		tasks = tasks < 4 * (long)w ? 4 * (long)w : tasks > 4000 ? 4000 : tasks;
		c.tasks = tasks;
		options_set_real(&c, "--work", units[k]);
		seq = run_raw(d, &c, "cpu", "seq", 1, &task_s[k]);
		if (seq < 0)
			return demo_stopped() ? LESSON_STOPPED : LESSON_FAILED;
		for (size_t m = 0; m < 2; m++) {
			double t = run_raw(d, &c, "cpu", modes[m], w, NULL);

			if (t < 0)
				return demo_stopped() ? LESSON_STOPPED : LESSON_FAILED;
			sp[k][m] = seq / t;
			if (sp[k][m] >= 1.1 && pays[m] < 0)
				pays[m] = (long)k;
			if (sp[k][m] < 1)
				loses[m] = (long)k;
		}
		stats_fmt_seconds(a, sizeof(a), task_s[k]);
		stats_fmt_seconds(b, sizeof(b), seq);
		show("  %-10s %6ld %10s %11.2fx %11.2fx", a, tasks, b, sp[k][0], sp[k][1]);
	}
	if (demo_stopped())
		return LESSON_STOPPED;
	d->headline_s = -1;
	line[0] = '\0';
	for (size_t m = 0; m < 2; m++) {
		if (pays[m] >= 0 && (loses[m] < 0 || loses[m] < pays[m])) {
			shown++;
			stats_fmt_seconds(a, sizeof(a), task_s[pays[m]]);
			list_add(line, sizeof(line), "; ", "%s paid from tasks of %s (%.2fx)", modes[m],
				 a, sp[pays[m]][m]);
			if (pays[m] > 0) {
				stats_fmt_seconds(b, sizeof(b), task_s[pays[m] - 1]);
				list_add(line, sizeof(line), ", ", "not at %s (%.2fx)", b,
					 sp[pays[m] - 1][m]);
			}
		} else {
			list_add(line, sizeof(line), "; ", "%s did not pay steadily at any size here "
				 "(largest tasks: %.2fx)", modes[m], sp[NSIZES - 1][m]);
		}
	}
	if (shown)
		teaches("parallelism pays only when the tasks are long enough to outweigh what a "
			"pool adds (starting its workers, handing over each task; lesson 19 measures "
			"both): %s%s%s%s.", line, shown < 2 ? " (" : "",
			shown < 2 ? demo_why_off(d) : "", shown < 2 ? ")" : "");
	else
		teaches("parallelism should pay once the tasks are long enough to outweigh what a "
			"pool adds (starting its workers, handing over each task; lesson 19 measures "
			"both), but this run does not show it: %s (%s).", line,
			w < 2 || d->pus < 2 ? "one worker or one PU leaves nothing to share"
					    : demo_why_off(d));
	return LESSON_OK;
}

#define NWORKERS_MAX 6

/*
 * Amdahl's law fitted to the sweep (bench/fit), beside the curve from the
 * measured serial part @f.  The parallelism of W workers is min(W, PUs):
 * the fit needs FIT_MIN_LEVELS distinct values of it.
 */
static void amdahl_fit(const struct demo *d, const unsigned *ws, const double *t, unsigned nw,
		       double f)
{
	struct fit_point pts[NWORKERS_MAX];
	struct fit_scaling fit;
	char why[160];

	for (unsigned i = 0; i < nw; i++)
		pts[i] = (struct fit_point){ ws[i] < d->pus ? ws[i] : d->pus, t[0] / t[i] };
	if (fit_scaling(pts, nw, &fit, why, sizeof(why)) < 0) {
		show("  no fitted curve: %s (parallelism = min(W, %u PUs))", why, d->pus);
		return;
	}
	show("  Amdahl's law fitted to these speedups: serial fraction %.3f (from the serial "
	     "part: %.3f), limit %.2fx", fit.amdahl.s, f, fit.amdahl.max_speedup);
	fit_scaling_free(&fit);
}

int lesson_amdahl(struct demo *d)
{
	unsigned ws[NWORKERS_MAX], nw = 0, top = d->pus * 2 < 8 ? 8 : d->pus * 2;
	double t[NWORKERS_MAX] = { 0 }, serial[NWORKERS_MAX] = { 0 }, f, amdahl, s;
	struct config ser = *d->cfg, par = *d->cfg;
	char bar[64], beyond[400] = "";
	unsigned at_pus;

	top = top > 16 ? 16 : top;
	for (unsigned w = 1; w <= top && nw < NWORKERS_MAX; w *= 2)
		ws[nw++] = w;
	ser.tasks = 1;
	options_set_real(&ser, "--work", fmax(0.002, 4 * d->scale));   /* the serial part, ~0.2 s */
	par.tasks = 16;
	options_set_real(&par, "--work", fmax(0.001, 1 * d->scale));   /* 16 tasks, ~0.05 s each */
	tutorial("(not in the tutorial) Amdahl's law: a program with a part that runs on one "
		 "core can never run faster than that part, however many workers the rest gets.");
	codef("serial_part();                 /* one task of %g units, alone: reading inputs */\n"
	      "map(work, tasks);              /* 16 tasks of %g units on W pool threads */\n"
	      "/* T(W) = serial + parallel; f = serial / T(1) (measured);       */\n"
	      "/* Amdahl: speedup(W) = 1 / (f + (1 - f) / min(W, PUs))             */",
	      option_real(&ser, "--work"), option_real(&par, "--work"));
	for (unsigned i = 0; i < nw && !demo_stopped(); i++) {
		double p;

		serial[i] = run_raw(d, &ser, "cpu", "seq", 1, NULL);
		p = run_raw(d, &par, "cpu", "threadpool", ws[i], NULL);
		if (serial[i] < 0 || p < 0)
			return demo_stopped() ? LESSON_STOPPED : LESSON_FAILED;
		t[i] = serial[i] + p;
	}
	if (demo_stopped())
		return LESSON_STOPPED;
	f = serial[0] / t[0];
	show("  serial part %.3f s of T(1) = %.3f s: f = %.3f, so no speedup above %.2fx",
	     serial[0], t[0], f, 1 / f);
	show("  %3s %9s %9s %9s   (* measured, o Amdahl; one column = 0.1x)", "W", "T(W)",
	     "speedup", "Amdahl");
	d->headline_s = -1;
	for (unsigned i = 0; i < nw; i++) {
		unsigned p = ws[i] < d->pus ? ws[i] : d->pus;
		long sc, ac;

		s = t[0] / t[i];
		amdahl = 1 / (f + (1 - f) / p);
		sc = lround(s * 10);
		ac = lround(amdahl * 10);
		memset(bar, ' ', sizeof(bar));
		for (long c = 0; c < sc && c < (long)sizeof(bar) - 1; c++)
			bar[c] = '*';
		if (ac < (long)sizeof(bar) - 1)
			bar[ac] = 'o';
		bar[sizeof(bar) - 1] = '\0';
		for (long c = (long)sizeof(bar) - 2; c >= 0 && bar[c] == ' '; c--)
			bar[c] = '\0';
		show("  %3u %7.3f s %8.2fx %8.2fx   |%s", ws[i], t[i], s, amdahl, bar);
	}
	amdahl_fit(d, ws, t, nw, f);
	s = t[0] / t[nw - 1];
	amdahl = 1 / (f + (1 - f) / (ws[nw - 1] < d->pus ? ws[nw - 1] : d->pus));
	at_pus = 0;
	for (unsigned i = 0; i < nw; i++)
		if (ws[i] <= d->pus)
			at_pus = i;
	if (ws[nw - 1] > d->pus && fabs(s / (t[0] / t[at_pus]) - 1) <= 0.15)
		snprintf(beyond, sizeof(beyond), " Beyond %u workers the speedup stayed flat (%.2fx "
			 "with %u, %.2fx with %u): there are no more PUs to run the parallel part "
			 "on, and the serial part never shrinks.", ws[at_pus], t[0] / t[at_pus],
			 ws[at_pus], s, ws[nw - 1]);
	else if (ws[nw - 1] > d->pus)
		snprintf(beyond, sizeof(beyond), " Beyond %u workers the law expects no change, "
			 "but this run went from %.2fx to %.2fx (%s).", ws[at_pus], t[0] / t[at_pus],
			 s, demo_why_off(d));
	teaches("the serial part was %.0f %% of the one-worker time, so Amdahl's law allows at "
		"most %.2fx on %u PUs whatever the worker count; %u workers reached %.2fx "
		"(the law: %.2fx).%s", 100 * f, 1 / (f + (1 - f) / d->pus), d->pus, ws[nw - 1], s,
		amdahl, beyond);
	return LESSON_OK;
}
