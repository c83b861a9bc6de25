/*
 * images_resize — Pillow's thumbnail(): its geometry and its filter.
 *
 * Geometry: Image.thumbnail((W, H)) keeps the image if it already fits,
 * else scales the long side to the box and rounds the other side to the
 * integer (floor or ceil) whose aspect ratio is closest to the original,
 * floor on a tie, at least 1.
 *
 * Filter, as Pillow 9 does it with reducing_gap = 2: first an integer box
 * reduction by floor(scale / 2) in each direction (Image.reduce, a cheap
 * average of whole blocks, the partial last block averaging what it has),
 * then an antialiased bicubic (a = -0.5) whose support is widened by the
 * remaining scale, columns first, each output row finished at once so no
 * intermediate image is kept.
 */
#include "workloads/images/images.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/api/workload.h"

void images_fit(int w, int h, int box_w, int box_h, int *out_w, int *out_h)
{
	double aspect, x, lo, hi;

	*out_w = w;
	*out_h = h;
	if (box_w >= w && box_h >= h)
		return;
	aspect = (double)w / h;
	if ((double)box_w / box_h >= aspect) {
		/* the height hits the box: choose the width */
		x = box_h * aspect;
		lo = floor(x);
		hi = ceil(x);
		*out_h = box_h;
		*out_w = fabs(aspect - hi / box_h) < fabs(aspect - lo / box_h) ? (int)hi : (int)lo;
	} else {
		x = box_w / aspect;
		lo = floor(x);
		hi = ceil(x);
		*out_w = box_w;
		/* Pillow's key gives 0 for a 0 height, so 0 wins and becomes 1 */
		if (lo == 0)
			*out_h = 0;
		else
			*out_h = fabs(aspect - box_w / hi) < fabs(aspect - box_w / lo) ? (int)hi : (int)lo;
	}
	if (*out_w < 1)
		*out_w = 1;
	if (*out_h < 1)
		*out_h = 1;
}

static double bicubic(double x)
{
	const double a = -0.5;

	x = fabs(x);
	if (x < 1.0)
		return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
	if (x < 2.0)
		return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
	return 0.0;
}

/* Four floats, one pixel's channels (and one spare lane); the _u one unaligned. */
typedef float v4sf __attribute__((vector_size(16)));
typedef float v4sf_u __attribute__((vector_size(16), aligned(4), may_alias));

struct coeffs {
	int taps;       /* weights per output sample, the same for every sample */
	int *first;     /* [n] first input index, first + taps <= in_size, nondecreasing */
	float *weight;  /* [n][taps], zero outside the filter's support */
};

/*
 * Weights to resample @in_size samples, of which [0, @extent) is the source
 * box, to @out_size: output i is centred at (i + 0.5) * scale and reads the
 * inputs within support * max(scale, 1), weights normalised to sum 1.  Every
 * output gets the same number of taps (zero-padded), so that the loops that
 * apply them have one trip count and no branch.
 */
static int coeffs_make(struct coeffs *c, int in_size, double extent, int out_size)
{
	const double scale = extent / out_size, fscale = scale > 1.0 ? scale : 1.0;
	const double support = 2.0 * fscale;

	/* the widest window any output has (the bound 2 ceil(support) + 1 is loose) */
	c->taps = 1;
	for (int i = 0; i < out_size; i++) {
		double center = (i + 0.5) * scale;
		int lo = (int)floor(center - support + 0.5), hi = (int)floor(center + support + 0.5);

		lo = lo < 0 ? 0 : lo;
		hi = hi > in_size ? in_size : hi;
		c->taps = hi - lo > c->taps ? hi - lo : c->taps;
	}
	c->first = malloc((size_t)out_size * sizeof(int));
	c->weight = calloc((size_t)out_size * c->taps, sizeof(float));
	if (!c->first || !c->weight) {
		free(c->first);
		free(c->weight);
		return -ENOMEM;
	}
	for (int i = 0; i < out_size; i++) {
		double center = (i + 0.5) * scale, sum = 0.0;
		int lo = (int)floor(center - support + 0.5), hi = (int)floor(center + support + 0.5);
		float *wt = c->weight + (size_t)i * c->taps;
		int first;

		lo = lo < 0 ? 0 : lo;
		hi = hi > in_size ? in_size : hi;
		first = lo + c->taps > in_size ? in_size - c->taps : lo;
		for (int x = lo; x < hi; x++)
			sum += bicubic((x + 0.5 - center) / fscale);
		for (int x = lo; x < hi && sum != 0.0; x++)
			wt[x - first] = (float)(bicubic((x + 0.5 - center) / fscale) / sum);
		c->first[i] = first;
	}
	return 0;
}

static void coeffs_free(struct coeffs *c)
{
	free(c->first);
	free(c->weight);
}

static inline unsigned char clamp_u8(float v)
{
	v += 0.5f;
	return (unsigned char)(v <= 0.0f ? 0 : v >= 255.0f ? 255 : (int)v);
}

