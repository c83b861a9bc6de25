#include "bench/data/record.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/sys/machine.h"
#include "bench/api/mode.h"
#include "bench/api/path.h"
#include "bench/sys/pin.h"
#include "bench/core/plan.h"
#include "bench/core/run.h"
#include "bench/sys/message.h"

#define FINGERPRINT_COLS "host,machine_id,cpu_model,arch,packages,cores,pus,usable_pus," \
	"numa_nodes,mem_bytes,l1d_bytes,l2_bytes,l3_bytes,os,kernel,compiler,bench_version"

const char record_runs_header[] =
	"schema,run,started," FINGERPRINT_COLS ",workload,params,mode,workers,pin,pinned,"
	"rep,warmup,tasks,completed,failed,wall_s,spawn_s,user_s,sys_s,max_rss_kb,"
	"nvcsw,nivcsw,ideal_s,status,message,"
	"ideal_exact,mem_kb,minflt,majflt,task_cpu_s,task_wall_s,"
	"others_cpu_s,steal_s,psi_cpu_some_s,load1,seed,order,window_s\n";

const char record_tasks_header[] =
	"schema,run,host,workload,mode,workers,pin,rep,warmup,task,worker,pid,tid,"
	"cpu_start,cpu_end,planned_pu,submit_s,start_s,end_s,cpu_s,"
	"read_s,decode_s,blur_s,resize_s,encode_s,write_s,status,message\n";

long record_csv_field(char *buf, size_t cap, size_t used, const char *field)
{
	size_t n = strlen(field);
	int quote = n && (field[0] == ' ' || field[n - 1] == ' ');

	for (const char *p = field; *p && !quote; p++)
		quote = *p == ',' || *p == '"' || *p == '\n' || *p == '\r';
	if (!quote) {
		if (used + n >= cap)
			return -1;
		memcpy(buf + used, field, n);
		return (long)(used + n);
	}
	if (used + 1 >= cap)
		return -1;
	buf[used++] = '"';
	for (const char *p = field; *p; p++) {
		if (used + 2 >= cap)
			return -1;
		if (*p == '"')
			buf[used++] = '"';
		buf[used++] = *p;
	}
	if (used + 1 >= cap)
		return -1;
	buf[used++] = '"';
	return (long)used;
}

/* A row under construction: fields separated by commas. */
struct row {
	char buf[4096];
	size_t used;
	int overflow;
};

static void row_str(struct row *r, const char *s)
{
	long n;

	if (r->used && r->used < sizeof(r->buf) - 1)
		r->buf[r->used++] = ',';
	n = record_csv_field(r->buf, sizeof(r->buf) - 1, r->used, s ? s : "");
	if (n < 0)
		r->overflow = 1;
	else
		r->used = (size_t)n;
}

__attribute__((format(printf, 2, 3)))
static void row_fmt(struct row *r, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	row_str(r, tmp);
}

static void row_double(struct row *r, double v)
{
	if (isnan(v) || isinf(v))
		row_str(r, "");
	else
		row_fmt(r, "%.9g", v);
}

/*
 * Undo the @n bytes of a row that a short write left at the end of @fd:
 * truncate back to where the row began, when the file still ends there
 * (another writer's row after it is never cut).  The next row then starts
 * on a line of its own instead of being glued onto half a row.
 */
static void row_undo(int fd, size_t n)
{
	off_t end = lseek(fd, 0, SEEK_CUR);   /* O_APPEND: just past our bytes */
	struct stat st;

	if (end >= (off_t)n && fstat(fd, &st) == 0 && st.st_size == end &&
	    ftruncate(fd, end - (off_t)n) < 0) {
		/* nothing more to do: the reader drops a torn last line on open */
	}
}

/*
 * One row, one write() on O_APPEND: whole beside other writers.  A fatal
 * signal can end a write() only between page-cache pages, which a short
 * row almost never spans.  (Batching rows into 64 KiB writes saved a third
 * of a 200000-task noop run, but SIGKILL then left half rows: the
 * signals test caught it, so it was not kept.)  A short write (a full
 * disk, a file size limit) is tried once more to learn why, and when that
 * fails too the part written is taken back (row_undo()).
 */
