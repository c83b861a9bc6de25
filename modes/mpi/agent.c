/*
 * agent — the ranks the user's mpirun gave bench, from the driver's side
 * (see agent.h).
 *
 * Started by the user's own mpirun (every rank runs bench with the same
 * options, OMPI_COMM_WORLD_RANK tells them apart), bench uses the ranks it
 * was given, through mpi_attach(), first thing in main():
 *
 *   - ranks 1..N-1 never run the driver: they MPI_Init and wait for
 *     commands from rank 0, each one run of the mpi mode (the same
 *     arguments as the __mpi-worker command line, and how many of them
 *     take part).  For each they prepare, serve tasks exactly as launched
 *     ranks do, report their resource use over the run, and wait again;
 *     an empty command ends them;
 *   - rank 0 is bench's driver and runs the whole plan (the other modes
 *     run on its host).  mpirun may have bound it to one core: it unbinds
 *     itself so those modes get the machine.  Before anything else it forks
 *     its "agent", the process that is rank 0 in MPI terms (MPI_Init in
 *     the child: the driver keeps no MPI threads, fds or handlers, and can
 *     still fork for the fork and procpool modes), and waits until every
 *     rank is up and connected, so that no run pays for MPI_Init.  The
 *     agent reads a command per mpi run from a socket, forwards it to the
 *     ranks that take part, runs the same dispatcher, and streams the same
 *     @bench-mpi lines back on a pipe, then "@bench-mpi idle" when the
 *     command is finished, so mpi_run() reads a persistent agent instead
 *     of a fresh mpirun.  The usage lines count there for every rank, 0
 *     included (the agent is only reaped if it dies, and then its lifetime
 *     is taken back out).
 *     When the driver exits, the agent tells every rank to end and they
 *     all MPI_Finalize: mpirun returns bench's exit status.
 *   - --workers defaults to N-1 there, and asking for more than N-1 is
 *     refused before anything runs.
 *
 * Under the user's mpirun a rank that dies is still MPI's business: mpirun
 * ends the whole job, bench's driver included (SIGTERM, then SIGKILL a
 * moment later); the runs already written stay in the CSV.  A task past
 * --task-timeout makes the driver kill its agent: that run is recorded,
 * later mpi runs of this invocation are refused, and mpirun ends the
 * stuck ranks when bench exits.
 */
#include "modes/mpi/agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/api/child.h"
#include "bench/api/clock.h"
#include "bench/api/path.h"
#include "bench/api/rank.h"
#include "modes/mpi/mpi.h"

/* The ranks the user's mpirun gave us (see the top of this file). */
static struct {
	int size;                      /* ranks in the job; 0: not under mpirun */
	pid_t driver;                  /* the process that started the agent */
	struct child_set *set;         /* the agent's: one child */
	pid_t pid;                     /* the agent, rank 0; -1: none, or gone */
	int cmd_fd, out_fd;
	char gone[200];                /* why the agent is gone */
} given = { .pid = -1, .cmd_fd = -1, .out_fd = -1 };

int mpi_plan_workers(unsigned *workers, int automatic, char *err, size_t len)
{
	unsigned most = given.size > 1 ? (unsigned)given.size - 1 : 0;

	if (!given.size)
		return 0;   /* bench launches mpirun with as many ranks as asked */
	if (given.size < 2) {
		snprintf(err, len, "--modes mpi: bench was started by mpirun with 1 rank, and the "
			 "mpi mode needs rank 0 to deal and at least one more rank to work: start "
			 "mpirun with -np 2 or more, or run bench without mpirun (it launches "
			 "mpirun itself)");
		return -EINVAL;
	}
	if (automatic) {
		*workers = most;
	} else if (*workers > most) {
		snprintf(err, len, "--workers %u: mpirun gave bench %d ranks, so the mpi mode has at "
			 "most %u workers (rank 0 deals the tasks); start mpirun with -np %u",
			 *workers, given.size, most, *workers + 1);
		return -EINVAL;
	}
	return 0;
}

unsigned mpi_given_ranks(void)
{
	return (unsigned)given.size;
}

void mpi_agent_gone(int wstatus, const char *why)
{
	char how[96];

	if (wstatus != -1) {
		mpi_describe_end(wstatus, how, sizeof(how));
		snprintf(given.gone, sizeof(given.gone), "the MPI job's rank 0 (bench's agent) %s "
			 "(%s): no more mpi runs until bench starts again", why, how);
	} else {
		snprintf(given.gone, sizeof(given.gone), "the MPI job's rank 0 (bench's agent) %s: "
			 "no more mpi runs until bench starts again", why);
	}
	child_set_free(given.set);   /* reaped by now, or killed and reaped here */
	given.set = NULL;
	close(given.cmd_fd);
	close(given.out_fd);
	given.pid = -1;
	given.cmd_fd = given.out_fd = -1;
}

/* Send the agent one run (protocol.h: mpi_command_pack()). */
static int agent_command(const struct job *job)
{
	size_t len = 0;
	char *msg = mpi_command_pack(job, &len);
	int rc = 0;

	if (!msg)
		return -ENOMEM;
	for (size_t done = 0; done < len;) {
		ssize_t w = send(given.cmd_fd, msg + done, len - done, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EPIPE;
			break;
		}
		done += (size_t)w;
	}
	free(msg);
	return rc;
}

