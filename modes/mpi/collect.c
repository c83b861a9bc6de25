/*
 * collect — the driver reading one mpi run: the @bench-mpi lines rank 0
 * streams (through mpirun's stdout, or the agent's pipe), mpirun's own
 * reports on its stderr, the deadlines, and how every task is settled
 * when the job ends early.
 *
 * A rank that dies makes mpirun abort the whole job (that is MPI's
 * model).  The driver waits for mpirun's output, its end (a child_set)
 * and the stop fd; when mpirun ends early, the task the dead rank held
 * (from the run lines) is "crashed" with the signal mpirun reports,
 * tasks other ranks held are "skipped", the rest "not run", and the mode
 * returns.  Once
 * mpirun says it aborts the job, no task is timed out any more (the
 * results in flight still come; a task cut off then is not one that
 * hung), and mpirun gets KILL_GRACE_NS to end by itself.  A task past
 * --task-timeout, or Ctrl-C, makes the driver SIGTERM mpirun, then
 * SIGKILL every process of its session.
 */
#include "modes/mpi/launch.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/api/clock.h"

static void on_result(struct mpi_launch *l, char *args)
{
	struct job *job = l->job;
	struct task_result rec;
	char host[MPI_HOST_MAX], msg[TASK_MESSAGE_MAX], *save = NULL;
	char *rank_s = strtok_r(args, " ", &save), *host_s = strtok_r(NULL, " ", &save);
	char *hex = strtok_r(NULL, " ", &save);
	unsigned rank;
	size_t i;

	if (!rank_s || !host_s || !hex || mpi_hex_decode(hex, &rec, sizeof(rec)))
		return;
	rank = (unsigned)strtoul(rank_s, NULL, 10);
	i = (size_t)rec.index;
	if (rec.index < 0 || i >= job->ntasks || l->delivered[i] || rank == 0 || rank >= l->nranks)
		return;
	snprintf(host, sizeof(host), "%s", host_s);
	rec.submit_ns = job->results[i].submit_ns;
	if (l->offset_ns && rec.start_ns) {
		rec.start_ns += l->offset_ns;
		rec.end_ns += l->offset_ns;
	}
	rec.message[sizeof(rec.message) - 1] = '\0';
	snprintf(msg, sizeof(msg), "%s", rec.message);
	task_message(&rec, "rank %u on %s%s%s", rank, host, msg[0] ? ": " : "", msg);
	job->results[i] = rec;
	l->delivered[i] = 1;
	if (l->held[rank] == (int64_t)i)
		l->held[rank] = -1;
	job_deliver(job, i);
}

