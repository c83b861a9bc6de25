#include "bench/verdict.h"

#include <math.h>
#include <string.h>

#include "bench/clock.h"
#include "bench/plan.h"
#include "bench/registry.h"
#include "bench/run.h"
#include "bench/stats.h"
#include "bench/trace.h"

/* Below this speedup, or with an interval reaching 1, nothing "won". */
#define VERDICT_MIN_GAIN 1.05
/* Threads and processes within this ratio are "alike". */
#define VERDICT_ALIKE 1.10
/* The GIL "held threads back" below this fraction of the free threads. */
#define VERDICT_GIL_LOSS 0.7

static struct verdict_load *find_load(struct verdict *v, const char *name, int create)
{
	for (size_t i = 0; i < v->nloads; i++)
		if (!strcmp(v->loads[i].workload, name))
			return &v->loads[i];
	if (!create || v->nloads == CONFIG_MAX_LIST)
		return NULL;
	memset(&v->loads[v->nloads], 0, sizeof(v->loads[0]));
	v->loads[v->nloads].workload = name;
	return &v->loads[v->nloads++];
}

void verdict_add(struct verdict *v, const struct run_spec *spec, const struct run_result *r)
{
	int seq = !strcmp(spec->mode->name, "seq"), gil = !strcmp(spec->mode->name, "gil");
	struct verdict_load *l;

	if (spec->warmup || r->status == RUN_ERROR || !r->results)
		return;
	l = find_load(v, spec->workload->name, 1);
	if (!l)
		return;
	l->bound = spec->workload->bound;
	for (size_t i = 0; i < r->ntasks; i++) {
		const struct task_result *t = &r->results[i];
		double wall = t->end_ns > t->start_ns ? ns_to_s(t->end_ns - t->start_ns) : 0;

		if (t->status != TASK_OK)
			continue;
		if (seq) {
			l->seq_cpu_s += ns_to_s(t->cpu_ns);
			l->seq_wall_s += wall;
			l->seq_tasks++;
		}
		if (!gil) {
			l->cpu_s += ns_to_s(t->cpu_ns);
			l->wall_s += wall;
			l->tasks++;
		}
	}
}

static const struct verdict_load *load_of(const struct verdict *v, const char *workload)
{
	return find_load((struct verdict *)v, workload, 0);
}

double verdict_cpu_ratio(const struct verdict *v, const char *workload)
{
	const struct verdict_load *l = load_of(v, workload);

	if (!l || l->bound == BOUND_NONE)
		return -1;
	if (l->seq_tasks && l->seq_wall_s > 0)
		return l->seq_cpu_s / l->seq_wall_s;
	if (l->tasks && l->wall_s > 0)
		return l->cpu_s / l->wall_s;
	return -1;
}

/* ------------------------------------------------------------------ judging */

enum family { FAM_SEQ, FAM_THREADS, FAM_PROCESSES, FAM_GIL };

struct judgement {
	const char *workload;
	const struct summary_row *seq, *best;
	const struct summary_row *threads, *procs;   /* compared with each other */
	const struct summary_row *gil, *gil_peer;    /* likewise */
	double ratio;              /* task CPU / wall, < 0 unknown */
	double task_s;             /* mean task wall time, < 0 unknown */
	const char *kind;          /* "CPU-bound", "I/O-bound", "mixed", "no work" */
	const char *recommend;     /* one word or two */
	char headline[384];
	char reason[640];
	char gil_note[384];
};

static enum family family_of(const struct summary_row *row)
{
	const struct mode *m = registry_mode(row->mode);

	if (!strcmp(row->mode, "seq"))
		return FAM_SEQ;
	if (!strcmp(row->mode, "gil"))
		return FAM_GIL;
	return m && m->processes ? FAM_PROCESSES : FAM_THREADS;
}

/* The faster of two rows: higher speedup, or lower median without one. */
static const struct summary_row *faster(const struct summary_row *a, const struct summary_row *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->speedup >= 0 && b->speedup >= 0)
		return b->speedup > a->speedup ? b : a;
	return b->wall.median < a->wall.median ? b : a;
}

