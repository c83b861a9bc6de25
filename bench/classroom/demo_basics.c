/*
 * demo_basics — lessons 1-11: the tutorial's Process and pool lessons.
 */
#include "bench/classroom/demo_lessons.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/api/child.h"
#include "bench/api/clock.h"
#include "bench/classroom/demo_live.h"
#include "bench/api/mode.h"
#include "bench/sys/message.h"

unsigned pool_size(const struct demo *d, unsigned fallback)
{
	return d->pool ? d->pool : fallback;
}

static unsigned rounds_of(size_t tasks, unsigned workers)
{
	return (unsigned)((tasks + workers - 1) / workers);
}

/* "ProcessPoolExecutor()" with its size as the code says it. */
static void pool_call(const struct demo *d, unsigned w, char *buf, size_t len)
{
	if (d->pool)
		snprintf(buf, len, "ProcessPoolExecutor(max_workers=%u): %u workers", w, w);
	else
		snprintf(buf, len, "ProcessPoolExecutor(): os.process_cpu_count() = %u workers", w);
}

/* ------------------------------------------------------------------ 1-5: Process */

int lesson_sequential(struct demo *d)
{
	static const double seconds[] = { 1, 1 };
	struct demo_run how = { .mode = "seq", .workers = 1, .print_done = 1, .fail_index = -1 };
	struct demo_shot shot;
	const struct task_result *t;
	char why[64], s[32];

	tutorial("do_something() prints \"Sleeping 1 second...\", sleeps 1 s and prints "
		 "\"Done Sleeping...\"; the script calls it twice and prints its time: ~2 s.");
	code("do_something(1.0);        /* printf(); sleep(); printf() */\n"
	     "do_something(1.0);\n"
	     "printf(\"finished in %.2f s\\n\", elapsed());");
	if (run_sleep(d, &how, seconds, 2, &shot))
		return LESSON_FAILED;
	d->headline_s = shot.res.wall_s;
	t = shot.res.results;
	say("finished in %.3f s", shot.res.wall_s);
	shot_timeline(&shot);
	snprintf(why, sizeof(why), "2 x %s, one after the other", secs(s, sizeof(s), d->scale));
	ideal_vs_measured(shot.res.ideal_s, shot.res.wall_s, why);
	if (t[0].status == TASK_OK && t[1].status == TASK_OK)
		teaches("synchronous code runs one call at a time: the second do_something() "
			"started at %.3f s, once the first had returned at %.3f s, so the times add "
			"up: two %s sleeps took %.3f s.", ns_to_s(t[1].start_ns - shot.res.t0_ns),
			ns_to_s(t[0].end_ns - shot.res.t0_ns), secs(s, sizeof(s), d->scale),
			shot.res.wall_s);
	return lesson_end(&shot);
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
	live_task_start((int)i, i);
	say("task %zu: sleeping %s (pid %d, cpu %d)", i, secs(buf, sizeof(buf), s), (int)r->pid,
	    r->cpu_start);
	if (clock_sleep_s(s) == -EINTR) {
		/* Ctrl-C: the sleep ended early, so it was not done */
		r->end_ns = clock_now_ns();
		say("task %zu: stopped by Ctrl-C after %.3f s of its %s", i,
		    ns_to_s(r->end_ns - r->start_ns), secs(buf, sizeof(buf), s));
		live_task_end((int)i, i);
		r->status = TASK_SKIPPED;
		return;
	}
	say("task %zu: done sleeping %s", i, secs(buf, sizeof(buf), s));
	r->end_ns = clock_now_ns();
	live_task_end((int)i, i);
	r->status = TASK_OK;
}