static int row_write(int fd, struct row *r)
{
	ssize_t n;
	int rc;

	if (r->overflow)
		return -E2BIG;
	r->buf[r->used++] = '\n';
	do
		n = write(fd, r->buf, r->used);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n == r->used)
		return 0;
	rc = fd_write_full(fd, r->buf + n, r->used - (size_t)n);
	if (rc)
		row_undo(fd, (size_t)n);
	return rc;
}

/*
 * A file whose last line has no line end was cut by a crash, SIGKILL or a
 * full disk in an older bench: drop that torn line (it cannot be parsed)
 * so the next row starts a line of its own, and say so.  @rfd reads the
 * file, @fd (O_APPEND, locked) truncates it; @size is its size.  The new
 * size, or -errno.
 */
static off_t repair_torn_tail(int rfd, int fd, const char *path, off_t size)
{
	char buf[4096], show[PATH_SHOW_MAX];
	off_t end = size;

	while (end > 0) {
		size_t chunk = end > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)end;
		ssize_t got = pread(rfd, buf, chunk, end - (off_t)chunk);

		if (got != (ssize_t)chunk)
			return got < 0 ? -errno : -EIO;
		if (end == size && buf[chunk - 1] == '\n')
			return size;   /* whole */
		for (size_t i = chunk; i > 0; i--)
			if (buf[i - 1] == '\n') {
				end -= (off_t)(chunk - i);
				goto found;
			}
		end -= (off_t)chunk;
	}
found:
	if (ftruncate(fd, end) < 0)
		return -errno;
	warning("%s ended in a torn line (%lld bytes without a line end, "
		"left by an interrupted write): removed it", path_show(show, sizeof(show), path),
		(long long)(size - end));
	return end;
}

/* Open @path for appending; write @header if empty, else check it. */
static int open_csv(const char *path, const char *header, char *err, size_t len)
{
	char show[PATH_SHOW_MAX];
	size_t hlen = strlen(header);
	const char *kind;
	struct stat st;
	int fd, rfd = -1, rc = 0;
	char *have = NULL;
	off_t size;

	path_show(show, sizeof(show), path);
	fd = path_open_regular(path, O_WRONLY | O_APPEND | O_CREAT, 0644, &kind);
	if (fd < 0) {
		if (kind)
			snprintf(err, len, "cannot use %s: it is %s, not a regular file", show, kind);
		else
			snprintf(err, len, "cannot open %s: %s", show, strerror(-fd));
		return fd;
	}
	if (flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		snprintf(err, len, "cannot lock %s: %s", show, strerror(errno));
		goto out_close;
	}
	size = st.st_size;
	if (size > 0) {
		rfd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		have = malloc(hlen + 1);
		size = rfd < 0 ? -errno : !have ? -ENOMEM : repair_torn_tail(rfd, fd, path, size);
		if (size < 0) {
			rc = (int)size;
			snprintf(err, len, "cannot read %s: %s", show, strerror(-rc));
			goto out_close;
		}
	}
	if (size == 0) {
		rc = fd_write_full(fd, header, hlen);
		if (rc) {
			/* a header cut short is no header: take it back */
			if (ftruncate(fd, 0) < 0) {
				/* the next open repairs it */
			}
			snprintf(err, len, "cannot write %s: %s", show, strerror(-rc));
			goto out_close;
		}
	} else if (pread(rfd, have, hlen, 0) != (ssize_t)hlen || memcmp(have, header, hlen)) {
		rc = -EINVAL;
		snprintf(err, len, "%s exists with another header (not a bench schema %d file): "
			 "choose another --csv", show, RECORD_SCHEMA);
		goto out_close;
	}
	flock(fd, LOCK_UN);
	free(have);
	if (rfd >= 0)
		close(rfd);
	return fd;

out_close:
	free(have);
	if (rfd >= 0)
		close(rfd);
	close(fd);
	return rc;
}