static double spawn_per_worker(const struct summary_row *row)
{
	if (!row || !(row->spawn_s > 0) || !row->workers)
		return -1;
	return row->spawn_s / row->workers;
}

static const char *kind_of(double ratio, int bound)
{
	if (bound == BOUND_NONE)
		return "no work";
	if (ratio < 0)
		return "unknown";
	if (ratio >= 0.7)
		return "CPU-bound";
	if (ratio <= 0.3)
		return "I/O-bound";
	return "mixed";
}

/* The fastest row of @fam for @workload with @workers (0: any). */
static const struct summary_row *fastest(const struct summary *s, const char *workload,
					 enum family fam, unsigned workers)
{
	const struct summary_row *best = NULL;

	for (size_t i = 0; i < s->nrows; i++) {
		const struct summary_row *row = &s->rows[i];

		if (!strcmp(row->workload, workload) && row->wall.n && family_of(row) == fam &&
		    (!workers || row->workers == workers))
			best = faster(best, row);
	}
	return best;
}

/*
 * Threads against processes with as many workers, when the run has such
 * a pair (10 sleeping threads beat 2 processes for their count, not their
 * kind): the pair with the fastest member wins.
 */
static void judge_pair(const struct summary *s, struct judgement *j)
{
	const struct summary_row *bt = NULL, *bp = NULL;

	for (size_t i = 0; i < s->nrows; i++) {
		const struct summary_row *row = &s->rows[i], *t, *p;

		if (strcmp(row->workload, j->workload) || family_of(row) != FAM_THREADS)
			continue;
		t = fastest(s, j->workload, FAM_THREADS, row->workers);
		p = fastest(s, j->workload, FAM_PROCESSES, row->workers);
		if (!t || !p)
			continue;
		if (!bt || faster(faster(bt, bp), faster(t, p)) != faster(bt, bp)) {
			bt = t;
			bp = p;
		}
	}
	if (bt) {
		j->threads = bt;
		j->procs = bp;
	}
	if (j->gil)
		j->gil_peer = fastest(s, j->workload, FAM_THREADS, j->gil->workers);
	if (j->gil && !j->gil_peer)
		j->gil_peer = fastest(s, j->workload, FAM_THREADS, 0);
}

static void judge_rows(const struct summary *s, struct judgement *j)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct summary_row *row = &s->rows[i];

		if (strcmp(row->workload, j->workload) || !row->wall.n)
			continue;
		switch (family_of(row)) {
		case FAM_SEQ:
			j->seq = faster(j->seq, row);
			break;
		case FAM_GIL:
			j->gil = faster(j->gil, row);
			break;
		case FAM_THREADS:
			j->threads = faster(j->threads, row);
			break;
		case FAM_PROCESSES:
			j->procs = faster(j->procs, row);
			break;
		}
	}
	j->best = faster(j->threads, j->procs);
	judge_pair(s, j);
}

static void judge_headline(struct judgement *j)
{
	const struct summary_row *b = j->best;
	char med[32];

	if (!b) {
		snprintf(j->headline, sizeof(j->headline), "no thread or process mode ran");
		return;
	}
	if (b->speedup < 0) {
		stats_fmt_seconds(med, sizeof(med), b->wall.median);
		snprintf(j->headline, sizeof(j->headline),
			 "%s w=%u was fastest (median %s); no seq run to measure a speedup against",
			 b->mode, b->workers, med);
		return;
	}
	if (b->speedup < 1)
		snprintf(j->headline, sizeof(j->headline),
			 "seq won: the fastest other mode, %s w=%u, ran at %.2fx seq's speed",
			 b->mode, b->workers, b->speedup);
	else if (b->wall.n > 1)
		snprintf(j->headline, sizeof(j->headline),
			 "%s w=%u won: %.2fx seq's speed (95%% interval %.2f-%.2fx)",
			 b->mode, b->workers, b->speedup, b->speedup_lo, b->speedup_hi);
	else
		snprintf(j->headline, sizeof(j->headline),
			 "%s w=%u won: %.2fx seq's speed (1 rep: no interval; use --reps 3)",
			 b->mode, b->workers, b->speedup);
}