/* fork() a child that runs child_task() and _exit()s; its pid or -errno. */
static pid_t fork_task(struct task_result *shared, size_t i, double s)
{
	pid_t pid;

	fflush(stdout);
	pid = child_fork();
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

/* The lanes of a hand-made run of @n forked sleeps; @what names it on the handout's chart. */
static struct lane_run hand_lanes(const struct task_result *t, size_t n, int64_t t0, double span,
				  const char *what)
{
	return (struct lane_run){ .row_name = "process", .chart_name = what, .t = t, .n = n,
				  .t0_ns = t0, .wall_s = span };
}

int lesson_no_join(struct demo *d)
{
	size_t bytes = 2 * sizeof(struct task_result);
	struct task_result *shared = job_shared_alloc(bytes);
	double s = d->scale, first_line, done_at = 0, fork_ms = 0;
	pid_t pids[2] = { 0, 0 };
	int64_t t0, parent_done;
	struct lane_run lanes;
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
	live_begin(2, 2, s, 0);
	show_set_t0(t0 = clock_now_ns());
	for (size_t i = 0; i < 2; i++) {
		int64_t f0 = clock_now_ns();

		pids[i] = fork_task(shared, i, s);
		fork_ms += (double)(clock_now_ns() - f0) / 1e6;
		if (pids[i] < 0) {
			error("demo: cannot fork: %s", strerror(-pids[i]));
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
	live_end();
	d->headline_s = ns_to_s(parent_done - t0);
	first_line = ns_to_s((shared[0].start_ns < shared[1].start_ns ? shared[0].start_ns
			      : shared[1].start_ns) - t0);
	for (size_t i = 0; i < 2; i++)
		if (ns_to_s(shared[i].end_ns - t0) > done_at)
			done_at = ns_to_s(shared[i].end_ns - t0);
	lanes = hand_lanes(shared, 2, t0, done_at, "sleep on fork, no join");
	timeline(&lanes);
	ideal_vs_measured(s, done_at, "the children's two sleeps side by side");
	show("fork() returned to the parent in %.2f ms per child", fork_ms / 2);
	if (parent_done < t0 + (int64_t)(first_line * 1e9))
		paraf("order:    ", "the parent was done at %.4f s, before either child printed a "
		      "line (the first at %.4f s); the children %s at %.3f s, long after.",
		      ns_to_s(parent_done - t0), first_line,
		      demo_stopped() ? "were stopped by Ctrl-C" : "finished their sleep", done_at);
	else
		paraf("order:    ", "the parent was done at %.4f s, after a child printed its first "
		      "line (%.4f s) but long before either %s (%.3f s). A forked child is a "
		      "copy of the parent and can run at once; a spawned one (Python's default on "
		      "macOS and Windows) must first start an interpreter and import the script, "
		      "which leaves its parent far ahead.", ns_to_s(parent_done - t0), first_line,
		      demo_stopped() ? "was stopped by Ctrl-C" : "finished", done_at);
	teaches("start() does not wait: fork() returned at once and the parent ran on, so "
		"without waitpid() (join) the parent's \"finished in %.4f s\" came before its "
		"children's work (%.3f s) and measured nothing. (bench reaped the children "
		"afterwards, so no zombie is left.)", ns_to_s(parent_done - t0), done_at);
	job_shared_free(shared, bytes);
	if (demo_stopped())
		return LESSON_STOPPED;
	return bad ? LESSON_FAILED : LESSON_OK;
}

int lesson_join(struct demo *d)
{
	static const double seconds[] = { 1, 1 };
	struct demo_run how = { .mode = "fork", .print_done = 1, .fail_index = -1 };
	struct demo_shot shot;
	char why[64], s[32], s2[32];

	tutorial("the same two processes, then join() both: ~1 s, and \"finished\" comes last.");
	code("for (i = 0; i < 2; i++)\n"
	     "    if ((pid[i] = fork()) == 0) {\n"
	     "        do_something(1.0);\n"
	     "        _exit(0);\n"
	     "    }\n"
	     "for (i = 0; i < 2; i++)\n"
	     "    waitpid(pid[i], &status, 0);      /* join() */\n"
	     "printf(\"finished in %.2f s\\n\", elapsed());");
	if (run_sleep(d, &how, seconds, 2, &shot))
		return LESSON_FAILED;
	d->headline_s = shot.res.wall_s;
	say("parent: finished in %.3f s, after waitpid() of both", shot.res.wall_s);
	shot_timeline(&shot);
	snprintf(why, sizeof(why), "two %s sleeps side by side", secs(s, sizeof(s), d->scale));
	if (ideal_vs_measured(shot.res.ideal_s, shot.res.wall_s, why))
		teaches("join() is waitpid(): the parent waited until both children exited, at "
			"%.3f s. They slept at the same time, so two %s tasks took %.3f s, not %s.",
			shot.res.wall_s, secs(s, sizeof(s), d->scale), shot.res.wall_s,
			secs(s2, sizeof(s2), 2 * d->scale));
	else
		teaches("join() is waitpid(): the parent waited until both children exited. They "
			"should have slept side by side (ideal %.3f s), but this run took %.3f s, "
			"%.0f %% more: %s.", shot.res.ideal_s, shot.res.wall_s,
			(shot.res.wall_s / shot.res.ideal_s - 1) * 100, demo_why_off(d));
	return lesson_end(&shot);
}

/*
 * Lesson 4's mistake as a mode of its own, so that it is measured and
 * recorded like every run: fork one child per task and waitpid() it before
 * the next fork.  Not one of bench's modes, so its rows carry a name of
 * their own (rows under a mode's name are that mode's runs): a process per
 * task, so its ideal is the tasks side by side.
 */
struct in_loop {
	struct job *job;
	struct task_result *shared;
	size_t index;
};

static int in_loop_child(void *arg)
{
	struct in_loop *f = arg;

	job_child_init();
	job_run_task(f->job, f->index, (unsigned)f->index, &f->shared[f->index]);
	return 0;
}

static void in_loop_reaped(const struct child_exit *e, void *arg)
{
	struct in_loop *f = arg;

	job_child_ended(f->job, &f->shared[e->tag], e);
}

static int fork_join_in_loop_run(struct job *job)
{
	size_t bytes = job->ntasks * sizeof(struct task_result);
	struct in_loop f = { .job = job, .shared = job_shared_alloc(bytes) };
	struct child_set *set = child_set_new(1);
	int rc = 0;

	if (!f.shared || !set) {
		rc = -ENOMEM;
		goto out;
	}
	fflush(NULL);
	for (f.index = 0; f.index < job->ntasks && !job_stopping() && !rc; f.index++) {
		int id;

		job_submit(job, f.index);
		f.shared[f.index].submit_ns = job->results[f.index].submit_ns;
		id = child_spawn(set, in_loop_child, &f, f.index);
		if (id < 0) {
			job->results[f.index].status = TASK_FAILED;
			task_message(&job->results[f.index], "cannot fork: %s", strerror(-id));
			job_deliver(job, f.index);
			continue;
		}
		if (!job->spawn_ns)
			job->spawn_ns = clock_now_ns();
		rc = child_reap_all(set, in_loop_reaped, &f);   /* join() too early */
	}
out:
	child_set_free(set);
	if (f.shared)
		job_shared_free(f.shared, bytes);
	return rc;
}

static const struct mode fork_join_in_loop = {
	.name = "fork-join-in-loop",
	.summary = "fork one process, waitpid() it, then fork the next",
	.processes = 1,
	.run = fork_join_in_loop_run,
};

/* How a run ended, for "...: finished in 0.05 s". */
static const char *ended_how(void)
{
	return demo_stopped() ? "stopped by Ctrl-C" : "finished";
}

int lesson_loop(struct demo *d)
{
	double seconds[10], together, serial_s;
	struct demo_run how = { .mode = "fork", .print_done = 1, .fail_index = -1 };
	struct demo_shot shot;
	char why[64], s[32];
	int bad = 0, ok;

	for (size_t i = 0; i < 10; i++)
		seconds[i] = 1;
	tutorial("ten processes created and started in one loop, joined in a second loop: "
		 "~1 s even on 4 cores. Joining inside the first loop would serialize them.");
	code("for (i = 0; i < 10; i++)                /* start them all... */\n"
	     "    if ((pid[i] = fork()) == 0) { do_something(1.0); _exit(0); }\n"
	     "for (i = 0; i < 10; i++)                /* ...then join them all */\n"
	     "    waitpid(pid[i], NULL, 0);");
	if (run_sleep(d, &how, seconds, 10, &shot))
		return LESSON_FAILED;
	together = d->headline_s = shot.res.wall_s;
	say("start all, then join all: %s in %.3f s", ended_how(), together);
	shot_timeline(&shot);
	snprintf(why, sizeof(why), "ten %s sleeps at once, on %u PUs", secs(s, sizeof(s), d->scale),
		 d->pus);
	ok = ideal_vs_measured(shot.res.ideal_s, together, why);
	bad |= shot.res.failed != 0;
	shot_free(&shot);
	if (demo_stopped())
		return LESSON_STOPPED;

	show("\nnow the mistake: waitpid() inside the start loop");
	code("for (i = 0; i < 10; i++) {\n"
	     "    if ((pid = fork()) == 0) { do_something(1.0); _exit(0); }\n"
	     "    waitpid(pid, NULL, 0);              /* join() too early */\n"
	     "}");
	how.mode_impl = &fork_join_in_loop;
	how.note = "joined in the loop";
	how.expect_s = 10 * d->scale;
	if (run_sleep(d, &how, seconds, 10, &shot))
		return LESSON_FAILED;
	serial_s = shot.res.wall_s;
	say("join inside the loop: %s in %.3f s", ended_how(), serial_s);
	shot_timeline(&shot);
	ideal_vs_measured(shot.res.ideal_s, serial_s, "what the tasks needed, had they overlapped");
	bad |= shot.res.failed != 0;
	shot_free(&shot);
	if (demo_stopped())
		return LESSON_STOPPED;   /* a part of the loop teaches nothing */
	if (ok && serial_s > 2 * together)
		teaches("sleeping tasks need no core each: ten of them finished together in "
			"%.3f s on %u PUs. Joining inside the start loop waits for each child before "
			"starting the next, so the same ten took %.3f s, %.1fx as long.", together,
			d->pus, serial_s, serial_s / (together > 0 ? together : 1));
	else
		teaches("the ten sleeps started together took %.3f s (ideal %s) and the serialized "
			"ones %.3f s: this run does not show the lesson cleanly (%s).", together,
			secs(s, sizeof(s), d->scale), serial_s, demo_why_off(d));
	return bad ? LESSON_FAILED : LESSON_OK;
}

int lesson_args(struct demo *d)
{
	double seconds[10];
	struct demo_run how = { .mode = "fork", .print_done = 1, .fail_index = -1 };
	struct demo_shot shot;
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
	if (run_sleep(d, &how, seconds, 10, &shot))
		return LESSON_FAILED;
	d->headline_s = shot.res.wall_s;
	say("finished in %.3f s", shot.res.wall_s);
	shot_timeline(&shot);
	snprintf(why, sizeof(why), "ten %s sleeps at once", secs(s, sizeof(s), 1.5 * d->scale));
	ideal_vs_measured(shot.res.ideal_s, shot.res.wall_s, why);
	teaches("every child slept its %s: fork() duplicates the parent's memory, so secs is "
		"simply there in the child. That is Python's fork start method too, where "
		"Process(args=...) pickles nothing; spawn and forkserver pickle the arguments for "
		"the new interpreter, and a pool always pickles tasks and results, whatever the "
		"start method, because its workers exist before the task does. bench's process "
		"modes send results back that way: a fixed-size struct task_result, no pointers, "
		"copied through shared memory - the C counterpart of \"picklable\".",
		secs(s, sizeof(s), 1.5 * d->scale));
	return lesson_end(&shot);
}

/* ------------------------------------------------------------------ 6-11: pools */

/* f1.result(), f2.result(): in submission order, as each becomes available. */
static void collect_futures(const struct run_spec *spec, const struct run_result *r,
			    const struct task_result *task, size_t done, void *arg)
{
	struct collector *c = arg;

	if ((size_t)task->index < COLLECT_MAX)
		c->done[task->index] = 1;
	while (c->next < r->ntasks && c->next < COLLECT_MAX && c->done[c->next]) {
		c->handed_ns[c->next] = clock_now_ns();
		say("f%zu.result() -> \"%s\"", c->next + 1, r->results[c->next].message);
		c->next++;
	}
}

int lesson_submit(struct demo *d)
{
	static const double seconds[] = { 1, 1 };
	unsigned w = pool_size(d, d->pus);
	struct collector col = { 0 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = -1,
				.progress = collect_futures, .arg = &col };
	struct demo_shot shot;
	char call[96], why[96], s[32];
	unsigned rounds = rounds_of(2, w);

	tutorial("with ProcessPoolExecutor() as executor: f1 = executor.submit(do_something, 1); "
		 "f2 = executor.submit(do_something, 1); print(f1.result()); print(f2.result()) - "
		 "the function now returns its message: ~1 s.");
	pool_call(d, w, call, sizeof(call));
	codef("/* %s */\n"
	      "for (w = 0; w < %u; w++)\n"
	      "    if (fork() == 0) worker_loop();      /* take a task, run it, report it */\n"
	      "submit(0);                              /* f1 = executor.submit(do_something, 1) */\n"
	      "submit(1);                              /* f2 = executor.submit(do_something, 1) */\n"
	      "wait_for(0);                            /* f1.result(): wait for task 0 */\n"
	      "printf(\"%%s\\n\", results[0].message);   /* copied back from the worker */\n"
	      "wait_for(1);                            /* f2.result() */\n"
	      "printf(\"%%s\\n\", results[1].message);", call, w);
	if (run_sleep(d, &how, seconds, 2, &shot))
		return LESSON_FAILED;
	d->headline_s = shot.res.wall_s;
	shot_timeline(&shot);
	snprintf(why, sizeof(why), "two %s tasks on %u worker%s: %u round%s",
		 secs(s, sizeof(s), d->scale), w, w == 1 ? "" : "s", rounds, rounds == 1 ? "" : "s");
	if (ideal_vs_measured(shot.res.ideal_s, shot.res.wall_s, why) && rounds == 1)
		teaches("a pool runs each submitted function in a worker process and hands back its "
			"return value: the two tasks ran side by side on %u workers, so both results "
			"were there after %.3f s, not two tasks' time; result() waits for its own "
			"task, then copies its result out.", w, shot.res.wall_s);
	else if (rounds > 1)
		teaches("a pool runs each submitted function in a worker process and hands back its "
			"return value; with %u worker the two tasks took turns (%.3f s), where the "
			"tutorial's 4 workers ran them side by side.", w, shot.res.wall_s);
	else
		teaches("a pool runs each submitted function in a worker process and hands back its "
			"return value; the two tasks should have ended together (ideal %.3f s) but "
			"took %.3f s: %s.", shot.res.ideal_s, shot.res.wall_s,
			demo_why_off(d));
	return lesson_end(&shot);
}

int lesson_as_completed(struct demo *d)
{
	double seconds[10];
	unsigned w = pool_size(d, d->pus);
	struct collector col = { 0 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = -1,
				.progress = collect, .arg = &col };
	struct demo_shot shot;
	unsigned rounds = rounds_of(10, w);
	char why[96], s[32], call[96];

	for (size_t i = 0; i < 10; i++)
		seconds[i] = 1;
	tutorial("ten executor.submit(do_something, 1) in a list comprehension; as_completed() "
		 "yields them as they finish: 3 s, not 1 s - the pool had 4 workers, one per core "
		 "of the tutorial's machine.");
	pool_call(d, w, call, sizeof(call));
	codef("/* %s */\n"
	      "for (w = 0; w < %u; w++)\n"
	      "    if (fork() == 0) worker_loop();\n"
	      "for (i = 0; i < 10; i++) submit(i);\n"
	      "while (done < 10) {                      /* as_completed() */\n"
	      "    read(done_pipe, &i, sizeof(i));      /* whichever finishes first */\n"
	      "    printf(\"%%s\\n\", results[i].message);\n"
	      "}", call, w);
	if (run_sleep(d, &how, seconds, 10, &shot))
		return LESSON_FAILED;
	d->headline_s = shot.res.wall_s;
	say_order("completion order", col.order, col.ndone);
	say("pool of %u workers for 10 tasks: ceil(10/%u) = %u round%s", w, w, rounds,
	    rounds == 1 ? "" : "s");
	shot_timeline(&shot);
	snprintf(why, sizeof(why), "%u round%s of %s", rounds, rounds == 1 ? "" : "s",
		 secs(s, sizeof(s), d->scale));
	if (ideal_vs_measured(shot.res.ideal_s, shot.res.wall_s, why))
		teaches("a pool has a fixed number of workers, by default os.process_cpu_count() "
			"(%u here%s): ten tasks on %u workers took %u round%s, %.3f s. Results "
			"arrived as tasks finished.", d->pus,
			d->pool ? ", but this run set its own with --workers" : "", w,
			rounds, rounds == 1 ? "" : "s", shot.res.wall_s);
	else
		teaches("a pool has a fixed number of workers (%u here): ten tasks on %u workers "
			"need %u round%s (ideal %.3f s), but this run took %.3f s: %s.", w, w, rounds,
			rounds == 1 ? "" : "s", shot.res.ideal_s, shot.res.wall_s,
			demo_why_off(d));
	return lesson_end(&shot);
}

static const double five_to_one[] = { 5, 4, 3, 2, 1 };

/* "their durations (unscaled): 2.0 1.0 ..." for lesson 8 */
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

/* Task @i's sleep as run: "0.2 s (1 s unscaled)" under --time-scale, else "1.0 s". */
static const char *task_secs(const struct demo *d, char *buf, size_t len, size_t i)
{
	char a[32], b[32];

	if (d->scale == 1)
		return secs(buf, len, five_to_one[i]);
	snprintf(buf, len, "%s, %s unscaled", secs(a, sizeof(a), five_to_one[i] * d->scale),
		 secs(b, sizeof(b), five_to_one[i]));
	return buf;
}

/* When task 4 (the 1 s one) started, and after which task on its worker. */
static int say_late_start(const struct demo *d, const struct run_result *res, unsigned w)
{
	const struct task_result *t = &res->results[4], *before = NULL;
	double at = ns_to_s(t->start_ns - res->t0_ns);
	char s[48], s4[48];

	for (size_t i = 0; i < 4; i++) {
		const struct task_result *o = &res->results[i];

		if (o->worker == t->worker && o->end_ns <= t->start_ns &&
		    (!before || o->end_ns > before->end_ns))
			before = o;
	}
	/* the times beside them are scaled: so are the durations */
	task_secs(d, s4, sizeof(s4), 4);
	if (at > 0.5 * d->scale && before) {
		say("task 4 (%s) waited for a free worker: it started at %.3f s, when task %d "
		    "(%s) freed worker %d", s4, at, before->index,
		    task_secs(d, s, sizeof(s), (size_t)before->index), t->worker);
		return 1;
	}
	say("task 4 (%s) started at %.3f s: %u workers, no wait", s4, at, w);
	return 0;
}

/* 1: the tasks finished in the order they were submitted. */
static int in_submission_order(const size_t *order, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (order[i] != i)
			return 0;
	return 1;
}

int lesson_completion_order(struct demo *d)
{
	unsigned w = pool_size(d, TUTORIAL_WORKERS);
	struct collector col = { 0 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = -1,
				.progress = collect, .arg = &col };
	struct demo_shot shot;
	int waited;

	tutorial("secs = [5, 4, 3, 2, 1], one submit each, results printed with as_completed(): "
		 "in finishing order; with 4 workers the 1 s task starts only when the 2 s one "
		 "frees a worker. Total ~5 s.");
	codef("ProcessPoolExecutor(max_workers=%u);   /* %s */\n"
	      "double secs[] = { 5, 4, 3, 2, 1 };\n"
	      "for (i = 0; i < 5; i++) submit(i);       /* task i sleeps secs[i] */\n"
	      "while (done < 5) {                       /* as_completed() */\n"
	      "    read(done_pipe, &i, sizeof(i));\n"
	      "    printf(\"%%s\\n\", results[i].message);\n"
	      "}", w, d->pool ? "--workers" : "the tutorial's 4 cores; --workers to change");
	if (run_sleep(d, &how, five_to_one, 5, &shot))
		return LESSON_FAILED;
	d->headline_s = shot.res.wall_s;
	say_order("completion order", col.order, col.ndone);
	say_durations(&col);
	waited = say_late_start(d, &shot.res, w);
	shot_timeline(&shot);
	ideal_vs_measured(shot.res.ideal_s, shot.res.wall_s, "the tasks' durations, scaled, "
			  "on the pool's workers");
	if (in_submission_order(col.order, col.ndone))
		teaches("as_completed() hands out results in the order tasks finish, but with %u "
			"worker%s the tasks here also finished in the order they were submitted "
			"(%s), so the two orders are the same in this run; with more workers the "
			"short tasks finish first.", w, w == 1 ? "" : "s",
			w == 1 ? "one after another" : "the long ones had started first");
	else
		teaches("as_completed() hands out results in the order tasks finish, not the order "
			"they were submitted: task %zu came first and task %zu last%s",
			col.ndone ? col.order[0] : 0, col.ndone ? col.order[col.ndone - 1] : 0,
			waited ? "; the shortest task waited for a free worker, so it finished later "
				 "than its length alone says." : ".");
	return lesson_end(&shot);
}

int lesson_map(struct demo *d)
{
	unsigned w = pool_size(d, TUTORIAL_WORKERS);
	struct collector col = { .map = 1 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = -1,
				.progress = collect, .arg = &col };
	struct demo_shot shot;
	size_t returned[5], last = 0, held = 0;
	double held_s = 0;
	char s[32];

	tutorial("results = executor.map(do_something, secs) with secs = [5, 4, 3, 2, 1]: "
		 "results come back in submission order (5, 4, 3, 2, 1) though they finish in "
		 "another order. ~5 s.");
	codef("ProcessPoolExecutor(max_workers=%u);\n"
	      "for (i = 0; i < 5; i++) submit(i);\n"
	      "for (next = 0; next < 5; next++) {      /* map(): in submission order */\n"
	      "    while (!finished[next])\n"
	      "        read(done_pipe, &i, sizeof(i)), finished[i] = 1;\n"
	      "    printf(\"%%s\\n\", results[next].message);\n"
	      "}", w);
	if (run_sleep(d, &how, five_to_one, 5, &shot))
		return LESSON_FAILED;
	d->headline_s = shot.res.wall_s;
	for (size_t i = 0; i < col.next && i < 5; i++)
		returned[i] = i;
	say_order("finished in this order", col.order, col.ndone);
	say_order("map returned", returned, col.next);
	show("  task  sleeps (unscaled)  finished  map() handed it over");
	for (size_t i = 0; i < col.next && i < 5; i++) {
		const struct task_result *t = &shot.res.results[i];
		double fin = ns_to_s(t->end_ns - shot.res.t0_ns);
		double hand = ns_to_s(col.handed_ns[i] - shot.res.t0_ns);

		show("  %4zu  %17s  %6.3f s  %6.3f s", i, secs(s, sizeof(s), five_to_one[i]), fin, hand);
		if (hand - fin > held_s) {
			held_s = hand - fin;
			held = i;
		}
		if (t->end_ns > shot.res.results[last].end_ns)
			last = i;
	}
	shot_timeline(&shot);
	ideal_vs_measured(shot.res.ideal_s, shot.res.wall_s, "the longest task, 5 s, scaled");
	if (in_submission_order(col.order, col.ndone))
		teaches("map() returns results in the order the tasks were submitted; with %u "
			"worker%s they also finished in that order here, so each result was handed "
			"over as soon as it was ready (at most %.3f s later): completion and "
			"hand-over are two different times only when a later task finishes first, "
			"as it does with more workers.", w, w == 1 ? "" : "s", held_s);
	else
		teaches("map() returns results in the order the tasks were submitted, so a result's "
			"completion and its hand-over are two different times: task %zu finished last "
			"(%.3f s) and task %zu's result, ready at %.3f s, was handed over only %.3f s "
			"later, after the results before it.", last,
			ns_to_s(shot.res.results[last].end_ns - shot.res.t0_ns), held,
			ns_to_s(shot.res.results[held].end_ns - shot.res.t0_ns), held_s);
	return lesson_end(&shot);
}

int lesson_exceptions(struct demo *d)
{
	static const double seconds[] = { 1, 1, 0.25, 1 };
	unsigned w = pool_size(d, TUTORIAL_WORKERS);
	struct collector col = { .map = 1, .raised_index = -1 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = 2,
				.progress = collect, .arg = &col };
	struct demo_shot shot;
	const struct task_result *bad;
	char s2[32];
	int ok, late;

	tutorial("an exception raised inside a task is raised in the caller only when its "
		 "result is retrieved from the iterator.");
	codef("int do_something(double s, struct result *r)\n"
	     "{                                        /* C has no exceptions: */\n"
	     "    ...                                  /* task 2 fails after %-6s */\n"
	     "    snprintf(r->message, ..., \"ValueError: ...\");\n"
	     "    return -EINVAL;                      /* an error code, not a raise */\n"
	     "}\n"
	     "for (i = 0; i < 4; i++) submit(i);      /* the pool stores status + message */\n"
	     "for (next = 0; next < 4; next++) {      /* map() */\n"
	     "    wait_for(next);\n"
	     "    if (results[next].status != TASK_OK)  /* where Python would raise */\n"
	     "        goto raised;                      /* leaves the loop */\n"
	     "    printf(\"%%s\\n\", results[next].message);\n"
	     "}", secs(s2, sizeof(s2), 0.25 * d->scale));
	if (run_sleep(d, &how, seconds, 4, &shot))
		return LESSON_FAILED;
	d->headline_s = -1;
	bad = &shot.res.results[2];
	/* the error waits only if the loop was still collecting tasks 0 and 1 */
	late = shot.res.results[0].end_ns > bad->end_ns || shot.res.results[1].end_ns > bad->end_ns;
	if (col.raised && late)
		say("the error happened inside task 2 at %.3f s but surfaced only at %.3f s, "
		    "when the loop reached task 2", ns_to_s(bad->end_ns - shot.res.t0_ns),
		    ns_to_s(col.raised_ns - shot.res.t0_ns));
	else if (col.raised)
		say("the error happened inside task 2 at %.3f s and surfaced at %.3f s: with %u "
		    "worker%s task 2 started only at %.3f s and failed after tasks 0 and 1 had "
		    "finished (%.3f s and %.3f s), so the loop had collected them and was already "
		    "waiting for it", ns_to_s(bad->end_ns - shot.res.t0_ns),
		    ns_to_s(col.raised_ns - shot.res.t0_ns), w, w == 1 ? "" : "s",
		    ns_to_s(bad->start_ns - shot.res.t0_ns),
		    ns_to_s(shot.res.results[0].end_ns - shot.res.t0_ns),
		    ns_to_s(shot.res.results[1].end_ns - shot.res.t0_ns));
	say("the loop stopped there: %zu result%s printed, task 3 ran (%s) but its result "
	    "was never read", col.next, col.next == 1 ? "" : "s",
	    task_status_name(shot.res.results[3].status));
	say("run status: %s (%zu of %zu tasks failed), so `bench` would exit with status 1",
	    run_status_name(shot.res.status), shot.res.failed, shot.res.ntasks);
	shot_timeline(&shot);
	ideal_vs_measured(shot.res.ideal_s, shot.res.wall_s, "the longest task");
	ok = col.raised && col.raised_index == 2 && shot.res.status == RUN_FAILED &&
	     shot.res.failed == 1;
	if (ok) {
		char when[320];

		if (late)
			snprintf(when, sizeof(when), " - here at %.3f s, after tasks 0 and 1, though "
				 "the task failed at %.3f s", ns_to_s(col.raised_ns - shot.res.t0_ns),
				 ns_to_s(bad->end_ns - shot.res.t0_ns));
		else
			snprintf(when, sizeof(when), ". With %u worker%s task 2 failed after tasks 0 "
				 "and 1 had finished, so the loop was already waiting for it and the "
				 "error surfaced at once (%.3f s); a task that fails before the ones "
				 "submitted ahead of it finish waits for them to be collected", w,
				 w == 1 ? "" : "s", ns_to_s(col.raised_ns - shot.res.t0_ns));
		teaches("C has no exceptions: what stands in for one is the task's return value "
			"(-EINVAL) and its message, which the pool stores in the task's result "
			"record (status failed). A failing task does not stop the pool; the caller "
			"sees the error when it collects that result%s.", when);
	}
	shot_free(&shot);
	if (demo_stopped())
		return LESSON_STOPPED;
	return ok ? LESSON_OK : LESSON_FAILED;
}

int lesson_with(struct demo *d)
{
	double seconds[6];
	unsigned w = pool_size(d, TUTORIAL_WORKERS);
	struct collector col = { .quiet = 1 };
	struct demo_run how = { .mode = "procpool", .workers = w, .fail_index = -1,
				.progress = collect, .arg = &col };
	struct demo_shot shot;
	char why[64];

	for (size_t i = 0; i < 6; i++)
		seconds[i] = 1;
	tutorial("even without reading any result, leaving the with block waits for every "
		 "task (executor.shutdown(wait=True)).");
	codef("for (i = 0; i < 6; i++) submit(i);      /* no result is ever read */\n"
	      "for (w = 0; w < %u; w++)                 /* end of the with block */\n"
	      "    waitpid(worker[w], NULL, 0);        /* workers exit when the queue is empty */",
	      w);
	if (run_sleep(d, &how, seconds, 6, &shot))
		return LESSON_FAILED;
	d->headline_s = shot.res.wall_s;
	say("left the with block at %.3f s: %zu of %zu tasks had finished, though no result "
	    "was read", shot.res.wall_s, shot.res.completed, shot.res.ntasks);
	shot_timeline(&shot);
	snprintf(why, sizeof(why), "6 tasks on %u workers", w);
	ideal_vs_measured(shot.res.ideal_s, shot.res.wall_s, why);
	teaches("the end of the with block joins the pool: it returned at %.3f s, when %zu of "
		"%zu submitted tasks had run, so nothing is lost and no worker is left behind.",
		shot.res.wall_s, shot.res.completed, shot.res.ntasks);
	return lesson_end(&shot);
}
