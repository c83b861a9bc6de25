/*
 * Between the two halves of the mpi mode: modes/mpi/mpi.c (bench's side: the
 * mode, mpirun, the agent process) and modes/mpi/mpi_rank.c (inside the ranks;
 * the only file that sees <mpi.h>).
 */
#ifndef BENCH_MODES_MPI_RANK_H
#define BENCH_MODES_MPI_RANK_H

#include <stddef.h>
#include <sys/types.h>

#include "bench/api/workload.h"

#define MPI_HOST_MAX 64
/* rank 0 -> bench, one line each (see the top of modes/mpi/mpi.c) */
#define MPI_LINE_TAG "@bench-mpi "
#define MPI_LINE_MAX (2 * sizeof(struct task_result) + 256)

#define MPI_UNAVAILABLE_REASON \
	"built without Open MPI (apt-get install libopenmpi-dev openmpi-bin, then make)"

/* This host's name, with no blanks (it travels in lines). */
void mpi_host_name(char *buf, size_t len);

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
