#include "bench/core/cli.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/api/path.h"
#include "bench/core/options.h"
#include "bench/core/registry.h"

#define CLI_LIST_MAX 1024   /* a list option's whole value, in bytes */

static int usage_error(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int usage_error(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * The one syntax of every number on the command line: an optional '-',
 * decimal digits, and for a real number a '.' and an exponent ("e-3").
 * Nothing else: no spaces of any kind around or inside it, no '+', no
 * hex ("0x10"), no words ("inf", "nan").  Returns 1 when @s has it.
 */
static int number_syntax(const char *s, int real)
{
	int digits = 0;

	if (*s == '-')
		s++;
	for (; isdigit((unsigned char)*s); s++)
		digits++;
	if (real && *s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits++;
	if (!digits)
		return 0;
	if (real && (*s == 'e' || *s == 'E')) {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

int cli_parse_long(const char *opt, const char *s, long lo, long hi, long *out,
		   char *err, size_t len)
{
	char show[64];
	long v;

	errno = 0;
	v = number_syntax(s, 0) ? strtol(s, NULL, 10) : 0;
	if (!number_syntax(s, 0) || errno || v < lo || v > hi)
		return usage_error(err, len, "%s: '%s' is not a whole number from %ld to %ld",
				   opt, path_show(show, sizeof(show), s), lo, hi);
	*out = v;
	return 0;
}

int cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out,
		     char *err, size_t len)
{
	char show[64];
	double v;

	if (!number_syntax(s, 1))
		return usage_error(err, len, "%s: '%s' is not a number (digits, '.', an exponent: "
				   "2, 0.5, 1e-3)", opt, path_show(show, sizeof(show), s));
	errno = 0;
	v = strtod(s, NULL);
	/* too big, or too small to hold (1e-320 would be a denormal, or 0) */
	if (errno == ERANGE || !isfinite(v) || (v != 0 && fabs(v) < DBL_MIN) || v < lo || v > hi)
		return usage_error(err, len, "%s: %s is out of range (%g to %g)", opt, s, lo, hi);
	*out = v;
	return 0;
}

/* Split @s at commas into at most CONFIG_MAX_LIST items, none empty. */
static int split(const char *opt, char *s, char **items, size_t *n, char *err, size_t len)
{
	*n = 0;
	if (!*s)
		return usage_error(err, len, "%s: the list is empty", opt);
	for (char *p = s;;) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (!*p)
			return usage_error(err, len, "%s: empty item in the list", opt);
		if (*n == CONFIG_MAX_LIST)
			return usage_error(err, len, "%s: more than %d items", opt, CONFIG_MAX_LIST);
		items[(*n)++] = p;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

/* split() a copy of @s, kept in @copy (CLI_LIST_MAX bytes), which @items point into. */
static int split_copy(const char *opt, const char *s, char *copy, char **items, size_t *n,
		      char *err, size_t len)
{
	if (strlen(s) >= CLI_LIST_MAX)
		return usage_error(err, len, "%s: the list is too long", opt);
	strcpy(copy, s);
	return split(opt, copy, items, n, err, len);
}

int cli_parse_uints(const char *opt, const char *s, unsigned *out, size_t *n,
		    unsigned lo, unsigned hi, int allow_auto, char *err, size_t len)
{
	char copy[CLI_LIST_MAX], *items[CONFIG_MAX_LIST];
	int rc = split_copy(opt, s, copy, items, n, err, len);

	if (rc)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		long v;

		if (allow_auto && !strcmp(items[i], "auto")) {
			out[i] = 0;
		} else {
			rc = cli_parse_long(opt, items[i], lo, hi, &v, err, len);
			if (rc)
				return rc;
			out[i] = (unsigned)v;
		}
		for (size_t j = 0; j < i; j++)
			if (out[j] == out[i])
				return usage_error(err, len, "%s: '%s' is listed twice", opt, items[i]);
	}
	return 0;
}

int cli_parse_doubles(const char *opt, const char *s, double *out, size_t *n,
		      double lo, double hi, int allow_dups, char *err, size_t len)
{
	char copy[CLI_LIST_MAX], *items[CONFIG_MAX_LIST];
	int rc = split_copy(opt, s, copy, items, n, err, len);

	if (rc)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		rc = cli_parse_double(opt, items[i], lo, hi, &out[i], err, len);
		if (rc)
			return rc;
		for (size_t j = 0; j < i && !allow_dups; j++)
			if (out[j] == out[i])
				return usage_error(err, len, "%s: '%s' is listed twice", opt, items[i]);
	}
	return 0;
}

int cli_parse_names(const char *opt, char *s, const char **out, size_t *n,
		    char *err, size_t len)
{
	char *items[CONFIG_MAX_LIST];
	int rc = split(opt, s, items, n, err, len);

	if (rc)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		out[i] = items[i];
		for (size_t j = 0; j < i; j++)
			if (!strcmp(out[j], out[i]))
				return usage_error(err, len, "%s: '%s' is listed twice", opt, out[i]);
	}
	return 0;
}

static int parse_pins(const char *opt, char *s, struct config *cfg, char *err, size_t len)
{
	const char *names[CONFIG_MAX_LIST];
	int rc = cli_parse_names(opt, s, names, &cfg->npins, err, len);

	if (rc)
		return rc;
	for (size_t i = 0; i < cfg->npins; i++) {
		if (!strcmp(names[i], "none"))
			cfg->pins[i] = PIN_NONE;
		else if (!strcmp(names[i], "compact"))
			cfg->pins[i] = PIN_COMPACT;
		else if (!strcmp(names[i], "scatter"))
			cfg->pins[i] = PIN_SCATTER;
		else
			return usage_error(err, len, "%s: unknown policy '%s' (valid: none, compact, scatter)",
					   opt, names[i]);
	}
	return 0;
}

static int parse_inject(const char *opt, const char *s, struct config *cfg, char *err, size_t len)
{
	static const struct { const char *name; enum inject_kind kind; } kinds[] = {
		{ "fail", INJECT_FAIL }, { "crash", INJECT_CRASH },
		{ "hang", INJECT_HANG }, { "exit", INJECT_EXIT }, { "abort", INJECT_ABORT },
	};
	const char *colon = strchr(s, ':');

	if (!colon)
		return usage_error(err, len, "%s: '%s' is not KIND:TASK (fail:3, crash:0, abort:0, exit:2, hang:1)",
				   opt, s);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].name) == (size_t)(colon - s) &&
		    !strncmp(s, kinds[i].name, (size_t)(colon - s))) {
			cfg->inject = kinds[i].kind;
			return cli_parse_long(opt, colon + 1, 0, CONFIG_MAX_TASKS, &cfg->inject_task,
					      err, len);
		}
	return usage_error(err, len, "%s: unknown kind in '%s' (valid: fail, crash, abort, exit, hang)", opt, s);
}

