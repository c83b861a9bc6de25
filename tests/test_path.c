/* path: names shown in messages, one file under two names, regular files only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/api/path.h"

static void test_show_escapes(void **state)
{
	char buf[64];

	assert_string_equal(path_show(buf, sizeof(buf), "plain/name.csv"), "plain/name.csv");
	assert_string_equal(path_show(buf, sizeof(buf), "new\nline\t\x1b[31m\\"),
			    "new\\nline\\t\\x1b[31m\\");
	/* twice: the same */
	assert_string_equal(path_show(buf, sizeof(buf), "new\\nline\\t"), "new\\nline\\t");
}

static void test_show_keeps_both_ends(void **state)
{
	char big[4200], buf[PATH_SHOW_MAX];
	size_t n;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big + sizeof(big) - 6, "z.csv", 5);
	path_show(buf, sizeof(buf), big);
	n = strlen(buf);
	assert_true(n < sizeof(buf));
	assert_non_null(strstr(buf, "..."));
	assert_string_equal(buf + n - 5, "z.csv");
	assert_int_equal(buf[0], 'a');
}

static void test_same_file(void **state)
{
	char dir[] = "/tmp/bench-test-path-XXXXXX", a[128], b[128], c[128], d[128];
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.csv", dir);
	snprintf(b, sizeof(b), "%s/../%s/a.csv", dir, strrchr(dir, '/') + 1);
	snprintf(c, sizeof(c), "%s/link", dir);
	snprintf(d, sizeof(d), "%s/other", dir);
	/* not made yet: the same parent and name */
	assert_true(path_same_file(a, b));
	assert_int_equal(symlink("a.csv", c), 0);
	assert_true(path_same_file(a, c));           /* a dangling link names its target */
	assert_false(path_same_file(a, d));
	fd = open(a, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_true(path_same_file(c, b));
	assert_int_equal(link(a, d), 0);
	assert_true(path_same_file(a, d));           /* a hard link */
	unlink(a);
	unlink(c);
	unlink(d);
	rmdir(dir);
}

static void test_open_regular(void **state)
{
	char dir[] = "/tmp/bench-test-path-XXXXXX", fifo[128], err[256];
	const char *kind;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* neither blocks */
	assert_int_equal(path_open_regular(fifo, O_WRONLY | O_CREAT, 0644, &kind), -EINVAL);
	assert_string_equal(kind, "a FIFO");
	assert_int_equal(path_open_regular("/dev/null", O_WRONLY, 0, &kind), -EINVAL);
	assert_string_equal(kind, "a character device");
	assert_int_equal(path_check_output("--trace", fifo, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "fifo: it is a FIFO, not a regular file"));
	unlink(fifo);
	fd = path_open_regular(fifo, O_WRONLY | O_CREAT, 0644, &kind);
	assert_true(fd >= 0);
	assert_null(kind);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	assert_int_equal(path_check_output("--trace", fifo, err, sizeof(err)), 0);
	unlink(fifo);
	rmdir(dir);
}

static void test_std_fds(void **state)
{
	int saved = dup(2), fd;

	close(2);
	assert_int_equal(path_std_fds(), 0);
	fd = open("/dev/null", O_RDONLY);
	assert_true(fd > 2);                         /* 2 was taken by /dev/null */
	close(fd);
	dup2(saved, 2);
	close(saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_escapes),
		cmocka_unit_test(test_show_keeps_both_ends),
		cmocka_unit_test(test_same_file),
		cmocka_unit_test(test_open_regular),
		cmocka_unit_test(test_std_fds),
	};

	return cmocka_run_group_tests_name("path", tests, NULL, NULL);
}
