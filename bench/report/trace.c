#include "bench/report/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/data/csv.h"
#include "bench/api/path.h"

/* Length of the valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void trace_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n = utf8_len(p);

		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p);
		} else if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p);
		} else if (n == 0) {
			fputs("\\ufffd", f);
			n = 1;
		} else {
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

static int parse_num(const char *s, double *v)
{
	char *end;

	if (!*s)
		return -1;
	*v = strtod(s, &end);
	return *end || !isfinite(*v) ? -1 : 0;
}

/* A run as it appears in the tasks file: its rows are contiguous. */
struct trace_run {
	const char *id;
	size_t first, n;       /* rows */
	double end_s;          /* last task end */
	int max_worker;
};

static const char *const trace_cols[] = {
	"run", "workload", "mode", "workers", "rep", "warmup", "task", "worker", "pid", "tid",
	"cpu_start", "cpu_end", "submit_s", "start_s", "end_s", "status", "message",
};
enum {
	C_RUN, C_WORKLOAD, C_MODE, C_WORKERS, C_REP, C_WARMUP, C_TASK, C_WORKER, C_PID, C_TID,
	C_CPU_START, C_CPU_END, C_SUBMIT, C_START, C_END, C_STATUS, C_MESSAGE, C_N
};
/* Optional columns (schema 2): the task's CPU time and the images stages, in order. */
static const char *const opt_cols[] = {
	"cpu_s", "read_s", "decode_s", "blur_s", "resize_s", "encode_s", "write_s",
};
enum { O_CPU, O_STAGE0, O_N = 7 };

struct trace_cols {
	int c[C_N];
	int o[O_N];                /* -1: absent */
};

/* What the runs file says of a run: its wall time, ideal and status. */
struct run_info {
	double wall_s, ideal_s;
	const char *status;
};

static int in_session(const char *id, const char *session)
{
	const char *dash = session ? strrchr(session, '-') : NULL;

	if (!session)
		return 1;
	if (!dash)
		return !strcmp(id, session);
	return !strncmp(id, session, (size_t)(dash - session + 1));
}

/* Group the rows into runs (in file order); skip those not in @session. */
static int collect_runs(const struct csv *t, const int *col, const char *session,
			struct trace_run **out, size_t *nout)
{
	struct trace_run *runs = NULL;
	size_t n = 0, cap = 0;

	for (size_t r = 0; r < t->nrows; r++) {
		const char *id = csv_cell(t, r, col[C_RUN]);
		struct trace_run *run = NULL;
		double end;

		if (!in_session(id, session))
			continue;
		for (size_t k = n; k-- > 0 && !run;)
			if (!strcmp(runs[k].id, id))
				run = &runs[k];
		if (!run) {
			if (n == cap) {
				size_t c = cap ? 2 * cap : 32;
				struct trace_run *p = realloc(runs, c * sizeof(*p));

				if (!p) {
					free(runs);
					return -ENOMEM;
				}
				runs = p;
				cap = c;
			}
			run = &runs[n++];
			memset(run, 0, sizeof(*run));
			run->id = id;
			run->first = r;
			run->max_worker = -1;
		}
		run->n++;
		if (!parse_num(csv_cell(t, r, col[C_END]), &end) && end > run->end_s)
			run->end_s = end;
		run->max_worker = atoi(csv_cell(t, r, col[C_WORKER])) > run->max_worker ?
				  atoi(csv_cell(t, r, col[C_WORKER])) : run->max_worker;
	}
	*out = runs;
	*nout = n;
	return 0;
}

static double cell_num(const struct csv *t, size_t r, int col)
{
	double v;

	return col >= 0 && !parse_num(csv_cell(t, r, col), &v) ? v : NAN;
}

/* The rows of @run in file order: calls @fn(row) for each. */
#define FOR_RUN_ROWS(t, col, run, r)                                                          \
	for (size_t r = (run)->first, seen_ = 0; r < (t)->nrows && seen_ < (run)->n; r++)     \
		if (strcmp(csv_cell(t, r, (col)->c[C_RUN]), (run)->id) ? 0 : (seen_++, 1))

static void event_head(FILE *f, const char *ph, int pid, int tid, const char *name)
{
	fprintf(f, ",\n{\"ph\":\"%s\",\"pid\":%d,\"tid\":%d,\"name\":", ph, pid, tid);
	trace_json_string(f, name);
}

