/*
 * csv — a strict RFC 4180 reader for the files bench writes (and people edit).
 *
 * Fields are separated by commas, records end with LF or CRLF; a field may
 * be quoted with double quotes, and inside quotes a doubled quote is one
 * quote, while commas, CR and LF are plain text.  Everything else is an
 * error with the line it starts on: a quote inside an unquoted field, text
 * after a closing quote, a quote never closed, a NUL byte, a stray CR, a
 * record with a different number of fields than the header, and a last
 * line without its line end (a torn write).  csv_parse() skips a UTF-8 byte
 * order mark at the start, and a record equal to the header (files joined
 * with cat: each brings its header line).
 *
 * Two levels:
 *
 *	struct csv_record rec = { 0 };
 *	size_t pos = 0, line = 1;
 *	while (pos < len && !csv_parse_record(data, len, &pos, &line, &rec, &e))
 *		use(rec.fields, rec.nfields);
 *	csv_record_free(&rec);
 *
 *	struct csv t;
 *	if (csv_read_file("x.csv", &t, &e) == 0) {
 *		int wall = csv_column(&t, "wall_s");
 *		for (size_t r = 0; r < t.nrows; r++)
 *			printf("%zu: %s\n", t.lines[r], csv_cell(&t, r, wall));
 *		csv_free(&t);
 *	}
 *
 * Both take any bytes (they are what a fuzzer should target) and never
 * read past @len.
 */
#ifndef BENCH_CSV_H
#define BENCH_CSV_H

#include <stddef.h>

#define CSV_MAX_FILE (1UL << 30)   /* a bigger file is refused */

struct csv_error {
	size_t line;           /* 1-based; 0 when not about a line (cannot open) */
	char msg[256];
};

/* One decoded record: NUL-terminated fields in memory it owns. */
struct csv_record {
	char **fields;
	size_t nfields;
	int terminated;        /* ended with a line end, not the end of the data */
	size_t line;           /* line the record starts on */
	/* private */
	char *buf;
	size_t bufcap, fieldcap;
};

/*
 * Decode the record at @data[*pos] (@len bytes in all) into @rec, advance
 * *pos past its line end and *line past every line end it holds.  0, or
 * -EINVAL with @err set (its line is where the problem is), -ENOMEM.
 */
int csv_parse_record(const char *data, size_t len, size_t *pos, size_t *line,
		     struct csv_record *rec, struct csv_error *err);
void csv_record_free(struct csv_record *rec);

/* A whole file: a header record, then rows of exactly as many fields. */
struct csv {
	char **header;
	size_t ncols;
	size_t nrows;
	char **cells;          /* nrows * ncols, row after row */
	size_t *lines;         /* line each row starts on (the header is line 1) */
	/* private */
	char *data;
};

/*
 * Parse @len bytes at @data, a malloc()ed buffer of at least @len + 1
 * bytes, which this call takes over and decodes in place (csv_free()
 * frees it; on error it is freed here).  0, -EINVAL (@err says
 * where and why: an empty file, a malformed or torn record), -ENOMEM.
 */
int csv_parse(char *data, size_t len, struct csv *t, struct csv_error *err);
/* Read and parse @path; -errno with @err (line 0) when it cannot be read. */
int csv_read_file(const char *path, struct csv *t, struct csv_error *err);
void csv_free(struct csv *t);

/* Index of the column called @name, or -1. */
int csv_column(const struct csv *t, const char *name);
/* The cell at @row, @col; "" when @col < 0. */
const char *csv_cell(const struct csv *t, size_t row, int col);

#endif
