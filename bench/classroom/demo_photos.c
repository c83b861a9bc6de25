/*
 * demo_photos — lessons 12-16: the tutorial's photos on processes and
 * threads, the rule of thumb, and the simulated GIL that explains them.
 */
#include "bench/classroom/demo_lessons.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/api/clock.h"
#include "bench/core/registry.h"
#include "bench/analysis/stats.h"
#include "bench/analysis/summary.h"
#include "bench/analysis/verdict.h"
#include "bench/core/options.h"
#include "bench/sys/message.h"

#define IO_SHARE_SMALL 0.05    /* file I/O below this share of a task: not the reason */
#define SCALES 1.2             /* a speedup above this: it scaled */

int images_ready(struct demo *d)
{
	const struct workload *w = registry_workload("images");
	char err[1024] = "";
	struct config c;
	int rc;

	if (d->images_state)
		return 0;
	if (!w) {
		show("skipped: the images workload is not in this build");
		return LESSON_SKIPPED;
	}
	if (w->unavailable) {
		show("skipped: the images workload is not available here: %s", w->unavailable);
		return LESSON_SKIPPED;
	}
	c = *d->cfg;
	c.tasks = -1;
	options_unset(&c, "--seconds");
	rc = w->prepare(&c, &d->images_state, &d->images_n, err, sizeof(err));
	if (rc) {
		error("demo: images: %s", err[0] ? err : strerror(-rc));
		d->images_state = NULL;
		return LESSON_FAILED;
	}
	d->images = w;
	return 0;
}

void images_release(struct demo *d)
{
	if (d->images && d->images->finish && d->images_state)
		d->images->finish(d->images_state);
	d->images_state = NULL;
}

static int images_run(struct demo *d, const char *mode, unsigned workers, int silent,
		      struct demo_shot *shot)
{
	struct collector col = { 0 };
	struct demo_run how = { .mode = mode, .workers = workers, .fail_index = -1,
				.silent = silent, .progress = silent ? NULL : collect,
				.arg = &col };
	int rc = images_ready(d);

	if (rc)
		return rc;
	if (demo_execute(d, &how, d->images, d->images_state, d->images_n, shot))
		return LESSON_FAILED;
	return 0;
}

/* The tutorial's words and code, one run, and its numbers; @shot kept. */
static int images_lesson(struct demo *d, const char *mode, unsigned workers, const char *text,
			 const char *sequence, struct demo_shot *shot)
{
	unsigned used = workers < d->pus ? workers : d->pus;
	char why[64];
	int rc;

	tutorial(text);
	code(sequence);
	rc = images_run(d, mode, workers, 0, shot);
	if (rc)
		return rc;
	d->headline_s = shot->res.wall_s;
	say("processed %zu images in %.3f s", shot->res.completed, shot->res.wall_s);
	shot_timeline(shot);
	snprintf(why, sizeof(why), "each image's CPU time, on %u worker%s", used,
		 used == 1 ? "" : "s");
	ideal_vs_measured(shot->res.ideal_s, shot->res.wall_s, why);
	if (d->images_seq_s > 0 && !shot->spec.mode->baseline)
		say("%.2fx the speed of lesson 12's sequential loop (%.3f s)",
		    d->images_seq_s / shot->res.wall_s, d->images_seq_s);
	return 0;
}

static double task_sum_s(const struct run_result *r)
{
	double s = 0;

	for (size_t i = 0; i < r->ntasks; i++)
		if (r->results[i].end_ns > r->results[i].start_ns)
			s += ns_to_s(r->results[i].end_ns - r->results[i].start_ns);
	return s;
}

int lesson_images_seq(struct demo *d)
{
	struct demo_shot shot;
	int rc = images_lesson(d, "seq", 1,
		"15 high-resolution photos, one after the other: open, GaussianBlur(15), "
		"thumbnail((1200, 1200)), save to processed/ - 22 s.",
		"for (i = 0; i < n; i++)\n"
		"    process_image(names[i]);   /* read, decode, blur, resize, encode, write */",
		&shot);

	if (rc)
		return rc;
	d->images_seq_s = shot.res.wall_s;
	teaches("one image at a time: the %zu images' own times add up to %.3f s, and the loop "
		"took %.3f s.", shot.res.ntasks, task_sum_s(&shot.res), shot.res.wall_s);
	return lesson_end(&shot);
}