static void on_line(struct mpi_launch *l, char *line)
{
	char *args;

	if (strncmp(line, MPI_LINE_TAG, strlen(MPI_LINE_TAG))) {
		fprintf(stderr, "%s\n", line);   /* not ours: the user should see it */
		return;
	}
	line += strlen(MPI_LINE_TAG);
	args = line + strcspn(line, " ");
	if (*args)
		*args++ = '\0';
	if (!strcmp(line, "res")) {
		on_result(l, args);
	} else if (!strcmp(line, "run")) {
		unsigned long i = 0, rank = 0;
		char host[MPI_HOST_MAX] = "";

		if (sscanf(args, "%lu %lu %63s", &i, &rank, host) == 3 && rank < l->nranks &&
		    i < l->job->ntasks) {
			l->held[rank] = (int64_t)i;
			l->since[rank] = clock_now_ns();
			snprintf(l->hosts[rank], MPI_HOST_MAX, "%s", host);
		}
	} else if (!strcmp(line, "ready")) {
		char host[MPI_HOST_MAX] = "";
		int64_t clock = 0;

		if (sscanf(args, "%63s %" SCNd64, host, &clock) == 2 && strcmp(host, l->host))
			l->offset_ns = clock_now_ns() - clock;
		snprintf(l->hosts[0], MPI_HOST_MAX, "%s", host);
		l->ready = 1;
		l->job->spawn_ns = clock_now_ns();
	} else if (!strcmp(line, "error")) {
		snprintf(l->error, sizeof(l->error), "%s", args);
	} else if (!strcmp(line, "done")) {
		l->done = 1;
	} else if (!strcmp(line, "usage")) {
		unsigned rank = 0;
		double user = 0, sys = 0;
		long rss = 0, nv = 0, niv = 0;
		char host[MPI_HOST_MAX] = "";

		/* a rank mpirun started here is in our children's rusage already */
		if (sscanf(args, "%u %63s %lf %lf %ld %ld %ld", &rank, host, &user, &sys, &rss, &nv,
			   &niv) == 7 && rank < l->nranks &&
		    (l->agent || strcmp(host, l->host))) {
			l->job->remote.user_s += user;
			l->job->remote.sys_s += sys;
			l->job->remote.nvcsw += nv;
			l->job->remote.nivcsw += niv;
			/* ours under the user's mpirun, but on this host: not "others" */
			if (!strcmp(host, l->host))
				l->job->remote.here_s += user + sys;
			if (rss > 0) {
				l->job->child_rss_kb += rss;
				l->job->child_own_kb += rss;   /* shares no page with us */
			}
		}
	} else if (!strcmp(line, "idle")) {
		l->idle = 1;
	}
}

/*
 * mpirun's own reports come as blocks between lines of dashes: keep them
 * (printed at the end unless a rank death or our kill explains them) and
 * pick out which rank ended the job and how.
 */
static void on_err_line(struct mpi_launch *l, char *line)
{
	int rank, sig, code;
	const char *p;

	if (!strncmp(line, "-----", 5)) {
		l->in_banner = !l->in_banner;
		return;
	}
	if (!l->in_banner) {
		fprintf(stderr, "%s\n", line);
		return;
	}
	if (l->banner_len + strlen(line) + 2 < sizeof(l->banner))
		l->banner_len += (size_t)snprintf(l->banner + l->banner_len,
						  sizeof(l->banner) - l->banner_len, "%s\n", line);
	/* the job is ending: no task can report any more, none is late */
	if (!l->abort_ns && (strstr(line, "has been aborted") || strstr(line, "noticed that process") ||
			     strstr(line, "MPI_ABORT was invoked")))
		l->abort_ns = clock_now_ns();
	p = strstr(line, "process rank ");
	if (p && sscanf(p, "process rank %d", &rank) == 1)
		l->dead_rank = rank;
	p = strstr(line, "exited on signal ");
	if (p && sscanf(p, "exited on signal %d", &sig) == 1)
		l->dead_signal = sig;
	p = strstr(line, "Process name:");
	if (p && (p = strrchr(p, ',')) && sscanf(p + 1, "%d", &rank) == 1)
		l->dead_rank = rank;
	p = strstr(line, "Exit code:");
	if (p && sscanf(p, "Exit code: %d", &code) == 1)
		l->dead_exit = code;
}

/* Read what @fd has, hand each whole line to @fn. 0 at end of file. */
static int read_lines(struct mpi_launch *l, int fd, struct linebuf *b,
		      void (*fn)(struct mpi_launch *, char *))
{
	for (;;) {
		ssize_t n = read(fd, b->buf + b->len, sizeof(b->buf) - 1 - b->len);
		char *start = b->buf, *nl;

		if (n < 0)
			return errno == EINTR ? 1 : (errno == EAGAIN ? 1 : 0);
		if (n == 0) {
			if (b->len) {
				b->buf[b->len] = '\0';
				fn(l, b->buf);
				b->len = 0;
			}
			return 0;
		}
		b->len += (size_t)n;
		b->buf[b->len] = '\0';
		while ((nl = memchr(start, '\n', b->len - (size_t)(start - b->buf)))) {
			*nl = '\0';
			fn(l, start);
			start = nl + 1;
		}
		b->len -= (size_t)(start - b->buf);
		memmove(b->buf, start, b->len);
		if (b->len == sizeof(b->buf) - 1) {   /* a line too long: cut it */
			b->buf[b->len] = '\0';
			fn(l, b->buf);
			b->len = 0;
		}
	}
}

