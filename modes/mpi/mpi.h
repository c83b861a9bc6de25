/*
 * mpi — how the driver's side of the mpi mode (mode.c, agent.c) enters
 * the ranks' side (rank.c, dispatch.c: the only files that see <mpi.h>).
 *
 * mode.c starts `mpirun ... bench __mpi-worker ...`; bench's main() hands
 * such a command line to the mode's before_parse(), which calls
 * mpi_worker_main().  Under the user's own mpirun, agent.c forks rank 0's
 * agent and sends ranks 1.. to mpi_given_worker_main().
 */
#ifndef BENCH_MODES_MPI_H
#define BENCH_MODES_MPI_H

#include <sys/types.h>

#define MPI_UNAVAILABLE_REASON \
	"built without Open MPI (apt-get install libopenmpi-dev openmpi-bin, then make)"
/* The mode's .unavailable: NULL when this build has Open MPI. */
#ifdef BENCH_HAVE_MPI
#define MPI_UNAVAILABLE ((const char *)NULL)
#else
#define MPI_UNAVAILABLE MPI_UNAVAILABLE_REASON
#endif

/* Run as one rank of the job (argv[1] is MPI_WORKER_COMMAND); an exit code. */
int mpi_worker_main(int argc, char **argv);

/*
 * Rank 0 under the user's own mpirun, in the process bench's driver
 * (@driver) forked: read one command per mpi run from @cmd_fd, run it,
 * answer in lines on @out_fd; at end of file end every rank.
 */
void mpi_agent_main(int cmd_fd, int out_fd, char *argv0, pid_t driver)
	__attribute__((noreturn));

/* Ranks 1.. under the user's own mpirun: serve each run until rank 0 ends them. */
void mpi_given_worker_main(char *argv0) __attribute__((noreturn));

#endif
