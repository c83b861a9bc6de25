/*
 * mpi — the hidden entry point of the ranks that the mpi mode launches.
 *
 * modes/mpi.c starts `mpirun ... bench __mpi-worker ...`; bench's main()
 * hands such a command line to mpi_worker_main() before anything else.
 */
#ifndef BENCH_MODES_MPI_H
#define BENCH_MODES_MPI_H

#define MPI_WORKER_COMMAND "__mpi-worker"

/* Run as one rank of the job (argv[1] is MPI_WORKER_COMMAND); an exit code. */
int mpi_worker_main(int argc, char **argv);

#endif
