/*
 * demo_handout — `bench demo --handout DIR`: one Markdown page per lesson.
 *
 * Each page holds what the lesson showed in this run (bench/classroom/demo_show.h's
 * demo_page): the tutorial's words, the C code, this run's numbers, the
 * timeline chart and the lesson, under a line saying where and when it
 * was measured.  DIR/index.md lists the pages.  A page that cannot be
 * written is said with its path and reason; the demo goes on.
 */
#ifndef BENCH_DEMO_HANDOUT_H
#define BENCH_DEMO_HANDOUT_H

#include <stddef.h>

#include "bench/classroom/demo_show.h"

struct handout_lesson {
	int number;
	const char *name;
	const char *title;
	const char *status;        /* NULL: ran as it should; else what happened */
};

/*
 * Write DIR/lesson-NN-NAME.md; its file name in @file.  Each timeline the
 * lesson showed is drawn into DIR/lesson-NN-NAME[-K].png (and .svg) with
 * @plots; with @plots NULL the page says @why no chart was drawn.  The
 * text timeline follows either way.  0 or -errno.
 */
int handout_page(const char *dir, const struct handout_lesson *l, const struct demo_page *page,
		 const char *context, struct plot_set *plots, const char *why, char *file,
		 size_t len);
/* Write DIR/index.md listing @n pages (@files[i] for @l[i]).  0 or -errno. */
int handout_index(const char *dir, const struct handout_lesson *l, char (*files)[64], size_t n,
		  const char *context);

#endif
