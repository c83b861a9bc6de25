/* report.json: the comparison for programs (see bench/report/report_write.h). */
#include "bench/report/report_write.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/analysis/compare.h"
#include "bench/analysis/report_data.h"
#include "bench/analysis/scaling.h"
#include "bench/report/trace.h"

static void jstr(FILE *f, const char *key, const char *val, int comma)
{
	fprintf(f, "%s\"%s\": ", comma ? ", " : "", key);
	trace_json_string(f, val);
}

static void jnum(FILE *f, const char *key, double v)
{
	if (isfinite(v))
		fprintf(f, ", \"%s\": %.9g", key, v);
	else
		fprintf(f, ", \"%s\": null", key);
}

static void jbool(FILE *f, const char *key, int v)
{
	fprintf(f, ", \"%s\": %s", key, v ? "true" : "false");
}

/* The files a machine's rows come from, as a JSON array. */
static void sources(FILE *f, const struct report_data *d, size_t m)
{
	size_t n = 0;

	fprintf(f, ", \"sources\": [");
	for (size_t i = 0; i < d->nfiles; i++)
		for (size_t r = 0; r < d->nruns; r++)
			if (d->runs[r].file == i && d->groups[d->runs[r].group].machine == m) {
				fprintf(f, "%s", n++ ? ", " : "");
				trace_json_string(f, report_data_basename(d->paths[i]));
				break;
			}
	fprintf(f, "]");
}

static void write_hosts(FILE *f, const struct report_data *d)
{
	fprintf(f, ",\n\"hosts\": [");
	for (size_t m = 0; m < d->nmachines; m++) {
		const struct rd_machine *x = &d->machines[m];

		fprintf(f, "%s\n  {", m ? "," : "");
		jstr(f, "name", x->name, 0);
		jstr(f, "host", x->host, 1);
		sources(f, d, m);
		jbool(f, "pooled", x->nfiles > 1 && !d->by_source);
		jstr(f, "machine_id", x->machine_id, 1);
		jstr(f, "cpu_model", x->cpu_model, 1);
		jstr(f, "arch", x->arch, 1);
		fprintf(f, ", \"packages\": %u, \"cores\": %u, \"pus\": %u, \"usable_pus\": %u, "
			"\"numa_nodes\": %u", x->packages, x->cores, x->pus, x->usable_pus, x->numa_nodes);
		jnum(f, "mem_bytes", x->mem_bytes);
		jnum(f, "l1d_bytes", x->l1d);
		jnum(f, "l2_bytes", x->l2);
		jnum(f, "l3_bytes", x->l3);
		jstr(f, "os", x->os, 1);
		jstr(f, "kernel", x->kernel, 1);
		jstr(f, "compiler", x->compiler, 1);
		jstr(f, "bench_version", x->version, 1);
		/* whether other processes used its PUs: not known for runs
		 * without others_cpu_s (schema 1) */
		jbool(f, "contention_recorded", x->unwatched_runs == 0);
		jnum(f, "pus_taken", x->unwatched_runs && x->unwatched_runs >= x->nruns ?
			NAN : x->pus_taken);
		fprintf(f, ", \"runs\": %zu}", x->nruns);
	}
	fprintf(f, "\n]");
}

static void write_workloads(FILE *f, const struct report_data *d)
{
	fprintf(f, ",\n\"workloads\": [");
	for (size_t w = 0; w < d->nworkloads; w++) {
		fprintf(f, "%s\n  {", w ? "," : "");
		jstr(f, "workload", d->workloads[w].name, 0);
		jstr(f, "params", d->workloads[w].params, 1);
		fprintf(f, ", \"hosts\": [");
		for (size_t m = 0, k = 0; m < d->nmachines; m++) {
			double ratio;
			const char *kind;
			int ran = 0;

			for (size_t g = 0; g < d->ngroups && !ran; g++)
				ran = d->groups[g].machine == m && d->groups[g].workload == w &&
				      d->groups[g].n;
			if (!ran)
				continue;
			kind = report_data_class(d, m, w, &ratio);
			fprintf(f, "%s{", k++ ? ", " : "");
			jstr(f, "host", d->machines[m].name, 0);
			jstr(f, "class", kind, 1);
			jnum(f, "task_cpu_per_wall", ratio >= 0 ? ratio : NAN);
			fprintf(f, "}");
		}
		fprintf(f, "]}");
	}
	fprintf(f, "\n]");
}

