/*
 * mpi_rank — the MPI side of the mpi mode: the code that runs inside the
 * ranks, and the only file that includes <mpi.h> (modes/mpi/mpi.c, bench's
 * side, launches them and reads what they say; its top comment has the
 * whole protocol).
 *
 *   - rank 0, the dispatcher: deals task indices to the worker ranks as they
 *     free up and streams @bench-mpi lines to bench on its stdout;
 *   - ranks 1..W: prepare the workload from bench's own options, run the
 *     tasks they are sent, send back fixed-size records;
 *   - under the user's own mpirun: rank 0's agent (forked by bench's driver)
 *     and the worker ranks that wait for one command per mpi run.
 *
 * Built without Open MPI, only stubs are left.
 */
#include "modes/mpi/mpi_rank.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench/core/cli.h"
#include "bench/api/clock.h"
#include "bench/core/config.h"
#include "bench/api/mode.h"
#include "bench/api/path.h"
#include "bench/sys/pin.h"
#include "bench/core/registry.h"
#include "bench/core/run.h"
#include "bench/sys/message.h"
#include "modes/mpi/mpi.h"

#ifdef BENCH_HAVE_MPI
#include <mpi.h>


enum {
	TAG_READY = 1,
	TAG_CLOCK,      /* rank 0 -> worker: send me your clock; and the reply */
	TAG_TASK,       /* rank 0 -> worker: an index, -1 = stop */
	TAG_RESULT,     /* worker -> rank 0: struct mpi_record */
	TAG_COMMAND,    /* agent -> worker (the user's mpirun): one run; empty = end */
	TAG_USAGE,      /* worker -> agent: struct mpi_usage, after a run */
};

static const char hexdigits[] = "0123456789abcdef";

#define SPIN_NS 200000          /* wait this long busily (yielding), then nap */
#define NAP_MAX_NS 1000000
#define IDLE_NS 1000000000LL    /* waiting for a command longer than this: */
#define IDLE_NAP_NS 10000000    /* nap up to 10 ms (a rank idle between runs) */

struct mpi_ready {
	int32_t rc;                 /* 0, or -errno with @err */
	int64_t ntasks;
	char host[MPI_HOST_MAX];
	char err[256];
};

struct mpi_record {
	struct task_result res;
	char host[MPI_HOST_MAX];
};

struct mpi_usage {
	double user_s, sys_s;
	int64_t maxrss_kb, nvcsw, nivcsw;
	char host[MPI_HOST_MAX];
};

struct worker_args {
	const char *workload;
	size_t ntasks;
	int inject;
	long inject_task;
	int pin;
	struct config cfg;
};

/*
 * Wait for a message with @tag from @source without spinning forever:
 * Open MPI's blocking receive polls at 100% CPU, which on a full machine
 * takes a core from the workers.  After @idle_ns, naps grow to
 * IDLE_NAP_NS instead of NAP_MAX_NS.
 */
static void wait_message_idle(int source, int tag, MPI_Status *st, int64_t idle_ns)
{
	int64_t t0 = clock_now_ns(), waited;
	long nap = 0;
	int flag = 0;

	for (;;) {
		MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, st);
		if (flag)
			return;
		waited = clock_now_ns() - t0;
		if (waited < SPIN_NS) {
			sched_yield();   /* a rank we wait for may need this core */
			continue;
		}
		long most = waited < idle_ns ? NAP_MAX_NS : IDLE_NAP_NS;
		nap = nap ? (nap * 2 > most ? most : nap * 2) : 10000;
		nanosleep(&(struct timespec){ 0, nap }, NULL);
	}
}

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* What this rank used since @u0 (and its peak memory since the reset). */
static void usage_since(const struct rusage *u0, const char *host, struct mpi_usage *u)
{
	struct rusage u1;

	getrusage(RUSAGE_SELF, &u1);
	*u = (struct mpi_usage){
		.user_s = tv_seconds(u1.ru_utime) - tv_seconds(u0->ru_utime),
		.sys_s = tv_seconds(u1.ru_stime) - tv_seconds(u0->ru_stime),
		.maxrss_kb = run_rss_peak_kb(),
		.nvcsw = u1.ru_nvcsw - u0->ru_nvcsw,
		.nivcsw = u1.ru_nivcsw - u0->ru_nivcsw,
	};
	snprintf(u->host, sizeof(u->host), "%s", host);
}

