/*
 * mpi — workers are the ranks of an Open MPI job: rank 0 deals the tasks
 * out, ranks 1..W run them, on this machine or on several (distributed
 * memory: nothing is shared, everything is a message).
 *
 * This file is the mode; the rest of modes/mpi/ is, on bench's side,
 * launch.c (start and end mpirun), collect.c (read what the ranks say,
 * settle every task) and agent.c (the ranks of the user's own mpirun);
 * protocol.c, what travels between the processes; and inside the ranks,
 * the only files that see <mpi.h>, rank.c (the worker ranks) and
 * dispatch.c (rank 0).
 *
 * How a run goes (the launching path: `bench --modes mpi --workers W`):
 *
 *   bench (driver) --fork+execvp--> mpirun -np W+1 --oversubscribe --bind-to none
 *        [--hostfile F] /proc/self/exe's path __mpi-worker WORKLOAD NTASKS
 *        INJECT INJECT_TASK PIN -- <the driver's own options>
 *
 *   - every worker rank parses the driver's options again and prepares
 *     the named workload itself (so the same binary path, and for images
 *     a folder every host can read, must exist on every host), then
 *     reports ready with its task count, host name and clock (rank.c);
 *   - rank 0, the dispatcher, prepares nothing: it hands one task index to
 *     each worker, and the next one to whichever worker sends a result back
 *     (MPI_Send/MPI_Recv with tags), so uneven tasks balance like a pool.
 *     It waits with MPI_Iprobe, spinning briefly and then napping, so that
 *     it does not burn a core that a worker needs (dispatch.c);
 *   - results are the same fixed-size struct task_result records as
 *     procpool's, plus the host name.  Rank 0 streams them to the driver
 *     as text lines on its stdout, which mpirun forwards from wherever
 *     rank 0 runs (a pipe or FIFO would only work on this host):
 *
 *       @bench-mpi ready HOST CLOCK_NS      every rank prepared (spawn time)
 *       @bench-mpi run INDEX RANK HOST      sent before the task is
 *       @bench-mpi res RANK HOST HEX        the record, hex-encoded
 *       @bench-mpi error MESSAGE            a rank could not prepare
 *       @bench-mpi done
 *       @bench-mpi usage RANK HOST USER_S SYS_S MAXRSS_KB NVCSW NIVCSW
 *                                           per rank, rank 0 last, once all stopped
 *
 *     The driver delivers each record with job_deliver() as its line
 *     arrives: completion order, live.  Worker ranks send their own stdout
 *     to stderr, so rank 0's lines never interleave with anything.
 *   - worker = rank - 1 (one lane per rank); the message column starts with
 *     "rank R on HOST", since the tasks CSV's host column is the driver's.
 *     Times from another host are moved onto the driver's clock by an
 *     offset measured once per rank (a ping), rank 0's by its ready line.
 *
 * Failures (collect.c has the details): a rank that dies makes mpirun
 * abort the whole job, and the tasks left are settled "crashed",
 * "skipped" or "not run"; a task past --task-timeout, or Ctrl-C, makes
 * the driver end mpirun and every process of its session (launch.c).
 * mpirun dies with the driver (PR_SET_PDEATHSIG).  The launch has a limit of its own: mpirun and every rank must be up and
 * prepared within LAUNCH_TIMEOUT_S (BENCH_MPI_LAUNCH_TIMEOUT=S), else a
 * host that never answers would hold bench forever; past it the run is
 * recorded "error", its tasks "not run", and later mpi runs of this
 * invocation are not tried.
 *
 * Started by the user's own mpirun (`mpirun -np N bench ...`), bench uses
 * the ranks it was given instead: rank 0's driver forks an agent that is
 * rank 0 in MPI terms and sends it one command per mpi run (agent.c).
 *
 * Built without Open MPI, the mode still exports itself, marked
 * unavailable with the reason.
 */
#include "bench/api/mode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "modes/mpi/agent.h"
#include "modes/mpi/launch.h"
#include "modes/mpi/mpi.h"

/*
 * mpirun and all its ranks must be up, prepared and connected within this
 * long (BENCH_MPI_LAUNCH_TIMEOUT=S changes it): a host whose ssh never
 * answers would otherwise hold bench forever.  Generous, since the ranks
 * prepare the workload first (the built-in photos may be made on a host).
 */
#define LAUNCH_TIMEOUT_S 120.0

/* Why mpi runs are refused after a launch timed out ("" while none did). */
static char launch_failed[200];
static double launch_failed_s;

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}


/* ------------------------------------------------------------ the mode */

/* BENCH_MPI_LAUNCH_TIMEOUT, or LAUNCH_TIMEOUT_S: 0, or -EINVAL with @err. */
static int launch_timeout(double *out, char *err, size_t len)
{
	const char *v = getenv("BENCH_MPI_LAUNCH_TIMEOUT");

	*out = LAUNCH_TIMEOUT_S;
	if (!v)
		return 0;
	return option_parse_real("BENCH_MPI_LAUNCH_TIMEOUT", v, 0.1, 1e6, out, err, len);
}

