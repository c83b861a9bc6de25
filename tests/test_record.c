/* record: CSV quoting, header once, append, whole rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/sys/machine.h"
#include "bench/core/plan.h"
#include "bench/data/record.h"
#include "bench/core/registry.h"
#include "bench/core/run.h"

static void test_quoting(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "cr\r", "\"cr\r\"" },
		{ " padded ", "\" padded \"" },
		{ "AMD EPYC 7B13", "AMD EPYC 7B13" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long n = record_csv_field(buf, sizeof(buf), 0, cases[i].in);

		assert_true(n >= 0);
		buf[n] = '\0';
		assert_string_equal(buf, cases[i].out);
	}
	/* does not fit: -1, never a torn field */
	assert_int_equal(record_csv_field(buf, 4, 0, "toolong"), -1);
}

static size_t count_lines(const char *path, const char *prefix, size_t *with_prefix)
{
	char line[8192];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	*with_prefix = 0;
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (!strncmp(line, prefix, strlen(prefix)))
			(*with_prefix)++;
	}
	fclose(f);
	return n;
}

static size_t header_fields(const char *header)
{
	size_t n = 1;

	for (const char *p = header; *p && *p != '\n'; p++)
		n += *p == ',';
	return n;
}

static int write_one_rc(struct recorder *rec, unsigned rep)
{
	struct run_spec spec = { .workload = registry_workload("sleep"), .mode = registry_mode("fork"),
				 .workers = 2, .rep = rep };
	struct task_result tasks[2];
	struct run_result r;

	memset(&r, 0, sizeof(r));
	memset(tasks, 0, sizeof(tasks));
	snprintf(r.id, sizeof(r.id), "test-%u", rep);
	r.workers = 2;
	r.ntasks = 2;
	r.results = tasks;
	r.t0_ns = 1000;
	r.wall_s = 1.5;
	r.status = RUN_FAILED;
	snprintf(r.message, sizeof(r.message), "1 of 2 tasks failed, \"quoted\"");
	tasks[0] = (struct task_result){ .index = 0, .status = TASK_OK, .submit_ns = 1000,
					 .start_ns = 2000, .end_ns = 1000002000 };
	snprintf(tasks[0].message, sizeof(tasks[0].message), "done, fine");
	tasks[1] = (struct task_result){ .index = 1, .status = TASK_CRASHED, .submit_ns = 1000,
					 .start_ns = 3000, .end_ns = 5000 };
	snprintf(tasks[1].message, sizeof(tasks[1].message), "worker killed by SIGSEGV");
	return record_run(rec, &spec, &r, "2 x 1s");
}

static void write_one(struct recorder *rec, unsigned rep)
{
	assert_int_equal(write_one_rc(rec, rep), 0);
}

static void test_header_once_and_append(void **state)
{
	char dir[] = "/tmp/bench-test-record-XXXXXX", runs[256], tasks[256], err[256];
	struct recorder rec;
	struct machine m;
	size_t with;

	assert_non_null(mkdtemp(dir));
	snprintf(runs, sizeof(runs), "%s/r.csv", dir);
	snprintf(tasks, sizeof(tasks), "%s/r-tasks.csv", dir);
	machine_probe(&m);

	assert_int_equal(record_open(&rec, runs, &m, err, sizeof(err)), 0);
	write_one(&rec, 1);
	record_close(&rec);
	assert_int_equal(record_open(&rec, runs, &m, err, sizeof(err)), 0);
	write_one(&rec, 2);
	record_close(&rec);

	assert_int_equal(count_lines(runs, "schema,", &with), 3);
	assert_int_equal(with, 1);
	assert_int_equal(count_lines(tasks, "schema,", &with), 5);
	assert_int_equal(with, 1);
	assert_int_equal(header_fields(record_runs_header) > 30, 1);

	/* a file with another header is refused, and named */
	FILE *f = fopen(runs, "w");
	fputs("a,b,c\n1,2,3\n", f);
	fclose(f);
	assert_int_not_equal(record_open(&rec, runs, &m, err, sizeof(err)), 0);
	assert_non_null(strstr(err, runs));
	assert_non_null(strstr(err, "another header"));

	unlink(runs);
	unlink(tasks);
	rmdir(dir);
}

/*
 * A row cut short by the file size limit (as by a full disk) is taken
 * back: the file ends with a whole line and the error is the write's.
 */
static void test_short_write_undone(void **state)
{
	char dir[] = "/tmp/bench-test-record-XXXXXX", runs[256], tasks[256], err[256];
	struct recorder rec;
	struct machine m;
	struct stat st;
	int status, last;
	size_t with;
	FILE *f;
	pid_t pid;

	assert_non_null(mkdtemp(dir));
	snprintf(runs, sizeof(runs), "%s/r.csv", dir);
	snprintf(tasks, sizeof(tasks), "%s/r-tasks.csv", dir);
	machine_probe(&m);
	assert_int_equal(record_open(&rec, runs, &m, err, sizeof(err)), 0);
	write_one(&rec, 1);
	assert_int_equal(fstat(rec.tasks_fd, &st), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* room for part of the next task row only */
		struct rlimit rl = { (rlim_t)st.st_size + 40, (rlim_t)st.st_size + 40 };
		int rc;

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl))
			_exit(3);
		rc = write_one_rc(&rec, 2);
		_exit(rc == -EFBIG && rec.failed_path == rec.tasks_path ? 0 : 4);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	record_close(&rec);
	/* the file as it was: header and two rows, whole */
	assert_int_equal(count_lines(tasks, "schema,", &with), 3);
	f = fopen(tasks, "r");
	assert_non_null(f);
	fseek(f, -1, SEEK_END);
	last = fgetc(f);
	fclose(f);
	assert_int_equal(last, '\n');
	unlink(runs);
	unlink(tasks);
	rmdir(dir);
}

static void test_unwritable(void **state)
{
	struct recorder rec;
	struct machine m;
	char err[256];

	machine_probe(&m);
	assert_int_not_equal(record_open(&rec, "/nonexistent/dir/r.csv", &m, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "cannot open /nonexistent/dir/r.csv"));
}

static void test_default_path(void **state)
{
	char buf[256];

	record_default_path(buf, sizeof(buf), "results", "myhost");
	assert_int_equal(strncmp(buf, "results/bench-", 14), 0);
	assert_non_null(strstr(buf, "-myhost.csv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_header_once_and_append),
		cmocka_unit_test(test_short_write_undone),
		cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
