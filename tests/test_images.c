/* images: blur accuracy, thumbnail geometry, resize, gray/alpha/corrupt inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stb_image.h>
#include <stb_image_write.h>

#include "bench/core/config.h"
#include "bench/api/workload.h"
#include "workloads/images/images.h"

extern const struct workload workload_images;

/* Exact separable Gaussian, kernel to +-3 sigma, clamped edges, in double. */
static void blur_reference(const unsigned char *in, unsigned char *out, int w, int h, int ch,
			   double sigma)
{
	int r = (int)ceil(3 * sigma);
	double *k = malloc((2 * (size_t)r + 1) * sizeof(*k)), sum = 0;
	double *t = malloc((size_t)w * h * ch * sizeof(*t));

	assert_non_null(k);
	assert_non_null(t);
	for (int i = -r; i <= r; i++)
		sum += k[i + r] = exp(-i * i / (2 * sigma * sigma));
	for (int i = 0; i <= 2 * r; i++)
		k[i] /= sum;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < ch; c++) {
				double a = 0;

				for (int j = -r; j <= r; j++) {
					int p = x + j < 0 ? 0 : x + j >= w ? w - 1 : x + j;

					a += k[j + r] * in[((size_t)y * w + p) * ch + c];
				}
				t[((size_t)y * w + x) * ch + c] = a;
			}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < ch; c++) {
				double a = 0;

				for (int j = -r; j <= r; j++) {
					int p = y + j < 0 ? 0 : y + j >= h ? h - 1 : y + j;

					a += k[j + r] * t[((size_t)p * w + x) * ch + c];
				}
				out[((size_t)y * w + x) * ch + c] = (unsigned char)(a + 0.5);
			}
	free(t);
	free(k);
}

static int pattern(int pat, int x, int y, int c, unsigned *seed)
{
	switch (pat) {
	case 0:   /* checkerboard of 40-pixel squares: the worst case for a blur */
		return ((x / 40 + y / 40) & 1) * 255;
	case 1:   /* white noise */
		*seed = *seed * 1103515245u + 12345u;
		return (int)(*seed >> 16) & 255;
	case 2:   /* thin stripes, different per channel */
		return ((x / 3 + y / 5 + c) & 1) * 255;
	case 3:   /* a bright corner: steps in both directions at once */
		return x > 130 && y > 90 ? 255 : 0;
	default:  /* a one-pixel frame: the edges are what clamping is about */
		return x == 0 || y == 0 ? 255 : 40;
	}
}

static void check_blur(int ch)
{
	const int w = 260, h = 180;
	const size_t n = (size_t)w * h * ch;
	unsigned char *a = malloc(n), *ref = malloc(n);
	unsigned seed = 1;

	assert_non_null(a);
	assert_non_null(ref);
	for (int pat = 0; pat < 5; pat++) {
		double se = 0, psnr;
		int maxd = 0;

		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int c = 0; c < ch; c++)
					a[((size_t)y * w + x) * ch + c] = (unsigned char)pattern(pat, x, y, c, &seed);
		blur_reference(a, ref, w, h, ch, IMAGES_BLUR_SIGMA);
		assert_int_equal(images_blur(a, w, h, ch, IMAGES_BLUR_SIGMA), 0);
		for (size_t i = 0; i < n; i++) {
			int d = abs(a[i] - ref[i]);

			maxd = d > maxd ? d : maxd;
			se += (double)d * d;
		}
		psnr = se ? 10 * log10(255.0 * 255.0 / (se / n)) : 99;
		print_message("blur ch=%d pattern %d: max |diff| %d, PSNR %.1f dB\n", ch, pat, maxd, psnr);
		assert_true(maxd <= 3);
		assert_true(psnr >= 45.0);
	}
	free(a);
	free(ref);
}

static void test_blur_rgb(void **state)
{
	check_blur(3);
}

static void test_blur_gray(void **state)
{
	check_blur(1);
}

