/*
 * demo — the driver of `bench demo`: which lessons, in what order, the
 * class's controls between them, the results CSV and the handout.
 * The lessons are in demo_basics.c, demo_photos.c and demo_more.c.
 */
#include "bench/classroom/demo.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/classroom/demo_handout.h"
#include "bench/classroom/demo_lessons.h"
#include "bench/classroom/demo_live.h"
#include "bench/core/cli.h"
#include "bench/sys/machine.h"
#include "bench/api/path.h"
#include "bench/sys/pin.h"
#include "bench/data/record.h"
#include "bench/sys/message.h"

#define EXIT_USAGE 2

struct lesson {
	const char *name;
	const char *title;
	int (*run)(struct demo *d);
	/* --ask: the question before the run; NULL: no time to predict */
	const char *predict;
	int unscaled;              /* the photos take what they take: no --time-scale */
};

static const struct lesson lessons[] = {
	{ "sequential", "do_something() twice: the times add up", lesson_sequential,
	  "how long will two calls of do_something() take", 0 },
	{ "no-join", "two processes started, never joined: the parent finishes first",
	  lesson_no_join, "when will the parent say it has finished", 0 },
	{ "join", "start + join: two tasks side by side", lesson_join,
	  "how long will the two processes take, joined", 0 },
	{ "loop", "ten processes in a loop; joining inside the loop serializes", lesson_loop,
	  "how long will ten processes started in a loop take", 0 },
	{ "args", "arguments reach a process as copies", lesson_args,
	  "how long will ten processes of 1.5 s each take", 0 },
	{ "submit", "a process pool: submit() twice, result() twice", lesson_submit,
	  "how long until both results are there", 0 },
	{ "as-completed", "ten tasks on a pool of os.process_cpu_count() workers",
	  lesson_as_completed, "how long will ten 1 s tasks take on the pool", 0 },
	{ "completion-order", "5,4,3,2,1 s: results in finishing order", lesson_completion_order,
	  "how long will the five tasks take", 0 },
	{ "map", "map(): results in submission order; finished and handed over", lesson_map,
	  "how long until map() has returned everything", 0 },
	{ "exceptions", "a task's error surfaces when its result is collected",
	  lesson_exceptions, NULL, 0 },
	{ "with", "leaving the with block waits for every task", lesson_with,
	  "how long until the with block is left", 0 },
	{ "images-seq", "the photo pipeline, one image after another", lesson_images_seq,
	  "how long will the photos take, one after another", 1 },
	{ "images-procpool", "the photo pipeline on a process pool", lesson_images_procpool,
	  "how long will the photos take on a process pool", 1 },
	{ "images-threadpool", "the photo pipeline on a thread pool, and under a GIL",
	  lesson_images_threadpool, "how long will the photos take on a thread pool", 1 },
	{ "rule", "threads for I/O, processes for CPU? more workers than PUs, measured",
	  lesson_rule, NULL, 0 },
	{ "gil", "a simulated GIL: cpu, sleep and the photos under gil and pthread", lesson_gil,
	  NULL, 0 },
	{ "race", "threads lose counter++ updates; an atomic and a mutex fix it", lesson_race,
	  NULL, 0 },
	{ "cow", "copy-on-write: a child's change is invisible to its parent", lesson_cow,
	  NULL, 0 },
	{ "overhead", "what a thread, a process and a task through a pool cost", lesson_overhead,
	  NULL, 0 },
	{ "task-size", "where parallelism stops paying: small tasks", lesson_task_size,
	  NULL, 0 },
	{ "amdahl", "Amdahl's law: a workers sweep against the serial part", lesson_amdahl,
	  NULL, 0 },
};

#define NLESSONS (sizeof(lessons) / sizeof(lessons[0]))

static void list_lessons(void)
{
	for (size_t i = 0; i < NLESSONS; i++)
		printf("  %2zu  %-18s %s\n", i + 1, lessons[i].name, lessons[i].title);
}

/* A lesson by number ("7") or short name ("map"); -1 when unknown. */
static long find_lesson(const char *arg, size_t len)
{
	char buf[64], err[160];
	long n;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, arg, len);
	buf[len] = '\0';
	/* a number by the one rule of every option (no ' 7', '+7' or '0x7') */
	if (buf[0] >= '0' && buf[0] <= '9')
		return cli_parse_long("demo", buf, 1, (long)NLESSONS, &n, err, sizeof(err)) ? -1 : n - 1;
	for (size_t i = 0; i < NLESSONS; i++)
		if (!strcmp(buf, lessons[i].name))
			return (long)i;
	return -1;
}

