/*
 * options — the plug-ins' own options: one store in struct config, one
 * parser, one --help writer, one check against the plan.  Which plug-in
 * owns an option is the registry's answer (registry_option()).
 */
#include "bench/core/options.h"

#include <errno.h>
#include <string.h>

#include "bench/core/cli.h"
#include "bench/core/registry.h"

static const struct config_option *stored(const struct config *cfg, const char *name)
{
	if (!cfg)
		return NULL;
	for (size_t i = 0; i < cfg->nopts; i++)
		if (!strcmp(cfg->opts[i].opt->name, name))
			return &cfg->opts[i];
	return NULL;
}

/* The slot of @o in @cfg, a new one if it was not given yet; NULL when full. */
static struct config_option *slot(struct config *cfg, const struct option *o)
{
	struct config_option *c = (struct config_option *)stored(cfg, o->name);

	if (c)
		return c;
	if (cfg->nopts == CONFIG_MAX_OPTIONS)
		return NULL;
	c = &cfg->opts[cfg->nopts++];
	memset(c, 0, sizeof(*c));
	c->opt = o;
	return c;
}

long option_tasks(const struct config *cfg)
{
	return cfg->tasks;
}

const char *option_results(const struct config *cfg)
{
	return cfg->results;
}

int option_quick(const struct config *cfg)
{
	return cfg->quick;
}

int option_quiet(const struct config *cfg)
{
	return cfg->quiet;
}

const char *option_images(const struct config *cfg)
{
	return cfg->images;
}

const char *option_out(const struct config *cfg)
{
	return cfg->out;
}

double option_real(const struct config *cfg, const char *name)
{
	const struct config_option *c = stored(cfg, name);
	const struct option *o;

	if (c)
		return c->num;
	o = registry_option(name, NULL, NULL);
	return o ? o->def : 0;
}

size_t option_reals(const struct config *cfg, const char *name, const double **values)
{
	const struct config_option *c = stored(cfg, name);

	*values = c && c->n ? c->list : NULL;
	return c ? c->n : 0;
}

const char *option_text(const struct config *cfg, const char *name)
{
	const struct config_option *c = stored(cfg, name);

	return c ? c->text : NULL;
}

int option_given(const struct config *cfg, const char *name)
{
	return stored(cfg, name) != NULL;
}

int option_parse_real(const char *name, const char *s, double lo, double hi, double *out,
		      char *err, size_t len)
{
	return cli_parse_double(name, s, lo, hi, out, err, len);
}

int options_parse(struct config *cfg, const struct option *o, char *val, char *err, size_t len)
{
	struct config_option tmp, *c;
	int rc = 0;

	memset(&tmp, 0, sizeof(tmp));
	tmp.opt = o;
	switch (o->type) {
	case OPTION_REAL:
		rc = cli_parse_double(o->name, val, o->lo, o->hi, &tmp.num, err, len);
		break;
	case OPTION_REALS:
		rc = cli_parse_doubles(o->name, val, tmp.list, &tmp.n, o->lo, o->hi, 1, err, len);
		break;
	case OPTION_PATH:
		if (!*val) {
			snprintf(err, len, "%s: the path is empty", o->name);
			return -EINVAL;
		}
		/* fall through */
	case OPTION_TEXT:
		tmp.text = val;
		break;
	}
	if (rc)
		return rc;
	c = slot(cfg, o);
	if (!c) {
		snprintf(err, len, "%s: more than %d plug-in options", o->name, CONFIG_MAX_OPTIONS);
		return -EINVAL;
	}
	*c = tmp;
	return 0;
}

static struct config_option *slot_named(struct config *cfg, const char *name,
					enum option_type type)
{
	const struct option *o = registry_option(name, NULL, NULL);

	if (!o || (o->type != type && !(type == OPTION_TEXT && o->type == OPTION_PATH)))
		return NULL;
	return slot(cfg, o);
}

int options_set_real(struct config *cfg, const char *name, double v)
{
	struct config_option *c = slot_named(cfg, name, OPTION_REAL);

	if (!c)
		return -EINVAL;
	c->num = v;
	return 0;
}

