/*
 * images_gen — the built-in image set: photo-like pictures made from
 * integers only, so every machine makes the same pixels (and, with the
 * same libstb, the same JPEG bytes).
 *
 * Each picture is a landscape: a sky with a vertical colour gradient and
 * soft clouds, a hilly horizon, a textured ground, a sun and a few
 * buildings with hard edges, and sensor grain on top.  The texture is
 * value noise over four octaves, interpolated bilinearly in fixed point
 * from small hashed lattices; a row is made from lattice rows blended
 * once per row, so a pixel costs a few multiplications per octave.
 */
#include "workloads/images/images.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stb_image_write.h>

#include "bench/api/child.h"
#include "bench/api/path.h"

#define OCTAVES 4
#define GEN_QUALITY 90

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static uint32_t hash3(uint32_t a, uint32_t b, uint32_t c)
{
	return hash32(a * 0x9e3779b1U ^ hash32(b * 0x85ebca77U ^ hash32(c)));
}

/* A lattice of noise values in [-256, 256) every @cell pixels. */
struct octave {
	int cell, gw, gh, amp;
	int16_t *grid;     /* [gh][gw] */
	int32_t *row;      /* [gw]: the lattice blended for the current y */
};

static int octave_init(struct octave *o, int w, int h, int cell, int amp, uint32_t seed)
{
	o->cell = cell < 1 ? 1 : cell;
	o->gw = w / o->cell + 2;
	o->gh = h / o->cell + 2;
	o->amp = amp;
	o->grid = malloc((size_t)o->gw * o->gh * sizeof(*o->grid));
	o->row = malloc((size_t)o->gw * sizeof(*o->row));
	if (!o->grid || !o->row)
		return -ENOMEM;
	for (int j = 0; j < o->gh; j++)
		for (int i = 0; i < o->gw; i++)
			o->grid[(size_t)j * o->gw + i] = (int16_t)((int)(hash3(seed, (uint32_t)i, (uint32_t)j) & 511) - 256);
	return 0;
}

static void octave_row(struct octave *o, int y)
{
	int j = y / o->cell, t = (y % o->cell) * 256 / o->cell;
	const int16_t *a = o->grid + (size_t)j * o->gw, *b = a + o->gw;

	for (int i = 0; i < o->gw; i++)
		o->row[i] = a[i] * (256 - t) + b[i] * t;   /* scale 2^16 */
}

/* Noise at x for the current row, in [-amp, amp]. */
static inline int octave_at(const struct octave *o, int x)
{
	int i = x / o->cell, t = (x % o->cell) * 256 / o->cell;
	int64_t v = (int64_t)o->row[i] * (256 - t) + (int64_t)o->row[i + 1] * t;   /* 2^24 */

	return (int)(v * o->amp >> 32);
}

static int clamp255(int v)
{
	return v < 0 ? 0 : v > 255 ? 255 : v;
}

static void mix(int out[3], const int a[3], const int b[3], int t, int tmax)
{
	for (int c = 0; c < 3; c++)
		out[c] = a[c] + (b[c] - a[c]) * t / (tmax ? tmax : 1);
}