/* "7", "map", "7-" (7 to the end), "7-9", "map-with": append to @sel. */
static int select_lessons(const char *arg, long *sel, size_t *n)
{
	const char *dash = NULL;
	long from, to;

	/* a name may hold a dash ("no-join"): a range only if the whole does not name one */
	if (find_lesson(arg, strlen(arg)) >= 0) {
		from = to = find_lesson(arg, strlen(arg));
	} else {
		for (const char *p = arg; *p && !dash; p++)
			if (*p == '-' && find_lesson(arg, (size_t)(p - arg)) >= 0 &&
			    (!p[1] || find_lesson(p + 1, strlen(p + 1)) >= 0))
				dash = p;
		if (!dash) {
			error("demo: unknown lesson '%s' (see bench demo --list; "
				"N- runs lesson N and those after it)", arg);
			return -EINVAL;
		}
		from = find_lesson(arg, (size_t)(dash - arg));
		to = dash[1] ? find_lesson(dash + 1, strlen(dash + 1)) : (long)NLESSONS - 1;
		if (to < from) {
			error("demo: lesson range '%s' runs backwards", arg);
			return -EINVAL;
		}
	}
	for (long k = from; k <= to && *n < NLESSONS * 2; k++)
		sel[(*n)++] = k;
	return 0;
}

/* ------------------------------------------------------------------ Ctrl-C */

static volatile sig_atomic_t in_lesson, quit_after, back_to_prompt, at_prompt, quit_at_prompt;

static void on_signal(int signo)
{
	/* what happens next: the prompt (a class at a terminal), or the end */
	static const char prompt[] =
		"\nbench: demo: stopping this lesson (its rows are kept); Ctrl-C again to quit\n";
	static const char quits[] =
		"\nbench: demo: stopping this lesson (its rows are kept), then quitting\n";
	int back;

	/* at the prompt: quit as q does (the handout's index and the CSV are finished),
	 * with the signal's status; the read the prompt waits in returns EINTR */
	if (at_prompt && !in_lesson) {
		quit_at_prompt = signo;
		return;
	}
	if (!in_lesson || run_stop_signal())
		_exit(128 + signo);   /* children die with us (PR_SET_PDEATHSIG) */
	if (signo == SIGTERM)
		quit_after = 1;
	back = back_to_prompt && !quit_after;
	run_request_stop(signo);
	if (write(STDERR_FILENO, back ? prompt : quits, (back ? sizeof(prompt) : sizeof(quits)) - 1) < 0) {
		/* nothing to do in a handler */
	}
}

static void install_signals(void)
{
	struct sigaction sa;

	run_stop_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;   /* no SA_RESTART: waits return EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* ------------------------------------------------------------------ --ask */

struct ask {
	int enabled;
	double scale;              /* --time-scale: the run is that much shorter */
	const char *question;      /* this lesson's, NULL: none */
	int asked;
	int have;
	double predicted_s;
};

/* After the lesson's code, before its run: ask the class. */
static void ask_now(void *arg)
{
	struct ask *a = arg;
	char line[64], *end;
	double v;

	if (!a->enabled || !a->question || a->asked)
		return;
	a->asked = 1;
	if (a->scale != 1)
		printf("predict: %s, at full scale (the run is scaled by %g)? seconds (Enter to "
		       "skip): ", a->question, a->scale);
	else
		printf("predict: %s? seconds (Enter to skip): ", a->question);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin)) {
		printf("\n");
		return;
	}
	if (!isatty(STDIN_FILENO))
		printf("%s", line[0] && line[strlen(line) - 1] == '\n' ? line : "\n");
	v = strtod(line, &end);
	while (*end == ' ' || *end == '\n' || *end == 's')
		end++;
	if (end != line && !*end && v >= 0) {
		a->have = 1;
		a->predicted_s = v;
	} else if (line[0] != '\n') {
		printf("(not a number of seconds: no prediction)\n");
	}
}

static void ask_compare(const struct ask *a, double measured_s)
{
	if (!a->have)
		return;
	/* the prediction is at full scale: compare it with the run brought back to it */
	if (measured_s > 0 && a->scale > 0 && a->scale != 1) {
		show("prediction: %g s at full scale; measured %.3f s at scale %g, about %.3f s at "
		     "full scale: %s by %.0f %%", a->predicted_s, measured_s, a->scale,
		     measured_s / a->scale, a->predicted_s > measured_s / a->scale ? "over" : "under",
		     100 * fabs(a->predicted_s - measured_s / a->scale) / (measured_s / a->scale));
		return;
	}
	if (measured_s < 0) {
		show("prediction: %g s; this lesson has no single time to compare it with",
		     a->predicted_s);
		return;
	}
	show("prediction: %g s, measured %.3f s: %s by %.0f %%", a->predicted_s, measured_s,
	     a->predicted_s > measured_s ? "over" : "under",
	     measured_s > 0 ? 100 * (a->predicted_s > measured_s ? a->predicted_s - measured_s
				     : measured_s - a->predicted_s) / measured_s : 0);
}

