/*
 * fuzz_cli — libFuzzer target for the command line: the list parsers
 * (cli_parse_uints, cli_parse_doubles, cli_parse_names) and cli_parse()
 * on a whole argv.
 *
 * Input: the first byte picks what to call and with which bounds; the rest
 * is the option value (lists), or argv words separated by NUL bytes.
 *
 *   make fuzz FUZZ_SECONDS=60      (scripts/fuzz.sh builds it with clang)
 *   seeds: tests/fuzz/cli/
 *
 * sources: bench/core/cli.c bench/sys/path.c
 *
 * Built alone, it has none of the plug-ins' own options (--work, ...):
 * the stubs below stand in for the registry (tests/test_fuzz_corpus.c
 * links the whole of bench and defines FUZZ_LINKED_WITH_BENCH).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/core/cli.h"
#include "bench/core/config.h"
#include "bench/core/options.h"
#include "bench/core/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_LINKED_WITH_BENCH
const struct option *registry_option(const char *name, const struct mode **mode,
				     const struct workload **workload)
{
	return NULL;
}

int options_parse(struct config *cfg, const struct option *o, char *val, char *err, size_t len)
{
	return -1;
}

int options_warn_unused(const struct config *cfg, const char *const *modes, size_t nmodes,
			FILE *warn)
{
	return 0;
}

void options_usage(FILE *out, int modes)
{
}
#endif

static void check_uints(const char *s, unsigned sel)
{
	unsigned out[CONFIG_MAX_LIST];
	char err[256];
	size_t n = 0;
	unsigned lo = sel & 1, hi = sel & 2 ? CONFIG_MAX_WORKERS : 4294967295u;

	if (!cli_parse_uints("--workers", s, out, &n, lo, hi, sel & 4, err, sizeof(err))) {
		if (n == 0 || n > CONFIG_MAX_LIST)
			abort();
		for (size_t i = 0; i < n; i++) {
			if (out[i] && (out[i] < lo || out[i] > hi))
				abort();
			for (size_t j = 0; j < i; j++)
				if (out[i] == out[j])
					abort();   /* duplicates are refused */
		}
	} else if (!memchr(err, '\0', sizeof(err)) || !err[0]) {
		abort();   /* every error has a message */
	}
}

static void check_doubles(const char *s, unsigned sel)
{
	double out[CONFIG_MAX_LIST];
	char err[256];
	size_t n = 0;
	double lo = sel & 1 ? 0.001 : 0, hi = sel & 2 ? 1e6 : 86400.0;

	if (!cli_parse_doubles("--seconds", s, out, &n, lo, hi, sel & 4, err, sizeof(err))) {
		if (n == 0 || n > CONFIG_MAX_LIST)
			abort();
		for (size_t i = 0; i < n; i++)
			if (!(out[i] >= lo && out[i] <= hi))
				abort();   /* NaN or out of range got through */
	} else if (!err[0]) {
		abort();
	}
}

static void check_names(char *s)
{
	const char *out[CONFIG_MAX_LIST];
	char err[256];
	size_t n = 0;

	if (!cli_parse_names("--modes", s, out, &n, err, sizeof(err))) {
		if (n == 0 || n > CONFIG_MAX_LIST)
			abort();
		for (size_t i = 0; i < n; i++)
			if (!out[i][0] || strchr(out[i], ','))
				abort();
	} else if (!err[0]) {
		abort();
	}
}

/* argv from NUL-separated words (at most 64), argv[0] = "bench". */
static void check_argv(char *s, size_t len)
{
	char *argv[66];
	struct config cfg;
	char err[1024];
	int argc = 1;

	argv[0] = "bench";
	for (size_t i = 0; i < len && argc < 65;) {
		argv[argc++] = s + i;
		i += strlen(s + i) + 1;
	}
	argv[argc] = NULL;
	if (cli_parse(argc, argv, &cfg, err, sizeof(err)) && !err[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	unsigned sel;

	if (size < 1 || size > 4096)
		return 0;
	sel = data[0];
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (sel >> 4 & 3) {
	case 0:
		check_uints(s, sel);
		break;
	case 1:
		check_doubles(s, sel);
		break;
	case 2:
		check_names(s);
		break;
	case 3:
		check_argv(s, size - 1);
		break;
	}
	free(s);
	return 0;
}
