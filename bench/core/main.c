/*
 * bench — run the same workload under sequential, thread and process
 * strategies, and show which one wins and why.
 *
 * main() parses the command line and dispatches the commands: a
 * measurement (bench/core/session.h), `bench report` and --plots-only
 * (bench/report/report.h), `bench demo`, `bench machine`, --help and
 * --version.  Only main() exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/classroom/demo.h"
#include "bench/core/cli.h"
#include "bench/core/config.h"
#include "bench/core/registry.h"
#include "bench/core/session.h"
#include "bench/core/signals.h"
#include "bench/api/memory.h"
#include "bench/api/path.h"
#include "bench/report/report.h"
#include "bench/sys/machine.h"
#include "bench/sys/message.h"
#include "bench/sys/pin.h"

#define EXIT_USAGE 2

/* the command line, for modes that relaunch bench (mpi), and the copy
 * that cli_parse() cut up and struct config points into */
static char **main_argv, **parsed_argv;

/* A measurement: its exit status (bench/core/session.h). */
static int cmd_run(const struct config *cfg)
{
	static struct session ss;   /* large: paths, the prepared workloads */
	int status = EXIT_USAGE;

	if (session_plan(&ss, cfg, main_argv) || session_prepare(&ss))
		goto out_end;
	session_execute(&ss);
	status = session_summarise(&ss);
	if (ss.abandoned) {
		/* threads of the abandoned run may still use the workload's
		 * state and the process's memory: no cleanup, exit now */
		fflush(NULL);
		_exit(status ? status : 1);
	}
out_end:
	session_end(&ss);
	return status;
}

/* bench report, --plots-only: the report side, which a stop signal ends too. */
static int cmd_report(int (*report)(const struct config *cfg), const struct config *cfg)
{
	signals_install_stop();
	return signals_status(report(cfg));
}

static int cmd_machine(const struct config *cfg)
{
	struct machine m;

	machine_probe(&m);
	if (cfg->json)
		machine_print_json(&m, stdout);
	else
		machine_print(&m, stdout);
	pin_fini();
	return 0;
}

static void print_help(void)
{
	cli_usage(stdout);
	printf("\nWorkloads:\n");
	for (size_t i = 0; i < registry_nworkloads; i++) {
		const struct workload *w = registry_workloads[i];

		printf("  %-11s %s%s%s\n", w->name, w->summary,
		       w->unavailable ? " — unavailable: " : "", w->unavailable ? w->unavailable : "");
	}
	printf("\nModes:\n");
	for (size_t i = 0; i < registry_nmodes; i++) {
		const struct mode *m = registry_modes[i];

		printf("  %-11s %s%s%s\n  %-11s teaches: %s\n", m->name, m->summary,
		       m->unavailable ? " — unavailable: " : "", m->unavailable ? m->unavailable : "",
		       "", m->teaches);
	}
}

/* The command @cfg names, and its exit status. */
static int dispatch(const struct config *cfg)
{
	switch (cfg->command) {
	case CMD_HELP:
		print_help();
		return 0;
	case CMD_VERSION:
		printf("bench %s\n", BENCH_VERSION);
		return 0;
	case CMD_MACHINE:
		return cmd_machine(cfg);
	case CMD_REPORT:
		return cmd_report(report_main, cfg);
	case CMD_DEMO:
		return demo_main(cfg);
	case CMD_RUN:
		break;
	}
	if (cfg->plots_only)
		return cmd_report(report_plots_only, cfg);   /* charts from a CSV, nothing run */
	return cmd_run(cfg);
}

int main(int argc, char **argv)
{
	struct config cfg;
	char err[1024];

	/* before anything is opened: no file of ours may become stdout or stderr */
	if (path_std_fds())
		return 1;
	memory_defaults();   /* every run, and every mpi rank, starts from it */
	signals_install_sigpipe();
	if (registry_check(err, sizeof(err))) {
		error("internal error: %s", err);
		return 1;
	}
	for (size_t i = 0; i < registry_nmodes; i++) {
		int status = registry_modes[i]->before_parse ?
			     registry_modes[i]->before_parse(argc, argv) : -1;

		if (status >= 0)
			return status;   /* bench was started as a mode's helper (mpi ranks) */
	}
	/* cli_parse() cuts its copy up in place ("--x=v", commas); the
	 * command line itself stays whole, for the ranks of the mpi mode that
	 * re-read it, and for ps */
	main_argv = argv;
	parsed_argv = calloc((size_t)argc + 1, sizeof(*parsed_argv));
	for (int i = 0; parsed_argv && i < argc; i++)
		if (!(parsed_argv[i] = strdup(argv[i])))
			parsed_argv = NULL;   /* the rest leaks: we exit at once */
	if (!parsed_argv) {
		error("out of memory");
		return 1;
	}
	if (cli_parse(argc, parsed_argv, &cfg, err, sizeof(err))) {
		error("%s", err);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < registry_nmodes; i++)
		if (registry_modes[i]->check_config &&
		    registry_modes[i]->check_config(&cfg, err, sizeof(err))) {
			error("%s", err);
			return EXIT_USAGE;
		}
	return dispatch(&cfg);
}