static int mpi_run(struct job *job)
{
	struct mpi_launch l = {
		.job = job, .nranks = job->workers + 1, .pid = -1, .wstatus = -1,
		.out_fd = -1, .err_fd = -1, .dead_rank = -1, .agent = mpi_given_ranks() > 0,
	};
	int rc;

	if (l.agent && mpi_agent_attach(&l))
		return -ENOTCONN;
	if (launch_failed[0]) {
		snprintf(job->error, sizeof(job->error), "not tried: the launch of an earlier mpi run "
			 "timed out (mpirun had not started its ranks after %g s)", launch_failed_s);
		return -ETIMEDOUT;
	}
	if (!l.agent && launch_timeout(&l.launch_timeout_s, job->error, sizeof(job->error)))
		return -EINVAL;
	if (!l.agent && mpi_find_mpirun()) {
		job_error(job, "mpi: cannot find mpirun in PATH "
			"(apt-get install openmpi-bin)");
		return -ENOENT;
	}
	mpi_host_name(l.host, sizeof(l.host));
	l.held = malloc(l.nranks * sizeof(*l.held));
	l.since = calloc(l.nranks, sizeof(*l.since));
	l.hosts = calloc(l.nranks, sizeof(*l.hosts));
	l.delivered = calloc(job->ntasks ? job->ntasks : 1, 1);
	if (!l.held || !l.since || !l.hosts || !l.delivered) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (unsigned r = 0; r < l.nranks; r++)
		l.held[r] = -1;
	for (size_t i = 0; i < job->ntasks; i++)
		job_submit(job, i);

	if (l.agent) {
		rc = mpi_agent_send(job);   /* fails only when the agent is gone */
	} else {
		rc = mpi_launch_start(&l);
		if (rc)
			goto out_free;
	}
	if (!rc)
		rc = mpi_collect(&l);
	if (rc || (l.agent && l.killed))
		mpi_launch_signal(&l, SIGKILL, 1);
	else if (!l.agent && l.killed)
		mpi_kill_session(l.pid, SIGKILL);   /* what mpirun left when it went (ssh...) */
	if (!l.agent || !l.idle || l.killed) {
		/* mpirun is done, or the agent is gone: reap it */
		if (!l.exited && l.set && child_reap_all(l.set, mpi_launch_reaped, &l) < 0)
			l.wstatus = -1;
		if (l.exited) {
			if (!l.agent) {
				job_reaped(job, &l.ru);
			} else {
				/* its whole life is in our children's rusage now, and
				 * would all be charged to this run: take it out */
				job->remote.user_s -= tv_seconds(l.ru.ru_utime);
				job->remote.sys_s -= tv_seconds(l.ru.ru_stime);
				job->remote.nvcsw -= l.ru.ru_nvcsw;
				job->remote.nivcsw -= l.ru.ru_nivcsw;
			}
		}
		if (l.agent)
			mpi_agent_gone(l.killed ? -1 : l.wstatus, l.killed == KILL_TIMEOUT ?
				   "was killed after a task timed out" : l.killed ? "was stopped" :
				   "ended");
	}
	if (rc)
		goto out_close;

	if (l.killed == KILL_LAUNCH) {
		/* its tasks stay pending: the run records them "not run" with this */
		snprintf(launch_failed, sizeof(launch_failed), "mpirun had not started its %u ranks "
			 "after %g s (BENCH_MPI_LAUNCH_TIMEOUT; a host that does not answer?): it and "
			 "all it started were killed", l.nranks, l.launch_timeout_s);
		launch_failed_s = l.launch_timeout_s;
		snprintf(job->error, sizeof(job->error), "%s", launch_failed);
		job_error(job, "mpi: %s%s%s; no more mpi runs are tried", launch_failed,
			option_text(job->cfg, "--hostfile") ? "; the hosts: --hostfile " : "",
			option_text(job->cfg, "--hostfile") ? option_text(job->cfg, "--hostfile") : "");
		rc = -ETIMEDOUT;
	} else if (!l.done && !l.ready && !l.killed) {
		/* it never started: say why, in mpirun's words */
		snprintf(job->error, sizeof(job->error), "%.199s", l.error[0] ? l.error : l.agent ?
			 mpi_agent_gone_why() : "mpirun could not start the job");
		job_error(job, "mpi: %s", job->error);
		if (!l.error[0] && !l.agent)
			fputs(l.banner, stderr);   /* mpirun's own words, as it wrote them */
		rc = l.error[0] ? -EINVAL : -EIO;
	} else if (!l.done) {
		mpi_settle_abort(&l);
		if (l.dead_rank < 0 && !l.killed && l.banner_len)
			fputs(l.banner, stderr);
	}
out_close:
	if (!l.agent) {
		child_set_free(l.set);   /* mpirun is reaped by now */
		if (l.out_fd >= 0)
			close(l.out_fd);
		if (l.err_fd >= 0)
			close(l.err_fd);
	}
out_free:
	free(l.delivered);
	free(l.hosts);
	free(l.since);
	free(l.held);
	return rc;
}

static const struct option mpi_options[] = {
	{ "--hostfile", OPTION_PATH, "FILE", 0, 0, 0,
	  "the hosts for the mpirun bench starts, Open MPI's format\n"
	  "(\"node1 slots=8\" per line); the same bench path on each", NULL },
	{ 0 },
};

static int mpi_before_parse(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], MPI_WORKER_COMMAND))
		return mpi_worker_main(argc, argv);
	mpi_attach(argv[0]);   /* under the user's mpirun, only rank 0 returns */
	return -1;
}

static int mpi_check_config(const struct config *cfg, char *err, size_t len)
{
	if (option_given(cfg, "--hostfile") && mpi_given_ranks()) {
		snprintf(err, len, "--hostfile: bench was started by mpirun, which already chose "
			 "the hosts: give the host file to mpirun instead");
		return -EINVAL;
	}
	return 0;
}

const struct mode mode_mpi = {
	.name = "mpi",
	.summary = "Open MPI ranks on one or more machines: rank 0 deals tasks to the others",
	.teaches = "distributed memory: no shared state, every task and result is a message",
	.processes = 1,
	.launches_ranks = 1,
	.unavailable = MPI_UNAVAILABLE,
	.plan_workers = mpi_plan_workers,
	.run = mpi_run,
	.options = mpi_options,
	.before_parse = mpi_before_parse,
	.check_config = mpi_check_config,
};