void images_synth(unsigned char *pix, int w, int h, unsigned index)
{
	const uint32_t seed = hash32(index * 2654435761U + 12345U);
	struct octave oct[OCTAVES] = { { 0 } };
	int sky_top[3], sky_low[3], ground_near[3], ground_far[3], sun[3], bld[4][3];
	int horizon[OCTAVES];
	int sun_x, sun_y, sun_r, nbld, bx0[4], bx1[4], by[4];
	int16_t *hz = malloc((size_t)w * sizeof(*hz));
	int ok = hz != NULL;

	for (int c = 0; c < 3; c++) {
		uint32_t r = hash3(seed, 1, (uint32_t)c);

		sky_top[c] = 40 + (int)(r % 120);
		sky_low[c] = 150 + (int)((r >> 8) % 100);
		ground_far[c] = 60 + (int)((r >> 16) % 110);
		ground_near[c] = 20 + (int)((r >> 24) % 90);
		sun[c] = 220 + (int)(hash3(seed, 2, (uint32_t)c) % 36);
		for (int k = 0; k < 4; k++)
			bld[k][c] = 30 + (int)(hash3(seed, 3 + (uint32_t)k, (uint32_t)c) % 200);
	}
	for (int k = 0; k < OCTAVES; k++) {
		int cell = (w > h ? w : h) >> (3 + 2 * k);

		if (octave_init(&oct[k], w, h, cell, 64 >> k, seed + (uint32_t)k) < 0)
			ok = 0;
		horizon[k] = (h / 10) >> k;
	}
	if (!ok) {   /* out of memory: a plain gradient still makes a picture */
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int c = 0; c < 3; c++)
					pix[((size_t)y * w + x) * 3 + c] = (unsigned char)(y * 255 / (h > 1 ? h - 1 : 1));
		goto out_free;
	}
	/* the horizon: the noise's first row, hillier on the coarse octaves */
	for (int k = 0; k < OCTAVES; k++)
		octave_row(&oct[k], (int)(seed % (uint32_t)h));
	for (int x = 0; x < w; x++) {
		int v = h * 11 / 20;

		for (int k = 0; k < OCTAVES; k++)
			v += octave_at(&oct[k], x) * horizon[k] / (64 >> k);
		hz[x] = (int16_t)(v < 1 ? 1 : v >= h ? h - 1 : v);
	}
	sun_x = (int)(hash3(seed, 9, 0) % (uint32_t)w);
	sun_y = h / 8 + (int)(hash3(seed, 9, 1) % (uint32_t)(h / 4 + 1));
	sun_r = h / 14 + 1;
	nbld = 2 + (int)(seed % 3);
	for (int k = 0; k < nbld; k++) {
		int bw = w / 16 + (int)(hash3(seed, 10, (uint32_t)k) % (uint32_t)(w / 10 + 1));

		bx0[k] = (int)(hash3(seed, 11, (uint32_t)k) % (uint32_t)w);
		bx1[k] = bx0[k] + bw;
		by[k] = h * 3 / 10 + (int)(hash3(seed, 12, (uint32_t)k) % (uint32_t)(h / 4 + 1));
	}
	for (int y = 0; y < h; y++) {
		unsigned char *o = pix + (size_t)y * w * 3;

		for (int k = 0; k < OCTAVES; k++)
			octave_row(&oct[k], y);
		for (int x = 0; x < w; x++) {
			int n = 0, col[3], grain;
			uint32_t g = hash3(seed ^ 0xa5a5a5a5U, (uint32_t)x, (uint32_t)y);

			for (int k = 0; k < OCTAVES; k++)
				n += octave_at(&oct[k], x);
			if (y < hz[x]) {
				int dx = x - sun_x, dy = y - sun_y;

				mix(col, sky_top, sky_low, y, hz[x]);
				if (dx * dx + dy * dy < sun_r * sun_r) {
					col[0] = sun[0];
					col[1] = sun[1];
					col[2] = sun[2];
				} else if (n > 20) {   /* clouds */
					for (int c = 0; c < 3; c++)
						col[c] += (255 - col[c]) * (n - 20) / 128;
				}
			} else {
				mix(col, ground_far, ground_near, y - hz[x], h - hz[x]);
				for (int c = 0; c < 3; c++)
					col[c] = col[c] * (256 + 2 * n) / 256;
			}
			for (int k = 0; k < nbld; k++)
				if (x >= bx0[k] && x < bx1[k] && y >= by[k] && y < hz[x] + h / 20) {
					/* windows: a lighter grid on the facade */
					int win = ((x - bx0[k]) / (w / 200 + 2) % 3 == 1) &&
						  ((y - by[k]) / (h / 120 + 2) % 3 == 1);

					for (int c = 0; c < 3; c++)
						col[c] = win ? 230 - c * 20 : bld[k][c] + n / 4;
				}
			grain = (int)(g & 7) - 4 + (int)((g >> 3) & 3) - 1;
			for (int c = 0; c < 3; c++)
				o[(size_t)x * 3 + c] = (unsigned char)clamp255(col[c] + grain + (int)((g >> (8 + 4 * c)) & 3) - 1);
		}
	}
out_free:
	for (int k = 0; k < OCTAVES; k++) {
		free(oct[k].grid);
		free(oct[k].row);
	}
	free(hz);
}

void images_builtin_name(char *buf, size_t len, unsigned index)
{
	snprintf(buf, len, "photo-%02u.jpg", index + 1);
}

static void write_fd(void *ctx, void *data, int size)
{
	int *fd = ctx, rc;

	if (*fd < 0 || size <= 0)
		return;
	rc = fd_write_full(*fd, data, (size_t)size);
	if (rc) {
		close(*fd);
		*fd = -1 + rc;   /* remember the failure as -1 - errno */
	}
}

