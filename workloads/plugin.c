/*
 * plugin — `--workload plugin:FILE.so`: a user's shared object (the
 * contract is workloads/bench-plugin.h) turned into a struct workload.
 *
 * plugin_open() dlopen()s the file in bench's process, before any worker
 * exists, so forked workers inherit it (RTLD_NOW: a missing symbol is an
 * error now, not a crash in a worker later), checks the bench_plugin it
 * exports and fills one slot: the workload the rest of bench sees, named
 * "plugin:NAME" in the CSV, the summary and the charts (the prefix keeps
 * plug-ins apart from the built-ins, and from built-ins to come), with
 * params "FILE [arg=TEXT]".  Its hooks call the plug-in's:
 *
 *   prepare    its prepare(--plugin-arg, &ntasks, ...), *ntasks starting
 *              at --tasks (0 without it); then --tasks overrides the count,
 *              and 0 tasks, or more than OPTION_MAX_TASKS, is refused;
 *   run_task   its run_task with res->message as the message buffer.  It
 *              marks no waiting sections, so the gil mode sees a task that
 *              holds the lock throughout, like pure-Python code;
 *   finish     its finish.
 *
 * A workload's prepare() is not told which workload it is, so each slot
 * has a prepare function of its own (PLUGIN_MAX of them).  Plug-ins stay
 * loaded until bench exits: the thread of an abandoned run may still be
 * in their code.
 *
 * Built with BENCH_NO_PLUGINS (make static: a static binary cannot load
 * shared objects safely), the plugin entry lists itself as unavailable.
 */
#include "workloads/plugin.h"

#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef BENCH_NO_PLUGINS
#include <dlfcn.h>
#endif

#include "bench/api/path.h"
#include "workloads/bench-plugin.h"

#define PLUGIN_NAME_MAX 32
#define PLUGIN_ERR_MAX 512

static int template_prepare(const struct config *cfg, void **state, size_t *ntasks,
			    char *err, size_t errlen)
{
	snprintf(err, errlen, "name the shared object: --workload %sFILE.so", PLUGIN_PREFIX);
	return -EINVAL;
}

static int template_run_task(void *state, size_t index, struct task_result *res)
{
	task_message(res, "not a plug-in: --workload %sFILE.so names one", PLUGIN_PREFIX);
	return -EINVAL;
}

static const struct option plugin_options[] = {
	{ "--plugin-arg", OPTION_TEXT, "TEXT", 0, 0, 0,
	  "the text its prepare() gets (--tasks overrides\nthe number of tasks it sets)", NULL },
	{ 0 },
};

const struct workload workload_plugin = {
	.name = "plugin",
	.cli_name = PLUGIN_PREFIX "FILE.so",
	.summary = "your own function, from a shared object: --workload plugin:FILE.so "
		   "[--plugin-arg TEXT] (the contract: bench-plugin.h)",
	.bound = BOUND_MIXED,
#ifdef BENCH_NO_PLUGINS
	.unavailable = "this bench is linked statically (make static), and a static binary "
		       "cannot load shared objects; use the dynamically linked build",
#endif
	.prepare = template_prepare,
	.run_task = template_run_task,
	.options = plugin_options,
};

int plugin_named(const char *name)
{
	return !strcmp(name, workload_plugin.name) || !strncmp(name, PLUGIN_PREFIX, strlen(PLUGIN_PREFIX));
}

#ifdef BENCH_NO_PLUGINS

const struct workload *plugin_open(const char *name, char *err, size_t len)
{
	return &workload_plugin;
}

const struct workload *plugin_find(const char *name)
{
	return NULL;
}

#else

struct plugin {
	char *spec;                       /* "plugin:FILE", as given */
	const char *file;                 /* in spec */
	const struct bench_plugin *api;
	char name[sizeof(PLUGIN_PREFIX) + PLUGIN_NAME_MAX];   /* "plugin:NAME" */
	struct workload wl;
	void *state;                      /* the plug-in's, from its prepare */
	const char *arg;                  /* --plugin-arg */
	int prepared;
};