static void kill_mpirun(struct mpi_launch *l, enum mpi_kill why)
{
	if (l->killed)
		return;
	l->killed = why;
	l->kill_ns = clock_now_ns();
	mpi_launch_signal(l, SIGTERM, 0);
}

/* Kill mpirun when a task has outlived --task-timeout; the poll timeout (ms). */
static int check_deadlines(struct mpi_launch *l)
{
	int64_t limit = (int64_t)(l->job->task_timeout_s * 1e9), now = clock_now_ns();
	int64_t next = INT64_MAX;

	if (l->killed) {
		if (now - l->kill_ns >= KILL_GRACE_NS) {
			mpi_launch_signal(l, SIGKILL, 1);
			return -1;
		}
		return (int)((l->kill_ns + KILL_GRACE_NS - now) / 1000000 + 1);
	}
	if (l->abort_ns) {
		/*
		 * A rank died and mpirun aborts the job: Open MPI waits a
		 * moment before it ends the other ranks, and the results in
		 * flight still come (a task timed out now would be one that
		 * finished).  Let it end by itself, or end it after the grace.
		 */
		if (now - l->abort_ns >= KILL_GRACE_NS) {
			kill_mpirun(l, KILL_ABORT);
			return (int)(KILL_GRACE_NS / 1000000);
		}
		return (int)((l->abort_ns + KILL_GRACE_NS - now) / 1000000 + 1);
	}
	if (!l->agent && !l->ready) {
		int64_t launch_limit = l->launch_ns + (int64_t)(l->launch_timeout_s * 1e9);

		if (now >= launch_limit) {
			kill_mpirun(l, KILL_LAUNCH);
			return (int)(KILL_GRACE_NS / 1000000);
		}
		next = launch_limit;
	}
	if (limit <= 0)
		return next == INT64_MAX ? -1 : (int)((next - now) / 1000000 + 1);
	for (unsigned r = 1; r < l->nranks; r++) {
		if (l->held[r] < 0)
			continue;
		if (l->since[r] + limit <= now) {
			l->timeout_rank = (int)r;
			kill_mpirun(l, KILL_TIMEOUT);
			return (int)(KILL_GRACE_NS / 1000000);
		}
		if (l->since[r] + limit < next)
			next = l->since[r] + limit;
	}
	return next == INT64_MAX ? -1 : (int)((next - now) / 1000000 + 1);
}