static void defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->command = CMD_RUN;
	cfg->workloads[0] = "images";
	cfg->nworkloads = 1;
	cfg->modes[0] = "all";
	cfg->nmodes = 1;
	cfg->workers[0] = 0;
	cfg->nworkers = 1;
	cfg->pins[0] = PIN_NONE;
	cfg->npins = 1;
	cfg->reps = 0;
	cfg->warmup = 1;
	cfg->precision = 0.03;
	cfg->max_reps = 30;
	cfg->max_time_s = 300;
	cfg->tasks = -1;
	cfg->results = "results";
	cfg->plots_dir = "plots";
	cfg->time_scale = 1;
	cfg->inject_task = -1;
}

/* Options that take a value (and every plug-in's own); the rest are flags. */
static const char *const valued[] = {
	"--workload", "--workloads", "--modes", "--mode", "--workers", "--pin", "--reps",
	"--warmup", "--tasks", "--images", "--out", "--csv", "--results",
	"--trace", "--plots-only", "--plots-dir", "--task-timeout", "--inject",
	"--time-scale", "--handout",
	"--precision", "--max-reps", "--max-time", "--seed", "--baseline",
	"--timeline-axis",
};

static int takes_value(const char *opt)
{
	for (size_t i = 0; i < sizeof(valued) / sizeof(valued[0]); i++)
		if (!strcmp(opt, valued[i]))
			return 1;
	return registry_option(opt, NULL, NULL) != NULL;
}

