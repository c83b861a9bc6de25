#include "bench/api/path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int path_mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0) {
		struct stat st;

		if (errno != EEXIST)
			return -errno;
		/* something is there: it must be a folder */
		if (stat(buf, &st) < 0)
			return -errno;
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
	}
	return 0;
}

ssize_t fd_read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int fd_write_full(int fd, const void *buf, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, (const char *)buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (size_t)n;
	}
	return 0;
}

int path_std_fds(void)
{
	for (int want = 0; want <= 2; want++) {
		int fd;

		if (fcntl(want, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free descriptor is @want itself */
		fd = open("/dev/null", O_RDWR);
		if (fd < 0)
			return -errno;
		if (fd != want) {
			close(fd);
			return -EBADF;
		}
	}
	return 0;
}

/* The last component of @path ("" for "/"), trailing slashes ignored. */
static size_t last_component(const char *path, size_t *start)
{
	size_t n = strlen(path), s;

	while (n > 1 && path[n - 1] == '/')
		n--;
	s = n;
	while (s > 0 && path[s - 1] != '/')
		s--;
	*start = s;
	return n - s;
}

/*
 * @path is a symbolic link to nothing yet: the path it would create, in
 * @out (relative targets are taken from the link's folder).  0 or -errno.
 */
static int dangling_target(const char *path, char *out, size_t len)
{
	char target[PATH_MAX];
	size_t start;
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return -errno;
	target[n] = '\0';
	last_component(path, &start);
	if (target[0] == '/' || start == 0)
		n = snprintf(out, len, "%s", target);
	else
		n = snprintf(out, len, "%.*s%s", (int)start, path, target);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int path_identify(const char *path, struct path_id *id)
{
	char parent[PATH_MAX], link[2][PATH_MAX];
	struct stat st;
	size_t start, n;

	memset(id, 0, sizeof(*id));
	for (int hops = 0;; hops++) {
		if (stat(path, &st) == 0) {
			id->dev = st.st_dev;
			id->ino = st.st_ino;
			id->mode = st.st_mode;
			id->exists = 1;
			return 0;
		}
		if (errno != ENOENT)
			return -errno;
		/* a link to a file not made yet names that file */
		if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
			break;
		if (hops == 40)
			return -ELOOP;
		if (dangling_target(path, link[hops % 2], sizeof(link[0])))
			return -ENAMETOOLONG;
		path = link[hops % 2];
	}
	n = last_component(path, &start);
	if (n == 0 || n >= sizeof(id->name) || start >= sizeof(parent))
		return -ENAMETOOLONG;
	if (start == 0)
		snprintf(parent, sizeof(parent), ".");
	else
		snprintf(parent, sizeof(parent), "%.*s", (int)start, path);
	if (stat(parent, &st) < 0)
		return -errno;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	memcpy(id->name, path + start, n);
	id->name[n] = '\0';
	return 0;
}

int path_id_same(const struct path_id *a, const struct path_id *b)
{
	return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
	       (a->exists || !strcmp(a->name, b->name));
}

int path_same_file(const char *a, const char *b)
{
	struct path_id x, y;

	return !path_identify(a, &x) && !path_identify(b, &y) && path_id_same(&x, &y);
}

int path_in_dir(const char *path, const char *dir, char *base, size_t len)
{
	char parent[PATH_MAX];
	struct stat a, b;
	size_t start, n = last_component(path, &start);

	if (!n || n >= len || start >= sizeof(parent))
		return 0;
	memcpy(base, path + start, n);
	base[n] = '\0';
	snprintf(parent, sizeof(parent), "%.*s", start ? (int)start : 1, start ? path : ".");
	return stat(parent, &a) == 0 && stat(dir, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

const char *path_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

int path_open_regular(const char *path, int flags, mode_t mode, const char **kind_out)
{
	struct stat st;
	int fd, fl;

	if (kind_out)
		*kind_out = NULL;
	/* stat first: an O_WRONLY open of a FIFO without a reader says ENXIO */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (kind_out)
			*kind_out = path_kind(st.st_mode);
		return -EINVAL;
	}
	fd = open(path, flags | O_NONBLOCK | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		if (kind_out)
			*kind_out = path_kind(st.st_mode);
		close(fd);
		return -EINVAL;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

int path_check_output(const char *what, const char *path, char *err, size_t len)
{
	char show[PATH_SHOW_MAX];
	struct stat st;

	if (stat(path, &st) < 0 || S_ISREG(st.st_mode))
		return 0;   /* missing is fine here: opening it will say why not */
	snprintf(err, len, "%s%s%s: it is %s, not a regular file", what ? what : "", what ? " " : "",
		 path_show(show, sizeof(show), path), path_kind(st.st_mode));
	return -EINVAL;
}

/* Append @path to @out escaped; returns the length written (@out holds 4 * strlen + 1). */
static size_t escape_into(char *out, const char *path)
{
	size_t used = 0;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		/* a backslash stays itself: escaping twice changes nothing */
		if (*p == '\n' || *p == '\t' || *p == '\r') {
			out[used++] = '\\';
			out[used++] = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
		} else if (*p < 0x20 || *p == 0x7f) {
			used += (size_t)sprintf(out + used, "\\x%02x", *p);
		} else {
			out[used++] = (char)*p;
		}
	}
	out[used] = '\0';
	return used;
}

const char *path_show(char *buf, size_t len, const char *path)
{
	size_t n = strlen(path), e, half;
	char *esc;

	if (!len)
		return buf;
	esc = malloc(4 * n + 1);
	if (!esc) {
		snprintf(buf, len, "%s", path);
		return buf;
	}
	e = escape_into(esc, path);
	if (e < len || len < 16) {
		snprintf(buf, len, "%s", esc);
	} else {
		/* head ... tail: what the message says after the name still fits */
		half = (len - 4) / 2;
		snprintf(buf, len, "%.*s...%s", (int)half, esc, esc + e - (len - 4 - half));
	}
	free(esc);
	return buf;
}