int lesson_images_procpool(struct demo *d)
{
	unsigned w = pool_size(d, d->pus), bound = w < d->pus ? w : d->pus;
	struct demo_shot shot;
	double sp;
	int rc = images_lesson(d, "procpool", w,
		"the loop body becomes process_image(name), run with executor.map(process_image, "
		"names) on a ProcessPoolExecutor - 7 s.",
		"for (w = 0; w < nworkers; w++)\n"
		"    if (fork() == 0) worker_loop();   /* each runs process_image(i) */\n"
		"map(process_image, names);            /* results in submission order */",
		&shot);

	if (rc)
		return rc;
	d->images_proc_s = shot.res.wall_s;
	sp = d->images_seq_s > 0 ? d->images_seq_s / shot.res.wall_s : -1;
	if (sp < 0)
		teaches("processes decode and blur different images on different PUs at the same "
			"time; with %u workers on %u PUs the speedup is bounded by %u (run lesson 12 "
			"first to measure it).", w, d->pus, bound);
	else if (sp > SCALES)
		teaches("processes decoded and blurred different images on different PUs at the "
			"same time: %.2fx lesson 12's speed with %u workers on %u PUs, where %u is "
			"the bound.", sp, w, d->pus, bound);
	else
		teaches("processes should decode and blur different images on different PUs at "
			"once (bound: %ux), but this run reached %.2fx: %s.", bound, sp,
			bound > 1 ? demo_why_off(d) : "one PU leaves nothing to share");
	return lesson_end(&shot);
}

/* The tasks' time per stage, summed; the total. */
static double stage_sums(const struct run_result *r, double *sum)
{
	double total = 0;

	for (size_t s = 0; s < NSTAGES; s++)
		sum[s] = 0;
	for (size_t i = 0; i < r->ntasks; i++)
		for (size_t s = 0; s < NSTAGES; s++) {
			sum[s] += r->results[i].stage_s[s];
			total += r->results[i].stage_s[s];
		}
	return total;
}

/* A config for the contrast workloads, sized by --time-scale. */
static struct config contrast_config(const struct demo *d, size_t ntasks, double sleep_s)
{
	struct config c = *d->cfg;
	double io_mb = option_real(d->cfg, "--io-mb"), mb = io_mb * d->scale;
	double scaled = sleep_s * d->scale;

	c.tasks = (long)ntasks;
	options_set_reals(&c, "--seconds", &scaled, 1);
	c.workloads[0] = "sleep";   /* --seconds is meant for sleep */
	c.nworkloads = 1;
	/* one unit of cpu work is ~0.05 s: a task of ~sleep_s seconds, at least 0.02 s */
	options_set_real(&c, "--work", fmax(0.4, 20 * sleep_s * d->scale));
	options_set_real(&c, "--io-mb", fmin(io_mb, fmax(1, mb)));
	return c;
}

/* CPU seconds used per wall second: above 1 only if work overlapped. */
static double cpu_per_wall(const struct run_result *r)
{
	return r->wall_s > 0 ? (r->user_s + r->sys_s) / r->wall_s : 0;
}

static double speedup(const struct demo_shot *base, const struct demo_shot *s)
{
	return base->res.wall_s > 0 && s->res.wall_s > 0 ? base->res.wall_s / s->res.wall_s : 0;
}

