/*
 * agent — bench started by the user's own mpirun (`mpirun -np N bench
 * ...`): the driver's side of the ranks it was given.  Rank 0 is bench's
 * driver; before anything else it forks its agent, the process that is
 * rank 0 in MPI terms (modes/mpi/dispatch.c), and every mpi run goes to
 * that agent as one command instead of to a fresh mpirun.
 */
#ifndef BENCH_MODES_MPI_AGENT_H
#define BENCH_MODES_MPI_AGENT_H

#include <stddef.h>

#include "modes/mpi/launch.h"

/*
 * Call first thing in main().  Not under mpirun: returns at once.  Ranks
 * 1..N-1 serve the mpi runs of rank 0, end with it and never return.
 * Rank 0 unbinds itself, starts its agent and returns: go on as the
 * driver.
 */
void mpi_attach(char *argv0);

/* Ranks in the user's mpirun job, 0 when bench was not started by mpirun. */
unsigned mpi_given_ranks(void);

/* The mode's plan_workers(): --workers under the user's mpirun (N-1 at most). */
int mpi_plan_workers(unsigned *workers, int automatic, char *err, size_t len);

/*
 * An mpi run goes to the agent: fill @l's set, pid and out_fd with the
 * agent's, or return -ENOTCONN with the reason in @l->job->error when it
 * is gone.  Then mpi_agent_send() sends it @job: 0, or -errno when the
 * agent is gone.
 */
int mpi_agent_attach(struct mpi_launch *l);
int mpi_agent_send(const struct job *job);

/*
 * The agent ended (@wstatus, -1: unknown) or was killed, @why: no more
 * mpi runs in this invocation; mpi_agent_gone_why() says why from then on
 * ("" while it is there).
 */
void mpi_agent_gone(int wstatus, const char *why);
const char *mpi_agent_gone_why(void);

#endif
