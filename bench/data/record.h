/*
 * record — the CSV files: one row per run, one row per task.
 *
 * Tidy and append-safe: a header line once (checked, not repeated, when
 * the file already exists), a schema column, raw values only.  Each row is
 * built whole in memory and written with one write() on an O_APPEND file
 * descriptor, so concurrent writers never interleave partial lines and a
 * killed run leaves only whole rows behind.
 */
#ifndef BENCH_RECORD_H
#define BENCH_RECORD_H

#include <stddef.h>

#define RECORD_SCHEMA 2
/* The oldest schema bench still reads (its columns are a subset). */
#define RECORD_SCHEMA_MIN 1
/* The longest row record_format_run() writes. */
#define RECORD_ROW_MAX 4096

struct machine;
struct run_spec;
struct run_result;

extern const char record_runs_header[];
extern const char record_tasks_header[];

struct recorder {
	int runs_fd;
	int tasks_fd;
	char runs_path[4096];
	char tasks_path[4096];
	const struct machine *machine;
	const char *failed_path;   /* after record_run() failed: the file it could not write */
};

/*
 * The tasks file beside runs file @runs_csv: "x.csv" -> "x-tasks.csv".
 * 0, or -ENAMETOOLONG when it does not fit in @len (never a cut name).
 */
int record_tasks_path(char *buf, size_t len, const char *runs_csv);

/*
 * Open (create) the runs file @runs_csv and the tasks file beside it.
 * Only regular files are used (a FIFO or a device is refused without
 * blocking); a last line without its line end, left by a crash or a full
 * disk, is removed with a warning; a header is written to an empty file
 * and checked in an existing one.  0, or -errno with @err naming the file.
 */

int record_open(struct recorder *rec, const char *runs_csv, const struct machine *m,
		char *err, size_t len);
void record_close(struct recorder *rec);

/* Default runs file: <dir>/bench-<YYYYmmdd-HHMMSS>-<host>.csv */
void record_default_path(char *buf, size_t len, const char *dir, const char *host);

/*
 * Append the run row and all its task rows. @params describes the workload.
 * A row the disk had no room for is taken back whole (the file never holds
 * half a row); the first error is returned and rec->failed_path names its file.
 */
int record_run(struct recorder *rec, const struct run_spec *spec, const struct run_result *r,
	       const char *params);

/*
 * The runs row of @res, with its line end and a NUL, into @buf: exactly
 * what record_run() appends to the runs file.  Its length, or -E2BIG.
 */
long record_format_run(const struct machine *m, const struct run_spec *spec,
		       const struct run_result *res, const char *params, char *buf, size_t cap);

/*
 * Append @field to @buf (at *used, capacity @cap) quoted as CSV needs:
 * quotes when it holds a comma, quote, CR or LF, or leading/trailing space.
 * Returns the new length, or -1 when it would not fit.
 */
long record_csv_field(char *buf, size_t cap, size_t used, const char *field);

#endif