int lesson_images_threadpool(struct demo *d)
{
	unsigned w = pool_size(d, d->pus);
	struct demo_shot thr, gil_img, seq_img, seq_cpu, gil_cpu;
	const struct demo_shot *axis[3] = { &thr, &gil_img, &gil_cpu };
	struct demo_run quiet = { .mode = "seq", .workers = 1, .silent = 1, .fail_index = -1 };
	struct config c = contrast_config(d, w, 0.5);
	double sum[NSTAGES], total, io, seq_s, g_img, g_cpu, cw_img, cw_cpu, cw_thr;
	int rc = images_lesson(d, "threadpool", w,
		"swap ProcessPoolExecutor for ThreadPoolExecutor, one word - 7.2 s: as fast, "
		"because (the tutorial said) much of the work was file I/O.",
		"for (w = 0; w < nworkers; w++)\n"
		"    pthread_create(&t[w], NULL, worker_loop, pool);\n"
		"map(process_image, names);",
		&thr);

	if (rc)
		return rc;
	total = stage_sums(&thr.res, sum);
	io = total > 0 ? (sum[STAGE_READ] + sum[STAGE_WRITE]) / total : 0;
	show("where the tasks' time went in this run: read %.1f %%, decode %.1f %%, blur %.1f %%, "
	     "resize %.1f %%, encode %.1f %%, write %.1f %%", 100 * sum[STAGE_READ] / total,
	     100 * sum[STAGE_DECODE] / total, 100 * sum[STAGE_BLUR] / total,
	     100 * sum[STAGE_RESIZE] / total, 100 * sum[STAGE_ENCODE] / total,
	     100 * sum[STAGE_WRITE] / total);
	if (demo_stopped())
		return lesson_end(&thr);

	/* what Python's threads would do: the same pool under a GIL that
	 * Pillow's C stages release, and, for contrast, pure-Python work */
	show("\nthe same under the simulated GIL, and cpu (pure-Python-like work) beside it:");
	seq_s = d->images_seq_s;
	if (!(seq_s > 0)) {
		if (images_run(d, "seq", 1, 1, &seq_img)) {
			shot_free(&thr);
			return LESSON_FAILED;
		}
		seq_s = seq_img.res.wall_s;
		show("  images seq          1 worker   %8.3f s  (lesson 12 did not run: measured now)",
		     seq_s);
		shot_free(&seq_img);
	}
	if (images_run(d, "gil", w, 1, &gil_img)) {
		shot_free(&thr);
		return LESSON_FAILED;
	}
	show("  images gil        %3u workers  %8.3f s", gil_img.res.workers, gil_img.res.wall_s);
	quiet.mode = "seq";
	quiet.workers = 1;
	rc = measure(d, &c, "cpu", &quiet, &seq_cpu);
	quiet.mode = "gil";
	quiet.workers = w;
	if (!rc)
		rc = measure(d, &c, "cpu", &quiet, &gil_cpu);
	else
		memset(&gil_cpu, 0, sizeof(gil_cpu));
	if (rc) {
		shot_free(&thr);
		shot_free(&gil_img);
		shot_free(&seq_cpu);
		return demo_stopped() ? LESSON_STOPPED : LESSON_FAILED;
	}
	g_img = seq_s / gil_img.res.wall_s;
	g_cpu = speedup(&seq_cpu, &gil_cpu);
	cw_img = cpu_per_wall(&gil_img.res);
	cw_cpu = cpu_per_wall(&gil_cpu.res);
	cw_thr = cpu_per_wall(&thr.res);   /* C's own thread pool, no GIL */
	show("  gil: images %.2fx seq with %.2f CPU s per wall s, cpu %.2fx seq with %.2f (%u "
	     "threads, %u PUs)", g_img, cw_img, g_cpu, cw_cpu, w, d->pus);
	show("%s", "");
	shots_timeline(axis, 3);

	if (d->images_proc_s > 0)
		show("threads took %.3f s, processes %.3f s (lesson 13)", thr.res.wall_s,
		     d->images_proc_s);
	if (io < IO_SHARE_SMALL && cw_img > SCALES && cw_cpu < SCALES && cw_thr > SCALES)
		teaches("the tutorial's reason does not hold: file I/O (read + write) was %.1f %% "
			"of the tasks' time in this run. Python threads kept up because Pillow's C "
			"code lets go of the GIL while it decodes, blurs, resamples and encodes "
			"(ImagingSectionEnter): under the simulated GIL, which the same stages "
			"release, %u threads still computed at once on the photos (%.2f CPU s per "
			"wall s, %.2fx seq), while pure-Python-like cpu work, which holds it, used "
			"%.2f (%.2fx). In C there is no GIL at all, so the thread pool computes in "
			"parallel too (%.2f CPU s per wall s).", 100 * io, w, cw_img, g_img, cw_cpu,
			g_cpu, cw_thr);
	else {
		/* name only what this run did not show */
		char off[512] = "";

		if (!(cw_img > SCALES))
			list_add(off, sizeof(off), ", ", "the photos did not overlap under the GIL");
		if (!(cw_cpu < SCALES))
			list_add(off, sizeof(off), ", ", "cpu used more than one CPU second per second");
		if (!(cw_thr > SCALES))
			list_add(off, sizeof(off), ", ", "C's thread pool used only %.2f CPU s per "
				 "wall s", cw_thr);
		/* the load explains the items above; the I/O share is a figure of its own */
		if (off[0])
			list_add(off, sizeof(off), " ", "(%s)", w < 2 || d->pus < 2 ? "one worker or "
				 "one PU leaves nothing to overlap" : demo_why_off(d));
		if (io >= IO_SHARE_SMALL)
			list_add(off, sizeof(off), "; ", "file I/O was no small share of the tasks' "
				 "time");
		teaches("file I/O (read + write) was %.1f %% of the tasks' time in this run; under "
			"the simulated GIL, which decode, blur, resize and encode release as "
			"Pillow's C code does, %u thread%s used %.2f CPU s per wall s on the photos "
			"(%.2fx seq) and %.2f on cpu work (%.2fx). This run does not show the usual "
			"picture: %s.", 100 * io, w, w == 1 ? "" : "s", cw_img, g_img, cw_cpu, g_cpu,
			off);
	}
	shot_free(&gil_img);
	shot_free(&seq_cpu);
	shot_free(&gil_cpu);
	return lesson_end(&thr);
}

