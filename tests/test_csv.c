/* csv: RFC 4180 quoting, embedded commas/quotes/newlines, torn and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/data/csv.h"

/* Parse a string literal as a whole file. */
static int parse(const char *text, struct csv *t, struct csv_error *e)
{
	size_t n = strlen(text);
	char *copy = malloc(n + 1);

	assert_non_null(copy);
	memcpy(copy, text, n + 1);
	return csv_parse(copy, n, t, e);
}

static void test_plain(void **state)
{
	struct csv t;
	struct csv_error e;

	assert_int_equal(parse("a,b,c\n1,2,3\n4,,6\n", &t, &e), 0);
	assert_int_equal(t.ncols, 3);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(csv_column(&t, "b"), 1);
	assert_int_equal(csv_column(&t, "nope"), -1);
	assert_string_equal(csv_cell(&t, 0, 2), "3");
	assert_string_equal(csv_cell(&t, 1, 1), "");
	assert_string_equal(csv_cell(&t, 1, -1), "");
	assert_int_equal(t.lines[0], 2);
	assert_int_equal(t.lines[1], 3);
	csv_free(&t);
}

/* A byte order mark is skipped; a repeated header (files joined with cat) is a header. */
static void test_bom_and_joined_files(void **state)
{
	struct csv t;
	struct csv_error e;

	assert_int_equal(parse("\xef\xbb\xbf" "a,b\n1,2\na,b\n3,4\n\xef\xbb\xbf" "a,b\n5,6\n", &t, &e), 0);
	assert_int_equal(t.ncols, 2);
	assert_string_equal(t.header[0], "a");
	assert_int_equal(csv_column(&t, "a"), 0);
	assert_int_equal(t.nrows, 3);
	assert_string_equal(csv_cell(&t, 1, 0), "3");
	assert_string_equal(csv_cell(&t, 2, 1), "6");
	assert_int_equal(t.lines[2], 6);
	csv_free(&t);
	/* a row that only looks like a header in part is data */
	assert_int_equal(parse("a,b\na,c\n", &t, &e), 0);
	assert_int_equal(t.nrows, 1);
	csv_free(&t);
}

static void test_quoting(void **state)
{
	struct csv t;
	struct csv_error e;

	assert_int_equal(parse("name,msg,n\r\n"
			       "\"a,b\",\"say \"\"hi\"\"\",1\r\n"
			       "\"two\nlines\",\"\",2\n"
			       "x,\"\"\"\",3\n", &t, &e), 0);
	assert_int_equal(t.nrows, 3);
	assert_string_equal(csv_cell(&t, 0, 0), "a,b");
	assert_string_equal(csv_cell(&t, 0, 1), "say \"hi\"");
	assert_string_equal(csv_cell(&t, 1, 0), "two\nlines");
	assert_string_equal(csv_cell(&t, 1, 1), "");
	assert_string_equal(csv_cell(&t, 2, 1), "\"");
	assert_string_equal(csv_cell(&t, 2, 2), "3");
	/* the embedded newline moves the next row's line number */
	assert_int_equal(t.lines[1], 3);
	assert_int_equal(t.lines[2], 5);
	csv_free(&t);
}

static void expect_error(const char *text, size_t line, const char *words)
{
	struct csv t;
	struct csv_error e;

	assert_int_equal(parse(text, &t, &e), -EINVAL);
	assert_int_equal(e.line, line);
	if (!strstr(e.msg, words))
		fail_msg("message '%s' lacks '%s'", e.msg, words);
}

static void test_errors(void **state)
{
	expect_error("", 1, "empty");
	expect_error("a,b\n1,2\n3,4", 3, "no line end");            /* torn last line */
	expect_error("a,b\n1,2\n3,\"4", 3, "never closed");         /* torn inside quotes */
	expect_error("a,b\n1,2\n3\n", 3, "1 fields, but the header has 2");
	expect_error("a,b\n1,2,3\n", 2, "3 fields");
	expect_error("a,b\n1,x\"y\n", 2, "quote inside unquoted");
	expect_error("a,b\n1,\"x\"y\n", 2, "after the closing quote");
	expect_error("a,b\n1,x\ry\n", 2, "carriage return");
	expect_error("a,b\n\"1\n2\",3\n4,\"5\n", 4, "never closed");
	expect_error("a,b\n1,2\n\n", 3, "1 fields");
}

static void test_nul_byte(void **state)
{
	static const char text[] = "a,b\n1,x\0y\n";
	char *copy = malloc(sizeof(text));
	struct csv t;
	struct csv_error e;

	memcpy(copy, text, sizeof(text));
	assert_int_equal(csv_parse(copy, sizeof(text) - 1, &t, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "NUL"));
}

static void test_record_api(void **state)
{
	const char *data = "x,\"y,z\"\n\"multi\nline\",2\nlast,no-eol";
	size_t len = strlen(data), pos = 0, line = 1;
	struct csv_record rec = { 0 };
	struct csv_error e;

	assert_int_equal(csv_parse_record(data, len, &pos, &line, &rec, &e), 0);
	assert_int_equal(rec.nfields, 2);
	assert_string_equal(rec.fields[1], "y,z");
	assert_true(rec.terminated);
	assert_int_equal(csv_parse_record(data, len, &pos, &line, &rec, &e), 0);
	assert_string_equal(rec.fields[0], "multi\nline");
	assert_int_equal(rec.line, 2);
	assert_int_equal(line, 4);
	assert_int_equal(csv_parse_record(data, len, &pos, &line, &rec, &e), 0);
	assert_string_equal(rec.fields[1], "no-eol");
	assert_false(rec.terminated);
	assert_int_equal(pos, len);
	assert_int_equal(csv_parse_record(data, len, &pos, &line, &rec, &e), -EINVAL);
	csv_record_free(&rec);
}

/* What record.c writes, the reader gives back. */
static void test_round_trip_file(void **state)
{
	char path[] = "/tmp/test_csv_XXXXXX";
	int fd = mkstemp(path);
	const char *text = "h1,h2\n\" lead\",\"a\"\"b,c\"\n";
	struct csv t;
	struct csv_error e;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	assert_int_equal(csv_read_file(path, &t, &e), 0);
	assert_string_equal(csv_cell(&t, 0, 0), " lead");
	assert_string_equal(csv_cell(&t, 0, 1), "a\"b,c");
	csv_free(&t);
	unlink(path);
	assert_true(csv_read_file(path, &t, &e) < 0);
	assert_int_equal(e.line, 0);
}

/* Every prefix of a valid file parses or fails cleanly (no crash, no leak under ASan). */
static void test_every_prefix(void **state)
{
	const char *text = "a,\"b\"\"\",c\r\n\"1\n\",2,\"x,y\"\n3,4,5\n";
	size_t n = strlen(text);

	for (size_t k = 0; k <= n; k++) {
		char *copy = malloc(k + 1);
		struct csv t;
		struct csv_error e;
		int rc;

		memcpy(copy, text, k);
		copy[k] = '\0';
		rc = csv_parse(copy, k, &t, &e);
		if (rc == 0)
			csv_free(&t);
		else
			assert_true(e.line >= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_bom_and_joined_files),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_record_api),
		cmocka_unit_test(test_round_trip_file),
		cmocka_unit_test(test_every_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
