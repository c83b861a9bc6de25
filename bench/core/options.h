/*
 * options — the store of the plug-ins' own options (bench/api/option.h):
 * parsed by cli_parse() into struct config, set by the demo and the tests,
 * listed in --help, checked against the plan.  The plug-ins read them with
 * option_real() and friends, defined here.
 */
#ifndef BENCH_OPTIONS_H
#define BENCH_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "bench/api/option.h"
#include "bench/core/config.h"

/* Parse @val for @o (a plug-in's option) into @cfg; the last one given wins.
 * 0, or -EINVAL with the reason in @err (the wording of every option). */
int options_parse(struct config *cfg, const struct option *o, char *val, char *err, size_t len);

/* Set an option as if given (the demo, the tests); 0 or -EINVAL (unknown
 * name, wrong type, too many values). */
int options_set_real(struct config *cfg, const char *name, double v);
int options_set_reals(struct config *cfg, const char *name, const double *v, size_t n);
int options_set_text(struct config *cfg, const char *name, const char *text);
/* Forget that it was given: its default again. */
void options_unset(struct config *cfg, const char *name);

/* --help's lines for the workloads' (@modes 0) or the modes' (1) options. */
void options_usage(FILE *out, int modes);

/*
 * A run's plug-in options that no plug-in it uses takes: a warning each on
 * @warn ("--work is not used: only the cpu workload takes it (--workload
 * noop)"), the number of them; a workload named "plugin:..." may take any.
 * @modes: the names of the modes the plan runs.
 */
int options_warn_unused(const struct config *cfg, const char *const *modes, size_t nmodes,
			FILE *warn);

/*
 * The options given that must be refused when none of @wls takes them
 * (->refuse_unused): -EINVAL with "--seconds: only the sleep workload takes
 * durations (--workload noop)" in @err; else 0.
 */
struct workload;
int options_refuse_unused(const struct config *cfg, const struct workload *const *wls,
			  size_t nwls, char *err, size_t len);

#endif
