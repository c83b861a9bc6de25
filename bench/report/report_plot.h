/*
 * report_plot — charts through gnuplot and the scripts in plots/NAME.gp.
 *
 * For each chart bench writes a small tab-separated data file NAME.dat into
 * the plots folder and runs, without a shell,
 *
 *	gnuplot -e "plotdir='…/'; fmt='png'; out='DIR/NAME'; data='DIR/NAME.dat'; title='…'" SCRIPT.gp
 *
 * once for PNG and once for SVG.  Values given to gnuplot are quoted with
 * single quotes (a quote inside is doubled), so no user string is ever
 * parsed as a command.  The scripts are found in $BENCH_PLOTS, ./plots,
 * or PREFIX/share/bench/plots beside the binary (and the source tree's
 * plots/ when bench runs from its build folder).
 */
#ifndef BENCH_REPORT_PLOT_H
#define BENCH_REPORT_PLOT_H

#include <stddef.h>

struct report_data;
struct scaling_fit;

struct plot_set {
	char scripts[4096];    /* folder of the *.gp, ends with '/' */
	char dir[4096];        /* where charts go */
	char **made;           /* PNG paths drawn, in order */
	size_t nmade, cap;
	int errors;            /* charts gnuplot failed to draw */
	int stopped;           /* a stop request (a signal) ended the drawing */
	int timeline_axis;     /* enum timeline_axis (bench/core/config.h); set after plot_begin() */
};

/*
 * Find gnuplot and the scripts, create @dir.  0; -ENOENT when gnuplot or
 * the scripts cannot be found (said on stderr, with how to install
 * gnuplot); -errno when @dir cannot be created (said).
 */
int plot_begin(struct plot_set *p, const char *dir);
/* NULL when charts can be drawn here; else why not ("gnuplot not found in PATH"). */
const char *plot_unavailable(void);

/*
 * Whether @name (a file name, no folder) is one bench may write into a
 * plots folder: a chart (.png, .svg), its data (.dat), or a chart's
 * temporary name while gnuplot draws it.
 */
int plot_is_chart_name(const char *name);
void plot_end(struct plot_set *p);

/*
 * The charts of one machine's runs: speedup vs workers, wall-time spread
 * and timeline per workload, and I/O-bound vs CPU-bound for all of them.
 * @tasks_csv (may be NULL or missing: no timelines) holds the task rows.
 * 0, or -EINVAL with @err ("file:line: ...") when @tasks_csv is malformed.
 */
int plot_machine_charts(struct plot_set *p, const struct report_data *d, size_t machine,
			const char *tasks_csv, char *err, size_t len);

/*
 * The report's chart for workload @w: best speedup per mode, one bar per
 * machine.  Writes the PNG's file name (without folder) to @name, or ""
 * when there was nothing to draw.
 */
int plot_host_comparison(struct plot_set *p, const struct report_data *d, size_t w,
			 char *name, size_t len);

/*
 * The report's chart of each host's best time on workload @w (its fastest
 * mode and worker count, written beside the bar), and for noop (which
 * measures the harness) each host's cost per task per mode.  The PNG's
 * file name goes to @name ("" when nothing was drawn).
 */
int plot_host_times(struct plot_set *p, const struct report_data *d, size_t w, char *name,
		    size_t len);
int plot_host_overhead(struct plot_set *p, const struct report_data *d, size_t w, char *name,
		       size_t len);

/*
 * The scaling chart of fit @f (bench/analysis/scaling.h; nothing when it was not
 * fitted): measured speedups with their intervals, the fitted Amdahl and
 * USL curves, the ideal line, the predicted peak (plots/scaling.gp).  File
 * "scaling-[HOST-]WORKLOAD-MODE[-PIN]" (@with_host: the machine's name in
 * it); its PNG's file name goes to @name ("" when none was drawn).
 */
int plot_scaling(struct plot_set *p, const struct report_data *d, const struct scaling_fit *f,
		 int with_host, char *name, size_t len);

/* A task of a run held in memory, for plot_timeline_tasks(). */
struct plot_task {
	unsigned lane;            /* the worker that ran it: its lane */
	int index;                /* the task's number, for its label */
	double start_s, end_s;    /* since the run started */
	double cpu_s;             /* CPU time of the task's thread; < 0: not recorded */
	int cpu_start, cpu_end;   /* the CPUs it started and ended on; -1: not recorded */
};

struct plot_run {
	const char *mode;         /* lane names "MODE · wK" and its legend swatch */
	const struct plot_task *t;
	size_t n;
	double wall_s;
};

/*
 * The timeline chart NAME (.png and .svg) of @n runs held in memory (bench
 * demo's lessons), drawn as the run charts' timelines are (plots/
 * timeline.gp): a lane per worker, every run on one time axis, a task's
 * solid part its CPU time.  @title and @subtitle are the caller's,
 * computed from the runs; the subtitle says which lanes were left out.
 * 0 (also when there is nothing to draw: no PNG then), or -errno.
 */
int plot_timeline_tasks(struct plot_set *p, const char *name, const char *title,
			const char *subtitle, const struct plot_run *runs, size_t n);

#endif
