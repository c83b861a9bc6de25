#include "bench/classroom/demo_handout.h"
#include "bench/sys/message.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/analysis/stats.h"

static void block(FILE *f, const char *heading, const char *fence, const struct demo_text *t)
{
	if (!t->s || !t->len)
		return;
	if (heading)
		fprintf(f, "\n## %s\n\n", heading);
	else
		fputc('\n', f);
	if (fence)
		fprintf(f, "```%s\n", fence);
	fputs(t->s, f);
	if (t->s[t->len - 1] != '\n')
		fputc('\n', f);
	if (fence)
		fputs("```\n", f);
}

static int close_checked(FILE *f, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) || bad) {
		int e = errno ? errno : EIO;

		error("demo: cannot write %s: %s", path, strerror(e));
		return -e;
	}
	return 0;
}

/* "images on gil: 8 tasks on 2 workers, 1.23 s · ..." for chart @c. */
static void chart_subtitle(char *buf, size_t len, const struct demo_chart *c)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->n && used < len; i++) {
		const struct plot_run *r = &c->runs[i];
		unsigned lanes = 0;
		char wall[32];

		for (size_t k = 0; k < r->n; k++)
			if (r->t[k].lane + 1 > lanes)
				lanes = r->t[k].lane + 1;
		stats_fmt_seconds(wall, sizeof(wall), r->wall_s);
		used += (size_t)snprintf(buf + used, len - used, "%s%s: %zu task%s on %u worker%s, %s",
					 i ? " · " : "", r->mode, r->n, r->n == 1 ? "" : "s", lanes,
					 lanes == 1 ? "" : "s", wall);
	}
}

/*
 * Chart @k of the page as DIR/BASE[-K].png, linked from @f; or, when it
 * cannot be drawn, the sentence that says why.  Its data file is removed:
 * the page is the handout, the PNG and SVG its charts.
 */
static void page_chart(FILE *f, const struct handout_lesson *l, const struct demo_chart *c,
		       size_t k, const char *base, struct plot_set *plots, const char *why)
{
	char name[128], title[160], sub[1024], path[4400];
	struct stat st;
	int rc;

	if (!c->n)
		return;
	if (!plots) {
		fprintf(f, "\nNo chart of this timeline: %s; its text form is below.\n", why);
		return;
	}
	snprintf(name, sizeof(name), k ? "%s-%zu" : "%s", base, k + 1);
	snprintf(title, sizeof(title), "Lesson %d (%s): %s", l->number, l->name,
		 c->n > 1 ? "the runs on one time axis" : "timeline");
	chart_subtitle(sub, sizeof(sub), c);
	rc = plot_timeline_tasks(plots, name, title, sub, c->runs, c->n);
	snprintf(path, sizeof(path), "%s/%s.dat", plots->dir, name);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s.png", plots->dir, name);
	if (rc || stat(path, &st)) {
		fprintf(f, "\nNo chart of this timeline: gnuplot could not draw %s.png; its text "
			"form is below.\n", name);
		return;
	}
	fprintf(f, "\n![%s: %s](%s.png)\n", title, sub, name);
}

int handout_page(const char *dir, const struct handout_lesson *l, const struct demo_page *page,
		 const char *context, struct plot_set *plots, const char *why, char *file,
		 size_t len)
{
	char base[64];
	char path[4096];
	FILE *f;

	snprintf(base, sizeof(base), "lesson-%02d-%s", l->number, l->name);
	snprintf(file, len, "%s.md", base);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f) {
		int e = errno;

		error("demo: cannot write %s: %s", path, strerror(e));
		return -e;
	}
	fprintf(f, "# Lesson %d: %s\n\n*%s*\n\n%s", l->number, l->name, l->title, context);
	if (l->status)
		fprintf(f, " **%s.**", l->status);
	fputc('\n', f);
	block(f, "What the tutorial did", NULL, &page->tutorial);
	block(f, "In C", "c", &page->code);
	block(f, "This run", "", &page->numbers);
	if (page->ncharts || (page->charts.s && page->charts.len))
		fprintf(f, "\n## Timeline\n");
	for (size_t k = 0; k < page->ncharts; k++)
		page_chart(f, l, &page->chart[k], k, base, plots, why);
	block(f, NULL, "", &page->charts);
	block(f, "The lesson", NULL, &page->lesson);
	return close_checked(f, path);
}

int handout_index(const char *dir, const struct handout_lesson *l, char (*files)[64], size_t n,
		  const char *context)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/index.md", dir);
	f = fopen(path, "w");
	if (!f) {
		int e = errno;

		error("demo: cannot write %s: %s", path, strerror(e));
		return -e;
	}
	fprintf(f, "# bench demo: the lessons of this class\n\n%s\n\n", context);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%zu. [Lesson %d: %s](%s) - %s%s%s\n", i + 1, l[i].number, l[i].name,
			files[i], l[i].title, l[i].status ? " - " : "", l[i].status ? l[i].status : "");
	return close_checked(f, path);
}
