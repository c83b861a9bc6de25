/*
 * dispatch — rank 0 of an mpi run, inside the MPI job: it hands one task
 * index to each worker rank, and the next one to whichever worker sends a
 * result back (MPI_Send/MPI_Recv with tags), so uneven tasks balance like
 * a pool, and it streams the @bench-mpi lines to bench on its stdout
 * (mpirun forwards them from wherever rank 0 runs).  It waits with
 * MPI_Iprobe, spinning briefly and then napping, so that it does not burn
 * a core that a worker needs.  Under the user's own mpirun, rank 0 is
 * bench's agent (mpi_agent_main()), which runs the same dispatcher once
 * per command the driver sends.
 */
#include "modes/mpi/mpi.h"

#include <unistd.h>

#ifdef BENCH_HAVE_MPI
#include "modes/mpi/ranks.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "bench/api/clock.h"
#include "bench/api/path.h"
#include "bench/api/rank.h"

static void wait_message(int source, int tag, MPI_Status *st)
{
	mpi_wait(source, tag, st, INT64_MAX);
}

/* Wait for a @tag message of @len bytes from any rank into @buf; its sender. */
static int recv_any(int tag, void *buf, int len)
{
	MPI_Status st;

	wait_message(MPI_ANY_SOURCE, tag, &st);
	MPI_Recv(buf, len, MPI_BYTE, st.MPI_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	return st.MPI_SOURCE;
}

struct dispatcher {
	size_t ntasks, next;
	int nranks;
	char (*hosts)[MPI_HOST_MAX];
	int64_t *offset;            /* rank 0 clock - that rank's clock */
	char *out;
	size_t used, cap;
};

static void flush_lines(struct dispatcher *d)
{
	/* bench gone: nothing to tell; the job ends with it */
	fd_write_full(STDOUT_FILENO, d->out, d->used);
	d->used = 0;
}

static void emit(struct dispatcher *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(struct dispatcher *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (d->cap - d->used < MPI_LINE_MAX)
		flush_lines(d);
	va_start(ap, fmt);
	n = vsnprintf(d->out + d->used, d->cap - d->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		d->used += (size_t)n < d->cap - d->used ? (size_t)n : d->cap - d->used - 1;
}

/* Measure each remote rank's clock against ours (one ping). */
static void measure_clocks(struct dispatcher *d)
{
	for (int r = 1; r < d->nranks; r++) {
		int64_t t1, t2, theirs = 0;

		if (!strcmp(d->hosts[r], d->hosts[0]))
			continue;
		t1 = clock_now_ns();
		MPI_Send(&t1, 1, MPI_INT64_T, r, TAG_CLOCK, MPI_COMM_WORLD);
		MPI_Recv(&theirs, 1, MPI_INT64_T, r, TAG_CLOCK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		t2 = clock_now_ns();
		d->offset[r] = (t1 + t2) / 2 - theirs;
	}
}

/* Give rank @r its next task, or nothing when none is left (-1 on return). */
static int assign(struct dispatcher *d, int r, int64_t *idx)
{
	if (d->next >= d->ntasks)
		return -1;
	*idx = (int64_t)d->next++;
	emit(d, MPI_LINE_TAG "run %" PRId64 " %d %s\n", *idx, r, d->hosts[r]);
	return 0;
}

static void send_stop(int nranks)
{
	int64_t stop = -1;

	for (int r = 1; r < nranks; r++)
		MPI_Send(&stop, 1, MPI_INT64_T, r, TAG_TASK, MPI_COMM_WORLD);
}

static void emit_record(struct dispatcher *d, int r, struct mpi_record *m)
{
	char hex[2 * sizeof(m->res) + 1];

	if (m->res.start_ns)
		m->res.start_ns += d->offset[r];
	if (m->res.end_ns)
		m->res.end_ns += d->offset[r];
	mpi_hex_encode(&m->res, sizeof(m->res), hex);
	m->host[MPI_HOST_MAX - 1] = '\0';
	emit(d, MPI_LINE_TAG "res %d %s %s\n", r, m->host, hex);
}

static void emit_usage(struct dispatcher *d, int rank, struct mpi_usage *u)
{
	u->host[MPI_HOST_MAX - 1] = '\0';
	emit(d, MPI_LINE_TAG "usage %d %s %.6f %.6f %" PRId64 " %" PRId64 " %" PRId64 "\n", rank,
	     u->host, u->user_s, u->sys_s, u->maxrss_kb, u->nvcsw, u->nivcsw);
}

static int dispatch(struct dispatcher *d)
{
	int64_t *task = calloc((size_t)d->nranks, sizeof(*task));
	char *idle = calloc((size_t)d->nranks, 1);
	size_t outstanding = 0;
	struct mpi_record m;

	if (!task || !idle) {
		free(task);
		free(idle);
		return -ENOMEM;
	}
	for (int r = 1; r < d->nranks; r++)
		idle[r] = 1;
	for (;;) {
		MPI_Status st;
		int flag = 1;

		/* hand out work to idle ranks: the run lines go out first */
		for (int r = 1; r < d->nranks; r++)
			if (idle[r] && !assign(d, r, &task[r]))
				idle[r] = 0;
		flush_lines(d);
		for (int r = 1; r < d->nranks; r++)
			if (!idle[r] && task[r] >= 0) {
				MPI_Send(&task[r], 1, MPI_INT64_T, r, TAG_TASK, MPI_COMM_WORLD);
				task[r] = -1;
				outstanding++;
			}
		if (!outstanding)
			break;
		/* wait for one result, then take every other one already here */
		wait_message(MPI_ANY_SOURCE, TAG_RESULT, &st);
		while (flag) {
			MPI_Recv(&m, sizeof(m), MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			emit_record(d, st.MPI_SOURCE, &m);
			idle[st.MPI_SOURCE] = 1;
			task[st.MPI_SOURCE] = -1;
			outstanding--;
			MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
		}
	}
	emit(d, MPI_LINE_TAG "done\n");
	flush_lines(d);
	send_stop(d->nranks);
	free(task);
	free(idle);
	return 0;
}

int mpi_dispatch(const struct mpi_args *a, int nranks)
{
	struct dispatcher d = { .ntasks = a->ntasks, .nranks = nranks, .cap = 1 << 16 };
	struct mpi_usage u;
	struct rusage u0;
	int failed = 0;

	rank_rss_reset();
	getrusage(RUSAGE_SELF, &u0);

	d.hosts = calloc((size_t)nranks, sizeof(*d.hosts));
	d.offset = calloc((size_t)nranks, sizeof(*d.offset));
	d.out = malloc(d.cap);
	if (!d.hosts || !d.offset || !d.out) {
		MPI_Abort(MPI_COMM_WORLD, 1);
		return 1;
	}
	mpi_host_name(d.hosts[0], MPI_HOST_MAX);
	for (int k = 1; k < nranks; k++) {
		struct mpi_ready rd;
		int from = recv_any(TAG_READY, &rd, sizeof(rd));

		rd.host[MPI_HOST_MAX - 1] = rd.err[sizeof(rd.err) - 1] = '\0';
		snprintf(d.hosts[from], MPI_HOST_MAX, "%s", rd.host);
		if (failed)
			continue;
		if (rd.rc) {
			emit(&d, MPI_LINE_TAG "error rank %d on %s: %s\n", from, rd.host, rd.err);
			failed = 1;
		} else if ((size_t)rd.ntasks != a->ntasks) {
			emit(&d, MPI_LINE_TAG "error rank %d on %s: %s has %" PRId64 " tasks there, "
			     "%zu here (different inputs on that host?)\n", from, rd.host,
			     a->spec.workload, rd.ntasks, a->ntasks);
			failed = 1;
		}
	}
	if (failed) {
		flush_lines(&d);
		send_stop(nranks);
	} else {
		measure_clocks(&d);
		emit(&d, MPI_LINE_TAG "ready %s %" PRId64 "\n", d.hosts[0], clock_now_ns());
		if (dispatch(&d))
			MPI_Abort(MPI_COMM_WORLD, 1);
	}
	/* each rank's resource use, once it has stopped, then this one's */
	for (int k = 1; k < nranks; k++) {
		int from = recv_any(TAG_USAGE, &u, sizeof(u));

		emit_usage(&d, from, &u);
	}
	mpi_usage_since(&u0, d.hosts[0], &u);
	emit_usage(&d, 0, &u);
	flush_lines(&d);
	free(d.out);
	free(d.offset);
	free(d.hosts);
	return 0;
}


/* Rank 0 under the user's mpirun: runs each command bench's driver sends. */
void mpi_agent_main(int cmd_fd, int out_fd, char *argv0, pid_t driver)
{
	struct dispatcher d = { .cap = 4096 };
	int size = 1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != driver)
		_exit(1);
	signal(SIGINT, SIG_IGN);   /* the driver decides; it kills us if need be */
	if (dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(1);
	close(out_fd);
	d.out = malloc(d.cap);
	if (!d.out)
		_exit(1);
	MPI_Init(NULL, NULL);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	/* every rank is up and connected: the driver may start timing */
	MPI_Barrier(MPI_COMM_WORLD);
	emit(&d, MPI_LINE_TAG "up\n");
	flush_lines(&d);
	for (;;) {
		uint32_t head[2];
		struct mpi_args a;
		unsigned workers = 0;
		char *msg, *copy;

		if (fd_read_full(cmd_fd, head, sizeof(head)) != sizeof(head))
			break;   /* the driver is done */
		msg = malloc(sizeof(head) + head[1]);
		if (!msg)
			MPI_Abort(MPI_COMM_WORLD, 1);
		memcpy(msg, head, sizeof(head));
		if (fd_read_full(cmd_fd, msg + sizeof(head), head[1]) != (ssize_t)head[1]) {
			free(msg);
			break;
		}
		/* parsing cuts what it reads: parse a copy, forward the original */
		copy = malloc(sizeof(head) + head[1]);
		if (!copy)
			MPI_Abort(MPI_COMM_WORLD, 1);
		memcpy(copy, msg, sizeof(head) + head[1]);
		if (mpi_command_parse(argv0, copy, sizeof(head) + head[1], &a, &workers) ||
		    workers < 1 || workers >= (unsigned)size) {
			/* the driver checked the same options: a bug, but not the
			 * job's end; the ranks never hear of this run */
			emit(&d, MPI_LINE_TAG "error rank 0 cannot read bench's command for %u "
			     "worker%s (%d ranks)\n", workers, workers == 1 ? "" : "s", size);
		} else {
			for (unsigned r = 1; r <= workers; r++)
				MPI_Send(msg, (int)(sizeof(head) + head[1]), MPI_BYTE, (int)r,
					 TAG_COMMAND, MPI_COMM_WORLD);
			mpi_dispatch(&a, (int)workers + 1);
		}
		emit(&d, MPI_LINE_TAG "idle\n");
		flush_lines(&d);
		mpi_args_free(&a);
		free(copy);
		free(msg);
	}
	for (int r = 1; r < size; r++)
		MPI_Send(NULL, 0, MPI_BYTE, r, TAG_COMMAND, MPI_COMM_WORLD);
	MPI_Finalize();
	_exit(0);
}


#else /* !BENCH_HAVE_MPI */

void mpi_agent_main(int cmd_fd, int out_fd, char *argv0, pid_t driver)
{
	(void)cmd_fd;
	(void)out_fd;
	(void)argv0;
	(void)driver;
	_exit(1);   /* never started without Open MPI */
}

#endif
