/*
 * option — the command-line options a mode or a workload owns, as fio's
 * engines own theirs.
 *
 * A plug-in lists its options in a table ending with an entry whose name
 * is NULL, and points ->options of its struct mode or struct workload at
 * it.  The driver parses them (ranges checked with the wording of every
 * other option: "--work: 0 is out of range (0.001 to 1e+06)"), lists them
 * in --help, warns when none of the plug-ins a run uses takes one that was
 * given, and hands them back through the readers below.  Adding an option
 * to a workload is one line in its table and the line that reads it.
 *
 * The readers take what the plug-in was given: prepare()'s @cfg (a
 * workload) or job->cfg (a mode); NULL reads the defaults.
 */
#ifndef BENCH_OPTION_H
#define BENCH_OPTION_H

#include <stddef.h>

struct config;

enum option_type {
	OPTION_REAL,      /* one number in [lo, hi]; def when not given */
	OPTION_REALS,     /* a comma-separated list of numbers in [lo, hi], repeats allowed */
	OPTION_TEXT,      /* any text, even empty: the plug-in judges it */
	OPTION_PATH,      /* a file or folder: not empty */
};

struct option {
	const char *name;         /* "--work"; NULL ends the table */
	enum option_type type;
	const char *arg;          /* what --help shows after the name: "UNITS" */
	double def, lo, hi;       /* OPTION_REAL, OPTION_REALS */
	/* --help: the text after the owner's name ("computation per task");
	 * "\n" starts a continuation line.  An OPTION_REAL adds its default. */
	const char *help;
	/* Given when no plug-in of the run takes it: NULL, a warning ("is not
	 * used: only the cpu workload takes it"); else the run is refused with
	 * "NAME: THIS (--workload W)". */
	const char *refuse_unused;
};

/*
 * The run-wide options every workload may read: --tasks (-1: not given),
 * --results (the folder for CSV files), --quick, --quiet, --images and
 * --out (NULL: not given).
 */
long option_tasks(const struct config *cfg);
const char *option_results(const struct config *cfg);
int option_quick(const struct config *cfg);
int option_quiet(const struct config *cfg);
const char *option_images(const struct config *cfg);
const char *option_out(const struct config *cfg);

/* The most tasks a run may have (--tasks, a plug-in's count). */
#define OPTION_MAX_TASKS 10000000

/* An OPTION_REAL's value: what was given, else its default. */
double option_real(const struct config *cfg, const char *name);
/* An OPTION_REALS's values (*@values: NULL when none were given); how many. */
size_t option_reals(const struct config *cfg, const char *name, const double **values);
/* An OPTION_TEXT or OPTION_PATH's value; NULL when not given. */
const char *option_text(const struct config *cfg, const char *name);
/* 1 when the option was on the command line. */
int option_given(const struct config *cfg, const char *name);

/*
 * A number that is not on the command line (an environment variable
 * @name's value @s), read by the command line's rule for one number and
 * in [@lo, @hi]: 0, or -EINVAL with the reason, naming @name, in @err.
 */
int option_parse_real(const char *name, const char *s, double lo, double hi, double *out,
		      char *err, size_t len);

#endif
