/*
 * launch — the driver's side of one mpi run: the state it keeps while
 * mpirun (launch.c) or the agent (agent.c) runs the ranks, and how
 * collect.c reads what they say and settles every task.
 */
#ifndef BENCH_MODES_MPI_LAUNCH_H
#define BENCH_MODES_MPI_LAUNCH_H

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "bench/api/child.h"
#include "bench/api/job.h"
#include "modes/mpi/protocol.h"

#define KILL_GRACE_NS 3000000000LL     /* SIGTERM, then SIGKILL */

/* Why the driver killed mpirun. */
enum mpi_kill {
	KILL_NONE,
	KILL_STOP,       /* Ctrl-C */
	KILL_TIMEOUT,    /* a task outlived --task-timeout */
	KILL_LAUNCH,     /* the ranks were not up within the launch timeout */
	KILL_ABORT,      /* mpirun announced an abort but did not end */
};

struct linebuf {
	char buf[MPI_LINE_MAX + 1];
	size_t len;
};

struct mpi_launch {
	struct job *job;
	int agent;                     /* reading the persistent agent, not mpirun */
	unsigned nranks;
	struct child_set *set;         /* mpirun's (launch.c), or the agent's (agent.c) */
	pid_t pid;
	int exited;                    /* reaped: @wstatus and @ru say how it went */
	struct rusage ru;
	int out_fd, err_fd;
	struct linebuf out, err;
	int64_t *held;                 /* [nranks]: task each rank runs, -1 none */
	int64_t *since;                /* [nranks]: when the driver learnt it */
	char (*hosts)[MPI_HOST_MAX];   /* [nranks] */
	char *delivered;               /* [ntasks] */
	int ready, done, idle;
	int64_t offset_ns;             /* driver clock - rank 0 clock */
	char host[MPI_HOST_MAX];
	char error[512];
	/* what mpirun said about the rank that ended the job */
	int dead_rank, dead_signal, dead_exit;
	int in_banner;
	char banner[4096];
	size_t banner_len;
	enum mpi_kill killed;
	int timeout_rank;
	int64_t kill_ns;
	int64_t launch_ns;             /* when mpirun was started */
	int64_t abort_ns;              /* when mpirun said it aborts the job (0: not yet) */
	double launch_timeout_s;
	int wstatus;                   /* -1: unknown */
};

/* The first mpirun in $PATH, or -ENOENT. */
int mpi_find_mpirun(void);
/*
 * Start `mpirun ... __mpi-worker ...` for @l->job with @l->nranks ranks, in
 * a session of its own, the one child of a child_set: fills @l's set,
 * pid and output fds.  0 or -errno.
 */
int mpi_launch_start(struct mpi_launch *l);

/* child_reap()'s callback for @l's set (@arg is @l): mpirun or the agent ended. */
void mpi_launch_reaped(const struct child_exit *e, void *arg);

/*
 * Signal what mpi_run() started: mpirun (@group: and every process of its
 * session), or the agent.  Nothing once it is reaped (its pid may be
 * someone else's by then); until then its pid is its own, as nothing in
 * bench reaps a child that is not in its own set.
 */
void mpi_launch_signal(const struct mpi_launch *l, int sig, int group);
/* Send @sig to every process of session @sid (mpirun's: ssh, daemons). */
void mpi_kill_session(pid_t sid, int sig);

/* How a process ended, from its wait status (-1: unknown). */
void mpi_describe_end(int wstatus, char *buf, size_t len);

/*
 * Read what mpirun or the agent says until the run is over (mpirun gone,
 * or the agent idle), delivering each result, timing out tasks and
 * killing on Ctrl-C.  0 or -errno.
 */
int mpi_collect(struct mpi_launch *l);
/* mpirun ended before "done": name what happened to each task left. */
void mpi_settle_abort(struct mpi_launch *l);

#endif
