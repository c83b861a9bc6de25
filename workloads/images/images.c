/*
 * images — the tutorial's photo pipeline, one task per image:
 *
 *   read     the file into memory                      (I/O, marked)
 *   decode   stb_image from memory; gray stays 1 channel, colour is 3;
 *            an alpha channel is composited onto white
 *   blur     Gaussian, sigma 15, at full resolution     (images_blur.c)
 *   resize   to fit 1200 x 1200 like Pillow's thumbnail (images_resize.c)
 *   encode   with stb_image_write, into memory: JPEG quality 75, or PNG
 *            for a .png input (the format its name says, as img.save() does)
 *   write    to a temporary name in the output folder, then rename()
 *            (I/O, marked): a reader never sees a half-written image
 *
 * Under the simulated GIL (the gil mode) the task is what Pillow's is:
 * decode, blur, resize and encode run between task_gil_release() and
 * task_gil_acquire(), as Pillow's C code runs between ImagingSectionEnter
 * and ImagingSectionLeave; read and write release it as Python's file I/O
 * does; the checks and allocations between them hold it.
 *
 *   --images DIR   every .jpg/.jpeg/.png in DIR, sorted by name
 *                  (default: the built-in set, made on first use, see below)
 *   --out DIR      where the results go (default RESULTS/processed), each
 *                  under its input's name, in its input's format
 *   --quick        the first 4 built-in images instead of 15
 *
 * The built-in set lives in $BENCH_CACHE/images-v1, BENCH_CACHE defaulting
 * to $XDG_CACHE_HOME/bench or ~/.cache/bench.  BENCH_IMAGES_SIZE=WxH (for
 * tests) makes a set of that size instead, in images-v1-WxH.
 *
 * A file that cannot be read or decoded, or has more than
 * IMAGES_MAX_PIXELS pixels, fails its own task; a missing or empty folder,
 * or an output folder that cannot be written, fails prepare().
 */
#include "workloads/images/images.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stb_image.h>
#include <stb_image_write.h>

#include "bench/api/clock.h"
#include "bench/api/memory.h"
#include "bench/api/path.h"
#include "bench/api/workload.h"

#define BUILTIN_COUNT 15
#define BUILTIN_QUICK 4
#define BUILTIN_W 5184
#define BUILTIN_H 3456
#define BUILTIN_SET "images-v1"

/* A path in a message: control characters escaped, shortened so the reason fits. */
#define SHOW(path) path_show((char[PATH_SHOW_MAX]){ 0 }, PATH_SHOW_MAX, (path))

struct images_state {
	char dir[PATH_MAX];
	char out[PATH_MAX];
	char **names;
	size_t n;
	int builtin;
};

static struct images_state images_state;

static int has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);

	return n > e && !strcasecmp(name + n - e, ext);
}

