/*
 * io — real file I/O: each task writes a file, fsyncs it, reads it back
 * and checks every byte.
 *
 * Each task's file is made with mkostemp() in the results folder (--results)
 * and unlinked at once: it has no name while the task uses it, so nothing
 * is left behind however the task ends (a crash, SIGKILL, an mpi rank
 * ended by mpirun: there is no folder or file to clean up).  After the
 * fsync the task asks
 * the kernel to drop the file's pages (POSIX_FADV_DONTNEED), so the read
 * usually comes from the device rather than the page cache.  The write
 * (with its fsync) and the read back through the same descriptor are the
 * STAGE_WRITE and STAGE_READ times;
 * the syscalls sit between task_io_begin() and task_io_end(), while filling
 * and checking the buffer counts as computation.
 *
 *   --tasks N     tasks (default 8)
 *   --io-mb MB    megabytes per task (default 8)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/api/path.h"
#include "bench/api/workload.h"

#define IO_DEFAULT_TASKS 8
#define IO_CHUNK (1u << 20)

struct io_state {
	size_t ntasks;
	size_t bytes;
	double mb;
	char dir[4096];
};

static struct io_state io_state;

static const struct option io_options[] = {
	{ "--io-mb", OPTION_REAL, "MB", 8, 0.001, 1e5, "megabytes written and read back per task",
	  NULL },
	{ 0 },
};

static int io_prepare(const struct config *cfg, void **state, size_t *ntasks,
		      char *err, size_t errlen)
{
	struct io_state *s = &io_state;
	double mb = option_real(cfg, "--io-mb");
	double bytes = mb * 1024 * 1024;
	int rc;

	if (bytes < 1 || bytes > (double)(1ull << 40)) {
		snprintf(err, errlen, "--io-mb: %g is out of range for io", mb);
		return -EINVAL;
	}
	rc = path_mkdir_p(option_results(cfg));
	if (rc) {
		snprintf(err, errlen, "cannot create results folder %s: %s", option_results(cfg),
			 strerror(-rc));
		return rc;
	}
	if (snprintf(s->dir, sizeof(s->dir), "%s", option_results(cfg)) >= (int)sizeof(s->dir)) {
		snprintf(err, errlen, "results folder name too long: %s", option_results(cfg));
		return -ENAMETOOLONG;
	}
	if (access(s->dir, W_OK | X_OK) < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot write files in %s: %s", option_results(cfg), strerror(-rc));
		s->dir[0] = '\0';
		return rc;
	}
	s->ntasks = option_tasks(cfg) >= 0 ? (size_t)option_tasks(cfg) : IO_DEFAULT_TASKS;
	s->bytes = (size_t)bytes;
	s->mb = mb;
	*state = s;
	*ntasks = s->ntasks;
	return 0;
}

static void io_describe(const void *state, char *buf, size_t len)
{
	const struct io_state *s = state;

	snprintf(buf, len, "%zu x %g MB write+fsync+read", s->ntasks, s->mb);
}

/* The expected content: 64-bit words that differ per task and offset
 * (@off is a multiple of IO_CHUNK, so words stay aligned to the file). */
static void io_fill(unsigned char *buf, size_t n, size_t index, size_t off)
{
	uint64_t word = off / 8, v;
	size_t k;

	for (k = 0; k + 8 <= n; k += 8, word++) {
		v = word * 0x9e3779b97f4a7c15ull + index;
		memcpy(buf + k, &v, 8);
	}
	if (k < n) {
		v = word * 0x9e3779b97f4a7c15ull + index;
		memcpy(buf + k, &v, n - k);
	}
}

/* Write @bytes of task @index's content to @fd, fsync it, drop it from the page cache. */
static int io_write_file(int fd, unsigned char *buf, size_t bytes, size_t index,
			 struct task_result *res)
{
	int rc = 0;

