/*
 * rank — the worker ranks of the mpi mode, inside the MPI job, and the
 * entry points bench's main() hands a rank to (modes/mpi/mpi.h).
 *
 * Every worker rank (1..W, worker = rank - 1) prepares the named workload
 * itself from the driver's own options (so the same binary path, and for
 * images a folder every host can read, must exist on every host), reports
 * ready with its task count and host name, then runs each task index rank
 * 0 sends it and sends back a fixed-size record.  Worker ranks send their
 * own stdout to stderr, so rank 0's lines never interleave with anything.
 * Under the user's own mpirun the worker ranks wait for one command per
 * mpi run instead (mpi_given_worker_main()).
 *
 * Built without Open MPI, only stubs are left.
 */
#include "modes/mpi/mpi.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "bench/api/job.h"
#include "modes/mpi/protocol.h"

#ifdef BENCH_HAVE_MPI
#include "modes/mpi/ranks.h"

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include "bench/api/clock.h"
#include "bench/api/rank.h"

#define SPIN_NS 200000          /* wait this long busily (yielding), then nap */
#define NAP_MAX_NS 1000000
#define IDLE_NS 1000000000LL    /* waiting for a command longer than this: */
#define IDLE_NAP_NS 10000000    /* nap up to 10 ms (a rank idle between runs) */

/* After @idle_ns, naps grow to IDLE_NAP_NS instead of NAP_MAX_NS. */
void mpi_wait(int source, int tag, MPI_Status *st, int64_t idle_ns)
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

static void wait_message(int source, int tag, MPI_Status *st)
{
	mpi_wait(source, tag, st, INT64_MAX);
}

/* ---------------------------------------------------------- ranks 1..W */

/* Build this rank's job the way the driver builds its own (bench/api/rank.h). */
static int worker_prepare(struct mpi_args *a, unsigned nworkers, struct job **job,
			  struct mpi_ready *rd)
{
	int rc;

	a->spec.workers = nworkers;
	/* a plug-in is loaded here, in the rank, before it serves a task */
	rc = rank_job_open(&a->spec, a->cfg, job, rd->err, sizeof(rd->err));
	if (!rc)
		rd->ntasks = (int64_t)(*job)->ntasks;
	return rc;
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
static int worker_main(struct mpi_args *a, int rank, int nranks)
{
	struct job *job = NULL;
	struct mpi_ready rd = { 0 };
	struct rusage u0;
	struct mpi_usage u;

	/* stdout is rank 0's line stream: send anything we print to stderr */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	rank_rss_reset();
	getrusage(RUSAGE_SELF, &u0);
	mpi_host_name(rd.host, sizeof(rd.host));
	if (a) {
		rd.rc = worker_prepare(a, (unsigned)nranks - 1, &job, &rd);
	} else {
		rd.rc = -EINVAL;
		snprintf(rd.err, sizeof(rd.err), "cannot read rank 0's command");
	}
	MPI_Send(&rd, sizeof(rd), MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
	if (!rd.rc) {
		job_bind_worker(job, (unsigned)rank - 1, 1);
		worker_serve(job, rank, rd.host);
	} else {
		int64_t idx;

		MPI_Recv(&idx, 1, MPI_INT64_T, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	}
	rank_job_close(job);
	/* what this rank cost over the run: bench cannot see a rank that is
	 * not its descendant (another host, or the user's mpirun) */
	mpi_usage_since(&u0, rd.host, &u);
	MPI_Send(&u, sizeof(u), MPI_BYTE, 0, TAG_USAGE, MPI_COMM_WORLD);
	return 0;
}

int mpi_worker_main(int argc, char **argv)
{
	struct mpi_args a;
	int rank = 0, nranks = 0, rc;

	/* our launcher's mpirun is our parent here: die with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rc = mpi_args_parse(argc, argv, &a);
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	if (rc) {
		MPI_Abort(MPI_COMM_WORLD, 2);
		return 2;
	}
	if (rank == 0)
		rc = mpi_dispatch(&a, nranks);
	else
		rc = worker_main(&a, rank, nranks);
	MPI_Finalize();
	mpi_args_free(&a);
	/* a rank is a child of ours: no exit handlers (Open MPI leaves its
	 * memory to the OS, which LeakSanitizer would list at exit) */
	fflush(NULL);
	_exit(rc);
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
		struct mpi_args a;
		unsigned workers = 0;
		MPI_Status st;
		char *msg;
		int len = 0, ok;

		mpi_wait(0, TAG_COMMAND, &st, IDLE_NS);
		MPI_Get_count(&st, MPI_BYTE, &len);
		msg = malloc((size_t)len + 1);
		if (!msg)
			MPI_Abort(MPI_COMM_WORLD, 1);
		MPI_Recv(msg, len, MPI_BYTE, 0, TAG_COMMAND, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		if (len <= 0) {
			free(msg);
			break;
		}
		ok = !mpi_command_parse(argv0, msg, (size_t)len, &a, &workers) && (unsigned)rank <= workers;
		worker_main(ok ? &a : NULL, rank, (int)workers + 1);
		if (have_mask)   /* --pin bound us for that run only */
			sched_setaffinity(0, sizeof(mask), &mask);
		mpi_args_free(&a);
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
	job_error(NULL, "%s: %s", MPI_WORKER_COMMAND, MPI_UNAVAILABLE_REASON);
	return 2;
}

void mpi_given_worker_main(char *argv0)
{
	(void)argv0;
	_exit(0);   /* rank 0 says why (see mpi_attach()) */
}

#endif