static int is_image_name(const char *name)
{
	return name[0] != '.' &&
	       (has_ext(name, ".jpg") || has_ext(name, ".jpeg") || has_ext(name, ".png"));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(struct images_state *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	s->names = NULL;
	s->n = 0;
}

static int add_name(struct images_state *s, const char *name, size_t *cap)
{
	if (s->n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 32;
		char **p = realloc(s->names, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->names = p;
		*cap = ncap;
	}
	s->names[s->n] = strdup(name);
	if (!s->names[s->n])
		return -ENOMEM;
	s->n++;
	return 0;
}

/* @path has an image's name but stat() failed or found no regular file: say why. */
static int not_an_image_file(const char *path, char *err, size_t errlen)
{
	char show[PATH_SHOW_MAX];
	struct stat st;
	int e = stat(path, &st) < 0 ? errno : 0;

	path_show(show, sizeof(show), path);
	if (e == ENOENT)
		snprintf(err, errlen, "%s: a symbolic link to nothing (%s): remove it or give "
			 "another --images folder", show, strerror(e));
	else if (e)
		snprintf(err, errlen, "cannot look at %s: %s", show, strerror(e));
	else
		snprintf(err, errlen, "%s: it is %s, not a regular file: move it out of the "
			 "image folder", show, path_kind(st.st_mode));
	return -EINVAL;
}

/* Every image file in s->dir, sorted; an image name that is no regular file is an error. */
static int list_folder(struct images_state *s, char *err, size_t errlen)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	size_t cap = 0;
	int rc = 0;

	if (!d) {
		rc = -errno;
		snprintf(err, errlen, "cannot open image folder %s: %s", SHOW(s->dir), strerror(-rc));
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (!is_image_name(e->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", s->dir, e->d_name) >= sizeof(path)) {
			rc = -ENAMETOOLONG;
			snprintf(err, errlen, "image folder %s: a file name is too long", SHOW(s->dir));
			break;
		}
		/* an image name that is no image file is said, never skipped in silence */
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			rc = not_an_image_file(path, err, errlen);
			break;
		}
		rc = add_name(s, e->d_name, &cap);
		if (rc)
			break;
	}
	closedir(d);
	if (rc)
		return rc;
	if (!s->n) {
		snprintf(err, errlen, "no .jpg, .jpeg or .png images in %s", SHOW(s->dir));
		return -EINVAL;
	}
	qsort(s->names, s->n, sizeof(*s->names), cmp_names);
	return 0;
}

static int cache_root(char *buf, size_t len)
{
	const char *v = getenv("BENCH_CACHE");
	int n;

	if (v && *v)
		n = snprintf(buf, len, "%s", v);
	else if ((v = getenv("XDG_CACHE_HOME")) && *v)
		n = snprintf(buf, len, "%s/bench", v);
	else if ((v = getenv("HOME")) && *v)
		n = snprintf(buf, len, "%s/.cache/bench", v);
	else
		n = snprintf(buf, len, ".cache/bench");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The built-in set: make what is missing, list the first @count. */
static int use_builtin(struct images_state *s, const struct config *cfg, char *err, size_t errlen)
{
	const char *size = getenv("BENCH_IMAGES_SIZE");
	unsigned count = option_quick(cfg) ? BUILTIN_QUICK : BUILTIN_COUNT;
	int w = BUILTIN_W, h = BUILTIN_H, rc, n;
	char root[PATH_MAX], name[64];
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	size_t cap = 0;

	if (size && *size) {
		char x;

		if (sscanf(size, "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') ||
		    w < 1 || h < 1 || (long)w * h > IMAGES_MAX_PIXELS) {
			snprintf(err, errlen, "BENCH_IMAGES_SIZE=%s: expected WxH, e.g. 320x200", size);
			return -EINVAL;
		}
	}
	if (cache_root(root, sizeof(root))) {
		snprintf(err, errlen, "image cache path too long");
		return -EINVAL;
	}
	if (w == BUILTIN_W && h == BUILTIN_H)
		n = snprintf(s->dir, sizeof(s->dir), "%s/%s", root, BUILTIN_SET);
	else
		n = snprintf(s->dir, sizeof(s->dir), "%s/%s-%dx%d", root, BUILTIN_SET, w, h);
	if (n < 0 || (size_t)n >= sizeof(s->dir)) {
		snprintf(err, errlen, "image cache path too long");
		return -EINVAL;
	}
	rc = images_generate(s->dir, count, w, h, jobs > 0 ? (unsigned)jobs : 1, option_quiet(cfg),
			     err, errlen);
	if (rc)
		return rc == -ENOMEM ? rc : -EINVAL;
	for (unsigned i = 0; i < count; i++) {
		images_builtin_name(name, sizeof(name), i);
		rc = add_name(s, name, &cap);
		if (rc)
			return rc;
	}
	s->builtin = 1;
	return 0;
}

/* Create the output folder and prove we can write there. */
static int check_out(struct images_state *s, char *err, size_t errlen)
{
	char probe[PATH_MAX + 64];
	int rc = path_mkdir_p(s->out), fd;

	if (rc) {
		snprintf(err, errlen, "cannot create output folder %s: %s", SHOW(s->out), strerror(-rc));
		return -EINVAL;
	}
	snprintf(probe, sizeof(probe), "%s/.bench-probe.%d", s->out, (int)getpid());
	fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write to output folder %s: %s", SHOW(s->out), strerror(errno));
		return -EINVAL;
	}
	close(fd);
	unlink(probe);
	/* by device and inode: a symlink, "a/../a" or a bind mount is the same folder */
	if (path_same_file(s->out, s->dir)) {
		snprintf(err, errlen, "output folder %s is the image folder: the inputs would be "
			 "overwritten", SHOW(s->out));
		return -EINVAL;
	}
	return 0;
}

/*
 * Keep freed memory for the next task.  A task mallocs about 100 MB for a
 * 5184x3456 photo, most of it in stb_image (the decoded image and its
 * component planes); glibc maps each large block afresh and unmaps it on
 * free, so every image paid some 17k page faults, 2 to 3 ms per megapixel
 * on the development VM.  With mmap and trimming off, freed blocks stay in
 * the heap and the next task reuses them; the process keeps its peak heap
 * (about one task's worth per worker).  Process-wide, and inherited by the
 * workers forked later, so set for images' runs only (run_begin) and put
 * back to bench's defaults after each (run_end; bench/api/memory.h says why
 * not glibc's).  Threads share bench's one malloc arena (memory.h), so thread
 * modes reuse memory as process modes do (with an arena each, made of 64 MB
 * heaps that glibc unmaps once wholly free, 2 threads paid 0.8 s of system
 * time for 15 photos, against 0.05 s in seq).  A task takes the arena lock a
 * few hundred times, not per pixel.
 */
static void keep_freed_memory(void *state)
{
	mallopt(M_MMAP_MAX, 0);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
}

/* bench's defaults, and the freed heap back to the system */
static void default_memory(void *state)
{
	memory_defaults();
	malloc_trim(0);
}

static int images_prepare(const struct config *cfg, void **state, size_t *ntasks,
			  char *err, size_t errlen)
{
	struct images_state *s = &images_state;
	int rc, n;

	free_names(s);
	s->builtin = 0;
	if (option_images(cfg)) {
		n = snprintf(s->dir, sizeof(s->dir), "%s", option_images(cfg));
		if (n < 0 || (size_t)n >= sizeof(s->dir)) {
			snprintf(err, errlen, "image folder name too long");
			return -EINVAL;
		}
		rc = list_folder(s, err, errlen);
	} else {
		rc = use_builtin(s, cfg, err, errlen);
	}
	if (rc)
		goto fail;
	if (option_out(cfg))
		n = snprintf(s->out, sizeof(s->out), "%s", option_out(cfg));
	else
		n = snprintf(s->out, sizeof(s->out), "%s/processed",
			     option_results(cfg) ? option_results(cfg) : ".");
	if (n < 0 || (size_t)n >= sizeof(s->out)) {
		snprintf(err, errlen, "output folder name too long");
		rc = -EINVAL;
		goto fail;
	}
	rc = check_out(s, err, errlen);
	if (rc)
		goto fail;
	*state = s;
	*ntasks = s->n;
	return 0;
fail:
	free_names(s);
	return rc;
}

static void images_describe(const void *state, char *buf, size_t len)
{
	const struct images_state *s = state;

	snprintf(buf, len, "%zu images%s", s->n, s->builtin ? " (built-in)" : "");
}

/* ------------------------------------------------------------------ task */

struct membuf {
	unsigned char *data;
	size_t len, cap;
	int failed;
};

static void membuf_write(void *ctx, void *data, int size)
{
	struct membuf *m = ctx;

	if (m->failed || size <= 0)
		return;
	if (m->len + (size_t)size > m->cap) {
		size_t ncap = m->cap ? m->cap : 1 << 16;
		unsigned char *p;

		while (ncap < m->len + (size_t)size)
			ncap *= 2;
		p = realloc(m->data, ncap);
		if (!p) {
			m->failed = 1;
			return;
		}
		m->data = p;
		m->cap = ncap;
	}
	memcpy(m->data + m->len, data, (size_t)size);
	m->len += (size_t)size;
}

/*
 * Open @path, a regular file only (O_NONBLOCK: a FIFO put there since
 * prepare() must not block the task), and read its first
 * IMAGES_HEAD_BYTES into @m, so that the header can be checked before the
 * body is read.  *fd stays open for read_rest(); *size is the file's size.
 */
static int read_head(const char *path, struct membuf *m, int *fd, off_t *size)
{
	const char *kind;
	struct stat st;
	ssize_t n;

	*fd = path_open_regular(path, O_RDONLY, 0, &kind);
	if (*fd < 0)
		return *fd;
	if (fstat(*fd, &st))
		return -errno;
	*size = st.st_size;
	m->cap = st.st_size > IMAGES_HEAD_BYTES ? IMAGES_HEAD_BYTES :
		 st.st_size > 0 ? (size_t)st.st_size : 1;
	m->data = malloc(m->cap);
	if (!m->data)
		return -ENOMEM;
	n = fd_read_full(*fd, m->data, m->cap);
	if (n < 0)
		return (int)n;
	m->len = (size_t)n;
	return 0;
}

/* The rest of the file after read_head(), up to its size: 0 or -errno. */
static int read_rest(int fd, struct membuf *m, off_t size)
{
	unsigned char *p;
	ssize_t n;

	if ((off_t)m->len >= size)
		return 0;
	p = realloc(m->data, (size_t)size);
	if (!p)
		return -ENOMEM;
	m->data = p;
	m->cap = (size_t)size;
	n = fd_read_full(fd, m->data + m->len, m->cap - m->len);
	if (n < 0)
		return (int)n;
	m->len += (size_t)n;
	return 0;
}

static int write_file(const char *dir, const char *name, const struct membuf *m)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd, rc = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >= sizeof(tmp))
		return -ENAMETOOLONG;
	/* a fresh name (O_EXCL: no file or link already there is reused) */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	fchmod(fd, 0644);
	rc = fd_write_full(fd, m->data, m->len);
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

/* Composite an alpha channel onto white, in place: ch + 1 -> ch samples. */
static void flatten_alpha(unsigned char *pix, size_t npix, int ch)
{
	for (size_t i = 0; i < npix; i++) {
		const unsigned char *s = pix + i * (ch + 1);
		unsigned a = s[ch];
		unsigned char *d = pix + i * ch;

		for (int c = 0; c < ch; c++)
			d[c] = (unsigned char)((s[c] * a + 255 * (255 - a) + 127) / 255);
	}
}

static double lap(int64_t *t)
{
	int64_t now = clock_now_ns();
	double s = ns_to_s(now - *t);

	*t = now;
	return s;
}

/*
 * What stb_image may be given.  It decodes any format it knows whatever
 * the file is called (PSD, TGA, HDR, PIC, PNM... each a parser of its own):
 * only JPEG and PNG go in.  And the stb_image in Debian 12 (2.27) trusts a
 * JPEG's Huffman table header: more than 256 codes in one table write past
 * the table (later upstream versions refuse it); refuse it here first.
 * Returns NULL when @p may be decoded, else why not.
 */
/* A PNG's width and height, from its IHDR chunk: 0, or -1 if not a PNG. */
static int png_size(const unsigned char *p, size_t n, int *w, int *h)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint32_t v[2];

	if (n < 24 || memcmp(p, png, 8) || memcmp(p + 12, "IHDR", 4))
		return -1;
	for (int k = 0; k < 2; k++)
		v[k] = (uint32_t)p[16 + 4 * k] << 24 | (uint32_t)p[17 + 4 * k] << 16 |
		       (uint32_t)p[18 + 4 * k] << 8 | p[19 + 4 * k];
	if (v[0] > INT_MAX || v[1] > INT_MAX)
		return -1;
	*w = (int)v[0];
	*h = (int)v[1];
	return 0;
}

