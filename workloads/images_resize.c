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
#include "workloads/images.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/workload.h"

#pragma GCC optimize("O3")   /* see images_blur.c */

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

/*
 * Average fx x fy blocks of @pix in place; *w, *h become the reduced size.
 * Rows are summed in 16 bits (fx * fy <= 257), vectorised.
 */
static int box_reduce(unsigned char *pix, int *w, int *h, int ch, int fx, int fy)
{
	const int rw = (*w + fx - 1) / fx, rh = (*h + fy - 1) / fy, full = *w / fx;
	const size_t stride = (size_t)*w * ch;
	uint16_t *acc = malloc(stride * sizeof(*acc));

	if (!acc)
		return -ENOMEM;
	for (int j = 0; j < rh; j++) {
		int y0 = j * fy, n = *h - y0 < fy ? *h - y0 : fy;
		const float inv = 1.0f / (float)(fx * n);
		unsigned char *row;

		memset(acc, 0, stride * sizeof(*acc));
		for (int k = 0; k < n; k++) {
			const unsigned char *src = pix + (size_t)(y0 + k) * stride;

			for (size_t i = 0; i < stride; i++)
				acc[i] += src[i];
		}
		/* output row j lies at or before input row j * fy: safe in place */
		row = pix + (size_t)j * rw * ch;
		for (int i = 0; i < full; i++) {
			const uint16_t *a = acc + (size_t)i * fx * ch;

			for (int c = 0; c < ch; c++) {
				unsigned s = 0;

				for (int k = 0; k < fx; k++)
					s += a[k * ch + c];
				row[(size_t)i * ch + c] = (unsigned char)((float)s * inv + 0.5f);
			}
		}
		if (full < rw) {   /* the partial last block averages what it has */
			int x0 = full * fx, m = *w - x0;

			for (int c = 0; c < ch; c++) {
				unsigned s = 0;

				for (int k = 0; k < m; k++)
					s += acc[(size_t)(x0 + k) * ch + c];
				row[(size_t)full * ch + c] = (unsigned char)((s + (unsigned)(m * n) / 2) /
									     (unsigned)(m * n));
			}
		}
		task_checkpoint();
	}
	free(acc);
	*w = rw;
	*h = rh;
	return 0;
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

struct coeffs {
	int taps;       /* weights per output sample (the widest) */
	int *first;     /* [n] first input index */
	int *count;     /* [n] weights used */
	float *weight;  /* [n][taps] */
};

/*
 * Weights to resample @in_size samples, of which [0, @extent) is the source
 * box, to @out_size: output i is centred at (i + 0.5) * scale and reads the
 * inputs within support * max(scale, 1), weights normalised to sum 1.
 */
static int coeffs_make(struct coeffs *c, int in_size, double extent, int out_size)
{
	const double scale = extent / out_size, fscale = scale > 1.0 ? scale : 1.0;
	const double support = 2.0 * fscale;

	c->taps = (int)ceil(support) * 2 + 1;
	c->first = malloc((size_t)out_size * sizeof(int) * 2);
	c->weight = malloc((size_t)out_size * c->taps * sizeof(float));
	if (!c->first || !c->weight) {
		free(c->first);
		free(c->weight);
		return -ENOMEM;
	}
	c->count = c->first + out_size;
	for (int i = 0; i < out_size; i++) {
		double center = (i + 0.5) * scale, sum = 0.0;
		int lo = (int)floor(center - support + 0.5), hi = (int)floor(center + support + 0.5);
		float *wt = c->weight + (size_t)i * c->taps;

		if (lo < 0)
			lo = 0;
		if (hi > in_size)
			hi = in_size;
		if (hi - lo > c->taps)
			hi = lo + c->taps;
		for (int x = lo; x < hi; x++) {
			double v = bicubic((x + 0.5 - center) / fscale);

			wt[x - lo] = (float)v;
			sum += v;
		}
		for (int x = lo; x < hi; x++)
			wt[x - lo] = sum != 0.0 ? (float)(wt[x - lo] / sum) : 0.0f;
		c->first[i] = lo;
		c->count[i] = hi - lo;
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

int images_resize(unsigned char *in, int w, int h, int ch, unsigned char *out,
		  int out_w, int out_h)
{
	struct coeffs cx, cy;
	int rw = w, rh = h, fx, fy, rc;
	double ex, ey;
	float *line;

	if (w <= 0 || h <= 0 || out_w <= 0 || out_h <= 0 || out_w > w || out_h > h ||
	    (ch != 1 && ch != 3))
		return -EINVAL;
	if (out_w == w && out_h == h) {
		memcpy(out, in, (size_t)w * h * ch);
		return 0;
	}
	fx = w / out_w / 2;
	fy = h / out_h / 2;
	fx = fx < 1 ? 1 : fx > 16 ? 16 : fx;   /* box_reduce sums in 16 bits */
	fy = fy < 1 ? 1 : fy > 16 ? 16 : fy;
	if (fx > 1 || fy > 1) {
		rc = box_reduce(in, &rw, &rh, ch, fx, fy);
		if (rc)
			return rc;
	}
	/* the source box in reduced pixels: the whole image, scaled */
	ex = rw == w ? w : (double)w / fx;
	ey = rh == h ? h : (double)h / fy;
	rc = coeffs_make(&cx, rw, ex, out_w);
	if (rc)
		return rc;
	rc = coeffs_make(&cy, rh, ey, out_h);
	if (rc)
		goto out_free_cx;
	line = malloc((size_t)rw * ch * sizeof(*line));
	if (!line) {
		rc = -ENOMEM;
		goto out_free_cy;
	}
	for (int j = 0; j < out_h; j++) {
		const float *wy = cy.weight + (size_t)j * cy.taps;
		const size_t n = (size_t)rw * ch;
		unsigned char *o = out + (size_t)j * out_w * ch;

		/* columns: one reduced-width row of floats */
		for (size_t i = 0; i < n; i++)
			line[i] = 0.0f;
		for (int k = 0; k < cy.count[j]; k++) {
			const unsigned char *src = in + (size_t)(cy.first[j] + k) * n;
			const float t = wy[k];

			for (size_t i = 0; i < n; i++)
				line[i] += t * src[i];
		}
		/* rows: out_w samples from it */
		for (int i = 0; i < out_w; i++) {
			const float *wx = cx.weight + (size_t)i * cx.taps;
			const float *src = line + (size_t)cx.first[i] * ch;

			for (int c = 0; c < ch; c++) {
				float s = 0.0f;

				for (int k = 0; k < cx.count[i]; k++)
					s += wx[k] * src[(size_t)k * ch + c];
				o[(size_t)i * ch + c] = clamp_u8(s);
			}
		}
		task_checkpoint();
	}
	free(line);
out_free_cy:
	coeffs_free(&cy);
out_free_cx:
	coeffs_free(&cx);
	return rc;
}
