/*
 * cli — argv to struct config, with a clear message for every bad value.
 *
 * Every error names the option and the value and says what is expected,
 * e.g. "--workers: '0' is not a whole number from 1 to 4096".  The caller
 * prints it and exits 2 before anything runs.
 */
#ifndef BENCH_CLI_H
#define BENCH_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "bench/core/config.h"

/* Defaults for everything, then the options in @argv (argv[0] skipped). */
int cli_parse(int argc, char **argv, struct config *cfg, char *err, size_t len);

void cli_usage(FILE *out);

/*
 * A run's options that its plan does not use (--images without the images
 * workload, --tasks with images only, --hostfile without an mpi run...):
 * a warning each on @warn, never silence.  Options of another command
 * (--list, --time-scale: bench demo's) are refused: -EINVAL with @err.
 * @modes: the names of the modes the plan runs.  The number of warnings.
 */
int cli_check_applies(const struct config *cfg, const char *const *modes, size_t nmodes,
		      char *err, size_t len, FILE *warn);

/*
 * Comma-separated lists.  Empty items, duplicates, values out of range and
 * more than CONFIG_MAX_LIST items are errors.  cli_parse_uints() takes
 * "auto" as 0 when @allow_auto.  cli_parse_names() splits @s in place.
 */
int cli_parse_uints(const char *opt, const char *s, unsigned *out, size_t *n,
		    unsigned lo, unsigned hi, int allow_auto, char *err, size_t len);
int cli_parse_doubles(const char *opt, const char *s, double *out, size_t *n,
		      double lo, double hi, int allow_dups, char *err, size_t len);
int cli_parse_names(const char *opt, char *s, const char **out, size_t *n,
		    char *err, size_t len);

/* One number: whole or real, in range. */
int cli_parse_long(const char *opt, const char *s, long lo, long hi, long *out,
		   char *err, size_t len);
int cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out,
		     char *err, size_t len);

#endif