static const char *decodable(const unsigned char *p, size_t n)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t i = 2;

	if (n >= 8 && !memcmp(p, png, 8))
		return NULL;
	if (n < 3 || p[0] != 0xff || p[1] != 0xd8)
		return "not a JPEG or PNG file";
	/* walk the JPEG's segments (and over entropy-coded data) to each DHT */
	while (i + 4 <= n) {
		unsigned m = p[i + 1];
		size_t len, j, end;

		if (p[i] != 0xff || m == 0xff || m == 0x00 || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
			i += p[i] == 0xff && m != 0xff ? 2 : 1;
			continue;
		}
		if (m == 0xd9)
			break;
		len = (size_t)p[i + 2] << 8 | p[i + 3];
		end = i + 2 + len;
		for (j = i + 4; m == 0xc4 && j < end && j < n;) {
			unsigned codes = 0;

			for (size_t k = 1; k <= 16; k++)
				codes += j + k < n ? p[j + k] : 0;   /* stb reads 0 past the end */
			if (codes > 256)
				return "corrupt JPEG (a Huffman table with more than 256 codes)";
			j += 17 + codes;
		}
		i = end;
	}
	return NULL;
}

/*
 * Before the body is read: the first bytes must be a JPEG or PNG, its
 * pixels (when the header is among them) under IMAGES_MAX_PIXELS, and the
 * file no bigger than IMAGES_MAX_FILE_BYTES.  0 to read on, or 1 with the
 * task's message set.
 */
