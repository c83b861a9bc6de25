/*
 * signals — what a signal does to bench: a stop signal ends the plan (or
 * the report) the way Ctrl-C does, a reader that went away does not kill
 * it.  The stop request itself is bench/core/run.h's (run_request_stop(),
 * run_stop_signal()): the modes and the workloads poll it.
 */
#ifndef BENCH_SIGNALS_H
#define BENCH_SIGNALS_H

/*
 * SIGINT, SIGTERM, SIGHUP (the terminal or ssh session closed) and SIGQUIT
 * all ask to stop: no new tasks, the rows written so far are kept; a
 * second one quits at once.  The exit status is then 128 + the signal
 * (signals_status()).  Waits are not restarted: they return EINTR.
 */
void signals_install_stop(void);

/*
 * SIGPIPE (bench | head -1): writes to the closed stdout or stderr fail
 * with EPIPE and are dropped; the runs go on and every row is written.
 * Programs bench starts (gnuplot, mpirun) get the default back at exec.
 */
void signals_install_sigpipe(void);

/* A command that stopped on a signal exits 128 + it, whatever its @status. */
int signals_status(int status);

#endif
