#include "bench/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/csv.h"
#include "bench/path.h"

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

static void write_run(FILE *f, const struct csv *t, const int *col, const struct trace_run *run,
		      int pid, double offset_us, size_t *nevents, int *first)
{
	const size_t r0 = run->first;
	char name[512];

	snprintf(name, sizeof(name), "%s · %s · %s workers · %s%s (run %s)",
		 csv_cell(t, r0, col[C_WORKLOAD]), csv_cell(t, r0, col[C_MODE]),
		 csv_cell(t, r0, col[C_WORKERS]),
		 strcmp(csv_cell(t, r0, col[C_WARMUP]), "0") ? "warm-up " : "rep ",
		 csv_cell(t, r0, col[C_REP]), run->id);
	fprintf(f, "%s\n{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":",
		*first ? "" : ",", pid);
	trace_json_string(f, name);
	fprintf(f, "}},\n{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_sort_index\","
		"\"args\":{\"sort_index\":%d}}", pid, pid);
	*first = 0;
	/* each worker's first row, in one pass over the run's rows */
	size_t *row_of = malloc(((size_t)run->max_worker + 1) * sizeof(*row_of));

	for (int w = 0; row_of && w <= run->max_worker; w++)
		row_of[w] = SIZE_MAX;
	for (size_t r = r0, seen = 0; row_of && r < t->nrows && seen < run->n; r++) {
		const char *wk = csv_cell(t, r, col[C_WORKER]);
		int w;

		if (strcmp(csv_cell(t, r, col[C_RUN]), run->id))
			continue;
		seen++;
		w = atoi(wk);
		if (*wk && w >= 0 && w <= run->max_worker && row_of[w] == SIZE_MAX)
			row_of[w] = r;
	}
	for (int w = 0; row_of && w <= run->max_worker; w++) {
		if (row_of[w] == SIZE_MAX)
			continue;
		snprintf(name, sizeof(name), "worker %d (pid %s, tid %s)", w,
			 csv_cell(t, row_of[w], col[C_PID]), csv_cell(t, row_of[w], col[C_TID]));
		fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":",
			pid, w + 1);
		trace_json_string(f, name);
		fprintf(f, "}}");
	}
	free(row_of);   /* without it, only the lanes' names are missing */
	for (size_t r = r0, seen = 0; r < t->nrows && seen < run->n; r++) {
		double start, end, submit;

		if (strcmp(csv_cell(t, r, col[C_RUN]), run->id))
			continue;
		seen++;
		if (parse_num(csv_cell(t, r, col[C_START]), &start) ||
		    parse_num(csv_cell(t, r, col[C_END]), &end) || !*csv_cell(t, r, col[C_WORKER]))
			continue;     /* never started */
		if (parse_num(csv_cell(t, r, col[C_SUBMIT]), &submit))
			submit = start;
		snprintf(name, sizeof(name), "task %s", csv_cell(t, r, col[C_TASK]));
		fprintf(f, ",\n{\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"name\":", pid,
			atoi(csv_cell(t, r, col[C_WORKER])) + 1);
		trace_json_string(f, name);
		fprintf(f, ",\"cat\":");
		trace_json_string(f, csv_cell(t, r, col[C_MODE]));
		fprintf(f, ",\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"task\":%ld,\"cpu_start\":%ld,"
			"\"cpu_end\":%ld,\"queued_us\":%.3f,\"status\":",
			offset_us + start * 1e6, (end > start ? end - start : 0) * 1e6,
			atol(csv_cell(t, r, col[C_TASK])), atol(csv_cell(t, r, col[C_CPU_START])),
			atol(csv_cell(t, r, col[C_CPU_END])),
			(start > submit ? start - submit : 0) * 1e6);
		trace_json_string(f, csv_cell(t, r, col[C_STATUS]));
		fprintf(f, ",\"message\":");
		trace_json_string(f, csv_cell(t, r, col[C_MESSAGE]));
		fprintf(f, ",\"pid\":%ld,\"tid\":%ld}}",
			atol(csv_cell(t, r, col[C_PID])), atol(csv_cell(t, r, col[C_TID])));
		(*nevents)++;
	}
}

int trace_write(const char *tasks_csv, const char *out, const char *session, size_t *nevents,
		char *err, size_t len)
{
	struct csv t;
	struct csv_error e;
	struct trace_run *runs = NULL;
	size_t nruns = 0;
	int col[C_N], rc, first = 1, fd;
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
		col[c] = csv_column(&t, trace_cols[c]);
		if (col[c] < 0) {
			snprintf(err, len, "%s:1: no column '%s': not a bench tasks CSV", tasks_csv,
				 trace_cols[c]);
			rc = -EINVAL;
			goto out_free;
		}
	}
	rc = collect_runs(&t, col, session, &runs, &nruns);
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
		write_run(f, &t, col, &runs[i], (int)i + 1, offset_us, nevents, &first);
		/* the next run starts after this one, with a small gap */
		offset_us += runs[i].end_s * 1e6 * 1.02 + 1000;
	}
	fprintf(f, "\n]}\n");
	if (ferror(f) | fclose(f)) {
		rc = -EIO;
		snprintf(err, len, "cannot write %s: %s", path_show(show, sizeof(show), out),
			 strerror(EIO));
	}
out_free:
	free(runs);
	csv_free(&t);
	return rc;
}