/* ------------------------------------------------------------------ 15-16 */

/* @out's text (a memory stream) shown line by line. */
static void show_stream(char *text)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		show("%s", line);
}

static void show_verdict(const struct summary *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	verdict_print(s, f);
	fclose(f);
	if (text)
		show_stream(text);
	free(text);
}

int lesson_rule(struct demo *d)
{
	static const char *const workloads[] = { "sleep", "io", "cpu" };
	static const char *const modes[] = { "seq", "threadpool", "procpool", "gil" };
	unsigned base = d->pus * 4 < 8 ? 8 : d->pus * 4;
	unsigned w = pool_size(d, base > 64 ? 64 : base);
	struct config c = contrast_config(d, w, 0.5);
	const double *secs;
	struct summary s = { 0 };
	double sp[3][4] = { { 0 } }, best[3] = { 0 }, gil_cw = 0;
	int bad = 0;

	tutorial("threads for I/O-bound work, processes for CPU-bound work - but \"it's hard "
		 "to tell without benchmarks\". So here are the benchmarks, on this machine.");
	codef("for each workload in { sleep, io, cpu }:          /* %u tasks each */\n"
	      "    for each mode in { seq, threadpool, procpool, gil }:   /* %u workers */\n"
	      "        run_execute(&spec, state, ntasks, &opt, &result);   /* one rep */",
	      w, w);
	show("  %u tasks each on %u workers (%u PUs); sleep %.3g s, io %g MB, cpu %g units per "
	     "task", w, w, d->pus, option_reals(&c, "--seconds", &secs) ? secs[0] : 0.0,
	     option_real(&c, "--io-mb"),
	     option_real(&c, "--work"));
	for (size_t i = 0; i < 3 && !demo_stopped(); i++) {
		double seq = 0;

		for (size_t m = 0; m < 4 && !demo_stopped(); m++) {
			struct demo_run how = { .mode = modes[m], .workers = m ? w : 1, .silent = 1,
						.fail_index = -1 };
			struct demo_shot shot;

			if (measure(d, &c, workloads[i], &how, &shot)) {
				bad = 1;
				continue;
			}
			summary_add(&s, &shot.spec, &shot.res, "");
			if (!m)
				seq = shot.res.wall_s;
			sp[i][m] = seq > 0 ? seq / shot.res.wall_s : 0;
			if (i == 2 && m == 3)
				gil_cw = cpu_per_wall(&shot.res);
			if (m && m < 3 && sp[i][m] > best[i])
				best[i] = sp[i][m];
			shot_free(&shot);
		}
	}
	if (demo_stopped()) {
		summary_free(&s);
		return LESSON_STOPPED;
	}
	show("\n  %-6s %10s %18s %18s %18s", "", "seq", "threadpool", "procpool", "gil");
	for (size_t i = 0; i < 3; i++) {
		char line[160];
		size_t n = 0;

		for (size_t m = 1; m < 4; m++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "  %15.2fx", sp[i][m]);
		show("  %-6s %10s%s", workloads[i], "1.00x", line);
	}
	if (summary_compute(&s) == 0)
		show_verdict(&s);
	show("%s", "");
	/* the rule of thumb only when this run shows it: cpu near the PU count, nothing busy */
	if (best[0] > d->pus * 1.5 && best[2] >= d->pus * 0.8 && best[2] <= d->pus * 1.15 &&
	    !summary_contention(&s, NULL))
		teaches("waiting work scaled past the core count: sleep reached %.1fx with %u "
			"workers on %u PUs, since a sleeping task needs no PU; computing work stopped "
			"at it: cpu reached %.1fx (PUs: %u), and under the GIL, where one thread "
			"computes at a time, it used %.2f CPU seconds per wall second. That is the rule "
			"of thumb; measure yours - with one rep each these are a sketch, not a "
			"benchmark.", best[0], w, d->pus, best[2], d->pus, gil_cw);
	else
		teaches("the rule of thumb expects sleep to scale past the %u PUs with %u workers "
			"and cpu to stop at %u: this run measured %.1fx and %.1fx (%s). With one rep "
			"each these are a sketch, not a benchmark: run it again, or measure with "
			"bench --reps.", d->pus, w, d->pus, best[0], best[2], demo_why_off(d));
	summary_free(&s);
	return bad ? LESSON_FAILED : LESSON_OK;
}