/* ------------------------------------------------------------------ prompt */

enum next { NEXT_GO, NEXT_AGAIN, NEXT_QUIT };

static enum next prompt(const struct lesson *done, long done_no, const struct lesson *next,
			long next_no)
{
	char line[64];
	int got;

	/* before the prompt shows: a Ctrl-C the moment it does quits as q does */
	at_prompt = 1;
	if (next)
		printf("\n-- Enter: lesson %ld (%s), r: lesson %ld again, q: quit -- ", next_no + 1,
		       next->name, done_no + 1);
	else
		printf("\n-- r: lesson %ld (%s) again, Enter or q: finish -- ", done_no + 1,
		       done->name);
	fflush(stdout);
	got = !quit_at_prompt && fgets(line, sizeof(line), stdin);
	at_prompt = 0;
	if (quit_at_prompt)
		printf("\n");   /* Ctrl-C at the prompt: its line ends, then the demo */
	if (!got || quit_at_prompt)
		return NEXT_QUIT;
	if (line[0] == 'r' || line[0] == 'R')
		return NEXT_AGAIN;
	if (line[0] == 'q' || line[0] == 'Q' || !next)
		return NEXT_QUIT;
	return NEXT_GO;
}

/* ------------------------------------------------------------------ the run */

struct session {
	struct demo d;
	struct machine m;
	struct recorder rec;
	int recording;
	char context[512];
	struct handout_lesson pages[NLESSONS * 2];
	char files[NLESSONS * 2][64];
	size_t npages;
	int handout_failed;
	struct plot_set plots;     /* the handout's charts */
	const char *no_plots;      /* NULL: charts drawn; else why not */
	char pool_title[96];       /* lesson 7's title with --workers */
};

/* A lesson's title; lesson 7's follows --workers, the pool it actually uses. */
static const char *lesson_title(struct session *s, const struct lesson *l)
{
	if (l->run != lesson_as_completed || !s->d.pool)
		return l->title;
	snprintf(s->pool_title, sizeof(s->pool_title), "ten tasks on a pool of %u worker%s "
		 "(--workers)", s->d.pool, s->d.pool == 1 ? "" : "s");
	return s->pool_title;
}

static int open_results(struct session *s, const struct config *cfg)
{
	char csv[4096], err[1024];
	int rc;

	if (cfg->csv) {
		snprintf(csv, sizeof(csv), "%s", cfg->csv);
	} else {
		rc = path_mkdir_p(cfg->results);
		if (rc) {
			error("demo: cannot create results folder %s: %s",
				cfg->results, strerror(-rc));
			return rc;
		}
		record_default_path(csv, sizeof(csv), cfg->results, s->m.host);
	}
	if (record_open(&s->rec, csv, &s->m, err, sizeof(err))) {
		error("demo: %s", err);
		return -EIO;
	}
	s->recording = 1;
	s->d.rec = &s->rec;
	return 0;
}

static void make_context(struct session *s, const struct config *cfg)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	snprintf(s->context, sizeof(s->context), "Measured by bench %s on %s (%s, %u PUs usable), "
		 "%s, time scale %g.", s->m.bench_version, s->m.host, s->m.cpu_model,
		 s->m.usable_pus, when, s->d.scale);
}

static void write_page(struct session *s, const struct config *cfg, long k, int rc,
		       const struct demo_page *page)
{
	struct handout_lesson *h;
	size_t slot = s->npages;

	if (!cfg->handout)
		return;
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i].number == k + 1)
			slot = i;   /* a rerun replaces its page */
	if (slot >= NLESSONS * 2)
		return;
	h = &s->pages[slot];
	*h = (struct handout_lesson){ (int)k + 1, lessons[k].name, lesson_title(s, &lessons[k]),
		rc == LESSON_STOPPED ? "Stopped by Ctrl-C before it finished" :
		rc == LESSON_FAILED ? "Did not run as it should (see the numbers)" :
		rc == LESSON_SKIPPED ? "Skipped here" : NULL };
	if (handout_page(cfg->handout, h, page, s->context, s->no_plots ? NULL : &s->plots,
			 s->no_plots, s->files[slot], sizeof(s->files[slot])))
		s->handout_failed = 1;
	else if (slot == s->npages)
		s->npages++;
}