static int check_head(const struct membuf *head, off_t size, struct task_result *res,
		      const char *shown)
{
	const char *why = decodable(head->data, head->len);
	int w = 0, h = 0, comp;

	if (why && !strcmp(why, "not a JPEG or PNG file")) {
		task_message(res, "cannot decode %s: %s", shown, why);
		return 1;
	}
	if (!png_size(head->data, head->len, &w, &h) ||
	    stbi_info_from_memory(head->data, (int)head->len, &w, &h, &comp)) {
		if ((long long)w * h > IMAGES_MAX_PIXELS) {
			task_message(res, "cannot decode %s: %dx%d is over the limit of %ld pixels",
				     shown, w, h, IMAGES_MAX_PIXELS);
			return 1;
		}
	}
	if (size > IMAGES_MAX_FILE_BYTES) {
		task_message(res, "cannot read %s: %lld bytes, over the limit of %lld MiB per image "
			     "(nothing past its header was read)", shown, (long long)size,
			     (long long)(IMAGES_MAX_FILE_BYTES >> 20));
		return 1;
	}
	return 0;
}

static int images_run_task(void *state, size_t index, struct task_result *res)
{
	const struct images_state *s = state;
	const char *name = s->names[index];
	char shown[96];   /* the name in messages: escaped, short enough for the reason to fit */
	struct membuf file = { 0 }, encoded = { 0 };
	unsigned char *pix = NULL, *small = NULL;
	char path[PATH_MAX];
	int w, h, comp, ch, ow, oh, rc, fd = -1, said, png;
	int64_t t = clock_now_ns();
	off_t size = 0;

	path_show(shown, sizeof(shown), name);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", s->dir, name) >= sizeof(path)) {
		task_message(res, "%s: name too long", shown);
		return -ENAMETOOLONG;
	}
	/* read: the header first, then the body if the header allows it */
	task_io_begin();
	rc = read_head(path, &file, &fd, &size);
	said = !rc && check_head(&file, size, res, shown);
	if (!rc && !said)
		rc = read_rest(fd, &file, size);
	if (fd >= 0)
		close(fd);
	task_io_end();
	res->stage_s[STAGE_READ] = lap(&t);
	if (said) {
		rc = -EINVAL;
		goto out;
	}
	if (rc) {
		/* path_open_regular(): -EINVAL is a FIFO or device put there since prepare() */
		task_message(res, "cannot read %s: %s", shown,
			     rc == -EINVAL ? "not a regular file" : strerror(-rc));
		goto out;
	}
	/* decode */
	if (decodable(file.data, file.len)) {
		task_message(res, "cannot decode %s: %s", shown, decodable(file.data, file.len));
		rc = -EINVAL;
		goto out;
	}
	if (file.len > INT_MAX || !stbi_info_from_memory(file.data, (int)file.len, &w, &h, &comp)) {
		/* stb refuses a PNG over 1 GiB of pixels, then says "unknown
		 * image type": the pixel limit says more */
		if (png_size(file.data, file.len, &w, &h) ||
		    (long long)w * h <= IMAGES_MAX_PIXELS) {
			task_message(res, "cannot decode %s: %s", shown,
				     file.len > INT_MAX ? "file too large" : stbi_failure_reason());
			rc = -EINVAL;
			goto out;
		}
	}
	if ((long long)w * h > IMAGES_MAX_PIXELS) {
		task_message(res, "cannot decode %s: %dx%d is over the limit of %ld pixels",
			     shown, w, h, IMAGES_MAX_PIXELS);
		rc = -EFBIG;
		goto out;
	}
	ch = comp <= 2 ? 1 : 3;
	/* decode, blur, resize and encode are C code that lets go of the
	 * GIL, as Pillow's do (ImagingSectionEnter); the checks between them
	 * stand for the Python code that calls them */
	task_gil_release();
	pix = stbi_load_from_memory(file.data, (int)file.len, &w, &h, &comp, comp);
	if (pix && (comp == 2 || comp == 4))
		flatten_alpha(pix, (size_t)w * h, ch);
	task_gil_acquire();
	if (!pix) {
		task_message(res, "cannot decode %s: %s", shown, stbi_failure_reason());
		rc = -EINVAL;
		goto out;
	}
	free(file.data);
	file.data = NULL;
	res->stage_s[STAGE_DECODE] = lap(&t);
	/* blur */
	task_gil_release();
	rc = images_blur(pix, w, h, ch, IMAGES_BLUR_SIGMA);
	task_gil_acquire();
	res->stage_s[STAGE_BLUR] = lap(&t);
	if (rc) {
		task_message(res, "cannot blur %s: %s", shown, strerror(-rc));
		goto out;
	}
	/* resize */
	images_fit(w, h, IMAGES_FIT, IMAGES_FIT, &ow, &oh);
	small = malloc((size_t)ow * oh * ch);
	task_gil_release();
	rc = small ? images_resize(pix, w, h, ch, small, ow, oh) : -ENOMEM;
	task_gil_acquire();
	stbi_image_free(pix);
	pix = NULL;
	res->stage_s[STAGE_RESIZE] = lap(&t);
	if (rc) {
		task_message(res, "cannot resize %s: %s", shown, strerror(-rc));
		goto out;
	}
	/* encode: in the format the name says, like the tutorial's img.save(name) */
	png = has_ext(name, ".png");
	task_gil_release();
	rc = !(png ? stbi_write_png_to_func(membuf_write, &encoded, ow, oh, ch, small, ow * ch) :
		     stbi_write_jpg_to_func(membuf_write, &encoded, ow, oh, ch, small, IMAGES_QUALITY)) ||
	     encoded.failed;
	task_gil_acquire();
	if (rc) {
		task_message(res, "cannot encode %s", shown);
		rc = -ENOMEM;
		goto out;
	}
	res->stage_s[STAGE_ENCODE] = lap(&t);
	/* write: under the input's own name */
	task_io_begin();
	rc = write_file(s->out, name, &encoded);
	task_io_end();
	res->stage_s[STAGE_WRITE] = lap(&t);
	if (rc) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", s->out, name) >= sizeof(path))
			snprintf(path, sizeof(path), "%s", name);
		task_message(res, "cannot write %s: %s", path_show((char[120]){ 0 }, 120, path),
			     strerror(-rc));
		goto out;
	}
	task_message(res, "%s %dx%d -> %dx%d", shown, w, h, ow, oh);
out:
	free(file.data);
	stbi_image_free(pix);
	free(small);
	free(encoded.data);
	return rc;
}

static void images_finish(void *state)
{
	free_names(state);
}

const struct workload workload_images = {
	.name = "images",
	.summary = "the tutorial's photos: decode, Gaussian blur 15, thumbnail 1200, JPEG 75, write",
	.bound = BOUND_MIXED,
	.takes_images = 1,
	.prepare = images_prepare,
	.describe = images_describe,
	.run_task = images_run_task,
	.finish = images_finish,
	.run_begin = keep_freed_memory,
	.run_end = default_memory,
};
