/*
 * report_plot_int — what the chart files (bench/report_plot*.c) share:
 * gnuplot settings, data files, colours and the words of subtitles.  Not
 * an API: only report_plot*.c include it.
 *
 *	struct gp_vars v = { .used = 0 };
 *	FILE *f = plot_dat_open(p, "NAME");        NAME.dat in the plots folder
 *	... fprintf(f, ...) ...
 *	plot_dat_close(p, f, "NAME");
 *	plot_gp_str(&v, "title", "...");            gnuplot variables
 *	plot_draw(p, "SCRIPT.gp", "NAME", &v);      NAME.png and NAME.svg
 */
#ifndef BENCH_REPORT_PLOT_INT_H
#define BENCH_REPORT_PLOT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "bench/report/report_plot.h"

struct rd_group;
struct rd_machine;

/* gnuplot -e assignments: name='value' (quote doubled) or name=number. */
struct gp_vars {
	char buf[16384];
	size_t used;
	int overflow;
	char title[512];           /* the chart's title: the SVG's <title> too */
};

void plot_gp_str(struct gp_vars *v, const char *name, const char *val);
/*
 * The variables title and subtitle, each broken into lines that fit a
 * chart @width pixels wide (at " · " where it can), so that neither is
 * ever cut off; the title also becomes the SVG's <title>.
 */
void plot_gp_heading(struct gp_vars *v, const char *title, const char *subtitle, double width);
void plot_gp_num(struct gp_vars *v, const char *name, double x);
/* Draw chart @name (data in DIR/NAME.dat) with @script, as PNG and SVG; counted in p->errors on failure. */
int plot_draw(struct plot_set *p, const char *script, const char *name, struct gp_vars *v);

/* DIR/NAME.dat for writing (said and counted when it cannot be opened), and its close. */
FILE *plot_dat_open(struct plot_set *p, const char *name);
int plot_dat_close(struct plot_set *p, FILE *f, const char *name);
/* A string cell: no tabs, line ends or double quotes; "-" when empty. */
void plot_dat_str(FILE *f, const char *s);

/* 0xRRGGBB of a mode (by its rank in d->modes) and of the i-th series. */
unsigned plot_mode_color(int rank);
unsigned plot_series_color(size_t i);
/* "#rrggbb #rrggbb ...": gnuplot words. */
void plot_color_words(char *buf, size_t len, const unsigned *colors, size_t n);

/* "on HOST (CPU, N PUs)". */
void plot_machine_subtitle(char *buf, size_t len, const struct rd_machine *m);
/* "3 reps" or "3-6 reps" over groups @sel[0..n-1]. */
void plot_reps_text(char *buf, size_t len, const struct report_data *d, const size_t *sel, size_t n);
/* The bar of a speedup: its interval, or its range (*@range set) below 6 reps. */
void plot_speedup_bar(const struct rd_group *g, double *lo, double *hi, int *range);
/* What the bars of a chart are, for its subtitle. */
const char *plot_bars_text(int intervals, int ranges);
/* Groups of machine @m, workload @w with runs, in mode/pin/workers order; their number. */
size_t plot_select_groups(const struct report_data *d, size_t m, size_t w, size_t *out);
/* The group of mode @mode with the highest speedup on @m, @w, or NULL. */
const struct rd_group *plot_best_group(const struct report_data *d, size_t m, size_t w,
				       const char *mode);
/* A file-name part: letters, digits, '_' and '.' kept, runs of the rest one '-'. */
void plot_name_part(char *out, size_t len, const char *s);

/* The timelines of machine @m's workloads (bench/report/report_plot_timeline.c). */
int plot_timelines(struct plot_set *p, const struct report_data *d, size_t m,
		   const char *tasks_csv, int axis, char *err, size_t len);
/* noop's cost per task on machine @m (bench/report/report_plot_hosts.c). */
int plot_overhead(struct plot_set *p, const struct report_data *d, size_t m, size_t w);

#endif
