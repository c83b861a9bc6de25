/*
 * plugin — bench's side of user plug-ins (`--workload plugin:FILE.so`):
 * each loaded shared object becomes one struct workload, so modes, the
 * CSV, the summary and the charts see a workload like any other.  The
 * user's side is the public header workloads/bench-plugin.h.
 *
 * `workload_plugin` itself is the entry of the registry's table: it stands
 * for every plug-in in listings (--help), with ->unavailable set where
 * this build cannot load shared objects (make static).  It cannot run.
 */
#ifndef BENCH_WORKLOAD_PLUGIN_H
#define BENCH_WORKLOAD_PLUGIN_H

#include <stddef.h>

#include "bench/api/workload.h"

#define PLUGIN_PREFIX "plugin:"
#define PLUGIN_MAX 8              /* plug-ins loaded in one process */

extern const struct workload workload_plugin;

/* 1 when @name asks for a plug-in ("plugin", "plugin:FILE"). */
int plugin_named(const char *name);

/*
 * Load the plug-in @name ("plugin:FILE"; FILE without a '/' is in the
 * current folder) with dlopen, check what it exports, and return its
 * workload; the same workload again for the same @name.  Call it in
 * bench's process before any worker exists.  NULL with the reason in @err
 * (file missing or not loadable, no bench_plugin symbol, another ABI, no
 * run_task, a bad name or bound, a name another loaded plug-in has).
 * Where plug-ins cannot be loaded, &workload_plugin, whose ->unavailable
 * says why.
 */
const struct workload *plugin_open(const char *name, char *err, size_t len);

/* The plug-in plugin_open() loaded as @name; NULL if none.  Loads nothing. */
const struct workload *plugin_find(const char *name);

#endif