static void test_blur_tiny(void **state)
{
	unsigned char one[3] = { 10, 200, 30 }, row[7 * 3];

	assert_int_equal(images_blur(one, 1, 1, 3, IMAGES_BLUR_SIGMA), 0);
	assert_int_equal(one[0], 10);
	assert_int_equal(one[1], 200);
	assert_int_equal(one[2], 30);
	memset(row, 77, sizeof(row));
	assert_int_equal(images_blur(row, 7, 3, 1, IMAGES_BLUR_SIGMA), 0);
	for (size_t i = 0; i < 21; i++)
		assert_int_equal(row[i], 77);   /* a flat image stays flat */
}

static void test_fit(void **state)
{
	static const int cases[][4] = {
		{ 5120, 2880, 1200, 675 }, { 2560, 1600, 1200, 750 }, { 5184, 3456, 1200, 800 },
		{ 3456, 5184, 800, 1200 }, { 4000, 4000, 1200, 1200 }, { 1, 1, 1, 1 },
		{ 7, 3, 7, 3 }, { 1200, 1200, 1200, 1200 }, { 1200, 800, 1200, 800 },
		{ 5000, 1, 1200, 1 }, { 1, 5000, 1, 1200 }, { 1201, 1000, 1200, 999 },
		{ 3000, 2001, 1200, 800 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ow, oh;

		images_fit(cases[i][0], cases[i][1], IMAGES_FIT, IMAGES_FIT, &ow, &oh);
		print_message("%dx%d -> %dx%d\n", cases[i][0], cases[i][1], ow, oh);
		assert_int_equal(ow, cases[i][2]);
		assert_int_equal(oh, cases[i][3]);
	}
}

static void test_resize_flat_and_identity(void **state)
{
	const int w = 2600, h = 1730;
	unsigned char *in = malloc((size_t)w * h * 3), *out = malloc(1200 * 800 * 3);
	unsigned char small[7 * 3], copy[7 * 3];
	int ow, oh;

	assert_non_null(in);
	assert_non_null(out);
	memset(in, 123, (size_t)w * h * 3);
	images_fit(w, h, IMAGES_FIT, IMAGES_FIT, &ow, &oh);
	assert_int_equal(images_resize(in, w, h, 3, out, ow, oh), 0);
	for (size_t i = 0; i < (size_t)ow * oh * 3; i++)
		assert_int_equal(out[i], 123);
	for (int i = 0; i < 21; i++)
		small[i] = (unsigned char)(i * 12);
	assert_int_equal(images_resize(small, 7, 3, 1, copy, 7, 3), 0);
	assert_memory_equal(small, copy, 21);
	assert_int_not_equal(images_resize(small, 7, 3, 1, copy, 8, 3), 0);   /* never enlarge */
	free(in);
	free(out);
}

static double ref_bicubic(double x)
{
	x = fabs(x);
	if (x < 1.0)
		return (1.5 * x - 2.5) * x * x + 1.0;
	if (x < 2.0)
		return ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0;
	return 0.0;
}

/* One direction of Pillow's antialiased bicubic, in double: @n inputs -> @m. */
static void ref_resample(const double *in, double *out, int n, double extent, int m,
			 size_t step, size_t count, size_t istride, size_t ostride)
{
	double scale = extent / m, fs = scale > 1 ? scale : 1, support = 2 * fs;

	for (int i = 0; i < m; i++) {
		double c = (i + 0.5) * scale, sum = 0;
		int lo = (int)floor(c - support + 0.5), hi = (int)floor(c + support + 0.5);

		lo = lo < 0 ? 0 : lo;
		hi = hi > n ? n : hi;
		for (int x = lo; x < hi; x++)
			sum += ref_bicubic((x + 0.5 - c) / fs);
		for (size_t k = 0; k < count; k++) {
			double a = 0;

			for (int x = lo; x < hi; x++)
				a += ref_bicubic((x + 0.5 - c) / fs) / sum * in[x * istride + k * step];
			out[i * ostride + k * step] = a;
		}
	}
}

/* Pillow's thumbnail filter in double: box reduce (partial blocks), then bicubic. */
static void resize_reference(const unsigned char *in, int w, int h, int ch, unsigned char *out,
			     int ow, int oh)
{
	int fx = w / ow / 2, fy = h / oh / 2, rw, rh;
	double *r, *t, *o;

	fx = fx < 1 ? 1 : fx > 16 ? 16 : fx;
	fy = fy < 1 ? 1 : fy > 16 ? 16 : fy;
	rw = (w + fx - 1) / fx;
	rh = (h + fy - 1) / fy;
	r = calloc((size_t)rw * rh * ch, sizeof(*r));
	t = calloc((size_t)rw * oh * ch, sizeof(*t));
	o = calloc((size_t)ow * oh * ch, sizeof(*o));
	assert_true(r && t && o);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < ch; c++) {
				int bx = x / fx, by = y / fy;
				int nx = w - bx * fx < fx ? w - bx * fx : fx;
				int ny = h - by * fy < fy ? h - by * fy : fy;

				r[((size_t)by * rw + bx) * ch + c] +=
					in[((size_t)y * w + x) * ch + c] / (double)(nx * ny);
			}
	/* columns: rw * ch independent signals of rh samples */
	ref_resample(r, t, rh, (double)h / fy, oh, 1, (size_t)rw * ch, (size_t)rw * ch,
		     (size_t)rw * ch);
	for (int y = 0; y < oh; y++)
		ref_resample(t + (size_t)y * rw * ch, o + (size_t)y * ow * ch, rw, (double)w / fx,
			     ow, 1, (size_t)ch, (size_t)ch, (size_t)ch);
	for (size_t i = 0; i < (size_t)ow * oh * ch; i++)
		out[i] = (unsigned char)(o[i] < 0 ? 0 : o[i] > 255 ? 255 : o[i] + 0.5);
	free(r);
	free(t);
	free(o);
}

