/*
 * mpi — the hidden entry point of the ranks that the mpi mode launches.
 *
 * modes/mpi/mpi.c starts `mpirun ... bench __mpi-worker ...`; bench's main()
 * hands such a command line to mpi_worker_main() before anything else,
 * and lets mpi_attach() take the ranks of an mpirun the user started.
 */
#ifndef BENCH_MODES_MPI_H
#define BENCH_MODES_MPI_H

#define MPI_WORKER_COMMAND "__mpi-worker"

/* Run as one rank of the job (argv[1] is MPI_WORKER_COMMAND); an exit code. */
int mpi_worker_main(int argc, char **argv);

/*
 * Started by the user's own mpirun (`mpirun -np N bench ...`), bench uses
 * the ranks it was given: call first thing in main().  Ranks 1..N-1 serve
 * the mpi runs of rank 0, end with it and never return.  Rank 0 unbinds
 * itself, starts its MPI agent and returns: go on as the driver.  Not
 * under mpirun: returns at once.
 */
void mpi_attach(char *argv0);

/* Ranks in the user's mpirun job, 0 when bench was not started by mpirun. */
unsigned mpi_given_ranks(void);

#endif
