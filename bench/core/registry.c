#include "bench/core/registry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "workloads/plugin.h"

/*
 * The one list of modes and of workloads, in the order --help and "all"
 * use: adding one is a line here (and its file, exporting mode_NAME or
 * workload_NAME).
 */
#define REGISTRY_MODES(X) \
	X(seq) \
	X(pthread) \
	X(fork) \
	X(threadpool) \
	X(procpool) \
	X(gil) \
	X(mpi)

#define REGISTRY_WORKLOADS(X) \
	X(noop) \
	X(sleep) \
	X(cpu) \
	X(io) \
	X(images) \
	X(plugin)     /* stands for every plug-in, plugin:FILE.so */

#define DECLARE_MODE(name) extern const struct mode mode_##name;
#define DECLARE_WORKLOAD(name) extern const struct workload workload_##name;
#define ENTRY_MODE(name) &mode_##name,
#define ENTRY_WORKLOAD(name) &workload_##name,

REGISTRY_MODES(DECLARE_MODE)
REGISTRY_WORKLOADS(DECLARE_WORKLOAD)

const struct mode *const registry_modes[] = { REGISTRY_MODES(ENTRY_MODE) };
const size_t registry_nmodes = sizeof(registry_modes) / sizeof(registry_modes[0]);

const struct workload *const registry_workloads[] = { REGISTRY_WORKLOADS(ENTRY_WORKLOAD) };
const size_t registry_nworkloads = sizeof(registry_workloads) / sizeof(registry_workloads[0]);

const struct mode *registry_mode(const char *name)
{
	for (size_t i = 0; i < registry_nmodes; i++)
		if (!strcmp(registry_modes[i]->name, name))
			return registry_modes[i];
	return NULL;
}

const struct workload *registry_workload(const char *name)
{
	for (size_t i = 0; i < registry_nworkloads; i++)
		if (!strcmp(registry_workloads[i]->name, name))
			return registry_workloads[i];
	return plugin_find(name);
}

const struct workload *registry_workload_open(const char *name, char *err, size_t len)
{
	const struct workload *w;
	char names[512];

	if (plugin_named(name))
		return plugin_open(name, err, len);
	w = registry_workload(name);
	if (!w) {
		registry_workload_names(names, sizeof(names));
		snprintf(err, len, "unknown workload '%s' (valid: %s)", name, names);
	}
	return w;
}

const char *registry_workload_shown_name(const struct workload *w)
{
	return w->cli_name ? w->cli_name : w->name;
}

static int in_table(const struct option *table, const struct option *o)
{
	for (; table && table->name; table++)
		if (table == o)
			return 1;
	return 0;
}

int registry_mode_owns(const struct mode *m, const struct option *o)
{
	return m && in_table(m->options, o);
}

int registry_workload_owns(const struct workload *w, const struct option *o)
{
	return w && in_table(w->options, o);
}

int registry_names_plugin_file(const char *name)
{
	return plugin_named(name) && strcmp(name, workload_plugin.name);
}

int registry_workload_named_may_own(const char *name, const struct option *o)
{
	if (registry_names_plugin_file(name))
		return 1;    /* a plug-in we cannot tell about */
	return registry_workload_owns(registry_workload(name), o);
}

const struct option *registry_option(const char *name, const struct mode **mode,
				     const struct workload **workload)
{
	for (size_t i = 0; i < registry_nmodes; i++)
		for (const struct option *o = registry_modes[i]->options; o && o->name; o++)
			if (!strcmp(o->name, name)) {
				if (mode)
					*mode = registry_modes[i];
				return o;
			}
	for (size_t i = 0; i < registry_nworkloads; i++)
		for (const struct option *o = registry_workloads[i]->options; o && o->name; o++)
			if (!strcmp(o->name, name)) {
				if (workload)
					*workload = registry_workloads[i];
				return o;
			}
	return NULL;
}

int registry_mode_in_all(const struct mode *m)
{
	/* teaching modes are run only when named */
	return !m->unavailable && !m->teaching_only;
}

static void join_names(char *buf, size_t len, size_t n, const char *(*name)(size_t))
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "", name(i));
}

static const char *mode_name_at(size_t i)
{
	return registry_modes[i]->name;
}

static const char *workload_name_at(size_t i)
{
	return registry_workload_shown_name(registry_workloads[i]);
}

void registry_mode_names(char *buf, size_t len)
{
	join_names(buf, len, registry_nmodes, mode_name_at);
}

void registry_workload_names(char *buf, size_t len)
{
	join_names(buf, len, registry_nworkloads, workload_name_at);
}

static int fail(char *err, size_t len, const char *what, const char *name, const char *why)
{
	snprintf(err, len, "%s '%s': %s", what, name ? name : "(null)", why);
	return -EINVAL;
}

int registry_check_tables(const struct mode *const *modes, size_t nmodes,
			  const struct workload *const *workloads, size_t nworkloads,
			  char *err, size_t len)
{
	for (size_t i = 0; i < nmodes; i++) {
		const struct mode *m = modes[i];

		if (!m->name || !*m->name)
			return fail(err, len, "mode", m->name, "has no name");
		if (!m->summary || !m->teaches)
			return fail(err, len, "mode", m->name, "needs a summary and what it teaches");
		if (!m->run)
			return fail(err, len, "mode", m->name, "has no run hook");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(modes[j]->name, m->name))
				return fail(err, len, "mode", m->name, "is listed twice");
	}
	for (size_t i = 0; i < nworkloads; i++) {
		const struct workload *w = workloads[i];

		if (!w->name || !*w->name)
			return fail(err, len, "workload", w->name, "has no name");
		if (!w->summary)
			return fail(err, len, "workload", w->name, "needs a summary");
		if (!w->prepare || !w->run_task)
			return fail(err, len, "workload", w->name, "needs prepare and run_task hooks");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(workloads[j]->name, w->name))
				return fail(err, len, "workload", w->name, "is listed twice");
	}
	return 0;
}

int registry_check(char *err, size_t len)
{
	return registry_check_tables(registry_modes, registry_nmodes,
				     registry_workloads, registry_nworkloads, err, len);
}