/* Why stay sequential: the first reason the numbers give. */
static void judge_sequential(struct judgement *j, unsigned pus)
{
	double spawn = spawn_per_worker(j->best);
	char a[32], b[32];

	j->recommend = "sequential";
	if (pus == 1 && j->ratio >= 0.7) {
		snprintf(j->reason, sizeof(j->reason),
			 "1 PU: tasks that compute (CPU/wall %.2f) cannot overlap", j->ratio);
	} else if (j->task_s >= 0 && spawn > 0 && j->task_s < 10 * spawn) {
		stats_fmt_seconds(a, sizeof(a), j->task_s);
		stats_fmt_seconds(b, sizeof(b), spawn);
		snprintf(j->reason, sizeof(j->reason),
			 "spawn cost: a task takes %s, starting a %s worker %s", a, j->best->mode, b);
	} else {
		snprintf(j->reason, sizeof(j->reason),
			 "the best, %s at %.2fx (interval %.2f-%.2fx), is not clearly above seq; "
			 "more --reps would narrow it", j->best->mode, j->best->speedup,
			 j->best->speedup_lo, j->best->speedup_hi);
	}
}

/* The sentence on what limits the parallel winner. */
static void judge_limit(const struct judgement *j, unsigned pus, char *buf, size_t len)
{
	const struct summary_row *b = j->best;

	if (j->ratio >= 0.7)
		snprintf(buf, len, "the tasks compute (CPU/wall %.2f), so the %u PUs cap the speedup "
			 "at %ux (got %.2fx)", j->ratio, pus, pus, b->speedup);
	else if (j->ratio >= 0 && j->ratio <= 0.3)
		snprintf(buf, len, "I/O wait: the tasks mostly wait (CPU/wall %.2f), which needs no PU, "
			 "so %u workers overlap their waits (%.2fx)", j->ratio, b->workers, b->speedup);
	else if (j->ratio >= 0)
		snprintf(buf, len, "the tasks compute part of the time (CPU/wall %.2f): the %u PUs "
			 "limit the computing part, the waits overlap (%.2fx)", j->ratio, pus, b->speedup);
	else
		snprintf(buf, len, "%.2fx with %u workers on %u PUs", b->speedup, b->workers, pus);
}

static void judge_parallel(struct judgement *j, unsigned pus)
{
	const struct summary_row *t = j->threads, *p = j->procs;
	double st = spawn_per_worker(t), sp = spawn_per_worker(p);
	char limit[256], a[32], b[32];

	judge_limit(j, pus, limit, sizeof(limit));
	if (!t || !p || t->speedup < 0 || p->speedup < 0 || t->workers != p->workers) {
		j->recommend = t == j->best ? "threads" : "processes";
		snprintf(j->reason, sizeof(j->reason), "%s (the only kind measured): %s",
			 j->recommend, limit);
		return;
	}
	stats_fmt_seconds(a, sizeof(a), st);
	stats_fmt_seconds(b, sizeof(b), sp);
	if (t->speedup >= p->speedup * VERDICT_ALIKE) {
		j->recommend = "threads";
		if (st > 0 && sp > st)
			snprintf(j->reason, sizeof(j->reason),
				 "spawn cost: with %u workers threads %.2fx vs processes %.2fx; a "
				 "process costs %s to start, a thread %s", t->workers, t->speedup,
				 p->speedup, b, a);
		else
			snprintf(j->reason, sizeof(j->reason), "with %u workers threads %.2fx vs "
				 "processes %.2fx; %s", t->workers, t->speedup, p->speedup, limit);
	} else if (p->speedup >= t->speedup * VERDICT_ALIKE) {
		j->recommend = "processes";
		snprintf(j->reason, sizeof(j->reason), "with %u workers processes %.2fx vs threads "
			 "%.2fx; %s", p->workers, p->speedup, t->speedup, limit);
	} else {
		j->recommend = "threads or processes";
		snprintf(j->reason, sizeof(j->reason), "%s; with %u workers threads (%.2fx) and "
			 "processes (%.2fx) are within %.0f %% (a thread starts in %s, a process in %s)",
			 limit, t->workers, t->speedup, p->speedup, (VERDICT_ALIKE - 1) * 100, a, b);
	}
}

