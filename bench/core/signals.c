/*
 * signals — the handlers behind bench/core/signals.h.
 */
#include "bench/core/signals.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bench/core/run.h"

static void on_signal(int signo)
{
	static const char msg[] =
		"\nbench: stopping: no new tasks; rows written so far are kept "
		"(again to quit at once)\n";

	if (run_stop_signal())
		_exit(128 + signo);   /* children die with us (PR_SET_PDEATHSIG) */
	run_request_stop(signo);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing to do in a handler */
	}
}

void signals_install_stop(void)
{
	static const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;

	/* without it Ctrl-C still works, sleeping tasks just finish their sleep */
	run_stop_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;   /* no SA_RESTART: waits return EINTR */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		sigaction(stops[i], &sa, NULL);
}

static void on_sigpipe(int signo)
{
	(void)signo;   /* the write that raised it fails with EPIPE instead */
}

/* A handler rather than SIG_IGN, so that exec restores the default. */
void signals_install_sigpipe(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

int signals_status(int status)
{
	return run_stop_signal() ? 128 + run_stop_signal() : status;
}