int options_set_reals(struct config *cfg, const char *name, const double *v, size_t n)
{
	struct config_option *c = slot_named(cfg, name, OPTION_REALS);

	if (!c || n > CONFIG_MAX_LIST)
		return -EINVAL;
	memcpy(c->list, v, n * sizeof(*v));
	c->n = n;
	return 0;
}

int options_set_text(struct config *cfg, const char *name, const char *text)
{
	struct config_option *c = slot_named(cfg, name, OPTION_TEXT);

	if (!c)
		return -EINVAL;
	c->text = text;
	return 0;
}

void options_unset(struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nopts; i++)
		if (!strcmp(cfg->opts[i].opt->name, name)) {
			memmove(&cfg->opts[i], &cfg->opts[i + 1],
				(cfg->nopts - i - 1) * sizeof(cfg->opts[0]));
			cfg->nopts--;
			return;
		}
}

/* One option's --help lines: "  --work UNITS         cpu: computation per task (default 1)". */
static void usage_one(FILE *out, const char *owner, const struct option *o)
{
	char head[64];
	const char *p = o->help;

	snprintf(head, sizeof(head), "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	fprintf(out, "  %-20s %s: ", head, owner);
	for (; *p; p++) {
		if (*p == '\n')
			fprintf(out, "\n%23s", "");
		else
			fputc(*p, out);
	}
	if (o->type == OPTION_REAL)
		fprintf(out, " (default %g)", o->def);
	fputc('\n', out);
}

void options_usage(FILE *out, int modes)
{
	size_t n = modes ? registry_nmodes : registry_nworkloads;

	for (size_t i = 0; i < n; i++) {
		const struct option *o = modes ? registry_modes[i]->options
					       : registry_workloads[i]->options;
		const char *owner = modes ? registry_modes[i]->name
					  : registry_workload_shown_name(registry_workloads[i]);

		for (; o && o->name; o++)
			usage_one(out, owner, o);
	}
}

/* Whether a plug-in in @names[0..n) takes @o (a plug-in named "plugin:..." may take any). */
static int taken(const char *const *names, size_t n, int modes, const struct option *o)
{
	for (size_t i = 0; i < n; i++) {
		if (modes ? registry_mode_owns(registry_mode(names[i]), o)
			  : registry_workload_named_may_own(names[i], o))
			return 1;
	}
	return 0;
}

int options_warn_unused(const struct config *cfg, const char *const *modes, size_t nmodes,
			FILE *warn)
{
	int warned = 0;

	for (int m = 0; m < 2; m++) {
		size_t n = m ? registry_nmodes : registry_nworkloads;

		for (size_t i = 0; i < n; i++) {
			const struct option *o = m ? registry_modes[i]->options
						   : registry_workloads[i]->options;

			for (; o && o->name; o++) {
				if (!option_given(cfg, o->name) || o->refuse_unused)
					continue;
				if (!m && !taken(cfg->workloads, cfg->nworkloads, 0, o)) {
					fprintf(warn, "bench: warning: %s is not used: only the %s "
						"workload takes it (--workload %s%s)\n", o->name,
						registry_workload_shown_name(registry_workloads[i]),
						cfg->workloads[0], cfg->nworkloads > 1 ? ",..." : "");
					warned++;
				} else if (m && !taken(modes, nmodes, 1, o)) {
					fprintf(warn, "bench: warning: %s is not used: only the %s mode "
						"takes it, and no run of this plan uses it\n", o->name,
						registry_modes[i]->name);
					warned++;
				}
			}
		}
	}
	return warned;
}

int options_refuse_unused(const struct config *cfg, const struct workload *const *wls,
			  size_t nwls, char *err, size_t len)
{
	for (size_t i = 0; i < registry_nworkloads; i++) {
		const struct workload *owner = registry_workloads[i];

		for (const struct option *o = owner->options; o && o->name; o++) {
			size_t w;

			if (!o->refuse_unused || !option_given(cfg, o->name))
				continue;
			for (w = 0; w < nwls && !registry_workload_owns(wls[w], o); w++)
				;
			if (w < nwls)
				continue;
			snprintf(err, len, "%s: only the %s workload %s (--workload %s%s)", o->name,
				 owner->name, o->refuse_unused, nwls == 1 ? wls[0]->name : "has no ",
				 nwls == 1 ? "" : owner->name);
			return -EINVAL;
		}
	}
	return 0;
}
