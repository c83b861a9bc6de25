/*
 * test_fuzz_corpus — replay every input under tests/fuzz/<target>/ (the
 * seed corpora and the inputs that once crashed a fuzzer) through the
 * fuzz targets, built here with the ordinary compiler, so `make test`,
 * `make asan` and `make valgrind` keep every crash found fixed.  The
 * targets check their own invariants and abort() when one breaks (a CSV
 * parsed with fields it does not have, an image decoded larger than its
 * header said, ...), which cmocka reports as this test's failure; their
 * return value is libFuzzer's convention (always 0) and says nothing.
 * Run from the top of the tree (scripts/run-tests.sh does).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

/* the targets' stand-ins for bench are not needed: all of it is linked */
#define FUZZ_LINKED_WITH_BENCH 1
#define LLVMFuzzerTestOneInput fuzz_cli_one
#include "tests/fuzz/fuzz_cli.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_csv_one
#include "tests/fuzz/fuzz_csv.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_images_one
#include "tests/fuzz/fuzz_images.c"
#undef LLVMFuzzerTestOneInput

typedef int fuzz_fn(const uint8_t *data, size_t size);

/* Feed every regular file in @dir to @fn; how many there were. */
static size_t replay(const char *dir, fuzz_fn *fn)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[1024];
		struct stat st;
		uint8_t *buf;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		buf = malloc(st.st_size ? (size_t)st.st_size : 1);
		assert_non_null(buf);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
		fclose(f);
		fn(buf, (size_t)st.st_size);   /* aborts on a broken invariant */
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void test_cli_corpus(void **unused)
{
	assert_true(replay("tests/fuzz/cli", fuzz_cli_one) > 0);
}

static void test_csv_corpus(void **unused)
{
	assert_true(replay("tests/fuzz/csv", fuzz_csv_one) > 0);
}

static void test_images_corpus(void **unused)
{
	assert_true(replay("tests/fuzz/images", fuzz_images_one) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_corpus),
		cmocka_unit_test(test_csv_corpus),
		cmocka_unit_test(test_images_corpus),
	};

	return cmocka_run_group_tests_name("fuzz corpora", tests, NULL, NULL);
}