static struct plugin plugins[PLUGIN_MAX];
static size_t nplugins;

/* ------------------------------------------------------------------ hooks */

/* prepare() failed with @rc and @msg (maybe empty): say so in @err. */
static int prepare_failed(int rc, const char *msg, char *err, size_t errlen)
{
	if (msg[0])
		snprintf(err, errlen, "prepare() failed: %s", msg);
	else if (rc < 0 && rc > -4096)
		snprintf(err, errlen, "prepare() failed: %s (and gave no message)", strerror(-rc));
	else
		snprintf(err, errlen, "prepare() failed: it returned %d and gave no message", rc);
	return -EINVAL;
}

static int plugin_prepare(struct plugin *p, const struct config *cfg, void **state,
			  size_t *ntasks, char *err, size_t errlen)
{
	char msg[PLUGIN_ERR_MAX];
	size_t n = option_tasks(cfg) >= 0 ? (size_t)option_tasks(cfg) : 0;
	int rc;

	p->state = NULL;
	p->arg = option_text(cfg, "--plugin-arg");
	if (p->api->prepare) {
		msg[0] = '\0';
		rc = p->api->prepare(p->arg, &n, &p->state, msg, sizeof(msg));
		msg[sizeof(msg) - 1] = '\0';
		if (rc)
			return prepare_failed(rc, msg, err, errlen);
	} else if (option_tasks(cfg) < 0) {
		char shown[PATH_SHOW_MAX];

		snprintf(err, errlen, "%s has no prepare() to count its tasks: give --tasks N",
			 path_show(shown, sizeof(shown), p->file));
		return -EINVAL;
	}
	if (option_tasks(cfg) >= 0)
		n = (size_t)option_tasks(cfg);
	if (!n || n > OPTION_MAX_TASKS) {
		if (!n)
			snprintf(err, errlen, "prepare() gave 0 tasks: set *ntasks, or give --tasks N");
		else
			snprintf(err, errlen, "prepare() gave %zu tasks, more than %d: set fewer, "
				 "or give --tasks N", n, OPTION_MAX_TASKS);
		if (p->api->finish)
			p->api->finish(p->state);
		return -EINVAL;
	}
	p->prepared = 1;
	*state = p;
	*ntasks = n;
	return 0;
}

#define PLUGIN_PREPARE(i)                                                            \
	static int plugin_prepare_##i(const struct config *cfg, void **state,        \
				      size_t *ntasks, char *err, size_t errlen)      \
	{                                                                            \
		return plugin_prepare(&plugins[i], cfg, state, ntasks, err, errlen); \
	}
PLUGIN_PREPARE(0)
PLUGIN_PREPARE(1)
PLUGIN_PREPARE(2)
PLUGIN_PREPARE(3)
PLUGIN_PREPARE(4)
PLUGIN_PREPARE(5)
PLUGIN_PREPARE(6)
PLUGIN_PREPARE(7)

typedef int prepare_fn(const struct config *cfg, void **state, size_t *ntasks,
		       char *err, size_t errlen);

static prepare_fn *const plugin_prepares[] = {
	plugin_prepare_0, plugin_prepare_1, plugin_prepare_2, plugin_prepare_3,
	plugin_prepare_4, plugin_prepare_5, plugin_prepare_6, plugin_prepare_7,
};
_Static_assert(sizeof(plugin_prepares) / sizeof(plugin_prepares[0]) == PLUGIN_MAX,
	       "one PLUGIN_PREPARE() per slot");

static void plugin_describe(const void *state, char *buf, size_t len)
{
	const struct plugin *p = state;

	snprintf(buf, len, "%s%s%s", p->file, p->arg ? " arg=" : "", p->arg ? p->arg : "");
}