/* Run lesson @k once; its status. */
static int run_lesson(struct session *s, const struct config *cfg, long k, int first)
{
	const struct lesson *l = &lessons[k];
	struct demo_page page = { 0 };
	struct ask a = { .enabled = cfg->ask, .scale = l->unscaled ? 1 : s->d.scale,
			 .question = l->predict };
	int rc;

	printf("%s== lesson %ld: %s - %s ==\n", first ? "" : "\n", k + 1, l->name,
	       lesson_title(s, l));
	s->d.lesson = (int)k + 1;
	s->d.headline_s = -1;
	s->d.load_known = s->d.contended = 0;
	s->d.others_pus = 0;
	show_capture(&page);
	show_after_code(ask_now, &a);
	in_lesson = 1;
	rc = l->run(&s->d);
	in_lesson = 0;
	if (demo_stopped())
		rc = LESSON_STOPPED;
	if (s->d.contended)
		paraf("note:     ", "the machine was busy during this lesson: other programs took "
		      "up to %.1f of its %u PUs in a run, so its times are not clean.",
		      s->d.others_pus, s->d.pus);
	ask_compare(&a, s->d.headline_s);
	show_after_code(NULL, NULL);
	show_capture(NULL);
	write_page(s, cfg, k, rc, &page);
	demo_page_free(&page);
	if (rc == LESSON_FAILED)
		printf("lesson %ld did not run as it should (see the messages above)\n", k + 1);
	else if (rc == LESSON_STOPPED)
		printf("lesson %ld stopped by Ctrl-C: the runs it made are in %s\n", k + 1,
		       s->recording ? s->rec.runs_path : "no file (not recording)");
	return rc;
}

int demo_main(const struct config *cfg)
{
	static struct session s;
	long sel[NLESSONS * 2];
	size_t n = 0;
	int interactive, failed = 0, stopped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (cfg->list) {
		printf("bench demo: the tutorial's lessons, in C (bench demo N, NAME or N- runs "
		       "them)\n");
		list_lessons();
		return 0;
	}
	for (size_t i = 0; i < cfg->nargs; i++)
		if (select_lessons(cfg->args[i], sel, &n))
			return EXIT_USAGE;
	if (!cfg->nargs)
		for (size_t i = 0; i < NLESSONS; i++)
			sel[n++] = (long)i;
	if (cfg->handout) {
		int rc = path_mkdir_p(cfg->handout);

		if (rc) {
			error("demo: cannot create handout folder %s: %s",
				cfg->handout, strerror(-rc));
			return EXIT_USAGE;
		}
	}
	memset(&s, 0, sizeof(s));
	s.d.cfg = cfg;
	s.d.scale = cfg->time_scale > 0 ? cfg->time_scale : 1;
	s.d.pus = pin_usable_pus();
	s.d.pool = cfg->nworkers >= 1 ? cfg->workers[0] : 0;
	machine_probe(&s.m);
	if (open_results(&s, cfg))
		return EXIT_USAGE;
	make_context(&s, cfg);
	if (cfg->handout) {
		s.no_plots = plot_unavailable();
		if (!s.no_plots && plot_begin(&s.plots, cfg->handout))
			s.no_plots = "the chart drawer could not start (said on stderr)";
		else if (s.no_plots)
			warning("demo: the handout's pages have no charts: %s", s.no_plots);
	}
	show_init();
	if (live_init(isatty(STDOUT_FILENO) && !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"))))
		error("demo: no live view (out of memory)");
	interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && !cfg->no_pause;
	back_to_prompt = interactive;
	install_signals();

	for (size_t i = 0; i < n; i++) {
		enum next next = NEXT_GO;
		int rc;

		do {
			rc = run_lesson(&s, cfg, sel[i], i == 0 && next == NEXT_GO);
			failed |= rc == LESSON_FAILED;
			if (rc == LESSON_STOPPED) {
				stopped = 1;
				run_stop_reset();
				if (!interactive || quit_after)
					goto out;
			}
			next = NEXT_GO;
			if (interactive && (i + 1 < n || rc == LESSON_STOPPED))
				next = prompt(&lessons[sel[i]], sel[i],
					      i + 1 < n ? &lessons[sel[i + 1]] : NULL,
					      i + 1 < n ? sel[i + 1] : 0);
			if (next == NEXT_QUIT)
				goto out;
		} while (next == NEXT_AGAIN);
	}
out:
	images_release(&s.d);
	live_fini();
	if (cfg->handout && s.npages &&
	    handout_index(cfg->handout, s.pages, s.files, s.npages, s.context))
		s.handout_failed = 1;
	if (cfg->handout && s.npages)
		printf("\nhandout: %zu page%s and %zu chart%s in %s (index.md lists them)\n",
		       s.npages, s.npages == 1 ? "" : "s", s.plots.nmade,
		       s.plots.nmade == 1 ? "" : "s", cfg->handout);
	if (cfg->handout && !s.no_plots)
		plot_end(&s.plots);
	if (s.recording) {
		printf("runs:  %s\ntasks: %s\n", s.rec.runs_path, s.rec.tasks_path);
		record_close(&s.rec);
	}
	pin_fini();
	if (quit_at_prompt)
		return 128 + quit_at_prompt;
	if (stopped && (!interactive || quit_after))
		return 128 + (quit_after ? SIGTERM : SIGINT);
	return failed || s.handout_failed ? 1 : 0;
}
