/*
 * fuzz_csv — libFuzzer target for the CSV reader `bench report` uses
 * (bench/data/csv.c): any bytes through csv_parse_record() and csv_parse(),
 * and a round trip: a table that parses, written back with RFC 4180
 * quoting, must parse again to the same cells.
 *
 *   make fuzz FUZZ_SECONDS=60      (scripts/fuzz.sh builds it with clang)
 *   seeds: tests/fuzz/csv/
 *
 * sources: bench/data/csv.c
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/data/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct out {
	char *buf;
	size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->buf = realloc(o->buf, o->cap);
		if (!o->buf)
			abort();
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void put_field(struct out *o, const char *f)
{
	if (*f && !strpbrk(f, ",\"\r\n")) {   /* "" keeps a lone empty field a record */
		put(o, f, strlen(f));
		return;
	}
	put(o, "\"", 1);
	for (const char *p = f; *p; p++) {
		if (*p == '"')
			put(o, "\"\"", 2);
		else
			put(o, p, 1);
	}
	put(o, "\"", 1);
}

static void put_row(struct out *o, char *const *cells, size_t n)
{
	for (size_t c = 0; c < n; c++) {
		if (c)
			put(o, ",", 1);
		put_field(o, cells[c]);
	}
	put(o, "\n", 1);
}

static void records(const uint8_t *data, size_t size)
{
	struct csv_record rec = { 0 };
	struct csv_error e;
	size_t pos = 0, line = 1;

	while (pos < size) {
		size_t before = pos;

		if (csv_parse_record((const char *)data, size, &pos, &line, &rec, &e))
			break;
		if (pos <= before || pos > size || !rec.nfields)
			abort();   /* no progress, past the end, or no field */
		for (size_t i = 0; i < rec.nfields; i++)
			if (!rec.fields[i])
				abort();
	}
	csv_record_free(&rec);
}

static void table(const uint8_t *data, size_t size)
{
	struct csv t, u;
	struct csv_error e;
	struct out o = { 0 };
	char *copy = malloc(size + 1);
	int rc;

	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = '\0';
	rc = csv_parse(copy, size, &t, &e);
	if (rc) {
		if (rc == -EINVAL && !e.msg[0])
			abort();   /* every error says why */
		return;
	}
	if (!t.ncols)
		abort();
	for (size_t c = 0; c < t.ncols; c++)
		if (csv_column(&t, t.header[c]) < 0)
			abort();
	put_row(&o, t.header, t.ncols);
	for (size_t r = 0; r < t.nrows; r++)
		put_row(&o, t.cells + r * t.ncols, t.ncols);
	rc = csv_parse(o.buf, o.len, &u, &e);
	if (rc)
		abort();   /* what we wrote with proper quoting must parse */
	if (u.ncols != t.ncols || u.nrows != t.nrows)
		abort();
	for (size_t c = 0; c < t.ncols; c++)
		if (strcmp(t.header[c], u.header[c]))
			abort();
	for (size_t i = 0; i < t.nrows * t.ncols; i++)
		if (strcmp(t.cells[i], u.cells[i]))
			abort();
	csv_free(&u);
	csv_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	records(data, size);
	table(data, size);
	return 0;
}
