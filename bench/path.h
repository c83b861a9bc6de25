/*
 * path — small file helpers shared by the driver, the modes and the
 * workloads.
 */
#ifndef BENCH_PATH_H
#define BENCH_PATH_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p: create @path and its missing parents (0755). 0 or -errno. */
int path_mkdir_p(const char *path);

/* Read until @len bytes or end of file, through EINTR: the bytes read, or -errno. */
ssize_t fd_read_full(int fd, void *buf, size_t len);

/* Write all @len bytes, through EINTR and short writes: 0 or -errno. */
int fd_write_full(int fd, const void *buf, size_t len);

#endif
