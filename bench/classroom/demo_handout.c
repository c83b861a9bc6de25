#include "bench/classroom/demo_handout.h"
#include "bench/sys/message.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void block(FILE *f, const char *heading, const char *fence, const struct demo_text *t)
{
	if (!t->s || !t->len)
		return;
	fprintf(f, "\n## %s\n\n", heading);
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

int handout_page(const char *dir, const struct handout_lesson *l, const struct demo_page *page,
		 const char *context, char *file, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(file, len, "lesson-%02d-%s.md", l->number, l->name);
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
	block(f, "Timeline", "", &page->charts);
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