/* Against the reference: sizes with partial blocks, both reductions, gray and RGB. */
static void test_resize_accuracy(void **state)
{
	static const int sizes[][4] = {
		{ 2601, 1733, 1200, 800 }, { 1300, 977, 1200, 902 }, { 4803, 61, 1200, 15 },
		{ 61, 4803, 15, 1200 }, { 7205, 40, 1200, 6 }, { 37, 3001, 15, 1200 },
	};

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (int ch = 1; ch <= 3; ch += 2) {
			const int w = sizes[s][0], h = sizes[s][1], ow = sizes[s][2], oh = sizes[s][3];
			unsigned char *in = malloc((size_t)w * h * ch), *a = malloc((size_t)ow * oh * ch);
			unsigned char *ref = malloc((size_t)ow * oh * ch);
			unsigned seed = 7;
			int maxd = 0;

			assert_true(in && a && ref);
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					for (int c = 0; c < ch; c++)
						in[((size_t)y * w + x) * ch + c] = (unsigned char)
							(x % 97 < 40 ? pattern(1, x, y, c, &seed) :
							 pattern(c, x, y, c, &seed));
			resize_reference(in, w, h, ch, ref, ow, oh);
			assert_int_equal(images_resize(in, w, h, ch, a, ow, oh), 0);
			for (size_t i = 0; i < (size_t)ow * oh * ch; i++) {
				int d = abs(a[i] - ref[i]);

				maxd = d > maxd ? d : maxd;
			}
			print_message("resize %dx%d -> %dx%d ch=%d: max |diff| %d\n", w, h, ow, oh,
				      ch, maxd);
			assert_true(maxd <= 1);
			free(in);
			free(a);
			free(ref);
		}
}

/* ------------------------------------------------------------ whole tasks */

static char dir[256], outdir[300];

static int make_dirs(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/bench-test-images-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(outdir, sizeof(outdir), "%s/out", dir);
	return 0;
}

static int remove_dirs(void **state)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static void write_png(const char *name, int w, int h, int comp, const unsigned char *pix)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_true(stbi_write_png(path, w, h, comp, pix, w * comp));
}