int record_tasks_path(char *buf, size_t len, const char *runs_csv)
{
	size_t n = strlen(runs_csv);
	int w;

	if (n > 4 && !strcmp(runs_csv + n - 4, ".csv"))
		w = snprintf(buf, len, "%.*s-tasks.csv", (int)(n - 4), runs_csv);
	else
		w = snprintf(buf, len, "%s-tasks.csv", runs_csv);
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

int record_open(struct recorder *rec, const char *runs_csv, const struct machine *m,
		char *err, size_t len)
{
	char show[PATH_SHOW_MAX];
	int fd;

	memset(rec, 0, sizeof(*rec));
	rec->runs_fd = rec->tasks_fd = -1;
	rec->machine = m;
	if ((size_t)snprintf(rec->runs_path, sizeof(rec->runs_path), "%s", runs_csv) >=
	    sizeof(rec->runs_path) ||
	    record_tasks_path(rec->tasks_path, sizeof(rec->tasks_path), runs_csv)) {
		snprintf(err, len, "%s: the name of its tasks file (-tasks.csv) would be longer "
			 "than %zu bytes", path_show(show, sizeof(show), runs_csv),
			 sizeof(rec->tasks_path) - 1);
		return -ENAMETOOLONG;
	}
	if (path_same_file(rec->runs_path, rec->tasks_path)) {
		snprintf(err, len, "%s and %s are one file (a link): rows of both kinds would mix",
			 rec->runs_path, rec->tasks_path);
		return -EINVAL;
	}
	fd = open_csv(rec->runs_path, record_runs_header, err, len);
	if (fd < 0)
		return fd;
	rec->runs_fd = fd;
	fd = open_csv(rec->tasks_path, record_tasks_header, err, len);
	if (fd < 0) {
		record_close(rec);
		return fd;
	}
	rec->tasks_fd = fd;
	return 0;
}

void record_close(struct recorder *rec)
{
	if (rec->runs_fd >= 0)
		close(rec->runs_fd);
	if (rec->tasks_fd >= 0)
		close(rec->tasks_fd);
	rec->runs_fd = rec->tasks_fd = -1;
}

void record_default_path(char *buf, size_t len, const char *dir, const char *host)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "%s/bench-%s-%s.csv", dir, stamp, host);
}

static void row_fingerprint(struct row *r, const struct machine *m)
{
	row_str(r, m->host);
	row_str(r, m->machine_id);
	row_str(r, m->cpu_model);
	row_str(r, m->arch);
	row_fmt(r, "%u", m->packages);
	row_fmt(r, "%u", m->cores);
	row_fmt(r, "%u", m->pus);
	row_fmt(r, "%u", m->usable_pus);
	row_fmt(r, "%u", m->numa_nodes);
	row_fmt(r, "%llu", m->mem_bytes);
	for (int i = 0; i < 3; i++)
		row_fmt(r, "%llu", m->cache_bytes[i]);
	row_str(r, m->os);
	row_str(r, m->kernel);
	row_str(r, m->compiler);
	row_str(r, m->bench_version);
}

/* The run row of @res, without its line end, into @r. */
static void format_run_row(struct row *r, const struct machine *m, const struct run_spec *spec,
			   const struct run_result *res, const char *params)
{
	char stamp[40];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	row_fmt(r, "%d", RECORD_SCHEMA);
	row_str(r, res->id);
	row_str(r, stamp);
	row_fingerprint(r, m);
	row_str(r, spec->workload->name);
	row_str(r, params);
	row_str(r, spec->mode->name);
	row_fmt(r, "%u", res->workers);
	row_str(r, pin_policy_name(spec->pin));
	row_fmt(r, "%d", res->pinned);
	row_fmt(r, "%u", spec->rep);
	row_fmt(r, "%d", spec->warmup);
	row_fmt(r, "%zu", res->ntasks);
	row_fmt(r, "%zu", res->completed);
	row_fmt(r, "%zu", res->failed);
	row_double(r, res->wall_s);
	row_double(r, res->spawn_s);
	row_double(r, res->user_s);
	row_double(r, res->sys_s);
	row_fmt(r, "%ld", res->max_rss_kb);
	row_fmt(r, "%ld", res->nvcsw);
	row_fmt(r, "%ld", res->nivcsw);
	row_double(r, res->ideal_s);
	row_str(r, run_status_name(res->status));
	row_str(r, res->message);
	/* schema 2 */
	row_fmt(r, "%d", res->ideal_exact);
	row_fmt(r, "%ld", res->mem_kb);
	row_fmt(r, "%ld", res->minflt);
	row_fmt(r, "%ld", res->majflt);
	row_double(r, res->task_cpu_s);
	row_double(r, res->task_wall_s);
	row_double(r, res->others_cpu_s);
	row_double(r, res->steal_s);
	row_double(r, res->psi_cpu_some_s);
	row_double(r, res->load1);
	row_fmt(r, "%llu", spec->seed);
	row_fmt(r, "%u", spec->order);
	row_double(r, res->window_s);
}

