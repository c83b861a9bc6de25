/*
 * registry — the one table of modes and workloads.
 *
 * Adding a mode: one new file under modes/, one line in each of the two
 * places in bench/core/registry.c (the extern and the table).  Entries that
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