static int plugin_run_task(void *state, size_t index, struct task_result *res)
{
	struct plugin *p = state;
	int rc;

	res->message[0] = '\0';
	rc = p->api->run_task(p->state, index, res->message, sizeof(res->message));
	res->message[sizeof(res->message) - 1] = '\0';
	/* a forked worker _exit()s: what the task printed must not stay in
	 * its buffer (and checking first takes no lock in thread modes) */
	if (__fpending(stdout))
		fflush(stdout);
	if (!rc)
		return 0;
	if (!res->message[0])
		task_message(res, "run_task returned %d and gave no message", rc);
	return rc < 0 && rc > -4096 ? rc : -EIO;
}

static void plugin_finish(void *state)
{
	struct plugin *p = state;

	if (p->prepared && p->api->finish)
		p->api->finish(p->state);
	p->prepared = 0;
}

/* ------------------------------------------------------------------ loading */

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == '+';
}

static int name_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > PLUGIN_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!name_char(*s))
			return 0;
	return 1;
}

/* A name from the file's: "build/libmy task.so.1" -> "my_task". */
static void name_from_file(char *out, size_t len, const char *file)
{
	const char *base = strrchr(file, '/'), *end;
	size_t n = 0;

	base = base ? base + 1 : file;
	if (!strncmp(base, "lib", 3) && base[3] && strncmp(base + 3, ".so", 3))
		base += 3;
	end = strstr(base, ".so");
	if (!end || end == base)
		end = base + strlen(base);
	for (; base < end && n + 1 < len && n < PLUGIN_NAME_MAX; base++)
		out[n++] = name_char(*base) ? *base : '_';
	if (!n)
		n = (size_t)snprintf(out, len, "unnamed");
	out[n] = '\0';
}

static int parse_bound(const char *s, enum bound *out)
{
	if (!s || !strcmp(s, "mixed"))
		*out = BOUND_MIXED;
	else if (!strcmp(s, "cpu"))
		*out = BOUND_CPU;
	else if (!strcmp(s, "io"))
		*out = BOUND_IO;
	else
		return -EINVAL;
	return 0;
}

/* A regular file (a FIFO or a device would hang or fool dlopen). */
static int check_file(const char *file, const char *shown, char *err, size_t len)
{
	struct stat st;
	int e;

	if (stat(file, &st)) {
		e = errno;
		snprintf(err, len, "cannot open plug-in %s: %s", shown, strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, len, "cannot load plug-in %s: %s", shown,
			 S_ISDIR(st.st_mode) ? "it is a folder" : "not a regular file");
		return -EINVAL;
	}
	return 0;
}

/* dlopen @file: names without a '/' are files here, not libraries on the search path. */
static void *load(const char *file, const char *shown, char *err, size_t len)
{
	char *path = NULL;
	const char *why;
	void *handle;

	if (strchr(file, '/'))
		path = strdup(file);
	else if (asprintf(&path, "./%s", file) < 0)
		path = NULL;
	if (!path) {
		snprintf(err, len, "cannot load plug-in %s: %s", shown, strerror(ENOMEM));
		return NULL;
	}
	dlerror();
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		why = dlerror();
		why = why ? why : "dlopen failed";
		/* dlerror starts with the path: say it once */
		if (!strncmp(why, path, strlen(path)) && !strncmp(why + strlen(path), ": ", 2))
			why += strlen(path) + 2;
		snprintf(err, len, "cannot load plug-in %s: %s", shown, why);
	}
	free(path);
	return handle;
}