/* Make image @index as dir/name through a temporary file. */
static int generate_one(const char *dir, unsigned index, int w, int h)
{
	char name[64], path[4096], tmp[4096];
	unsigned char *pix = malloc((size_t)w * h * 3);
	int fd, rc = 0;

	if (!pix)
		return -ENOMEM;
	images_builtin_name(name, sizeof(name), index);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name);
	images_synth(pix, w, h, index);
	/* a fresh name (O_EXCL: no file or link already there is reused) */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out_free;
	}
	fchmod(fd, 0644);
	if (!stbi_write_jpg_to_func(write_fd, &fd, w, h, 3, pix, GEN_QUALITY))
		rc = -EIO;
	else if (fd < 0)
		rc = fd + 1;   /* write_fd() left -1 - errno: -errno */
	if (fd >= 0 && close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
out_free:
	free(pix);
	return rc;
}

static void progress(int quiet, const char *dir, unsigned done, unsigned total)
{
	int tty = isatty(STDERR_FILENO);

	if (quiet)
		return;
	/* a live line on a terminal; a log gets the first and the last */
	if (!tty && done != 0 && done != total)
		return;
	fprintf(stderr, "%sbench: making the built-in image set in %s: %u/%u%s", tty ? "\r" : "",
		dir, done, total, tty && done != total ? "" : "\n");
	fflush(stderr);
}

/* The image generator's workers: worker j makes missing[j], [j + jobs], ... */
struct gen_job {
	const char *dir;
	const unsigned *missing;
	unsigned nmissing, jobs, j;
	int w, h;
	int out, in;            /* the progress pipe: '.' made, 'x' failed */
};

static int gen_worker(void *arg)
{
	const struct gen_job *g = arg;

	close(g->in);
	for (unsigned k = g->j; k < g->nmissing; k += g->jobs) {
		char ok = generate_one(g->dir, g->missing[k], g->w, g->h) ? 'x' : '.';

		if (write(g->out, &ok, 1) != 1 || ok != '.')
			return 1;
	}
	return 0;
}

static void gen_reaped(const struct child_exit *e, void *arg)
{
	int *rc = arg;

	if (!WIFEXITED(e->wstatus) || WEXITSTATUS(e->wstatus))
		*rc = -EIO;
}

int images_generate(const char *dir, unsigned n, int w, int h, unsigned jobs, int quiet,
		    char *err, size_t errlen)
{
	unsigned missing[256], nmissing = 0, done = 0;
	struct child_set *set = NULL;
	struct gen_job gen;
	char name[64], path[4096];
	struct stat st;
	int pipefd[2], rc;

	if (n > 256 || w <= 0 || h <= 0)
		return -EINVAL;
	rc = path_mkdir_p(dir);
	if (rc) {
		snprintf(err, errlen, "cannot create image cache %s: %s", dir, strerror(-rc));
		return rc;
	}
	for (unsigned i = 0; i < n; i++) {
		images_builtin_name(name, sizeof(name), i);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (stat(path, &st) || !S_ISREG(st.st_mode) || st.st_size == 0)
			missing[nmissing++] = i;
	}
	if (!nmissing)
		return 0;
	if (jobs < 1)
		jobs = 1;
	if (jobs > nmissing)
		jobs = nmissing;
	progress(quiet, dir, 0, nmissing);
	fflush(NULL);
	if (jobs > 1 && !pipe2(pipefd, O_CLOEXEC)) {
		set = child_set_new(jobs);
		if (!set) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
	}
	if (!set) {
		for (unsigned k = 0; k < nmissing; k++) {
			rc = generate_one(dir, missing[k], w, h);
			if (rc)
				goto fail;
			progress(quiet, dir, k + 1, nmissing);
		}
		return 0;
	}
	/* preparation, not measurement: make them in parallel */
	gen = (struct gen_job){ .dir = dir, .missing = missing, .nmissing = nmissing,
				.jobs = jobs, .w = w, .h = h, .out = pipefd[1], .in = pipefd[0] };
	for (gen.j = 0; gen.j < jobs; gen.j++)
		if (child_spawn(set, gen_worker, &gen, gen.j) < 0)
			break;
	close(pipefd[1]);
	rc = 0;
	for (;;) {
		char c;
		ssize_t r = read(pipefd[0], &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (c == '.')
			progress(quiet, dir, ++done, nmissing);
		else
			rc = -EIO;
	}
	close(pipefd[0]);
	if (child_reap_all(set, gen_reaped, &rc) < 0)
		rc = -EIO;
	child_set_free(set);
	if (!rc && done < nmissing)
		rc = -EIO;
	if (!rc)
		return 0;
fail:
	if (!quiet)
		fputc('\n', stderr);
	snprintf(err, errlen, "cannot make the built-in images in %s: %s", dir, strerror(-rc));
	return rc;
}