static void wait_message(int source, int tag, MPI_Status *st)
{
	wait_message_idle(source, tag, st, INT64_MAX);
}

/* Wait for a @tag message of @len bytes from any rank into @buf; its sender. */
static int recv_any(int tag, void *buf, int len)
{
	MPI_Status st;

	wait_message(MPI_ANY_SOURCE, tag, &st);
	MPI_Recv(buf, len, MPI_BYTE, st.MPI_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	return st.MPI_SOURCE;
}

/* ---------------------------------------------------------- rank 0 */

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
	const unsigned char *p = (const unsigned char *)&m->res;

	if (m->res.start_ns)
		m->res.start_ns += d->offset[r];
	if (m->res.end_ns)
		m->res.end_ns += d->offset[r];
	for (size_t i = 0; i < sizeof(m->res); i++) {
		hex[2 * i] = hexdigits[p[i] >> 4];
		hex[2 * i + 1] = hexdigits[p[i] & 15];
	}
	hex[sizeof(hex) - 1] = '\0';
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

static int rank0_main(const struct worker_args *a, int nranks)
{
	struct dispatcher d = { .ntasks = a->ntasks, .nranks = nranks, .cap = 1 << 16 };
	struct mpi_usage u;
	struct rusage u0;
	int failed = 0;

	run_rss_reset();
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
			     a->workload, rd.ntasks, a->ntasks);
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
	usage_since(&u0, d.hosts[0], &u);
	emit_usage(&d, 0, &u);
	flush_lines(&d);
	free(d.out);
	free(d.offset);
	free(d.hosts);
	return 0;
}

/* ---------------------------------------------------------- ranks 1..W */

static int worker_prepare(struct worker_args *a, unsigned nworkers, struct job *job,
			  struct pin_plan **plan, struct mpi_ready *rd)
{
	/* a plug-in is loaded here, in the rank, before it serves a task */
	const struct workload *wl = registry_workload_open(a->workload, rd->err, sizeof(rd->err));
	size_t n = 0;
	int rc;

	if (!wl)
		return -EINVAL;
	rc = wl->prepare(&a->cfg, &job->state, &n, rd->err, sizeof(rd->err));
	if (rc) {
		if (!rd->err[0])
			snprintf(rd->err, sizeof(rd->err), "cannot prepare %s", wl->name);
		return rc;
	}
	rd->ntasks = (int64_t)n;
	job->workload = wl;
	job->ntasks = n;
	job->workers = nworkers;
	job->inject = a->inject;
	job->inject_task = a->inject_task;
	if (a->pin != PIN_NONE && pin_init() == 0 && pin_supported() &&
	    pin_plan_make((enum pin_policy)a->pin, nworkers, plan) == 0)
		job->pin = *plan;
	return 0;
}