static void write_cells(FILE *f, const struct report_view *v)
{
	const struct report_data *d = v->d;
	const struct comparison *c = v->c;
	size_t n = 0;

	fprintf(f, ",\n\"cells\": [");
	for (size_t i = 0; i < c->nw; i++)
		for (size_t r = 0; r < c->w[i].nrows; r++)
			for (size_t m = 0; m < d->nmachines; m++) {
				const struct cmp_row *row = &c->w[i].rows[r];
				const struct rd_group *g;
				const struct rd_workload *wl = &d->workloads[c->w[i].workload];

				if (row->group[m] < 0)
					continue;
				g = &d->groups[row->group[m]];
				fprintf(f, "%s\n  {", n++ ? "," : "");
				jstr(f, "host", d->machines[m].name, 0);
				jstr(f, "source", report_data_basename(d->paths[d->machines[m].file]), 1);
				jstr(f, "workload", wl->name, 1);
				jstr(f, "params", wl->params, 1);
				jstr(f, "mode", g->mode, 1);
				jstr(f, "pin", g->pin, 1);
				fprintf(f, ", \"workers\": %u, \"n\": %zu", g->workers, g->wall.n);
				jnum(f, "median_s", g->wall.median);
				jnum(f, "ci95_lo_s", g->wall.ci_lo);
				jnum(f, "ci95_hi_s", g->wall.ci_hi);
				jnum(f, "min_s", g->wall.min);
				jnum(f, "max_s", g->wall.max);
				jnum(f, "speedup", g->speedup >= 0 ? g->speedup : NAN);
				jnum(f, "speedup_lo", g->speedup >= 0 ? g->speedup_lo : NAN);
				jnum(f, "speedup_hi", g->speedup >= 0 ? g->speedup_hi : NAN);
				fprintf(f, ", \"failed\": %zu", g->failed);
				jbool(f, "contended", g->contended);
				fprintf(f, "}");
			}
	fprintf(f, "\n]");
}

static void write_comparisons(FILE *f, const struct report_view *v)
{
	const struct report_data *d = v->d;
	const struct comparison *c = v->c;

	fprintf(f, ",\n\"comparisons\": [");
	for (size_t i = 0; i < c->ntests; i++) {
		const struct cmp_test *t = &c->tests[i];
		const struct cmp_row *row = &c->w[t->w].rows[t->row];
		const struct rd_workload *wl = &d->workloads[c->w[t->w].workload];

		fprintf(f, "%s\n  {", i ? "," : "");
		jstr(f, "workload", wl->name, 0);
		jstr(f, "params", wl->params, 1);
		jstr(f, "mode", row->mode, 1);
		jstr(f, "pin", row->pin, 1);
		fprintf(f, ", \"workers\": %u", row->workers);
		jstr(f, "baseline", d->machines[c->baseline].name, 1);
		jstr(f, "other", d->machines[t->other].name, 1);
		jnum(f, "ratio", t->ratio);
		jnum(f, "p_value", t->contended ? NAN : t->p);   /* contended: not tested */
		jbool(f, "significant", t->significant);
		jbool(f, "contended", t->contended);
		fprintf(f, "}");
	}
	fprintf(f, "%s]", c->ntests ? "\n" : "");
}

static void write_ranking(FILE *f, const struct report_view *v)
{
	const struct report_data *d = v->d;
	const struct comparison *c = v->c;

	fprintf(f, ",\n\"ranking\": [");
	for (size_t i = 0; i < c->nrank; i++) {
		const struct cmp_rank *r = &c->rank[i];

		fprintf(f, "%s\n  {\"rank\": %zu", i ? "," : "", i + 1);
		jstr(f, "host", d->machines[r->machine].name, 1);
		jnum(f, "geomean_ratio", r->geomean);
		jnum(f, "lo", r->has_interval ? r->lo : NAN);
		jnum(f, "hi", r->has_interval ? r->hi : NAN);
		fprintf(f, ", \"workloads\": %zu", r->nworkloads);
		jbool(f, "contended", r->contended);
		fprintf(f, "}");
	}
	fprintf(f, "%s],\n\"unranked\": [", c->nrank ? "\n" : "");
	for (size_t i = 0; i < c->nunranked; i++) {
		fprintf(f, "%s", i ? ", " : "");
		trace_json_string(f, d->machines[c->unranked[i]].name);
	}
	fprintf(f, "]");
}

int report_write_json(const char *path, const struct report_view *v)
{
	const struct report_data *d = v->d;
	FILE *f = report_open_output(path);

	if (!f)
		return -errno;
	fprintf(f, "{");
	jstr(f, "baseline", d->nmachines ? d->machines[v->c->baseline].name : "", 0);
	fprintf(f, ", \"files\": [");
	for (size_t i = 0; i < d->nfiles; i++) {
		fprintf(f, "%s", i ? ", " : "");
		trace_json_string(f, report_data_basename(d->paths[i]));
	}
	fprintf(f, "]");
	write_hosts(f, d);
	write_workloads(f, d);
	write_cells(f, v);
	write_comparisons(f, v);
	write_ranking(f, v);
	fprintf(f, ",\n\"fits\": ");
	scaling_print_json(d, v->fits, f);
	fprintf(f, "\n}\n");
	if (ferror(f) | fclose(f))
		return -EIO;
	return 0;
}
