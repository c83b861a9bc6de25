/*
 * registry — the one table of modes and workloads.
 *
 * Adding a mode: one new file under modes/ exporting mode_NAME, and one
 * line X(NAME) in REGISTRY_MODES in bench/core/registry.c.  Entries that
 * cannot run here stay listed with their reason (->unavailable).
 */
#ifndef BENCH_REGISTRY_H
#define BENCH_REGISTRY_H

#include <stddef.h>

#include "bench/api/mode.h"
#include "bench/api/workload.h"

extern const struct mode *const registry_modes[];
extern const size_t registry_nmodes;
extern const struct workload *const registry_workloads[];
extern const size_t registry_nworkloads;

/* By name; NULL when unknown.  A plug-in is found by the name it was
 * opened with ("plugin:FILE.so"), once registry_workload_open() loaded
 * it: this never loads anything (names from a CSV are safe here). */
const struct mode *registry_mode(const char *name);
const struct workload *registry_workload(const char *name);

/*
 * The workload a command line names: a built-in, or "plugin:FILE.so",
 * which loads that shared object now (workloads/plugin.h): call it in
 * bench's process before any worker exists.  NULL with the reason in
 * @err ("unknown workload 'x' (valid: ...)", "cannot load plug-in ...").
 */
const struct workload *registry_workload_open(const char *name, char *err, size_t len);

/*
 * The plug-ins' own options (bench/api/option.h): the one named @name in
 * some mode's or workload's table, and its owner in *@mode or *@workload
 * (either may be NULL); NULL when none has it.
 */
const struct option *registry_option(const char *name, const struct mode **mode,
				     const struct workload **workload);
/* Whether @o is in @m's (@w's) table; NULL owns nothing. */
int registry_mode_owns(const struct mode *m, const struct option *o);
int registry_workload_owns(const struct workload *w, const struct option *o);
/* Whether the workload a command line names may take @o: a built-in that
 * owns it, or a plug-in file ("plugin:FILE.so"), which may take any. */
int registry_workload_named_may_own(const char *name, const struct option *o);
/* Whether @name is a plug-in file ("plugin:FILE.so"), not a built-in's name. */
int registry_names_plugin_file(const char *name);
/* The name --help and the messages show: "plugin:FILE.so" for plug-ins. */
const char *registry_workload_shown_name(const struct workload *w);

/* The modes "all" stands for: every available mode except teaching-only ones. */
int registry_mode_in_all(const struct mode *m);

/* Comma-separated names, for "valid: ..." messages. */
void registry_mode_names(char *buf, size_t len);
void registry_workload_names(char *buf, size_t len);

/*
 * Check the tables: every entry has a name, a summary and its hooks, and
 * no two share a name.  0, or -EINVAL with the first problem in @err.
 */
int registry_check(char *err, size_t len);

/* Check one table given explicitly (for tests). */
int registry_check_tables(const struct mode *const *modes, size_t nmodes,
			  const struct workload *const *workloads, size_t nworkloads,
			  char *err, size_t len);

#endif