static void worker_serve(struct job *job, int rank, const char *host)
{
	struct mpi_record m;

	for (;;) {
		MPI_Status st;
		int64_t idx;

		wait_message(0, MPI_ANY_TAG, &st);
		MPI_Recv(&idx, 1, MPI_INT64_T, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		if (st.MPI_TAG == TAG_CLOCK) {
			idx = clock_now_ns();
			MPI_Send(&idx, 1, MPI_INT64_T, 0, TAG_CLOCK, MPI_COMM_WORLD);
			continue;
		}
		if (idx < 0 || (size_t)idx >= job->ntasks)
			break;
		memset(&m, 0, sizeof(m));
		job_run_task(job, (size_t)idx, (unsigned)rank - 1, &m.res);
		snprintf(m.host, sizeof(m.host), "%s", host);
		MPI_Send(&m, sizeof(m), MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
	}
}

/* One run as rank @rank of @nranks; @a NULL: its arguments could not be read. */
static int worker_main(struct worker_args *a, int rank, int nranks)
{
	struct job job = { 0 };
	struct pin_plan *plan = NULL;
	struct mpi_ready rd = { 0 };
	struct rusage u0;
	struct mpi_usage u;

	/* stdout is rank 0's line stream: send anything we print to stderr */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	run_rss_reset();
	getrusage(RUSAGE_SELF, &u0);
	mpi_host_name(rd.host, sizeof(rd.host));
	if (a) {
		rd.rc = worker_prepare(a, (unsigned)nranks - 1, &job, &plan, &rd);
	} else {
		rd.rc = -EINVAL;
		snprintf(rd.err, sizeof(rd.err), "cannot read rank 0's command");
	}
	MPI_Send(&rd, sizeof(rd), MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
	if (!rd.rc) {
		job_bind_worker(&job, (unsigned)rank - 1, 1);
		worker_serve(&job, rank, rd.host);
	} else {
		int64_t idx;

		MPI_Recv(&idx, 1, MPI_INT64_T, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	}
	if (job.workload && job.workload->finish)
		job.workload->finish(job.state);
	pin_plan_free(plan);
	/* what this rank cost over the run: bench cannot see a rank that is
	 * not its descendant (another host, or the user's mpirun) */
	usage_since(&u0, rd.host, &u);
	MPI_Send(&u, sizeof(u), MPI_BYTE, 0, TAG_USAGE, MPI_COMM_WORLD);
	return 0;
}

static int parse_worker_args(int argc, char **argv, struct worker_args *a)
{
	char err[1024];
	char **rest;
	int nrest;

	if (argc < 8 || strcmp(argv[7], "--")) {
		error("%s is internal to the mpi mode", MPI_WORKER_COMMAND);
		return -EINVAL;
	}
	a->workload = argv[2];
	a->ntasks = strtoull(argv[3], NULL, 10);
	a->inject = atoi(argv[4]);
	a->inject_task = atol(argv[5]);
	a->pin = atoi(argv[6]);
	/* the driver's options, after a program name */
	nrest = argc - 7;
	rest = argv + 7;
	rest[0] = argv[0];
	if (cli_parse(nrest, rest, &a->cfg, err, sizeof(err))) {
		error("%s: %s", MPI_WORKER_COMMAND, err);
		return -EINVAL;
	}
	return 0;
}

int mpi_worker_main(int argc, char **argv)
{
	struct worker_args a;
	int rank = 0, nranks = 0, rc;

	/* our launcher's mpirun is our parent here: die with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	memset(&a, 0, sizeof(a));
	rc = parse_worker_args(argc, argv, &a);
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	if (rc) {
		MPI_Abort(MPI_COMM_WORLD, 2);
		return 2;
	}
	if (rank == 0)
		rc = rank0_main(&a, nranks);
	else
		rc = worker_main(&a, rank, nranks);
	MPI_Finalize();
	/* a rank is a child of ours: no exit handlers (Open MPI leaves its
	 * memory to the OS, which LeakSanitizer would list at exit) */
	fflush(NULL);
	_exit(rc);
}

/* ------------------------------------------ ranks of the user's mpirun */

/*
 * A command (see agent_command()) as an __mpi-worker command line in
 * @a: @msg is u32 workers, u32 length, then the NUL-separated arguments;
 * the arguments point into @msg.  0 or -errno.
 */
static int command_parse(char *argv0, char *msg, size_t len, struct worker_args *a,
			 unsigned *workers)
{
	uint32_t head[2];
	size_t n = 2, off = sizeof(head);
	char **argv;
	int rc;

	if (len < sizeof(head))
		return -EINVAL;
	memcpy(head, msg, sizeof(head));
	if (head[1] != len - sizeof(head) || (head[1] && msg[len - 1]))
		return -EINVAL;
	*workers = head[0];
	for (size_t i = off; i < len; i++)
		n += !msg[i];
	argv = calloc(n + 1, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	argv[0] = argv0;
	argv[1] = MPI_WORKER_COMMAND;
	for (n = 2; off < len; off += strlen(msg + off) + 1)
		argv[n++] = msg + off;
	memset(a, 0, sizeof(*a));
	rc = parse_worker_args((int)n, argv, a);
	free(argv);
	return rc;
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
		struct worker_args a;
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
		/* cli_parse() cuts what it reads: parse a copy, forward the original */
		copy = malloc(sizeof(head) + head[1]);
		if (!copy)
			MPI_Abort(MPI_COMM_WORLD, 1);
		memcpy(copy, msg, sizeof(head) + head[1]);
		if (command_parse(argv0, copy, sizeof(head) + head[1], &a, &workers) ||
		    workers < 1 || workers >= (unsigned)size) {
			/* the driver checked the same options: a bug, but not the
			 * job's end; the ranks never hear of this run */
			emit(&d, MPI_LINE_TAG "error rank 0 cannot read bench's command for %u "
			     "worker%s (%d ranks)\n", workers, workers == 1 ? "" : "s", size);
		} else {
			for (unsigned r = 1; r <= workers; r++)
				MPI_Send(msg, (int)(sizeof(head) + head[1]), MPI_BYTE, (int)r,
					 TAG_COMMAND, MPI_COMM_WORLD);
			rank0_main(&a, (int)workers + 1);
		}
		emit(&d, MPI_LINE_TAG "idle\n");
		flush_lines(&d);
		free(copy);
		free(msg);
	}
	for (int r = 1; r < size; r++)
		MPI_Send(NULL, 0, MPI_BYTE, r, TAG_COMMAND, MPI_COMM_WORLD);
	MPI_Finalize();
	_exit(0);
}

/* Ranks 1.. under the user's mpirun: serve each run rank 0 sends, until told to end. */
void mpi_given_worker_main(char *argv0)
{
	cpu_set_t mask;
	int rank = 0, have_mask = sched_getaffinity(0, sizeof(mask), &mask) == 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	MPI_Init(NULL, NULL);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Barrier(MPI_COMM_WORLD);   /* see mpi_agent_main() */
	for (;;) {
		struct worker_args a;
		unsigned workers = 0;
		MPI_Status st;
		char *msg;
		int len = 0, ok;

		wait_message_idle(0, TAG_COMMAND, &st, IDLE_NS);
		MPI_Get_count(&st, MPI_BYTE, &len);
		msg = malloc((size_t)len + 1);
		if (!msg)
			MPI_Abort(MPI_COMM_WORLD, 1);
		MPI_Recv(msg, len, MPI_BYTE, 0, TAG_COMMAND, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		if (len <= 0) {
			free(msg);
			break;
		}
		ok = !command_parse(argv0, msg, (size_t)len, &a, &workers) && (unsigned)rank <= workers;
		worker_main(ok ? &a : NULL, rank, (int)workers + 1);
		if (have_mask)   /* --pin bound us for that run only */
			sched_setaffinity(0, sizeof(mask), &mask);
		free(msg);
	}
	MPI_Finalize();
	fflush(NULL);
	_exit(0);
}

#else /* !BENCH_HAVE_MPI */

int mpi_worker_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	error("%s: %s", MPI_WORKER_COMMAND, MPI_UNAVAILABLE_REASON);
	return 2;
}

void mpi_agent_main(int cmd_fd, int out_fd, char *argv0, pid_t driver)
{
	(void)cmd_fd;
	(void)out_fd;
	(void)argv0;
	(void)driver;
	_exit(1);   /* never started without Open MPI */
}

void mpi_given_worker_main(char *argv0)
{
	(void)argv0;
	_exit(0);   /* rank 0 says why (see mpi_attach()) */
}

#endif