static int apply(struct config *cfg, const char *opt, char *val, char *err, size_t len)
{
	const struct option *own = registry_option(opt, NULL, NULL);
	long l;
	int rc = 0;

	if (own)
		return options_parse(cfg, own, val, err, len);
	if (!strcmp(opt, "--workload") || !strcmp(opt, "--workloads"))
		return cli_parse_names(opt, val, cfg->workloads, &cfg->nworkloads, err, len);
	if (!strcmp(opt, "--modes") || !strcmp(opt, "--mode"))
		return cli_parse_names(opt, val, cfg->modes, &cfg->nmodes, err, len);
	if (!strcmp(opt, "--workers"))
		return cli_parse_uints(opt, val, cfg->workers, &cfg->nworkers, 1,
				       CONFIG_MAX_WORKERS, 1, err, len);
	if (!strcmp(opt, "--pin"))
		return parse_pins(opt, val, cfg, err, len);
	if (!strcmp(opt, "--reps")) {
		if (!strcmp(val, "auto"))
			cfg->reps = 0;
		else if (!(rc = cli_parse_long(opt, val, 1, 10000, &l, err, len)))
			cfg->reps = (unsigned)l;
		if (rc)
			snprintf(err + strlen(err), len - strlen(err), ", or auto");
	} else if (!strcmp(opt, "--precision")) {
		double pct;

		rc = cli_parse_double(opt, val, 0.01, 100, &pct, err, len);
		cfg->precision = pct / 100;
	} else if (!strcmp(opt, "--max-reps")) {
		rc = cli_parse_long(opt, val, 1, 10000, &l, err, len);
		cfg->max_reps = (unsigned)l;
	} else if (!strcmp(opt, "--max-time")) {
		rc = cli_parse_double(opt, val, 0, 1e7, &cfg->max_time_s, err, len);
	} else if (!strcmp(opt, "--seed")) {
		rc = cli_parse_long(opt, val, 1, LONG_MAX, &l, err, len);
		cfg->seed = (unsigned long long)l;
	} else if (!strcmp(opt, "--warmup")) {
		rc = cli_parse_long(opt, val, 0, 1000, &l, err, len);
		cfg->warmup = (unsigned)l;
	} else if (!strcmp(opt, "--tasks")) {
		rc = cli_parse_long(opt, val, 1, CONFIG_MAX_TASKS, &cfg->tasks, err, len);
	} else if (!strcmp(opt, "--task-timeout")) {
		rc = cli_parse_double(opt, val, 0.001, 1e6, &cfg->task_timeout_s, err, len);
	} else if (!strcmp(opt, "--inject")) {
		rc = parse_inject(opt, val, cfg, err, len);
	} else if (!strcmp(opt, "--timeline-axis")) {
		if (!strcmp(val, "shared"))
			cfg->timeline_axis = TIMELINE_AXIS_SHARED;
		else if (!strcmp(val, "own"))
			cfg->timeline_axis = TIMELINE_AXIS_OWN;
		else
			rc = usage_error(err, len, "%s: unknown axis '%s' (valid: shared, own)", opt, val);
	} else if (!strcmp(opt, "--time-scale")) {
		rc = cli_parse_double(opt, val, 0.0001, 1000, &cfg->time_scale, err, len);
		cfg->given |= CONFIG_GIVEN_TIME_SCALE;
	} else {
		const char **slot =
			!strcmp(opt, "--images") ? &cfg->images :
			!strcmp(opt, "--out") ? &cfg->out :
			!strcmp(opt, "--csv") ? &cfg->csv :
			!strcmp(opt, "--results") ? &cfg->results :
			!strcmp(opt, "--trace") ? &cfg->trace :
			!strcmp(opt, "--plots-only") ? &cfg->plots_only :
			!strcmp(opt, "--plots-dir") ? &cfg->plots_dir :
			!strcmp(opt, "--handout") ? &cfg->handout :
			!strcmp(opt, "--baseline") ? &cfg->baseline : NULL;

		if (!slot)
			return usage_error(err, len, "unknown option '%s' (see bench --help)", opt);
		if (!*val)
			return usage_error(err, len, "%s: the path is empty", opt);
		*slot = val;
	}
	return rc;
}