/* What lesson 16's run did not show of the usual picture, as "a; b" into @buf. */
static const char *gil_not_shown(double cw[3][3], double sp[3][3], size_t nw, char *buf,
				 size_t len)
{
	buf[0] = '\0';
	if (cw[0][1] >= SCALES)
		list_add(buf, len, "; ", "cpu under the GIL used %.2f CPU s per wall s, not about 1",
			 cw[0][1]);
	if (cw[0][2] <= SCALES)
		list_add(buf, len, "; ", "plain threads on cpu used only %.2f", cw[0][2]);
	if (sp[1][1] <= SCALES || sp[1][2] <= SCALES)
		list_add(buf, len, "; ", "sleep reached only %.2fx under the GIL and %.2fx with "
			 "plain threads", sp[1][1], sp[1][2]);
	if (nw == 3 && cw[2][1] <= SCALES)
		list_add(buf, len, "; ", "the photos under the GIL used %.2f CPU s per wall s, so "
			 "they did not overlap", cw[2][1]);
	return buf;
}

int lesson_gil(struct demo *d)
{
	static const char *const modes[] = { "seq", "gil", "pthread" };
	const char *workloads[3] = { "cpu", "sleep", "images" };
	unsigned w = pool_size(d, d->pus < 2 ? 2 : d->pus > 4 ? 4 : d->pus);
	struct config c = contrast_config(d, w, 1);
	struct demo_shot keep[4];  /* cpu gil, cpu pthread, images gil, images pthread */
	const struct demo_shot *axis[4] = { &keep[0], &keep[1], &keep[2], &keep[3] };
	double sp[3][3] = { { 0 } }, cw[3][3] = { { 0 } };
	char photos[200] = "", notes[400];
	size_t nw = 3;
	int bad = 0;

	memset(keep, 0, sizeof(keep));
	tutorial("(not in the tutorial) why Python threads did not speed up CPU-bound work, yet "
		 "kept up on the photos: the global interpreter lock. A thread must hold it to run "
		 "Python code, lets go of it while waiting and while C code such as Pillow's "
		 "filters runs, and must hand it over after every switch interval.");
	codef("gil_take();                 /* %u threads; a worker holds the lock while it */\n"
	      "run_task(i);                /* runs \"Python code\", and hands it to the next */\n"
	      "                            /* waiter once that one waited %g ms (--switch-ms) */\n"
	      "/* cpu:    pure-Python-like, never lets go; checks in at task_checkpoint() */\n"
	      "/* sleep:  task_io_begin(); clock_nanosleep(...); task_io_end(); */\n"
	      "/* images: task_gil_release(); decode, blur, resize or encode; task_gil_acquire(); */\n"
	      "/* pthread: one plain thread per task, no lock */", w,
	      option_real(d->cfg, "--switch-ms"));
	if (images_ready(d) != 0) {
		nw = 2;
		show("(the photos are skipped: the images workload cannot run here)");
	}
	for (size_t i = 0; i < nw && !demo_stopped(); i++)
		for (size_t m = 0; m < 3 && !demo_stopped(); m++) {
			struct demo_run how = { .mode = modes[m], .workers = m == 1 ? w : m ? 0 : 1,
						.silent = 1, .fail_index = -1 };
			struct demo_shot shot, *k = i == 0 && m ? &keep[m - 1] :
						    i == 2 && m ? &keep[m + 1] : &shot;
			int rc;

			if (i == 2)
				rc = images_run(d, modes[m], how.workers, 1, k);
			else
				rc = measure(d, &c, workloads[i], &how, k);
			if (rc) {
				bad = 1;
				continue;
			}
			if (i == 2)
				show("  %-6s %-10s %3u worker%s  %8.3f s", "images", modes[m],
				     k->res.workers, k->res.workers == 1 ? " " : "s", k->res.wall_s);
			sp[i][m] = k->res.wall_s;
			cw[i][m] = cpu_per_wall(&k->res);
			if (k == &shot)
				shot_free(&shot);
		}
	if (demo_stopped()) {
		for (size_t k = 0; k < 4; k++)
			shot_free(&keep[k]);
		return LESSON_STOPPED;
	}
	show("\n  gil with %u thread%s, pthread with a thread per task, %u PUs: speed against "
	     "seq, and CPU seconds per wall second", w, w == 1 ? "" : "s", d->pus);
	show("  %-6s %18s %18s", "", "gil", "pthread");
	for (size_t i = 0; i < nw; i++) {
		for (size_t m = 1; m < 3; m++)
			sp[i][m] = sp[i][m] > 0 ? sp[i][0] / sp[i][m] : 0;
		show("  %-6s %7.2fx (%4.2f/s) %7.2fx (%4.2f/s)", workloads[i], sp[i][1], cw[i][1],
		     sp[i][2], cw[i][2]);
	}
	show("%s", "");
	shots_timeline(axis, nw == 3 ? 4 : 2);
	show("%s", "");
	/* CPU seconds per wall second say what a single rep's wall times may
	 * not: whether more than one thread computed at once */
	if (nw == 3)
		snprintf(photos, sizeof(photos), " The photos under the GIL did overlap: %.2f CPU "
			 "s per wall s, %.2fx seq - their C stages let go of it, as Pillow's do.",
			 cw[2][1], sp[2][1]);
	if (w < 2 || d->pus < 2)
		teaches("with %u thread%s on %u PU%s nothing computes in parallel, GIL or not: "
			"cpu ran at %.2fx under the GIL and %.2fx with plain threads; sleep at %.2fx "
			"and %.2fx, since a waiting thread lets go of the GIL.", w, w == 1 ? "" : "s",
			d->pus, d->pus == 1 ? "" : "s", sp[0][1], sp[0][2], sp[1][1], sp[1][2]);
	else if (cw[0][1] < SCALES && cw[0][2] > SCALES && sp[1][1] > SCALES && sp[1][2] > SCALES &&
		 (nw < 3 || cw[2][1] > SCALES))
		teaches("on cpu, %u threads under the simulated GIL used %.2f CPU seconds per wall "
			"second - one computed at a time, %.2fx seq's speed - while plain threads "
			"used %.2f and reached %.2fx on %u PUs. On sleep both scaled (%.2fx and "
			"%.2fx): a waiting thread lets go of the GIL.%s That is the tutorial's rule "
			"of thumb, and why it does not hold in C, which has no GIL.", w, cw[0][1],
			sp[0][1], cw[0][2], sp[0][2], d->pus, sp[1][1], sp[1][2], photos);
	else
		teaches("the usual picture is cpu at about one CPU second per wall second under "
			"the GIL and more with plain threads, sleep faster than seq under both%s. "
			"This run did not show all of it: %s (%s).",
			nw == 3 ? ", and the photos overlapping under the GIL" : "",
			gil_not_shown(cw, sp, nw, notes, sizeof(notes)), demo_why_off(d));
	for (size_t k = 0; k < 4; k++)
		shot_free(&keep[k]);
	return bad ? LESSON_FAILED : LESSON_OK;
}