/* What @api promises, checked; its name and bound into @name and @bound. */
static int check_api(const struct bench_plugin *api, const char *file, const char *shown,
		     char *name, size_t namelen, enum bound *bound, char *err, size_t len)
{
	char bad[48];

	if (api->abi != BENCH_PLUGIN_ABI) {
		snprintf(err, len, "plug-in %s was built for plug-in ABI %d, and this bench loads "
			 "ABI %d: rebuild it against this bench's bench-plugin.h", shown, api->abi,
			 BENCH_PLUGIN_ABI);
		return -EINVAL;
	}
	if (!api->run_task) {
		snprintf(err, len, "plug-in %s has no run_task (bench_plugin.run_task is NULL)", shown);
		return -EINVAL;
	}
	if (api->name && *api->name && !name_valid(api->name)) {
		path_show(bad, sizeof(bad), api->name);
		snprintf(err, len, "plug-in %s is named '%s': a name is 1 to %d letters, digits, "
			 "'_', '-', '.' or '+'", shown, bad, PLUGIN_NAME_MAX);
		return -EINVAL;
	}
	if (parse_bound(api->bound, bound)) {
		path_show(bad, sizeof(bad), api->bound);
		snprintf(err, len, "plug-in %s says it is bound by '%s' (valid: cpu, io, mixed)",
			 shown, bad);
		return -EINVAL;
	}
	if (api->name && *api->name)
		snprintf(name, namelen, "%s%s", PLUGIN_PREFIX, api->name);
	else {
		snprintf(name, namelen, "%s", PLUGIN_PREFIX);
		name_from_file(name + strlen(name), namelen - strlen(name), file);
	}
	return 0;
}

const struct workload *plugin_find(const char *name)
{
	for (size_t i = 0; i < nplugins; i++)
		if (!strcmp(plugins[i].spec, name))
			return &plugins[i].wl;
	return NULL;
}

const struct workload *plugin_open(const char *name, char *err, size_t len)
{
	const struct workload *found = plugin_find(name);
	const struct bench_plugin *api;
	const char *file = strncmp(name, PLUGIN_PREFIX, strlen(PLUGIN_PREFIX)) ? ""
			   : name + strlen(PLUGIN_PREFIX);
	struct plugin *p = &plugins[nplugins];
	char display[sizeof(p->name)], shown[PATH_SHOW_MAX];
	enum bound bound;
	void *handle;

	if (found)
		return found;
	if (!*file) {
		snprintf(err, len, "'%s' names no shared object: use %sFILE.so", name, PLUGIN_PREFIX);
		return NULL;
	}
	if (nplugins == PLUGIN_MAX) {
		snprintf(err, len, "%s: at most %d plug-ins at once", name, PLUGIN_MAX);
		return NULL;
	}
	path_show(shown, sizeof(shown), file);
	if (check_file(file, shown, err, len))
		return NULL;
	handle = load(file, shown, err, len);
	if (!handle)
		return NULL;
	dlerror();
	api = dlsym(handle, "bench_plugin");
	if (!api) {
		snprintf(err, len, "plug-in %s has no 'bench_plugin' symbol: define "
			 "const struct bench_plugin bench_plugin (see bench-plugin.h)", shown);
		goto out_close;
	}
	if (check_api(api, file, shown, display, sizeof(display), &bound, err, len))
		goto out_close;
	for (size_t i = 0; i < nplugins; i++)
		if (!strcmp(plugins[i].name, display)) {
			char other[PATH_SHOW_MAX / 2];

			snprintf(err, len, "plug-ins %s and %s are both called %s: tables and charts "
				 "could not tell them apart",
				 path_show(other, sizeof(other), plugins[i].file), shown, display);
			goto out_close;
		}

	memset(p, 0, sizeof(*p));
	p->spec = strdup(name);
	if (!p->spec) {
		snprintf(err, len, "cannot load plug-in %s: %s", shown, strerror(ENOMEM));
		goto out_close;
	}
	p->file = p->spec + (file - name);
	p->api = api;
	snprintf(p->name, sizeof(p->name), "%s", display);
	p->wl = (struct workload){
		.name = p->name,
		.summary = p->spec,
		.bound = bound,
		.cli_name = p->spec,
		.prepare = plugin_prepares[nplugins],
		.describe = plugin_describe,
		.run_task = plugin_run_task,
		.finish = plugin_finish,
		.options = plugin_options,
	};
	nplugins++;
	return &p->wl;

out_close:
	dlclose(handle);
	return NULL;
}

#endif