static int flag(struct config *cfg, const char *opt, char *err, size_t len)
{
	if (!strcmp(opt, "--no-plots"))
		cfg->no_plots = 1;
	else if (!strcmp(opt, "--quiet") || !strcmp(opt, "-q"))
		cfg->quiet = 1;
	else if (!strcmp(opt, "--json"))
		cfg->json = 1;
	else if (!strcmp(opt, "--quick"))
		cfg->quick = 1;
	else if (!strcmp(opt, "--strict-pin"))
		cfg->strict_pin = 1;
	else if (!strcmp(opt, "--list"))
		cfg->list = 1;
	else if (!strcmp(opt, "--no-pause"))
		cfg->no_pause = 1;
	else if (!strcmp(opt, "--ask"))
		cfg->ask = 1;
	else if (!strcmp(opt, "--pool"))
		cfg->pool = 1;
	else if (!strcmp(opt, "--help") || !strcmp(opt, "-h"))
		cfg->command = CMD_HELP;
	else if (!strcmp(opt, "--version") || !strcmp(opt, "-V"))
		cfg->command = CMD_VERSION;
	else
		return usage_error(err, len, "unknown option '%s' (see bench --help)", opt);
	return 0;
}

int cli_parse(int argc, char **argv, struct config *cfg, char *err, size_t len)
{
	int i = 1, rc;

	defaults(cfg);
	if (argc > 1 && argv[1][0] != '-') {
		if (!strcmp(argv[1], "demo"))
			cfg->command = CMD_DEMO;
		else if (!strcmp(argv[1], "report"))
			cfg->command = CMD_REPORT;
		else if (!strcmp(argv[1], "machine"))
			cfg->command = CMD_MACHINE;
		else if (!strcmp(argv[1], "help"))
			cfg->command = CMD_HELP;
		else
			return usage_error(err, len, "unknown command '%s' (valid: demo, report, machine;"
					   " or options, see bench --help)", argv[1]);
		i = 2;
	}
	for (; i < argc; i++) {
		char *arg = argv[i], *eq, *val;

		if (arg[0] != '-' || !strcmp(arg, "-")) {
			if (cfg->command == CMD_RUN || cfg->command == CMD_MACHINE)
				return usage_error(err, len, "unexpected argument '%s' (see bench --help)", arg);
			if (cfg->nargs == CONFIG_MAX_LIST)
				return usage_error(err, len, "too many arguments (at most %d)", CONFIG_MAX_LIST);
			cfg->args[cfg->nargs++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			if (i + 1 < argc && (cfg->command == CMD_RUN || cfg->command == CMD_MACHINE))
				return usage_error(err, len, "unexpected argument '%s' after '--' (a run "
						   "takes options only, see bench --help)", argv[i + 1]);
			for (i++; i < argc; i++) {
				if (cfg->nargs == CONFIG_MAX_LIST)
					return usage_error(err, len, "too many arguments (at most %d)",
							   CONFIG_MAX_LIST);
				cfg->args[cfg->nargs++] = argv[i];
			}
			break;
		}
		eq = strchr(arg, '=');
		if (eq)
			*eq = '\0';
		if (!takes_value(arg)) {
			if (eq)
				return usage_error(err, len, "%s takes no value", arg);
			rc = flag(cfg, arg, err, len);
		} else {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return usage_error(err, len, "%s needs a value (see bench --help)", arg);
			rc = apply(cfg, arg, val, err, len);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int takes_tasks(const struct workload *w)
{
	return w->takes_tasks;
}

static int takes_images(const struct workload *w)
{
	return w->takes_images;
}

/* Whether a workload named in @names[0..n) @takes the option, or is a plug-in we cannot tell about. */
static int any_takes(const char *const *names, size_t n, int (*takes)(const struct workload *))
{
	for (size_t i = 0; i < n; i++) {
		const struct workload *w = registry_workload(names[i]);

		if ((w && takes(w)) || registry_names_plugin_file(names[i]))
			return 1;
	}
	return 0;
}

/* The workloads that @take the option, space-separated; how many. */
static size_t takers(char *buf, size_t len, int (*takes)(const struct workload *))
{
	size_t n = 0, used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < registry_nworkloads && used < len; i++)
		if (takes(registry_workloads[i]))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", n++ ? " " : "",
						 registry_workloads[i]->name);
	return n;
}

int cli_check_applies(const struct config *cfg, const char *const *modes, size_t nmodes,
		      char *err, size_t len, FILE *warn)
{
	const struct {
		const char *opt;
		int given;
		int (*takes)(const struct workload *w);
	} uses[] = {
		{ "--images", !!cfg->images, takes_images },
		{ "--out", !!cfg->out, takes_images },
		{ "--quick", cfg->quick, takes_images },
		{ "--tasks", cfg->tasks >= 0, takes_tasks },
	};
	const char *const *wl = cfg->workloads;
	int warned = 0;

	if (cfg->list)
		return usage_error(err, len, "--list: only bench demo takes it (bench demo --list)");
	if (cfg->given & CONFIG_GIVEN_TIME_SCALE)
		return usage_error(err, len, "--time-scale: only bench demo takes it");
	if (cfg->baseline)
		return usage_error(err, len, "--baseline: only bench report takes it");
	if (cfg->pool)
		return usage_error(err, len, "--pool: only bench report takes it");
	for (size_t i = 0; i < sizeof(uses) / sizeof(uses[0]); i++) {
		char names[256];
		size_t n;

		if (!uses[i].given || any_takes(wl, cfg->nworkloads, uses[i].takes))
			continue;
		n = takers(names, sizeof(names), uses[i].takes);
		fprintf(warn, "bench: warning: %s is not used: only the %s workload%s take%s it "
			"(--workload %s%s)\n", uses[i].opt, names, n > 1 ? "s" : "", n > 1 ? "" : "s",
			wl[0], cfg->nworkloads > 1 ? ",..." : "");
		warned++;
	}
	return warned + options_warn_unused(cfg, modes, nmodes, warn);
}

void cli_usage(FILE *out)
{
	fputs(
"usage: bench [options]                 run workloads under execution modes\n"
"       bench demo [LESSON|N-|--list]   replay the tutorial's lessons, in C\n"
"                 [--no-pause] [--ask] [--handout DIR] [--time-scale F]\n"
"       bench report [CSV...] [--out DIR] [--baseline HOST] [--pool]\n"
"                                       compare results from several machines\n"
"       bench machine [--json]          describe this machine\n"
"\n"
"What to run (lists are comma-separated; every combination runs):\n"
"  --workload W[,W]     images (default), sleep, noop, cpu, io; see the list below\n"
"  --workload plugin:FILE.so  your own function, built against bench-plugin.h\n"
"  --modes M[,M]|all    seq, pthread, fork, threadpool, procpool, gil, mpi\n"
"                       (all: every mode built, but gil, which is for teaching)\n"
"  --workers N[,N]|auto pool sizes (default auto: the PUs bench may use);\n"
"                       pthread and fork always run one worker per task\n"
"  --pin P[,P]          none (default), compact (fill a core's PUs first, OpenMP close),\n"
"                       scatter (spread over packages and cores, OpenMP spread)\n"
"  --strict-pin         fail instead of warning when workers cannot be bound\n"
"  --reps N|auto        measured repetitions of each combination (default auto:\n"
"                       at least 6, more until every median's 95 % interval is\n"
"                       within --precision, up to --max-reps and --max-time)\n"
"  --precision PCT      auto: wanted interval half-width, % of the median (default 3)\n"
"  --max-reps N         auto: at most N measured repetitions (default 30)\n"
"  --max-time S         auto: no new repetition of a workload after S seconds (default\n"
"                       300); the first 6 always run, an interval needs them\n"
"  --warmup N           unmeasured rounds of every combination first (default 1)\n"
"  --seed N             the seed of each repetition's shuffled order (default: random)\n"
"\n"
"Workload inputs:\n"
"  --tasks N            number of tasks (sleep: 10, noop: 1000)\n"
"  --images DIR         images: a folder of .jpg/.jpeg/.png (default: the built-in set)\n"
"  --out DIR            images: where processed images go (default RESULTS/processed)\n"
"  --quick              fewer, smaller inputs where a workload has them\n",
	      out);
	options_usage(out, 0);
	fputs(
"\n"
"Mode options:\n",
	      out);
	options_usage(out, 1);
	fputs(
"\n"
"Output:\n"
"  --results DIR        folder for CSV files (default results)\n"
"  --csv FILE           runs CSV (default RESULTS/bench-DATE-HOST.csv); tasks go to\n"
"                       FILE-tasks.csv beside it; an existing file is appended to\n"
"  --json               print the summary as JSON instead of a table\n"
"  --trace FILE         write a Chrome trace (Perfetto, chrome://tracing)\n"
"  --plots-dir DIR      where charts go (default plots)\n"
"  --no-plots           do not draw charts\n"
"  --plots-only CSV     redraw the charts of an existing runs CSV, run nothing\n"
"  --timeline-axis A    shared (default): every mode's timeline on one time axis;\n"
"                       own: each at its own length\n"
"\n"
"bench report:\n"
"  --baseline HOST      the host the others are compared with (default: the first)\n"
"  --pool               pool one host's files instead of comparing them as sources\n"
"  --quiet              no progress line\n"
"\n"
"Faults (testing aids):\n"
"  --task-timeout S     a task running longer fails: killed in process modes;\n"
"                       thread modes cannot kill a thread and end the run instead\n"
"  --inject KIND:I      make task I misbehave: fail (return an error), crash\n"
"                       (SIGSEGV), abort (SIGABRT), exit (_exit mid-task) or hang;\n"
"                       crash, abort and exit need a process mode (fork, procpool, mpi):\n"
"                       in a thread they would take the whole of bench down\n"
"\n"
"More than one machine (the mpi mode, --hostfile above):\n"
"  mpirun -np N bench ...  uses the N ranks given: rank 0 runs bench, ranks 1..N-1\n"
"                       are the mpi workers (--workers: N-1 by default, at most N-1)\n"
"\n"
"Examples:\n"
"  bench --workload images --modes all\n"
"  bench --workload sleep --modes all --tasks 10 --seconds 1\n"
"  bench --workload sleep --modes threadpool,procpool --workers 1,2,4 --seconds 5,4,3,2,1\n"
"  bench --workload noop --modes threadpool,procpool --tasks 20000 --reps 5\n"
"  bench --workload images --modes procpool --workers 1,2 --pin compact,scatter\n"
"  bench --workload plugin:./libmytask.so --plugin-arg 1000 --modes all\n"
"  bench --workload images --images /nfs/photos --modes mpi --workers 16 --hostfile hosts\n"
"\n"
"Exit status: 0 ok, 1 some task or run failed (results still written),\n"
"2 usage or input error (nothing run), 130/143/129/131 interrupted by\n"
"SIGINT/SIGTERM/SIGHUP/SIGQUIT (rows so far kept).  A reader of stdout or\n"
"stderr gone (SIGPIPE) stops the printing, never the runs.\n",
	      out);
}