static void judge_gil(struct judgement *j)
{
	const struct summary_row *g = j->gil, *t = j->gil_peer;

	if (!g || g->speedup < 0)
		return;
	if (!t || t->speedup < 0)
		snprintf(j->gil_note, sizeof(j->gil_note),
			 "GIL: %u threads under the simulated GIL reached %.2fx", g->workers,
			 g->speedup);
	else if (t->speedup < VERDICT_MIN_GAIN)
		snprintf(j->gil_note, sizeof(j->gil_note),
			 "GIL: threads gained nothing here, with the simulated GIL (%.2fx) or "
			 "without (%s %.2fx)", g->speedup, t->mode, t->speedup);
	else if (g->speedup < VERDICT_GIL_LOSS * t->speedup)
		snprintf(j->gil_note, sizeof(j->gil_note),
			 "GIL: under the simulated GIL %u threads reached only %.2fx (%s %.2fx "
			 "without): in Python, use processes for this workload", g->workers,
			 g->speedup, t->mode, t->speedup);
	else if (j->ratio >= 0 && j->ratio < 0.7)
		snprintf(j->gil_note, sizeof(j->gil_note),
			 "GIL: the simulated GIL cost little (%.2fx vs %s %.2fx): a waiting thread "
			 "lets go of it, so Python threads would do here", g->speedup, t->mode,
			 t->speedup);
	else
		snprintf(j->gil_note, sizeof(j->gil_note),
			 "GIL: the simulated GIL cost little (%.2fx vs %s %.2fx)", g->speedup,
			 t->mode, t->speedup);
}

static void judge(const struct verdict *v, const struct summary *s, unsigned pus,
		  const char *workload, struct judgement *j)
{
	const struct verdict_load *l = load_of(v, workload);
	const struct workload *w = registry_workload(workload);
	int bound = l ? l->bound : w ? (int)w->bound : BOUND_MIXED;

	memset(j, 0, sizeof(*j));
	j->workload = workload;
	j->ratio = verdict_cpu_ratio(v, workload);
	j->task_s = -1;
	if (l && l->seq_tasks)
		j->task_s = l->seq_wall_s / (double)l->seq_tasks;
	else if (l && l->tasks)
		j->task_s = l->wall_s / (double)l->tasks;
	j->kind = kind_of(j->ratio, bound);
	j->recommend = "unknown";
	judge_rows(s, j);
	judge_headline(j);
	judge_gil(j);
	if (!j->best) {
		snprintf(j->reason, sizeof(j->reason), "run seq with threadpool and procpool "
			 "(--modes all) for a recommendation");
		return;
	}
	if (j->best->speedup < 0) {
		snprintf(j->reason, sizeof(j->reason), "add seq to --modes to know whether it pays");
		return;
	}
	if (bound == BOUND_NONE) {
		j->recommend = j->best->speedup >= VERDICT_MIN_GAIN ? j->best->mode : "sequential";
		snprintf(j->reason, sizeof(j->reason), "spawn cost: tasks do nothing, so this "
			 "measures dispatch; %s dispatched fastest", j->best->mode);
		return;
	}
	if (j->best->speedup < VERDICT_MIN_GAIN ||
	    (j->best->wall.n > 1 && j->best->speedup_lo <= 1.0))
		judge_sequential(j, pus);
	else
		judge_parallel(j, pus);
}

/* The workloads of @s, each once, in table order. */
static size_t workloads_of(const struct summary *s, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nrows && n < CONFIG_MAX_LIST; i++) {
		size_t k;

		for (k = 0; k < n && strcmp(out[k], s->rows[i].workload); k++)
			;
		if (k == n)
			out[n++] = s->rows[i].workload;
	}
	return n;
}

