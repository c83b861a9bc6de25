/*
 * config — everything the command line says, parsed and checked.
 *
 * cli_parse() fills one struct config; nothing else reads argv.  Lists
 * (--workers 1,2,4) are small fixed arrays: a benchmark matrix is never
 * large, and a fixed bound is a documented limit rather than a surprise.
 */
#ifndef BENCH_CONFIG_H
#define BENCH_CONFIG_H

#include <stddef.h>

#include "bench/api/option.h"

#define CONFIG_MAX_LIST   32     /* items in one comma-separated list */
#define CONFIG_MAX_WORKERS 4096  /* more workers than this is a usage error */
#define CONFIG_MAX_TASKS  OPTION_MAX_TASKS
#define CONFIG_MIN_AUTO_REPS 6   /* the fewest with a 95 % interval (bench/analysis/stats.h) */

enum command {
	CMD_RUN,
	CMD_DEMO,
	CMD_REPORT,
	CMD_MACHINE,
	CMD_HELP,
	CMD_VERSION,
};

enum pin_policy {
	PIN_NONE,
	PIN_COMPACT,
	PIN_SCATTER,
};

enum inject_kind {
	INJECT_NONE,
	INJECT_FAIL,     /* the task returns an error */
	INJECT_CRASH,    /* the task dies with SIGSEGV */
	INJECT_HANG,     /* the task never returns */
	INJECT_EXIT,     /* the task calls _exit(3) mid-task */
	INJECT_ABORT,    /* the task calls abort() (SIGABRT) */
};

/* Options whose default cannot tell whether they were given. */
#define CONFIG_GIVEN_TIME_SCALE 8u

/* A plug-in's option that was given (bench/core/options.h). */
#define CONFIG_MAX_OPTIONS 16
struct config_option {
	const struct option *opt;            /* in its owner's table */
	double num;                          /* OPTION_REAL */
	double list[CONFIG_MAX_LIST];        /* OPTION_REALS */
	size_t n;
	const char *text;                    /* OPTION_TEXT, OPTION_PATH */
};

enum timeline_axis {
	TIMELINE_AXIS_DEFAULT,     /* shared when modes are compared side by side */
	TIMELINE_AXIS_SHARED,      /* one time axis for every mode's run */
	TIMELINE_AXIS_OWN,         /* each run drawn at its own length */
};

struct config {
	enum command command;

	const char *workloads[CONFIG_MAX_LIST];
	size_t nworkloads;
	const char *modes[CONFIG_MAX_LIST];
	size_t nmodes;
	unsigned workers[CONFIG_MAX_LIST];   /* 0 = auto */
	size_t nworkers;
	enum pin_policy pins[CONFIG_MAX_LIST];
	size_t npins;
	int strict_pin;

	unsigned reps;             /* 0 = auto: at least CONFIG_MIN_AUTO_REPS, until --precision */
	unsigned warmup;           /* unmeasured rounds before the measured ones */
	double precision;          /* auto: wanted interval half-width / median */
	unsigned max_reps;         /* auto: at most this many measured reps */
	double max_time_s;         /* auto: no new rep past this much time per workload */
	unsigned long long seed;   /* order shuffle; 0 = from the clock */
	long tasks;                /* -1 = the workload's default */

	const char *images;        /* NULL = built-in set */
	const char *out;           /* images output folder; NULL = <results>/processed */
	const char *results;       /* folder for CSV files */
	const char *csv;           /* runs CSV; NULL = timestamped under results */
	const char *trace;         /* Chrome trace JSON, NULL = none */
	const char *plots_only;    /* redraw charts from this CSV and exit */
	const char *plots_dir;     /* where charts go */
	int no_plots;
	int quiet;
	int json;
	int quick;                 /* fewer/smaller inputs (demo, images) */

	double task_timeout_s;     /* 0 = none */
	enum inject_kind inject;
	long inject_task;

	double time_scale;         /* demo: multiply every sleep */
	int no_pause;              /* demo: never wait between lessons */
	int ask;                   /* demo: ask for a prediction before a run */
	const char *handout;       /* demo: a Markdown page per lesson here */
	unsigned given;            /* CONFIG_GIVEN_*: options with defaults that were given */
	/* the plug-ins' own options that were given, read with option_real() ... */
	struct config_option opts[CONFIG_MAX_OPTIONS];
	size_t nopts;

	/* bench report */
	const char *baseline;      /* --baseline HOST; NULL: the first host */
	int pool;                  /* --pool: one host's files pooled, not compared */
	int timeline_axis;         /* --timeline-axis: TIMELINE_AXIS_* */

	/* bench demo / bench report: the remaining words */
	const char *args[CONFIG_MAX_LIST];
	size_t nargs;
	int list;                  /* demo --list */
};

#endif