int mpi_agent_attach(struct mpi_launch *l)
{
	if (given.pid < 0) {
		snprintf(l->job->error, sizeof(l->job->error), "%s", given.gone);
		return -ENOTCONN;
	}
	l->set = given.set;
	l->pid = given.pid;
	l->out_fd = given.out_fd;
	return 0;
}

int mpi_agent_send(const struct job *job)
{
	return agent_command(job);
}

const char *mpi_agent_gone_why(void)
{
	return given.gone;
}

/* The driver at exit: the agent tells every rank to end, and they finalize. */
static void agent_stop(void)
{
	int64_t until = clock_now_ns() + 10000000000LL;

	if (getpid() != given.driver || given.pid < 0)
		return;
	close(given.cmd_fd);
	given.cmd_fd = -1;
	/* a rank stuck in a task never finalizes: don't wait for it forever */
	while (child_live(given.set) && clock_now_ns() < until &&
	       !child_wait(given.set, NULL, 0, until))
		child_reap(given.set, NULL, NULL);
	child_set_free(given.set);   /* still there after 10 s: killed */
	given.set = NULL;
	given.pid = -1;
}

/* Wait until every rank is up (MPI_Init is slow), so runs time only the runs. */
static void agent_wait_up(void)
{
	static const char up[] = MPI_LINE_TAG "up\n";
	char buf[sizeof(up)];
	struct pollfd pfd = { .fd = given.out_fd, .events = POLLIN };
	int n = poll(&pfd, 1, 120000);

	if (n > 0 && fd_read_full(given.out_fd, buf, sizeof(up) - 1) == sizeof(up) - 1 &&
	    !memcmp(buf, up, sizeof(up) - 1))
		return;
	child_set_free(given.set);   /* kills and reaps it */
	given.set = NULL;
	mpi_agent_gone(-1, n == 0 ? "did not start within 2 minutes" : "could not start");
}

struct agent_child {
	int cmd[2], out[2];
	char *argv0;
	pid_t driver;
};

/* In the forked agent: MPI's rank 0, in a group of its own. */
static int agent_child(void *arg)
{
	const struct agent_child *a = arg;

	/* it outlives a driver that dies, to end the ranks: EOF on its socket */
	prctl(PR_SET_PDEATHSIG, 0);
	setpgid(0, 0);
	close(a->cmd[0]);
	close(a->out[0]);
	mpi_agent_main(a->cmd[1], a->out[1], a->argv0, a->driver);
	return 0;
}

/* Rank 0: fork the agent, before the driver has threads or children. */
static void agent_start(char *argv0)
{
	int cmd[2] = { -1, -1 }, out[2] = { -1, -1 };
	int id;

	given.driver = getpid();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cmd) < 0 ||
	    pipe2(out, O_CLOEXEC) < 0) {
		snprintf(given.gone, sizeof(given.gone), "rank 0's agent could not start: %s",
			 strerror(errno));
		goto out_close;
	}
	given.set = child_set_new(1);
	fflush(NULL);
	id = given.set ? child_spawn(given.set, agent_child,
				     &(struct agent_child){ .cmd = { cmd[0], cmd[1] },
							    .out = { out[0], out[1] },
							    .argv0 = argv0, .driver = given.driver }, 0)
		       : -ENOMEM;
	if (id < 0) {
		snprintf(given.gone, sizeof(given.gone), "rank 0's agent could not start: %s",
			 strerror(-id));
		child_set_free(given.set);
		given.set = NULL;
		goto out_close;
	}
	given.pid = child_pid(given.set, id);
	setpgid(given.pid, given.pid);
	given.cmd_fd = cmd[0];
	given.out_fd = out[0];
	cmd[0] = out[0] = -1;
	atexit(agent_stop);
	agent_wait_up();
	if (given.out_fd >= 0)
		fcntl(given.out_fd, F_SETFL, O_NONBLOCK);
out_close:
	for (int i = 0; i < 2; i++) {
		if (cmd[i] >= 0)
			close(cmd[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
}

void mpi_attach(char *argv0)
{
	const char *size_s = getenv("OMPI_COMM_WORLD_SIZE"), *rank_s = getenv("OMPI_COMM_WORLD_RANK");
	unsigned before, after;

	if (!size_s || !rank_s)
		return;   /* not started by mpirun */
	given.size = atoi(size_s) > 0 ? atoi(size_s) : 1;
	if (atoi(rank_s) > 0)
		mpi_given_worker_main(argv0);   /* does not return */
	if (!rank_unbind_process(&before, &after) && after > before)
		job_note(NULL, "mpirun bound rank 0 to %u PU%s; bench's driver unbinds "
			"itself so the other modes can use all %u (mpirun --bind-to none avoids this)",
			before, before == 1 ? "" : "s", after);
	if (given.size < 2)
		return;
	if (MPI_UNAVAILABLE) {
		job_note(NULL, "started by mpirun with %d ranks, but this bench was %s: "
			"ranks 1 to %d do nothing", given.size, MPI_UNAVAILABLE, given.size - 1);
		return;
	}
	agent_start(argv0);
}