	for (size_t off = 0; off < bytes; off += IO_CHUNK) {
		size_t n = bytes - off < IO_CHUNK ? bytes - off : IO_CHUNK;

		io_fill(buf, n, index, off);
		task_io_begin();
		rc = fd_write_full(fd, buf, n);
		task_io_end();
		if (rc) {
			task_message(res, "cannot write task %zu's file: %s", index, strerror(-rc));
			return rc;
		}
	}
	task_io_begin();
	if (fsync(fd) < 0) {
		rc = -errno;
		task_message(res, "cannot fsync task %zu's file: %s", index, strerror(-rc));
	}
	if (!rc)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	task_io_end();
	return rc;
}

/* Read @fd back from its start and check every byte against task @index's content. */
static int io_read_file(int fd, unsigned char *buf, unsigned char *want, size_t bytes,
			size_t index, struct task_result *res)
{
	size_t off = 0;
	int rc = 0;

	task_io_begin();
	if (lseek(fd, 0, SEEK_SET) < 0)
		rc = -errno;
	task_io_end();
	if (rc) {
		task_message(res, "cannot rewind task %zu's file: %s", index, strerror(-rc));
		return rc;
	}
	while (off < bytes) {
		size_t n = bytes - off < IO_CHUNK ? bytes - off : IO_CHUNK;
		ssize_t got;

		task_io_begin();
		got = fd_read_full(fd, buf, n);
		task_io_end();
		if (got >= 0 && (size_t)got < n)
			rc = -EIO;   /* shorter than what was written */
		else if (got < 0)
			rc = (int)got;
		if (rc) {
			task_message(res, "cannot read task %zu's file at byte %zu: %s", index,
				     off + (size_t)(got > 0 ? got : 0),
				     rc == -EIO ? "file too short" : strerror(-rc));
			break;
		}
		io_fill(want, n, index, off);
		if (memcmp(buf, want, n)) {
			rc = -EIO;
			task_message(res, "task %zu's file: wrong data in the MB at byte %zu", index, off);
			break;
		}
		off += n;
	}
	return rc;
}

static int io_run_task(void *state, size_t index, struct task_result *res)
{
	const struct io_state *s = state;
	unsigned char *buf = malloc(2 * (size_t)IO_CHUNK);
	char path[4200];
	int64_t t0, t1;
	int rc, fd;

	if (!buf) {
		task_message(res, "cannot allocate the I/O buffer");
		return -ENOMEM;
	}
	snprintf(path, sizeof(path), "%s/.bench-io-%zu-XXXXXX", s->dir, index);
	t0 = clock_now_ns();
	task_io_begin();
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);   /* nameless from now on: nothing to leave behind */
	task_io_end();
	if (fd < 0) {
		rc = -errno;
		task_message(res, "cannot create a file in %s: %s", s->dir, strerror(-rc));
		free(buf);
		return rc;
	}
	rc = io_write_file(fd, buf, s->bytes, index, res);
	t1 = clock_now_ns();
	res->stage_s[STAGE_WRITE] = ns_to_s(t1 - t0);
	if (!rc) {
		rc = io_read_file(fd, buf, buf + IO_CHUNK, s->bytes, index, res);
		res->stage_s[STAGE_READ] = ns_to_s(clock_now_ns() - t1);
	}
	close(fd);
	free(buf);
	if (!rc)
		task_message(res, "%zu bytes written with fsync and read back (checked)", s->bytes);
	return rc;
}

static void io_finish(void *state)
{
	struct io_state *s = state;

	s->dir[0] = '\0';   /* every task's file went with its descriptor */
}

const struct workload workload_io = {
	.name = "io",
	.summary = "tasks that write, fsync and read back a file (checked): real I/O",
	.bound = BOUND_IO,
	.takes_tasks = 1,
	.prepare = io_prepare,
	.describe = io_describe,
	.run_task = io_run_task,
	.finish = io_finish,
	.options = io_options,
};
