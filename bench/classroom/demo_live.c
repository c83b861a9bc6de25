#include "bench/classroom/demo_live.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/classroom/demo_show.h"
#include "bench/api/path.h"
#include "modes/gil.h"

#define LIVE_TASKS 4096         /* tasks drawn; later ones are not */
#define LIVE_LINES 128          /* task lines waiting to be printed */
#define LIVE_LINE 240
#define LIVE_ROWS 24            /* lanes drawn; more are counted */
#define LIVE_FRAME_NS 50000000  /* a redraw every 50 ms */
#define GIL_EVENTS (1u << 17)

struct live_line {
	_Atomic uint64_t seq;       /* k + 1 once line k is written */
	uint32_t len;
	char text[LIVE_LINE];
};

/* In shared memory: written by workers in threads and forked processes. */
struct live_shared {
	atomic_int drawing;                 /* the block is up: say() goes to the ring */
	_Atomic int64_t start_ns[LIVE_TASKS];
	_Atomic int64_t end_ns[LIVE_TASKS];
	atomic_int worker[LIVE_TASKS];
	_Atomic uint64_t claimed;           /* ring lines claimed by writers */
	_Atomic uint64_t consumed;          /* printed by the drawer */
	atomic_uint dropped;                /* lines that found the ring full */
	struct live_line ring[LIVE_LINES];
};

/* A GIL event, from gil workers (threads of this process). */
struct gil_ev {
	atomic_int ready;
	int worker;
	int ev;
	int64_t ns;
};

static struct live_shared *ls;
static struct gil_ev *gev;
static atomic_size_t ngev;

static struct {
	int tty;
	unsigned lanes;
	size_t ntasks;
	double expect_s;
	int64_t t0_ns;
	int gil;
	int drawer;               /* the drawing thread runs */
	pthread_t thread;
	atomic_int stop;
	int block_rows;           /* lines of the block on screen now */
	/* the drawer's view of the GIL: holds so far, and open ones */
	struct gil_span *spans;
	size_t nspans, seen;
	int64_t *taken;           /* [lanes], 0: not holding */
} lv;

static char frame_buf[1 << 16];

