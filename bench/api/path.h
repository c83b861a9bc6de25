/*
 * path — small file helpers shared by the driver, the modes and the
 * workloads: folders, whole reads and writes, and the checks that keep an
 * output from landing on another file (the same file under two names, a
 * FIFO that would block, a device).
 */
#ifndef BENCH_PATH_H
#define BENCH_PATH_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* mkdir -p: create @path and its missing parents (0755). 0 or -errno. */
int path_mkdir_p(const char *path);

/* Read until @len bytes or end of file, through EINTR: the bytes read, or -errno. */
ssize_t fd_read_full(int fd, void *buf, size_t len);

/* Write all @len bytes, through EINTR and short writes: 0 or -errno. */
int fd_write_full(int fd, const void *buf, size_t len);

/*
 * Make sure file descriptors 0, 1 and 2 are open (on /dev/null when they
 * were closed), so that no file bench opens later becomes its stdout or
 * stderr and receives the summary or the error messages.  Call first
 * thing in main().  0, or -errno when /dev/null cannot be opened.
 */
int path_std_fds(void);

/*
 * What a path names, by device and inode, so that two names of one file
 * (a symbolic or hard link, a bind mount, "a/../a") compare equal.  A path
 * that does not exist yet is named by its parent folder's device and inode
 * and its last component, so two names of one future file compare equal
 * too.  @exists says which.
 */
struct path_id {
	dev_t dev;
	ino_t ino;
	int exists;
	mode_t mode;           /* when it exists */
	char name[256];        /* last component, when it does not */
};

/* 0, or -errno (the parent folder cannot be looked at either). */
int path_identify(const char *path, struct path_id *id);
/* Whether @a and @b are one file (or will be). */
int path_id_same(const struct path_id *a, const struct path_id *b);
/* Whether @a and @b (existing or not) are one file; 0 when either cannot be looked at. */
int path_same_file(const char *a, const char *b);

/*
 * Whether the folder that holds @path is @dir (by device and inode); sets
 * @base to @path's last component.  0 when either cannot be looked at.
 */
int path_in_dir(const char *path, const char *dir, char *base, size_t len);

/* "a FIFO", "a directory", "a character device"...: what st_mode @mode is. */
const char *path_kind(mode_t mode);

/*
 * Open @path (flags as for open(2), O_CREAT needs @mode) only if it is a
 * regular file or does not exist yet: a FIFO, device, socket or directory
 * is refused with -EINVAL without blocking (the open itself is
 * non-blocking, checked with fstat, then made blocking again), and
 * *@kind_out (when not NULL) says what it was.  The descriptor, or -errno.
 */
int path_open_regular(const char *path, int flags, mode_t mode, const char **kind_out);

/*
 * Refuse, before anything runs, an output path that exists and is not a
 * regular file: 0, or -EINVAL with @err saying "WHAT PATH: is a FIFO, not
 * a regular file".
 */
int path_check_output(const char *what, const char *path, char *err, size_t len);

/*
 * @path as a message shows it: control characters escaped (\n, \t, \xHH;
 * a backslash is left as it is, so escaping twice gives the same text)
 * and, when longer than @len allows, its middle replaced by "..." so that
 * what follows it in the message (the reason) still fits.  Returns @buf.
 * PATH_SHOW_MAX is a size that keeps a message line readable.
 */
#define PATH_SHOW_MAX 512
const char *path_show(char *buf, size_t len, const char *path);

#endif