/* Lane names: "worker W (pid P, tid T)", or for mpi "rank R @ HOST" from its tasks' messages. */
static void name_lanes(FILE *f, const struct csv *t, const struct trace_cols *col,
		       const struct trace_run *run, int pid, size_t *first_row)
{
	char name[256];

	for (int w = 0; w <= run->max_worker; w++)
		first_row[w] = SIZE_MAX;
	FOR_RUN_ROWS(t, col, run, r) {
		const char *wk = csv_cell(t, r, col->c[C_WORKER]);
		int w = atoi(wk);

		if (*wk && w >= 0 && w <= run->max_worker && first_row[w] == SIZE_MAX)
			first_row[w] = r;
	}
	for (int w = 0; w <= run->max_worker; w++) {
		size_t r = first_row[w];
		char host[64];
		unsigned rank;

		if (r == SIZE_MAX)
			continue;
		if (sscanf(csv_cell(t, r, col->c[C_MESSAGE]), "rank %u on %63[^: ]", &rank, host) == 2)
			snprintf(name, sizeof(name), "rank %u @ %s", rank, host);
		else
			snprintf(name, sizeof(name), "worker %d (pid %s, tid %s)", w,
				 csv_cell(t, r, col->c[C_PID]), csv_cell(t, r, col->c[C_TID]));
		event_head(f, "M", pid, w + 1, "thread_name");
		fprintf(f, ",\"args\":{\"name\":");
		trace_json_string(f, name);
		fprintf(f, "}}");
	}
	event_head(f, "M", pid, 0, "thread_name");
	fprintf(f, ",\"args\":{\"name\":\"run\"}}");
}

/* A slice per worker from the run's start to its first task: its start-up. */
static void write_startups(FILE *f, const struct csv *t, const struct trace_cols *col,
			   const struct trace_run *run, int pid, double off)
{
	for (int w = 0; w <= run->max_worker; w++) {
		double first = INFINITY;

		FOR_RUN_ROWS(t, col, run, r) {
			const char *wk = csv_cell(t, r, col->c[C_WORKER]);
			double s = cell_num(t, r, col->c[C_START]);

			if (*wk && atoi(wk) == w && !isnan(s))
				first = fmin(first, s);
		}
		if (!isfinite(first) || first <= 0)
			continue;
		event_head(f, "X", pid, w + 1, "start-up");
		fprintf(f, ",\"cat\":\"start-up\",\"ts\":%.3f,\"dur\":%.3f,"
			"\"args\":{\"what\":\"spawn and first dispatch\"}}", off, first * 1e6);
	}
}

/* The stages of an images task, one after another from its start, inside its slice. */
static void write_stages(FILE *f, const struct csv *t, const struct trace_cols *col, size_t r,
			 int pid, int tid, double ts)
{
	for (int k = O_STAGE0; k < O_N; k++) {
		double d = cell_num(t, r, col->o[k]);
		char name[32];

		if (!(d > 0))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(strlen(opt_cols[k]) - 2), opt_cols[k]);
		event_head(f, "X", pid, tid, name);
		fprintf(f, ",\"cat\":\"stage\",\"ts\":%.3f,\"dur\":%.3f}", ts, d * 1e6);
		ts += d * 1e6;
	}
}

/* One task: its slice (with cpu_s), its stages, an instant when it crashed or timed out. */
static int write_task(FILE *f, const struct csv *t, const struct trace_cols *col, size_t r,
		      int pid, double off)
{
	const char *status = csv_cell(t, r, col->c[C_STATUS]);
	const char *wk = csv_cell(t, r, col->c[C_WORKER]);
	double start = cell_num(t, r, col->c[C_START]), end = cell_num(t, r, col->c[C_END]);
	double submit = cell_num(t, r, col->c[C_SUBMIT]), cpu = cell_num(t, r, col->o[O_CPU]);
	int tid = *wk ? atoi(wk) + 1 : 0, started = !isnan(start) && !isnan(end) && *wk;
	char name[64];

	snprintf(name, sizeof(name), "task %s", csv_cell(t, r, col->c[C_TASK]));
	if (!strcmp(status, "crashed") || !strcmp(status, "timeout")) {
		double at = !isnan(end) ? end : !isnan(start) ? start : !isnan(submit) ? submit : 0;
		char what[96];

		snprintf(what, sizeof(what), "%s %s", name, strcmp(status, "crashed") ? "timed out" :
			 "crashed");
		event_head(f, "i", pid, tid, what);
		fprintf(f, ",\"cat\":\"failure\",\"s\":\"t\",\"ts\":%.3f,\"args\":{\"status\":",
			off + at * 1e6);
		trace_json_string(f, status);
		fprintf(f, ",\"message\":");
		trace_json_string(f, csv_cell(t, r, col->c[C_MESSAGE]));
		fprintf(f, "}}");
	}
	if (!started)
		return 0;      /* never started: no slice */
	if (isnan(submit))
		submit = start;
	event_head(f, "X", pid, tid, name);
	fprintf(f, ",\"cat\":");
	trace_json_string(f, csv_cell(t, r, col->c[C_MODE]));
	fprintf(f, ",\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"task\":%ld,\"cpu_start\":%ld,"
		"\"cpu_end\":%ld,\"queued_us\":%.3f,", off + start * 1e6,
		(end > start ? end - start : 0) * 1e6, atol(csv_cell(t, r, col->c[C_TASK])),
		atol(csv_cell(t, r, col->c[C_CPU_START])), atol(csv_cell(t, r, col->c[C_CPU_END])),
		(start > submit ? start - submit : 0) * 1e6);
	if (isnan(cpu))
		fprintf(f, "\"cpu_s\":null,\"status\":");
	else
		fprintf(f, "\"cpu_s\":%.9g,\"status\":", cpu);
	trace_json_string(f, status);
	fprintf(f, ",\"message\":");
	trace_json_string(f, csv_cell(t, r, col->c[C_MESSAGE]));
	fprintf(f, ",\"pid\":%ld,\"tid\":%ld}}", atol(csv_cell(t, r, col->c[C_PID])),
		atol(csv_cell(t, r, col->c[C_TID])));
	write_stages(f, t, col, r, pid, tid, off + start * 1e6);
	return 1;
}