int live_init(int tty)
{
	void *p = mmap(NULL, sizeof(*ls), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	ls = p;
	gev = calloc(GIL_EVENTS, sizeof(*gev));
	lv.spans = calloc(GIL_EVENTS, sizeof(*lv.spans));
	if (!gev || !lv.spans) {
		live_fini();
		return -ENOMEM;
	}
	lv.tty = tty;
	return 0;
}

void live_fini(void)
{
	if (ls)
		munmap(ls, sizeof(*ls));
	ls = NULL;
	free(gev);
	gev = NULL;
	free(lv.spans);
	lv.spans = NULL;
}

void live_task_start(int worker, size_t index)
{
	if (!ls || index >= LIVE_TASKS)
		return;
	atomic_store_explicit(&ls->worker[index], worker, memory_order_relaxed);
	atomic_store_explicit(&ls->end_ns[index], 0, memory_order_relaxed);
	atomic_store_explicit(&ls->start_ns[index], clock_now_ns(), memory_order_release);
}

void live_task_end(int worker, size_t index)
{
	if (!ls || index >= LIVE_TASKS)
		return;
	atomic_store_explicit(&ls->end_ns[index], clock_now_ns(), memory_order_release);
}

int live_say(const char *line, size_t n)
{
	uint64_t k;
	struct live_line *l;

	if (!ls || !atomic_load(&ls->drawing))
		return 0;
	/* claim a slot the drawer is done with; when it is behind, count the
	 * line as not shown rather than wait */
	k = atomic_load(&ls->claimed);
	do {
		if (k - atomic_load(&ls->consumed) >= LIVE_LINES) {
			atomic_fetch_add(&ls->dropped, 1);
			return 1;
		}
	} while (!atomic_compare_exchange_weak(&ls->claimed, &k, k + 1));
	l = &ls->ring[k % LIVE_LINES];
	if (n > LIVE_LINE)
		n = LIVE_LINE;
	memcpy(l->text, line, n);
	l->len = (uint32_t)n;
	atomic_store_explicit(&l->seq, k + 1, memory_order_release);
	return 1;
}

/* ------------------------------------------------------------------ GIL */

static void gil_record(unsigned worker, enum gil_event ev, int64_t ns, void *arg)
{
	size_t i = atomic_fetch_add_explicit(&ngev, 1, memory_order_relaxed);

	if (i >= GIL_EVENTS)
		return;
	gev[i].worker = (int)worker;
	gev[i].ev = (int)ev;
	gev[i].ns = ns;
	atomic_store_explicit(&gev[i].ready, 1, memory_order_release);
}

/* Turn the events published since the last call into holds. */
static void gil_fold(void)
{
	size_t n = atomic_load(&ngev);

	if (n > GIL_EVENTS)
		n = GIL_EVENTS;
	for (; lv.seen < n; lv.seen++) {
		struct gil_ev *e = &gev[lv.seen];

		if (!atomic_load_explicit(&e->ready, memory_order_acquire))
			break;
		if (e->worker < 0 || (unsigned)e->worker >= lv.lanes)
			continue;
		if (e->ev == GIL_TAKES) {
			lv.taken[e->worker] = e->ns;
		} else if (e->ev == GIL_DROPS && lv.taken[e->worker]) {
			if (lv.nspans < GIL_EVENTS)
				lv.spans[lv.nspans++] = (struct gil_span){ e->worker,
					lv.taken[e->worker], e->ns };
			lv.taken[e->worker] = 0;
		}
	}
}

static int span_cmp(const void *a, const void *b)
{
	const struct gil_span *x = a, *y = b;

	return (x->from_ns > y->from_ns) - (x->from_ns < y->from_ns);
}

size_t live_gil_spans(struct gil_span **out)
{
	*out = NULL;
	if (!lv.gil || !lv.taken)
		return 0;
	gil_fold();
	if (!lv.nspans)
		return 0;
	*out = malloc(lv.nspans * sizeof(**out));
	if (!*out)
		return 0;
	memcpy(*out, lv.spans, lv.nspans * sizeof(**out));
	qsort(*out, lv.nspans, sizeof(**out), span_cmp);
	return lv.nspans;
}

/* ------------------------------------------------------------------ drawing */

static size_t put(size_t n, const char *s)
{
	size_t k = strlen(s);

	if (n + k >= sizeof(frame_buf))
		return n;
	memcpy(frame_buf + n, s, k);
	return n + k;
}

static size_t putf(size_t n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static size_t putf(size_t n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (n >= sizeof(frame_buf) - 1)
		return n;
	va_start(ap, fmt);
	k = vsnprintf(frame_buf + n, sizeof(frame_buf) - n, fmt, ap);
	va_end(ap);
	if (k < 0)
		return n;
	return n + (size_t)k >= sizeof(frame_buf) ? sizeof(frame_buf) - 1 : n + (size_t)k;
}

/* The task lines that came in since the last frame. */
static size_t ring_out(size_t n)
{
	unsigned dropped = atomic_exchange(&ls->dropped, 0);

	for (;;) {
		uint64_t k = atomic_load(&ls->consumed);
		struct live_line *l = &ls->ring[k % LIVE_LINES];

		if (k >= atomic_load(&ls->claimed) ||
		    atomic_load_explicit(&l->seq, memory_order_acquire) != k + 1)
			break;
		if (l->len && n + l->len + 8 < sizeof(frame_buf)) {
			n = put(n, "\033[2K");
			memcpy(frame_buf + n, l->text, l->len);
			n += l->len;
		}
		atomic_store(&ls->consumed, k + 1);
	}
	if (dropped)
		n = putf(n, "\033[2K(%u task lines not shown: they came too fast)\n", dropped);
	return n;
}

static size_t lane_cells(size_t n, const char *label, const char *marks, const int *who,
			 int cols)
{
	int prev = -1;

	n = putf(n, "\033[2K  %-11s|", label);
	for (int c = 0; c < cols && n + 16 < sizeof(frame_buf); c++) {
		if (who[c] != prev) {
			n = put(n, who[c] < 0 ? show_colour_off() : show_colour((size_t)who[c]));
			prev = who[c];
		}
		frame_buf[n++] = marks[c];
	}
	return put(put(n, show_colour_off()), "|\n");
}

static long col_of(int64_t ns, double span_s, int cols)
{
	long c = (long)(ns_to_s(ns - lv.t0_ns) / span_s * cols);

	return c < 0 ? 0 : c >= cols ? cols - 1 : c;
}

static size_t block_out(size_t n, int64_t now)
{
	char marks[128], label[32];
	int who[128], cols = show_lane_cols();
	double elapsed = ns_to_s(now - lv.t0_ns), span = lv.expect_s;
	size_t ntasks = lv.ntasks < LIVE_TASKS ? lv.ntasks : LIVE_TASKS, done = 0;
	unsigned rows = lv.lanes < LIVE_ROWS ? lv.lanes : LIVE_ROWS;

	if (cols > (int)sizeof(marks))
		cols = sizeof(marks);
	if (span < elapsed * 1.1)
		span = elapsed * 1.25;
	if (!(span > 0))
		span = 1e-3;
	for (size_t i = 0; i < ntasks; i++)
		done += atomic_load(&ls->end_ns[i]) != 0;
	n = putf(n, "\033[2K  live: %zu of %zu tasks done, %.3f s\n", done, lv.ntasks, elapsed);
	for (unsigned r = 0; r < rows; r++) {
		memset(marks, ' ', sizeof(marks));
		for (int c = 0; c < cols; c++)
			who[c] = -1;
		for (size_t i = 0; i < ntasks; i++) {
			int64_t a = atomic_load_explicit(&ls->start_ns[i], memory_order_acquire);
			int64_t b = atomic_load(&ls->end_ns[i]);

			if (!a || atomic_load(&ls->worker[i]) != (int)r)
				continue;
			for (long c = col_of(a, span, cols); c <= col_of(b ? b : now, span, cols); c++) {
				marks[c] = task_symbol(i);
				who[c] = (int)i;
			}
		}
		snprintf(label, sizeof(label), "worker %2u", r);
		n = lane_cells(n, label, marks, who, cols);
	}
	if (lv.lanes > rows)
		n = putf(n, "\033[2K  (%u more workers not drawn)\n", lv.lanes - rows);
	if (lv.gil) {
		size_t open = lv.nspans;

		gil_fold();
		open = lv.nspans;
		/* the holds still open end now: drawn, not kept */
		for (unsigned w = 0; w < lv.lanes && open < GIL_EVENTS; w++)
			if (lv.taken[w])
				lv.spans[open++] = (struct gil_span){ (int)w, lv.taken[w], now };
		gil_row(lv.spans, open, lv.t0_ns, span, cols, marks, who);
		n = lane_cells(n, "GIL held by", marks, who, cols);
	}
	n = putf(n, "\033[2K  %11s0 s%*s%.3f s\n", "", cols - 7, "", span);
	lv.block_rows = (int)rows + 2 + (lv.lanes > rows) + (lv.gil != 0);
	return n;
}

/* Move up over the block, print the new task lines, then the block again. */
static void frame(int last)
{
	size_t n = 0;

	if (lv.block_rows)
		n = putf(n, "\r\033[%dA", lv.block_rows);
	n = ring_out(n);
	if (last) {
		n = put(n, "\033[J");
		lv.block_rows = 0;
	} else {
		n = block_out(n, clock_now_ns());
	}
	fd_write_full(STDOUT_FILENO, frame_buf, n);
}

static void *drawer(void *arg)
{
	struct timespec frame_time = { 0, LIVE_FRAME_NS };

	/* nanosleep, not clock_sleep_s(): a stop request must not make it spin */
	while (!atomic_load(&lv.stop)) {
		frame(0);
		nanosleep(&frame_time, NULL);
	}
	return NULL;
}

void live_begin(unsigned lanes, size_t ntasks, double expect_s, int gil)
{
	if (!ls)
		return;
	/* no worker exists now: start from a clean slate */
	for (size_t i = 0; i < LIVE_TASKS; i++) {
		atomic_store_explicit(&ls->start_ns[i], 0, memory_order_relaxed);
		atomic_store_explicit(&ls->end_ns[i], 0, memory_order_relaxed);
	}
	for (size_t i = 0; i < LIVE_LINES; i++)
		atomic_store_explicit(&ls->ring[i].seq, 0, memory_order_relaxed);
	atomic_store(&ls->claimed, 0);
	atomic_store(&ls->consumed, 0);
	atomic_store(&ls->dropped, 0);
	lv.lanes = lanes ? lanes : 1;
	lv.ntasks = ntasks;
	lv.expect_s = expect_s;
	lv.t0_ns = clock_now_ns();
	lv.gil = gil;
	lv.nspans = lv.seen = 0;
	free(lv.taken);
	lv.taken = NULL;
	if (gil) {
		lv.taken = calloc(lv.lanes, sizeof(*lv.taken));
		atomic_store(&ngev, 0);
		for (size_t i = 0; i < GIL_EVENTS; i++)
			atomic_store_explicit(&gev[i].ready, 0, memory_order_relaxed);
		if (lv.taken)
			gil_watch(gil_record, NULL);
		else
			lv.gil = 0;
	}
	if (!lv.tty)
		return;
	fflush(stdout);
	atomic_store(&lv.stop, 0);
	atomic_store(&ls->drawing, 1);
	lv.block_rows = 0;
	lv.drawer = pthread_create(&lv.thread, NULL, drawer, NULL) == 0;
	if (!lv.drawer)
		atomic_store(&ls->drawing, 0);
}

void live_end(void)
{
	if (!ls)
		return;
	gil_watch(NULL, NULL);
	if (!lv.drawer)
		return;
	atomic_store(&lv.stop, 1);
	pthread_join(lv.thread, NULL);
	lv.drawer = 0;
	atomic_store(&ls->drawing, 0);
	frame(1);
}
