/*
 * report — what bench draws and writes from its CSV files: the charts
 * after a run, --plots-only, --trace, and `bench report`, the Markdown
 * comparison of runs from any number of hosts.
 *
 * Everything here reads the CSV files back (bench/csv) rather than the
 * in-memory results, so a chart can always be redrawn from a file, and
 * files from several machines can simply be merged.
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stddef.h>

struct config;

/*
 * After a run: the trace (cfg->trace) of this invocation's runs, and the
 * charts (unless cfg->no_plots) from the whole runs file @runs_csv and its
 * tasks file @tasks_csv.  A missing gnuplot is said once and is not an
 * error.  Returns 0, or 1 when the trace could not be written.
 */
int report_after_run(const struct config *cfg, const char *runs_csv, const char *tasks_csv);

/*
 * Before anything runs: the files this invocation writes (the runs and
 * tasks CSV @runs_csv and @tasks_csv, which --plots-only reads instead,
 * cfg->trace, the charts in cfg->plots_dir) must be regular files or not
 * exist yet, and no two of them may be one file under two names (a link,
 * a bind mount: compared by device and inode).  0, or -EINVAL with @err.
 */
int report_check_outputs(const struct config *cfg, const char *runs_csv, const char *tasks_csv,
			 char *err, size_t len);

/* --plots-only CSV: redraw (and --trace) without running.  Exit status: 0, 1 no gnuplot, 2 bad input. */
int report_plots_only(const struct config *cfg);

/* bench report [CSV...] [--out DIR].  Exit status: 0, 1 (charts failed), 2 bad input. */
int report_main(const struct config *cfg);

#endif