/* Settle task @i, which rank @rank (0: none) held when the job ended. */
static void settle(struct mpi_launch *l, size_t i, unsigned rank, int status, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void settle(struct mpi_launch *l, size_t i, unsigned rank, int status, const char *fmt, ...)
{
	struct task_result *r = &l->job->results[i];
	va_list ap;

	if (l->delivered[i])
		return;
	r->index = (int32_t)i;
	if (rank) {
		r->worker = (int32_t)rank - 1;
		r->start_ns = l->since[rank];   /* when the driver learnt it started */
	}
	r->status = status;
	r->end_ns = clock_now_ns();
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	l->delivered[i] = 1;
	job_deliver(l->job, i);
}

void mpi_settle_abort(struct mpi_launch *l)
{
	struct job *job = l->job;
	char why[160], how[96];
	int dead = l->killed == KILL_TIMEOUT ? l->timeout_rank : l->dead_rank;

	if (l->dead_signal)
		snprintf(how, sizeof(how), "killed by SIG%s", sigabbrev_np(l->dead_signal));
	else if (l->dead_exit)
		snprintf(how, sizeof(how), "exited with code %d mid-task", l->dead_exit);
	else
		mpi_describe_end(l->wstatus, how, sizeof(how));
	if (l->killed == KILL_STOP)
		snprintf(why, sizeof(why), "interrupted by SIG%s before it finished (%s killed)",
			 sigabbrev_np(job_stop_signal()), l->agent ? "rank 0" : "mpirun");
	else if (l->agent && dead > 0)
		snprintf(why, sizeof(why), "bench killed rank 0 when rank %d timed out, so the "
			 "result is lost", dead);
	else if (dead > 0)
		snprintf(why, sizeof(why), "mpirun aborted the job when rank %d %s", dead,
			 l->killed == KILL_TIMEOUT ? "timed out" : "died");
	else if (l->agent)
		snprintf(why, sizeof(why), "the MPI job's rank 0 ended early (%s)", how);
	else
		snprintf(why, sizeof(why), "mpirun ended early (%s)", how);

	for (unsigned r = 1; r < l->nranks; r++) {
		size_t i = (size_t)l->held[r];

		if (l->held[r] < 0)
			continue;
		if (l->killed == KILL_STOP)
			settle(l, i, r, TASK_SKIPPED, "rank %u on %s: %s", r, l->hosts[r], why);
		else if (l->killed == KILL_TIMEOUT && (int)r == dead)
			settle(l, i, r, TASK_TIMEOUT, "rank %u on %s: timed out after %g s: %s", r,
			       l->hosts[r], job->task_timeout_s, l->agent ?
			       "rank 0 killed, no more mpi runs" : "mpirun killed, the job ends");
		else if ((int)r == dead || dead <= 0)
			settle(l, i, r, TASK_CRASHED, "rank %u on %s: worker %s; %s", r, l->hosts[r],
			       how, l->agent ? "rank 0 ended" : "mpirun aborted the job");
		else
			settle(l, i, r, TASK_SKIPPED, "rank %u on %s: killed: %s", r, l->hosts[r], why);
		l->held[r] = -1;
	}
	if (l->killed == KILL_STOP)
		return;   /* the rest stay "not_run" */
	for (size_t i = 0; i < job->ntasks; i++)
		settle(l, i, 0, TASK_SKIPPED, "not run: %s", why);
}

int mpi_collect(struct mpi_launch *l)
{
	int out_open = 1, err_open = l->err_fd >= 0, exited = 0;

	while ((!exited || out_open || err_open) && !l->idle) {
		struct pollfd fds[3];
		int timeout, rc;

		/* take in what has arrived before judging anything late */
		if (out_open && !l->killed)
			out_open = read_lines(l, l->out_fd, &l->out, on_line);
		if (l->idle)
			break;
		fds[0] = (struct pollfd){ .fd = out_open ? l->out_fd : -1, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = err_open ? l->err_fd : -1, .events = POLLIN };
		fds[2] = (struct pollfd){ .fd = l->killed ? -1 : job_stop_fd(), .events = POLLIN };
		if (job_stopping())
			kill_mpirun(l, KILL_STOP);
		timeout = check_deadlines(l);
		if (exited) {
			/* drain what is buffered, don't wait for EOF */
			if (poll(fds, 3, 0) < 0 && errno != EINTR)
				return -errno;
		} else {
			rc = child_wait(l->set, fds, 3, timeout < 0 ? INT64_MAX :
					clock_now_ns() + (int64_t)timeout * 1000000);
			if (rc)
				return rc;
		}
		if (out_open && (fds[0].revents || exited))
			out_open = read_lines(l, l->out_fd, &l->out, on_line);
		if (err_open && (fds[1].revents || exited))
			err_open = read_lines(l, l->err_fd, &l->err, on_err_line);
		if (!exited) {
			rc = child_reap(l->set, mpi_launch_reaped, l);
			if (rc < 0)
				return rc;
			if (l->exited) {
				/* mpirun is gone: what it wrote is all in the pipes */
				exited = 1;
				continue;
			}
		}
		if (exited)
			break;
	}
	return 0;
}