long record_format_run(const struct machine *m, const struct run_spec *spec,
		       const struct run_result *res, const char *params, char *buf, size_t cap)
{
	struct row r = { .used = 0 };

	format_run_row(&r, m, spec, res, params);
	if (r.overflow || r.used + 2 > cap)
		return -E2BIG;
	memcpy(buf, r.buf, r.used);
	buf[r.used] = '\n';
	buf[r.used + 1] = '\0';
	return (long)r.used + 1;
}

static int write_run_row(struct recorder *rec, const struct run_spec *spec,
			 const struct run_result *res, const char *params)
{
	struct row r = { .used = 0 };

	format_run_row(&r, rec->machine, spec, res, params);
	return row_write(rec->runs_fd, &r);
}

static double rel_s(int64_t t, int64_t t0)
{
	return t ? ns_to_s(t - t0) : NAN;
}

static int write_task_row(struct recorder *rec, const struct run_spec *spec,
			  const struct run_result *res, const struct task_result *t, int64_t t0)
{
	struct row r = { .used = 0 };

	row_fmt(&r, "%d", RECORD_SCHEMA);
	row_str(&r, res->id);
	row_str(&r, rec->machine->host);
	row_str(&r, spec->workload->name);
	row_str(&r, spec->mode->name);
	row_fmt(&r, "%u", res->workers);
	row_str(&r, pin_policy_name(spec->pin));
	row_fmt(&r, "%u", spec->rep);
	row_fmt(&r, "%d", spec->warmup);
	row_fmt(&r, "%d", t->index);
	if (t->status == TASK_PENDING || !t->start_ns) {
		for (int i = 0; i < 5; i++)   /* worker, pid, tid, cpu_start, cpu_end */
			row_str(&r, "");
		row_fmt(&r, "%d", t->planned_pu);
	} else {
		row_fmt(&r, "%d", t->worker);
		row_fmt(&r, "%d", t->pid);
		row_fmt(&r, "%d", t->tid);
		row_fmt(&r, "%d", t->cpu_start);
		row_fmt(&r, "%d", t->cpu_end);
		row_fmt(&r, "%d", t->planned_pu);
	}
	row_double(&r, rel_s(t->submit_ns, t0));
	row_double(&r, rel_s(t->start_ns, t0));
	row_double(&r, rel_s(t->end_ns, t0));
	row_double(&r, t->start_ns ? ns_to_s(t->cpu_ns) : NAN);
	for (int s = 0; s < NSTAGES; s++)
		row_double(&r, t->stage_s[s] > 0 ? t->stage_s[s] : NAN);
	row_str(&r, task_status_name(t->status));
	row_str(&r, t->message);
	return row_write(rec->tasks_fd, &r);
}

int record_run(struct recorder *rec, const struct run_spec *spec, const struct run_result *r,
	       const char *params)
{
	int rc = 0, e;

	rec->failed_path = NULL;
	for (size_t i = 0; i < r->ntasks; i++) {
		e = write_task_row(rec, spec, r, &r->results[i], r->t0_ns);
		if (e && !rc) {
			rc = e;
			rec->failed_path = rec->tasks_path;
		}
	}
	e = write_run_row(rec, spec, r, params);
	if (e && !rc) {
		rc = e;
		rec->failed_path = rec->runs_path;
	}
	return rc;
}