static void write_bytes(const char *name, const void *data, size_t len)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void test_tasks(void **state)
{
	enum { W = 64, H = 40 };
	static unsigned char gray[W * H], rgba[W * H * 4];
	struct config cfg = { 0 };
	char err[512] = "", path[400];
	void *st = NULL;
	size_t n = 0;
	int saw_bad = 0;

	for (int i = 0; i < W * H; i++) {
		gray[i] = (unsigned char)(i * 7);
		rgba[i * 4] = 0;
		rgba[i * 4 + 1] = 0;
		rgba[i * 4 + 2] = 0;
		rgba[i * 4 + 3] = 0;   /* fully transparent black: white once composited */
	}
	write_png("a gray.png", W, H, 1, gray);
	write_png("b-alpha.png", W, H, 4, rgba);
	write_bytes("c-corrupt.jpg", "\xff\xd8\xff\xe0 not really a jpeg",
		    sizeof("\xff\xd8\xff\xe0 not really a jpeg") - 1);
	write_bytes("notes.txt", "ignored", 7);
	cfg.images = dir;
	cfg.out = outdir;
	cfg.results = dir;
	cfg.quiet = 1;
	assert_int_equal(workload_images.prepare(&cfg, &st, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		struct task_result res = { 0 };
		int rc = workload_images.run_task(st, i, &res);

		print_message("task %zu: rc %d: %s\n", i, rc, res.message);
		if (strstr(res.message, "c-corrupt.jpg")) {
			assert_int_not_equal(rc, 0);
			assert_non_null(strstr(res.message, "cannot decode"));
			saw_bad = 1;
		} else {
			assert_int_equal(rc, 0);
			assert_true(res.stage_s[STAGE_BLUR] > 0);
		}
	}
	assert_true(saw_bad);
	workload_images.finish(st);

	/* gray stays gray (stb_image_write stores it as YCbCr with flat chroma) */
	int w, h, comp;
	unsigned char *pix;

	snprintf(path, sizeof(path), "%s/a gray.png", outdir);
	pix = stbi_load(path, &w, &h, &comp, 3);
	assert_non_null(pix);
	assert_int_equal(w, W);
	assert_int_equal(h, H);
	for (int i = 0; i < w * h; i++) {
		assert_true(abs(pix[i * 3] - pix[i * 3 + 1]) <= 2);
		assert_true(abs(pix[i * 3] - pix[i * 3 + 2]) <= 2);
	}
	stbi_image_free(pix);
	/* alpha composited onto white */
	snprintf(path, sizeof(path), "%s/b-alpha.png", outdir);
	pix = stbi_load(path, &w, &h, &comp, 0);
	assert_non_null(pix);
	assert_int_equal(comp, 3);
	for (int i = 0; i < w * h * 3; i++)
		assert_true(pix[i] >= 250);
	stbi_image_free(pix);
}

static void test_prepare_errors(void **state)
{
	struct config cfg = { 0 };
	char err[512] = "", empty[400];
	void *st = NULL;
	size_t n = 0;

	cfg.quiet = 1;
	cfg.images = "/nonexistent/bench-images";
	cfg.out = outdir;
	assert_int_equal(workload_images.prepare(&cfg, &st, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "/nonexistent/bench-images"));
	snprintf(empty, sizeof(empty), "%s/empty", dir);
	assert_int_equal(mkdir(empty, 0755), 0);
	cfg.images = empty;
	assert_int_equal(workload_images.prepare(&cfg, &st, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no .jpg"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blur_rgb),
		cmocka_unit_test(test_blur_gray),
		cmocka_unit_test(test_blur_tiny),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_resize_flat_and_identity),
		cmocka_unit_test(test_resize_accuracy),
		cmocka_unit_test(test_tasks),
		cmocka_unit_test(test_prepare_errors),
	};

	return cmocka_run_group_tests_name("images", tests, make_dirs, remove_dirs);
}
