/*
 * message — error(), warning() and note(): "bench: ..." on stderr, one
 * write each.
 */
#include "bench/sys/message.h"

#include <stdio.h>
#include <stdlib.h>

static void say(const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void say(const char *prefix, const char *fmt, va_list ap)
{
	char *text = NULL;
	va_list copy;

	va_copy(copy, ap);
	if (vasprintf(&text, fmt, copy) < 0)
		text = NULL;
	va_end(copy);
	if (text) {
		fprintf(stderr, "bench: %s%s\n", prefix, text);
		free(text);
		return;
	}
	/* no memory for the line: print it in pieces rather than not at all */
	fprintf(stderr, "bench: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void verror(const char *fmt, va_list ap)
{
	say("", fmt, ap);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

void vwarning(const char *fmt, va_list ap)
{
	say("warning: ", fmt, ap);
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarning(fmt, ap);
	va_end(ap);
}

void vnote(const char *fmt, va_list ap)
{
	say("note: ", fmt, ap);
}
