#include "bench/data/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/api/path.h"

__attribute__((format(printf, 3, 4)))
static int csv_fail(struct csv_error *err, size_t line, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * Where decoded text goes: in place (@grow 0: the output never gets ahead
 * of the input, so it can overwrite it) or a buffer that grows.
 */
struct sink {
	char *buf;
	size_t used, cap;
	int grow;
	size_t *starts;        /* offset of each field in buf */
	size_t nfields, fieldcap;
};

static int sink_put(struct sink *s, char c)
{
	if (s->grow && s->used == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		char *p = realloc(s->buf, cap);

		if (!p)
			return -ENOMEM;
		s->buf = p;
		s->cap = cap;
	}
	s->buf[s->used++] = c;
	return 0;
}

static int sink_field(struct sink *s)
{
	if (s->nfields == s->fieldcap) {
		size_t cap = s->fieldcap ? 2 * s->fieldcap : 16;
		size_t *p = realloc(s->starts, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->starts = p;
		s->fieldcap = cap;
	}
	s->starts[s->nfields++] = s->used;
	return 0;
}

/*
 * Decode one record from @data[*pos] into @s.  Sets *terminated when it
 * ended with a line end.  *line counts the line ends consumed.
 */
static int decode_record(const char *data, size_t len, size_t *pos, size_t *line,
			 struct sink *s, int *terminated, struct csv_error *err)
{
	size_t i = *pos;
	int rc;

	*terminated = 0;
	for (;;) {
		rc = sink_field(s);
		if (rc)
			return rc;
		if (i < len && data[i] == '"') {
			size_t qline = *line;

			for (i++;; i++) {
				if (i >= len)
					return csv_fail(err, qline, "quoted field never closed (torn line?)");
				if (data[i] == '\0')
					return csv_fail(err, *line, "NUL byte in a field");
				if (data[i] == '"') {
					if (i + 1 < len && data[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				} else if (data[i] == '\n') {
					(*line)++;
				}
				rc = sink_put(s, data[i]);
				if (rc)
					return rc;
			}
			if (i < len && data[i] != ',' && data[i] != '\n' &&
			    !(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
				return csv_fail(err, *line, "text after the closing quote of field %zu",
						s->nfields);
		} else {
			for (; i < len && data[i] != ',' && data[i] != '\n'; i++) {
				if (data[i] == '"')
					return csv_fail(err, *line, "quote inside unquoted field %zu "
							"(quote the whole field and double the quote)",
							s->nfields);
				if (data[i] == '\0')
					return csv_fail(err, *line, "NUL byte in a field");
				if (data[i] == '\r') {
					if (i + 1 < len && data[i + 1] == '\n')
						break;
					return csv_fail(err, *line, "carriage return inside unquoted field %zu",
							s->nfields);
				}
				rc = sink_put(s, data[i]);
				if (rc)
					return rc;
			}
		}
		/* in place, the NUL may land on the delimiter: read it first */
		char delim = i < len ? data[i] : '\0';

		rc = sink_put(s, '\0');
		if (rc)
			return rc;
		if (i >= len)
			break;
		if (delim == ',') {
			i++;
			continue;
		}
		if (delim == '\r')
			i++;
		i++;             /* the LF */
		(*line)++;
		*terminated = 1;
		break;
	}
	*pos = i;
	return 0;
}

int csv_parse_record(const char *data, size_t len, size_t *pos, size_t *line,
		     struct csv_record *rec, struct csv_error *err)
{
	struct sink s = {
		.buf = rec->buf, .cap = rec->bufcap, .grow = 1,
		.starts = NULL, .fieldcap = 0,
	};
	char **fields;
	int rc;

	rec->nfields = 0;
	rec->line = *line;
	if (*pos >= len)
		return csv_fail(err, *line, "no record: end of data");
	rc = decode_record(data, len, pos, line, &s, &rec->terminated, err);
	rec->buf = s.buf;
	rec->bufcap = s.cap;
	if (rc)
		goto out;
	fields = rec->fieldcap >= s.nfields ? rec->fields :
		 realloc(rec->fields, s.nfields * sizeof(*fields));
	if (!fields) {
		rc = -ENOMEM;
		goto out;
	}
	if (fields != rec->fields) {
		rec->fields = fields;
		rec->fieldcap = s.nfields;
	}
	for (size_t f = 0; f < s.nfields; f++)
		rec->fields[f] = rec->buf + s.starts[f];
	rec->nfields = s.nfields;
out:
	free(s.starts);
	return rc;
}

void csv_record_free(struct csv_record *rec)
{
	free(rec->fields);
	free(rec->buf);
	memset(rec, 0, sizeof(*rec));
}

/* ------------------------------------------------------------------ whole file */

/* Whether the record of fields [first, s->nfields) repeats the header (fields [0, ncols)). */
static int is_header_again(const struct sink *s, size_t first, size_t ncols)
{
	if (s->nfields - first != ncols)
		return 0;
	for (size_t f = 0; f < ncols; f++) {
		const char *a = s->buf + s->starts[f], *b = s->buf + s->starts[first + f];

		/* a second file's header may carry its own byte order mark */
		if (f == 0 && !strncmp(b, "\xef\xbb\xbf", 3))
			b += 3;
		if (strcmp(a, b))
			return 0;
	}
	return 1;
}

int csv_parse(char *data, size_t len, struct csv *t, struct csv_error *err)
{
	struct sink s = { .buf = data, .cap = len + 1, .grow = 0 };
	size_t pos = 0, line = 1, nrec = 0, reccap = 0, *rec_line = NULL;
	int rc = 0, terminated = 0;

	memset(t, 0, sizeof(*t));
	t->data = data;
	err->line = 0;
	err->msg[0] = '\0';
	if (!len) {
		rc = csv_fail(err, 1, "empty file (no header line)");
		goto out;   /* frees @data, as on every error */
	}
	/* a UTF-8 byte order mark (spreadsheets write one) is not part of the first name */
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		pos = 3;
	while (pos < len) {
		size_t first = s.nfields, at = line;

		rc = decode_record(data, len, &pos, &line, &s, &terminated, err);
		if (rc)
			goto out;
		if (!terminated) {
			rc = csv_fail(err, at, "last line has no line end (torn write?)");
			goto out;
		}
		if (nrec == 0) {
			t->ncols = s.nfields;
		} else if (is_header_again(&s, first, t->ncols)) {
			s.nfields = first;   /* files joined with cat: the next one's header */
			continue;
		} else if (s.nfields - first != t->ncols) {
			rc = csv_fail(err, at, "%zu fields, but the header has %zu",
				      s.nfields - first, t->ncols);
			goto out;
		}
		if (nrec == reccap) {
			size_t cap = reccap ? 2 * reccap : 64;
			size_t *b = realloc(rec_line, cap * sizeof(*b));

			if (!b) {
				rc = -ENOMEM;
				goto out;
			}
			rec_line = b;
			reccap = cap;
		}
		rec_line[nrec] = at;
		nrec++;
	}
	t->nrows = nrec - 1;
	t->header = malloc(s.nfields * sizeof(char *));
	t->lines = malloc((t->nrows ? t->nrows : 1) * sizeof(size_t));
	if (!t->header || !t->lines) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t f = 0; f < s.nfields; f++)
		t->header[f] = data + s.starts[f];
	t->cells = t->header + t->ncols;
	for (size_t r = 0; r < t->nrows; r++)
		t->lines[r] = rec_line[r + 1];
out:
	free(s.starts);
	free(rec_line);
	if (rc) {
		csv_free(t);
		t->data = NULL;
	}
	return rc;
}

int csv_read_file(const char *path, struct csv *t, struct csv_error *err)
{
	struct stat st;
	char *data;
	ssize_t n;
	int fd, rc;

	memset(t, 0, sizeof(*t));
	err->line = 0;
	/* O_NONBLOCK: a FIFO without a writer would block the open itself */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		rc = -errno;
		snprintf(err->msg, sizeof(err->msg), "cannot open: %s", strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		snprintf(err->msg, sizeof(err->msg), "cannot read: %s", strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode) || (unsigned long)st.st_size > CSV_MAX_FILE) {
		rc = -EINVAL;
		snprintf(err->msg, sizeof(err->msg), "cannot read: %s%s",
			 S_ISREG(st.st_mode) ? "larger than 1 GiB" : path_kind(st.st_mode),
			 S_ISREG(st.st_mode) ? "" : ", not a regular file");
		goto out_close;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		rc = -ENOMEM;
		snprintf(err->msg, sizeof(err->msg), "cannot read: out of memory");
		goto out_close;
	}
	n = fd_read_full(fd, data, (size_t)st.st_size);
	if (n < 0) {
		rc = (int)n;
		free(data);
		snprintf(err->msg, sizeof(err->msg), "cannot read: %s", strerror(-rc));
		goto out_close;
	}
	close(fd);
	return csv_parse(data, (size_t)n, t, err);

out_close:
	close(fd);
	return rc;
}

void csv_free(struct csv *t)
{
	free(t->header);
	free(t->lines);
	free(t->data);
	memset(t, 0, sizeof(*t));
}

int csv_column(const struct csv *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->header[c], name))
			return (int)c;
	return -1;
}

const char *csv_cell(const struct csv *t, size_t row, int col)
{
	if (col < 0 || (size_t)col >= t->ncols || row >= t->nrows)
		return "";
	return t->cells[row * t->ncols + (size_t)col];
}