/*
 * Row @k of the box-reduced image (Image.reduce((fx, fy))), as floats:
 * the average of an fx x fy block, a partial block at the right or bottom
 * edge averaging what it has.  The rows are summed in 16 bits (fx, fy <= 16)
 * and converted once into @sum (w * ch floats and one spare); RGB blocks
 * are then summed a pixel per vector, each store's fourth lane overwritten
 * by the next pixel (@dst has a spare float at its end).
 */
static void box_row(const unsigned char *in, int w, int h, int ch, int fx, int fy, int k,
		    uint16_t *restrict acc, float *restrict sum, float *restrict dst)
{
	const size_t stride = (size_t)w * ch;
	const int y0 = k * fy, n = h - y0 < fy ? h - y0 : fy, full = w / fx;
	const unsigned char *src = in + (size_t)y0 * stride;
	float inv = 1.0f / (float)(fx * n);

	if (fx == 1 && n == 1) {
		for (size_t i = 0; i < stride; i++)
			dst[i] = src[i];
		return;
	}
	if (n == 1) {
		for (size_t i = 0; i < stride; i++)
			sum[i] = src[i];
	} else {
		for (size_t i = 0; i < stride; i++)
			acc[i] = src[i];
		for (int r = 1; r < n - 1; r++) {
			src += stride;
			for (size_t i = 0; i < stride; i++)
				acc[i] += src[i];
		}
		src += stride;
		for (size_t i = 0; i < stride; i++)
			sum[i] = (uint16_t)(acc[i] + src[i]);
	}
	if (ch == 3) {
		for (int i = 0; i < full; i++) {
			const float *a = sum + (size_t)i * fx * 3;
			v4sf s = *(const v4sf_u *)a;

			for (int j = 1; j < fx; j++)
				s += *(const v4sf_u *)(a + 3 * j);
			*(v4sf_u *)(dst + (size_t)i * 3) = s * inv;
		}
	} else {
		for (int i = 0; i < full; i++) {
			float s = 0.0f;

			for (int j = 0; j < fx; j++)
				s += sum[(size_t)i * fx + j];
			dst[i] = s * inv;
		}
	}
	if (full * fx < w) {   /* the partial last block */
		const int m = w - full * fx;

		inv = 1.0f / (float)(m * n);
		for (int c = 0; c < ch; c++) {
			float s = 0.0f;

			for (int j = 0; j < m; j++)
				s += sum[(size_t)(full * fx + j) * ch + c];
			dst[(size_t)full * ch + c] = s * inv;
		}
	}
}

/*
 * Columns: @line = the weighted sum of the @taps rows @rows[0..taps), each
 * @n floats padded to a multiple of 4 and 16-byte aligned; four rows per
 * pass over @line, written with vectors so that the compiler cannot choose
 * a scalar loop.
 */
static void vpass(float *restrict line, const float *const *rows, const float *wt, int taps,
		  size_t n)
{
	const size_t nv = (n + 3) / 4;
	v4sf *restrict l = (v4sf *)line;
	int k;

	for (size_t i = 0; i < nv; i++)
		l[i] = wt[0] * ((const v4sf *)rows[0])[i];
	for (k = 1; k + 4 <= taps; k += 4) {
		const v4sf *restrict a = (const v4sf *)rows[k], *restrict b = (const v4sf *)rows[k + 1];
		const v4sf *restrict c = (const v4sf *)rows[k + 2], *restrict d = (const v4sf *)rows[k + 3];
		const float ta = wt[k], tb = wt[k + 1], tc = wt[k + 2], td = wt[k + 3];

		for (size_t i = 0; i < nv; i++)
			l[i] += (ta * a[i] + tb * b[i]) + (tc * c[i] + td * d[i]);
	}
	for (; k < taps; k++) {
		const v4sf *restrict a = (const v4sf *)rows[k];
		const float ta = wt[k];

		for (size_t i = 0; i < nv; i++)
			l[i] += ta * a[i];
	}
}

/*
 * Rows, RGB: each output pixel the weighted sum of @c->taps pixels of
 * @line, all three channels in one vector (line has a spare float at its
 * end for the fourth lane of the last pixel), four accumulators.  @wv: the
 * weights, each already in all four lanes of a vector.
 */
static void hpass3(const float *line, const struct coeffs *c, const v4sf *wv, int out_w,
		   unsigned char *o)
{
	const int taps = c->taps;

	for (int i = 0; i < out_w; i++) {
		const float *s = line + (size_t)c->first[i] * 3;
		const v4sf *wt = wv + (size_t)i * taps;
		v4sf a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
		int k = 0;

		for (; k + 4 <= taps; k += 4) {
			a0 += wt[k] * *(const v4sf_u *)(s + 3 * k);
			a1 += wt[k + 1] * *(const v4sf_u *)(s + 3 * k + 3);
			a2 += wt[k + 2] * *(const v4sf_u *)(s + 3 * k + 6);
			a3 += wt[k + 3] * *(const v4sf_u *)(s + 3 * k + 9);
		}
		for (; k < taps; k++)
			a0 += wt[k] * *(const v4sf_u *)(s + 3 * k);
		a0 += a1 + a2 + a3;
		o[3 * i] = clamp_u8(a0[0]);
		o[3 * i + 1] = clamp_u8(a0[1]);
		o[3 * i + 2] = clamp_u8(a0[2]);
	}
}