struct edge {
	double t;
	int d;          /* +1 a task starts, -1 one ends */
};

static int cmp_edge(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->d - y->d;     /* an end before a start at the same time */
}

/* The counter track: how many tasks run at each moment of the run. */
static void write_counter(FILE *f, const struct csv *t, const struct trace_cols *col,
			  const struct trace_run *run, int pid, double off)
{
	struct edge *e = malloc((2 * run->n + 1) * sizeof(*e));
	size_t n = 0;
	int running = 0;

	if (!e)
		return;     /* without it, only the counter is missing */
	FOR_RUN_ROWS(t, col, run, r) {
		double s = cell_num(t, r, col->c[C_START]), x = cell_num(t, r, col->c[C_END]);

		if (isnan(s) || isnan(x) || !*csv_cell(t, r, col->c[C_WORKER]))
			continue;
		e[n++] = (struct edge){ s, 1 };
		e[n++] = (struct edge){ x > s ? x : s, -1 };
	}
	qsort(e, n, sizeof(*e), cmp_edge);
	for (size_t i = 0; i < n; i++) {
		running += e[i].d;
		if (i + 1 < n && e[i + 1].t == e[i].t)
			continue;      /* one value per moment */
		event_head(f, "C", pid, 0, "running tasks");
		fprintf(f, ",\"ts\":%.3f,\"args\":{\"running\":%d}}", off + e[i].t * 1e6, running);
	}
	free(e);
}

/* The run's own slice, on the "run" lane: its wall time and ideal from the runs file. */
static void write_run_slice(FILE *f, const struct trace_run *run, const struct run_info *info,
			    int pid, double off, const char *name)
{
	double wall = info && !isnan(info->wall_s) ? info->wall_s : run->end_s;

	event_head(f, "X", pid, 0, name);
	fprintf(f, ",\"cat\":\"run\",\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"run\":", off, wall * 1e6);
	trace_json_string(f, run->id);
	if (info && !isnan(info->wall_s))
		fprintf(f, ",\"wall_s\":%.9g", info->wall_s);
	else
		fprintf(f, ",\"wall_s\":null");
	if (info && !isnan(info->ideal_s))
		fprintf(f, ",\"ideal_s\":%.9g", info->ideal_s);
	else
		fprintf(f, ",\"ideal_s\":null");
	fprintf(f, ",\"status\":");
	trace_json_string(f, info && info->status ? info->status : "");
	fprintf(f, "}}");
}