/* Print @text after @first, wrapped at 78 columns, later lines after @cont. */
static void print_wrapped(FILE *out, const char *first, const char *cont, const char *text)
{
	size_t col = strlen(first), indent = strlen(cont);
	int line_start = 1;

	fputs(first, out);
	while (*text) {
		size_t word = strcspn(text, " ");

		if (!line_start && col + 1 + word > 78) {
			fprintf(out, "\n%s", cont);
			col = indent;
			line_start = 1;
		}
		if (!line_start) {
			fputc(' ', out);
			col++;
		}
		line_start = 0;
		fwrite(text, 1, word, out);
		col += word;
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', out);
}

void verdict_print(const struct verdict *v, const struct summary *s, unsigned pus, FILE *out)
{
	const char *names[CONFIG_MAX_LIST];
	size_t n = workloads_of(s, names);

	if (!n)
		return;
	fprintf(out, "\nverdict on this machine (%u PU%s usable)\n", pus, pus == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		struct judgement j;
		char line[1024];

		judge(v, s, pus, names[i], &j);

		snprintf(line, sizeof(line), "%s: %s", j.workload, j.headline);
		print_wrapped(out, "  ", "      ", line);
		if (j.ratio >= 0) {
			snprintf(line, sizeof(line), "tasks: %s (task CPU time / wall time %.2f%s)",
				 j.kind, j.ratio, load_of(v, j.workload) &&
				 load_of(v, j.workload)->seq_tasks ? ", in seq" : "");
			print_wrapped(out, "    ", "      ", line);
		}
		snprintf(line, sizeof(line), "use %s: %s", j.recommend, j.reason);
		print_wrapped(out, "    ", "      ", line);
		if (j.gil_note[0])
			print_wrapped(out, "    ", "      ", j.gil_note);
	}
}

static void json_string(FILE *out, const char *key, const char *s, int comma)
{
	fprintf(out, "\"%s\": ", key);
	trace_json_string(out, s);
	fprintf(out, "%s", comma ? ", " : "");
}

static void json_number(FILE *out, const char *key, double v, int comma)
{
	if (isnan(v) || isinf(v) || v < 0)
		fprintf(out, "\"%s\": null%s", key, comma ? ", " : "");
	else
		fprintf(out, "\"%s\": %.4g%s", key, v, comma ? ", " : "");
}

void verdict_print_json(const struct verdict *v, const struct summary *s, unsigned pus, FILE *out)
{
	const char *names[CONFIG_MAX_LIST];
	size_t n = workloads_of(s, names);

	fprintf(out, "[");
	for (size_t i = 0; i < n; i++) {
		struct judgement j;
		const struct summary_row *b;

		judge(v, s, pus, names[i], &j);
		b = j.best;
		fprintf(out, "%s\n  {", i ? "," : "");
		json_string(out, "workload", j.workload, 1);
		json_string(out, "winner", b ? b->mode : "", 1);
		fprintf(out, "\"workers\": %u, ", b ? b->workers : 0);
		json_number(out, "speedup", b ? b->speedup : -1, 1);
		json_number(out, "speedup_lo", b && b->speedup >= 0 ? b->speedup_lo : -1, 1);
		json_number(out, "speedup_hi", b && b->speedup >= 0 ? b->speedup_hi : -1, 1);
		json_number(out, "task_cpu_per_wall", j.ratio, 1);
		json_string(out, "kind", j.kind, 1);
		json_string(out, "recommend", j.recommend, 1);
		json_string(out, "reason", j.reason, 1);
		json_string(out, "gil", j.gil_note, 0);
		fprintf(out, "}");
	}
	fprintf(out, "\n]");
}

static void verdict_json_member(FILE *out, void *arg)
{
	const struct verdict *v = arg;

	fprintf(out, ",\n\"verdict\": ");
	verdict_print_json(v, v->summary, v->pus, out);
}

void verdict_attach_json(struct verdict *v, struct summary *s, unsigned pus)
{
	v->summary = s;
	v->pus = pus;
	s->json_extra = verdict_json_member;
	s->json_extra_arg = v;
}