/* Rows, gray: the same, four accumulators. */
static void hpass1(const float *line, const struct coeffs *c, int out_w, unsigned char *o)
{
	const int taps = c->taps;

	for (int i = 0; i < out_w; i++) {
		const float *s = line + c->first[i], *wt = c->weight + (size_t)i * taps;
		float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
		int k = 0;

		for (; k + 4 <= taps; k += 4) {
			a0 += wt[k] * s[k];
			a1 += wt[k + 1] * s[k + 1];
			a2 += wt[k + 2] * s[k + 2];
			a3 += wt[k + 3] * s[k + 3];
		}
		for (; k < taps; k++)
			a0 += wt[k] * s[k];
		o[i] = clamp_u8(a0 + a1 + a2 + a3);
	}
}

/*
 * The pipeline, one output row at a time: box-reduced rows are made as the
 * column filter first needs them, into a ring of cy.taps rows (each made
 * once), the column filter sums them into one row, the row filter makes
 * the output row from it.  Scratch: (cy.taps + 1) reduced rows of floats
 * and one input row of 16-bit sums, whatever the image's height.
 */
int images_resize(unsigned char *in, int w, int h, int ch, unsigned char *out,
		  int out_w, int out_h)
{
	struct coeffs cx, cy;
	const float *rows[64];
	int rw, rh, fx, fy, rc, next = 0;
	size_t n, rs, nw;
	float *ring, *line, *sum;
	v4sf *wv;
	uint16_t *acc;

	if (w <= 0 || h <= 0 || out_w <= 0 || out_h <= 0 || out_w > w || out_h > h ||
	    (ch != 1 && ch != 3))
		return -EINVAL;
	if (out_w == w && out_h == h) {
		memcpy(out, in, (size_t)w * h * ch);
		return 0;
	}
	fx = w / out_w / 2;
	fy = h / out_h / 2;
	fx = fx < 1 ? 1 : fx > 16 ? 16 : fx;   /* box_row sums in 16 bits */
	fy = fy < 1 ? 1 : fy > 16 ? 16 : fy;
	rw = (w + fx - 1) / fx;
	rh = (h + fy - 1) / fy;
	/* the source box in reduced pixels: the whole image, scaled */
	rc = coeffs_make(&cx, rw, (double)w / fx, out_w);
	if (rc)
		return rc;
	rc = coeffs_make(&cy, rh, (double)h / fy, out_h);
	if (rc)
		goto out_free_cx;
	if (cy.taps > (int)(sizeof(rows) / sizeof(rows[0]))) {
		rc = -EINVAL;   /* out of reach: fy <= 16 keeps the scale under 33 */
		goto out_free_cy;
	}
	n = (size_t)rw * ch;
	rs = (n + 4) & ~(size_t)3;   /* ring rows: a spare float, 16-byte aligned */
	/* zeroed: the padding lanes are computed with, then dropped */
	nw = ch == 3 ? (size_t)out_w * cx.taps : 0;
	ring = calloc((rs * (cy.taps + 1) + (size_t)w * ch + 4 + 4 * nw) * sizeof(float) +
		      (size_t)w * ch * sizeof(*acc), 1);
	if (!ring) {
		rc = -ENOMEM;
		goto out_free_cy;
	}
	line = ring + rs * cy.taps;
	sum = line + rs;
	wv = (v4sf *)(sum + (((size_t)w * ch + 4) & ~(size_t)3));
	acc = (uint16_t *)(wv + nw);
	for (size_t i = 0; i < nw; i++)
		wv[i] = (v4sf){ 0 } + cx.weight[i];
	for (int j = 0; j < out_h; j++) {
		const int f0 = cy.first[j];
		unsigned char *o = out + (size_t)j * out_w * ch;

		for (; next < f0 + cy.taps; next++)
			box_row(in, w, h, ch, fx, fy, next, acc, sum,
				ring + (size_t)(next % cy.taps) * rs);
		for (int k = 0; k < cy.taps; k++)
			rows[k] = ring + (size_t)((f0 + k) % cy.taps) * rs;
		vpass(line, rows, cy.weight + (size_t)j * cy.taps, cy.taps, n);
		if (ch == 3)
			hpass3(line, &cx, wv, out_w, o);
		else
			hpass1(line, &cx, out_w, o);
		task_checkpoint();
	}
	free(ring);
out_free_cy:
	coeffs_free(&cy);
out_free_cx:
	coeffs_free(&cx);
	return rc;
}
