/*
 * message — bench's one way to say that something went wrong, as git
 * does: lowercase, the failure first, the thing named, its reason last.
 *
 *   error("cannot open %s: %s", path, strerror(errno));
 *       bench: cannot open results/x.csv: Permission denied
 *   warning("only %u of %u threads started (%s)", n, want, why);
 *       bench: warning: only 3 of 4 threads started (...)
 *
 * Each message is one write on stderr, its line end added, so that lines
 * from bench and from its worker processes never interleave mid-line.
 * Plug-ins do not call these: a mode reports through its job
 * (job_warn(), job->error), a workload through its task's message.
 */
#ifndef BENCH_MESSAGE_H
#define BENCH_MESSAGE_H

#include <stdarg.h>

void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with a va_list (job_warn(), job_error()); vnote(): "bench: note: ..." (job_note()). */
void verror(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void vwarning(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void vnote(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