static void write_run(FILE *f, const struct csv *t, const struct trace_cols *col,
		      const struct trace_run *run, const struct run_info *info, int pid,
		      double offset_us, size_t *nevents, int *first)
{
	const size_t r0 = run->first;
	size_t *first_row = malloc(((size_t)run->max_worker + 1) * sizeof(*first_row));
	char name[512];

	snprintf(name, sizeof(name), "%s · %s · %s workers · %s%s (run %s)",
		 csv_cell(t, r0, col->c[C_WORKLOAD]), csv_cell(t, r0, col->c[C_MODE]),
		 csv_cell(t, r0, col->c[C_WORKERS]),
		 strcmp(csv_cell(t, r0, col->c[C_WARMUP]), "0") ? "warm-up " : "rep ",
		 csv_cell(t, r0, col->c[C_REP]), run->id);
	fprintf(f, "%s\n{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":",
		*first ? "" : ",", pid);
	trace_json_string(f, name);
	fprintf(f, "}},\n{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_sort_index\","
		"\"args\":{\"sort_index\":%d}}", pid, pid);
	*first = 0;
	if (first_row)
		name_lanes(f, t, col, run, pid, first_row);
	free(first_row);   /* without it, only the lanes' names are missing */
	write_run_slice(f, run, info, pid, offset_us, name);
	write_startups(f, t, col, run, pid, offset_us);
	FOR_RUN_ROWS(t, col, run, r)
		*nevents += (size_t)write_task(f, t, col, r, pid, offset_us);
	write_counter(f, t, col, run, pid, offset_us);
}

/* The runs file's row of run @id, or NULL. */
static int run_info_of(const struct csv *runs, const char *id, struct run_info *out)
{
	int rc = csv_column(runs, "run"), wc = csv_column(runs, "wall_s");
	int ic = csv_column(runs, "ideal_s"), sc = csv_column(runs, "status");

	for (size_t r = 0; rc >= 0 && r < runs->nrows; r++)
		if (!strcmp(csv_cell(runs, r, rc), id)) {
			out->wall_s = cell_num(runs, r, wc);
			out->ideal_s = cell_num(runs, r, ic);
			out->status = csv_cell(runs, r, sc);
			return 1;
		}
	return 0;
}

int trace_write(const char *tasks_csv, const char *runs_csv, const char *out,
		const char *session, size_t *nevents, char *err, size_t len)
{
	struct csv t, runs;
	struct csv_error e;
	struct trace_run *tr = NULL;
	struct trace_cols col;
	size_t nruns = 0;
	int rc, first = 1, have_runs = 0, fd;
	double offset_us = 0;
	char show[PATH_SHOW_MAX];
	const char *kind;
	FILE *f;

	*nevents = 0;
	rc = csv_read_file(tasks_csv, &t, &e);
	if (rc) {
		snprintf(err, len, "%s:%zu: %s", tasks_csv, e.line, e.msg);
		return rc;
	}
	for (int c = 0; c < C_N; c++) {
		col.c[c] = csv_column(&t, trace_cols[c]);
		if (col.c[c] < 0) {
			snprintf(err, len, "%s:1: no column '%s': not a bench tasks CSV", tasks_csv,
				 trace_cols[c]);
			rc = -EINVAL;
			goto out_free;
		}
	}
	for (int c = 0; c < O_N; c++)
		col.o[c] = csv_column(&t, opt_cols[c]);
	/* the runs file gives each run's wall time and ideal; without it, the tasks' span */
	if (runs_csv && !csv_read_file(runs_csv, &runs, &e))
		have_runs = 1;
	rc = collect_runs(&t, col.c, session, &tr, &nruns);
	if (rc) {
		snprintf(err, len, "cannot trace %s: %s", tasks_csv, strerror(-rc));
		goto out_free;
	}
	/* never blocks on a FIFO, never writes to a device */
	fd = path_open_regular(out, O_WRONLY | O_CREAT | O_TRUNC, 0644, &kind);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		rc = fd >= 0 ? -errno : fd;
		if (fd >= 0)
			close(fd);
		if (kind)
			snprintf(err, len, "cannot write %s: it is %s, not a regular file",
				 path_show(show, sizeof(show), out), kind);
		else
			snprintf(err, len, "cannot write %s: %s", path_show(show, sizeof(show), out),
				 strerror(-rc));
		goto out_free;
	}
	fprintf(f, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[");
	for (size_t i = 0; i < nruns; i++) {
		struct run_info info;
		int known = have_runs && run_info_of(&runs, tr[i].id, &info);
		double span = known && info.wall_s > tr[i].end_s ? info.wall_s : tr[i].end_s;

		write_run(f, &t, &col, &tr[i], known ? &info : NULL, (int)i + 1, offset_us, nevents,
			  &first);
		/* the next run starts after this one, with a small gap */
		offset_us += span * 1e6 * 1.02 + 1000;
	}
	fprintf(f, "\n]}\n");
	if (ferror(f) | fclose(f)) {
		rc = -EIO;
		snprintf(err, len, "cannot write %s: %s", path_show(show, sizeof(show), out),
			 strerror(EIO));
	}
out_free:
	if (have_runs)
		csv_free(&runs);
	free(tr);
	csv_free(&t);
	return rc;
}
