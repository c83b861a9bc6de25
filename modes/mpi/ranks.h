/*
 * ranks — between the two files that run inside the ranks and see
 * <mpi.h>: rank.c (the worker ranks, the entry points) and dispatch.c
 * (rank 0, which deals the tasks, and the agent).
 */
#ifndef BENCH_MODES_MPI_RANKS_H
#define BENCH_MODES_MPI_RANKS_H

#include <stdint.h>

#include <mpi.h>

#include "modes/mpi/protocol.h"

/*
 * Wait for a message with @tag from @source without spinning forever:
 * Open MPI's blocking receive polls at 100% CPU, which on a full machine
 * takes a core from the workers.  After @idle_ns, naps grow longer (a rank
 * idle between runs).
 */
void mpi_wait(int source, int tag, MPI_Status *st, int64_t idle_ns);

/* Rank 0 of @nranks: deal @a's tasks out, stream the lines on stdout. */
int mpi_dispatch(const struct mpi_args *a, int nranks);

#endif
