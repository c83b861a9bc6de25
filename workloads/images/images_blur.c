/*
 * images_blur — Gaussian blur of a large sigma, multirate, in place.
 *
 * A Gaussian of sigma 15 passes almost nothing above 1/30 cycle per pixel,
 * so the blurred image is smooth: it is fully described by samples taken
 * every few pixels.  The blur is therefore computed in three steps whose
 * variances add up to exactly sigma^2 (in full-resolution pixels):
 *
 *   1. reduce: average f x f blocks of the image (edges clamped, the image
 *      padded with copies of its border pixels so that the blocks near the
 *      border see what an exact convolution with clamped edges would see);
 *      box variance (f^2 - 1) / 12;
 *   2. blur the reduced image with an exact, truncated (+-3 sigma) separable
 *      Gaussian FIR in float: sigma_low = sqrt(sigma^2 - box - interp) / f;
 *   3. expand back to full resolution by bilinear interpolation, whose
 *      mean variance interp = (average over the f phases) f^2 t (1 - t).
 *
 * f = 4 for sigma >= 15, 2 from 7.5, else 1 (a plain FIR at full
 * resolution).  What sigma 15 blurs away at full resolution cannot alias
 * when reduced 4 times (attenuation e^-69 at the reduced Nyquist
 * frequency), and bilinear interpolation of a signal that smooth is off by
 * at most f^2/8 times its curvature: under 0.6 level for a 0-to-255 step.
 * Against an exact separable convolution (tests) the result is within 2
 * levels, PSNR above 50 dB, at a fraction of the cost: the FIR runs on 1/16
 * of the pixels.
 *
 * The steps are streamed, one output row at a time, in place: a reduced
 * row is made (and FIR-filtered along x) when the column filter first needs
 * it, into a ring of 2 radius + 1 rows; a blurred reduced row is widened to
 * full width when the interpolation first needs it, into one of two rows;
 * each output row blends two of those.  The reduced rows made before
 * output row y is written only read input rows y and below (the reduction
 * runs radius + 2 blocks ahead, which is what pad is), so writing in place
 * is safe.  Scratch memory is O(radius * w), about 0.7 MB for a 5184-pixel
 * wide RGB image, instead of planes of the whole image: no page faults and
 * the working set stays in the caches.  The hot loops are written with GCC
 * vector extensions (four floats, one RGB pixel per vector where pixels
 * are gathered), so they are vectorised whatever the compiler's cost model
 * decides, on any target.
 */
#include "workloads/images/images.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/api/workload.h"

#define MAX_TAPS 256

/* Four floats: one RGB pixel and a spare lane; the _u one unaligned. */
typedef float v4sf __attribute__((vector_size(16)));
typedef float v4sf_u __attribute__((vector_size(16), aligned(4), may_alias));

struct blur_plan {
	int f;                   /* reduction factor: 1, 2 or 4 */
	int radius;              /* FIR taps each side, reduced pixels */
	int pad;                 /* full-resolution padding each side, multiple of f */
	float taps[MAX_TAPS];    /* taps[0..radius], symmetric, sum 1 */
};

static int blur_plan(double sigma, struct blur_plan *p)
{
	double box, interp = 0.0, var, s, sum = 0.0;
	int f;

	if (!(sigma > 0.0) || sigma > 200.0)
		return -EINVAL;
	f = sigma >= 15.0 ? 4 : sigma >= 7.5 ? 2 : 1;
	box = (f * f - 1) / 12.0;
	for (int k = 0; k < f; k++) {
		double d = (k - (f - 1) / 2.0) / f, t = d - floor(d);

		interp += f * f * t * (1.0 - t) / f;
	}
	var = sigma * sigma - box - interp;
	s = sqrt(var) / f;
	p->f = f;
	p->radius = (int)ceil(3.0 * s);
	if (p->radius >= MAX_TAPS)
		return -EINVAL;
	for (int k = 0; k <= p->radius; k++) {
		p->taps[k] = (float)exp(-(double)k * k / (2.0 * s * s));
		sum += k ? 2.0 * p->taps[k] : p->taps[k];
	}
	for (int k = 0; k <= p->radius; k++)
		p->taps[k] = (float)(p->taps[k] / sum);
	/* beyond the pixels interpolation reads, the FIR reads radius more */
	p->pad = (p->radius + 2) * f;
	return 0;
}

/* The image, the plan and the scratch rows of one blur. */
struct blur {
	unsigned char *pix;
	int w, h, ch, lw, lh;
	const struct blur_plan *p;
	size_t lstride;          /* floats per reduced row: lw * ch, a spare, multiple of 16 */
	size_t wstride;          /* floats per full-width row: w * ch, a spare, multiple of 4 */
	float *ring;             /* 2 radius + 1 reduced rows, FIR-filtered along x */
	float *red;              /* one reduced row, before that filter */
	float *col;              /* one blurred reduced row */
	float *sum;              /* f input rows summed, as floats */
	float *fwide;            /* one blurred row widened to full width */
	uint16_t *wide[2];       /* two of them in fixed point, 4 fractional bits */
	uint16_t *acc;           /* f input rows summed */
	int *xi;                 /* [w] reduced pixel left of output pixel x */
	float *xt;               /* [w] and the weight of the one right of it */
	int made;                /* reduced rows made so far */
};

/*
 * Reduced row @k into @dst: reduced pixel (k, i) averages full-resolution
 * pixels [i f - pad, i f - pad + f) x [k f - pad, ...), coordinates clamped.
 * The f rows are summed in 16 bits, then as floats a pixel per vector
 * (each store's spare lane is overwritten by the next pixel).
 */
static void reduce_row(struct blur *b, int k, float *restrict dst)
{
	const struct blur_plan *p = b->p;
	const int f = p->f, ch = b->ch, w = b->w;
	const int in0 = p->pad / f, in1 = (p->pad + w) / f;
	const size_t stride = (size_t)w * ch;
	const float norm = 16.0f / (float)(f * f);   /* fixed point for widen() */
	uint16_t *restrict acc = b->acc;
	float *restrict sum = b->sum;

	for (int r = 0; r < f; r++) {
		int y = k * f - p->pad + r;
		const unsigned char *row = b->pix + (size_t)(y < 0 ? 0 : y >= b->h ? b->h - 1 : y) * stride;

		if (r == 0) {
			for (size_t i = 0; i < stride; i++)
				acc[i] = row[i];
		} else {
			for (size_t i = 0; i < stride; i++)
				acc[i] += row[i];
		}
	}
	for (size_t i = 0; i < stride; i++)
		sum[i] = acc[i];
	/* blocks wholly inside the image: no clamping */
	if (ch == 3) {
		for (int i = in0; i < in1; i++) {
			const float *a = sum + (size_t)(i * f - p->pad) * 3;
			v4sf s = *(const v4sf_u *)a;

			for (int j = 1; j < f; j++)
				s += *(const v4sf_u *)(a + 3 * j);
			*(v4sf_u *)(dst + (size_t)i * 3) = s * norm;
		}
	} else {
		for (int i = in0; i < in1; i++) {
			const float *a = sum + (size_t)(i * f - p->pad);
			float s = 0.0f;

			for (int j = 0; j < f; j++)
				s += a[j];
			dst[i] = s * norm;
		}
	}
	/* the blocks over the left and right edges */
	for (int i = 0; i < b->lw; i++) {
		if (i == in0)
			i = in1;
		if (i >= b->lw)
			break;
		for (int c = 0; c < ch; c++) {
			float s = 0.0f;

			for (int j = 0; j < f; j++) {
				int x = i * f - p->pad + j;

				x = x < 0 ? 0 : x >= w ? w - 1 : x;
				s += sum[(size_t)x * ch + c];
			}
			dst[(size_t)i * ch + c] = s * norm;
		}
	}
}

/*
 * FIR along x, @in to @out (one reduced row); only the columns
 * [radius, lw - radius) are computed, the rest is padding.  Four vectors
 * of outputs are kept in registers across all the taps.
 */
static void fir_row(const float *restrict in, float *restrict out, const struct blur *b)
{
	const struct blur_plan *p = b->p;
	const int r = p->radius, ch = b->ch;
	const size_t n = (size_t)(b->lw - 2 * r) * ch;
	const float *src = in + (size_t)r * ch;
	float *dst = out + (size_t)r * ch;
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		const float *s = src + i;
		v4sf a0 = p->taps[0] * *(const v4sf_u *)s, a1 = p->taps[0] * *(const v4sf_u *)(s + 4);
		v4sf a2 = p->taps[0] * *(const v4sf_u *)(s + 8), a3 = p->taps[0] * *(const v4sf_u *)(s + 12);

		for (int k = 1; k <= r; k++) {
			const float t = p->taps[k], *l = s - k * ch, *h = s + k * ch;

			a0 += t * (*(const v4sf_u *)l + *(const v4sf_u *)h);
			a1 += t * (*(const v4sf_u *)(l + 4) + *(const v4sf_u *)(h + 4));
			a2 += t * (*(const v4sf_u *)(l + 8) + *(const v4sf_u *)(h + 8));
			a3 += t * (*(const v4sf_u *)(l + 12) + *(const v4sf_u *)(h + 12));
		}
		*(v4sf_u *)(dst + i) = a0;
		*(v4sf_u *)(dst + i + 4) = a1;
		*(v4sf_u *)(dst + i + 8) = a2;
		*(v4sf_u *)(dst + i + 12) = a3;
	}
	for (; i < n; i++) {
		float a = p->taps[0] * src[i];

		for (int k = 1; k <= r; k++)
			a += p->taps[k] * (src[(ptrdiff_t)i - k * ch] + src[i + k * ch]);
		dst[i] = a;
	}
}

/* Make reduced rows (reduced, then filtered along x) up to row @k, into the ring. */
static void make_rows(struct blur *b, int k)
{
	const int n = 2 * b->p->radius + 1;

	for (; b->made <= k; b->made++) {
		reduce_row(b, b->made, b->red);
		fir_row(b->red, b->ring + (size_t)(b->made % n) * b->lstride, b);
		task_checkpoint();
	}
}

/*
 * FIR along y: blurred reduced row @j into b->col, from ring rows
 * j - radius .. j + radius, one aligned vector at a time.
 */
static void fir_col(struct blur *b, int j)
{
	const struct blur_plan *p = b->p;
	const int r = p->radius, n = 2 * r + 1;
	const size_t nv = b->lstride / 4;
	v4sf *restrict dst = (v4sf *)b->col;
	const v4sf *rows[2 * MAX_TAPS + 1];

	make_rows(b, j + r);
	for (int k = -r; k <= r; k++)
		rows[k + r] = (const v4sf *)(b->ring + (size_t)((j + k) % n) * b->lstride);
	for (size_t i = 0; i < nv; i += 4) {
		const v4sf *m = rows[r] + i;
		v4sf a0 = p->taps[0] * m[0], a1 = p->taps[0] * m[1];
		v4sf a2 = p->taps[0] * m[2], a3 = p->taps[0] * m[3];

		for (int k = 1; k <= r; k++) {
			const v4sf *lo = rows[r - k] + i, *hi = rows[r + k] + i;
			const float t = p->taps[k];

			a0 += t * (lo[0] + hi[0]);
			a1 += t * (lo[1] + hi[1]);
			a2 += t * (lo[2] + hi[2]);
			a3 += t * (lo[3] + hi[3]);
		}
		dst[i] = a0;
		dst[i + 1] = a1;
		dst[i + 2] = a2;
		dst[i + 3] = a3;
	}
}

/* Reduced coordinate of full-resolution pixel @x: index and weight of the next. */
static void interp_at(int x, const struct blur_plan *p, int *i0, float *t)
{
	double u = (x + p->pad - (p->f - 1) / 2.0) / p->f;
	double fl = floor(u);

	*i0 = (int)fl;
	*t = (float)(u - fl);
}

/*
 * Blurred reduced row @j widened to full width by linear interpolation
 * along x (into b->fwide as floats), then rounded to 16-bit fixed point
 * with 4 fractional bits into @dst (the reduced rows are scaled by 16).
 */
static void widen(struct blur *b, int j, uint16_t *restrict dst)
{
	const float *src = b->col;
	float *restrict fw = b->fwide;
	const size_t n = (size_t)b->w * b->ch;
	const int *xi = b->xi;
	const float *xt = b->xt;

	fir_col(b, j);
	if (b->ch == 3) {
		for (int x = 0; x < b->w; x++) {
			const float *a = src + (size_t)xi[x] * 3;
			const v4sf l = *(const v4sf_u *)a, r = *(const v4sf_u *)(a + 3);

			*(v4sf_u *)(fw + (size_t)x * 3) = l + xt[x] * (r - l);
		}
	} else {
		for (int x = 0; x < b->w; x++) {
			const float *a = src + xi[x];

			fw[x] = a[0] + xt[x] * (a[1] - a[0]);
		}
	}
	/* 0 .. 16 * 255: no clamping needed */
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint16_t)(int)(fw[i] + 0.5f);
}

/*
 * Output row: rows @r0 and @r1 (16 x the blurred values) blended with
 * weights (8 - @t8) / 8 and @t8 / 8, rounded: 16-bit lanes all the way
 * (at most 8 * 16 * 255 + 64 < 2^16).
 */
static void blend(unsigned char *restrict o, const uint16_t *restrict r0,
		  const uint16_t *restrict r1, int t8, size_t n)
{
	const uint16_t a = (uint16_t)(8 - t8), c = (uint16_t)t8;

	for (size_t i = 0; i < n; i++)
		o[i] = (unsigned char)((uint16_t)(r0[i] * a + r1[i] * c + 64) >> 7);
}

/* Carve the scratch rows out of one zeroed allocation. */
static int blur_alloc(struct blur *b)
{
	const size_t rows = 2 * (size_t)b->p->radius + 1;
	size_t floats = (rows + 2) * b->lstride + 3 * b->wstride;
	float *m;

	m = calloc(floats + (size_t)b->w * (sizeof(int) + sizeof(float)) / sizeof(float) +
		   b->wstride / 2 + 4, sizeof(float));
	if (!m)
		return -ENOMEM;
	b->ring = m;
	b->red = b->ring + rows * b->lstride;
	b->col = b->red + b->lstride;
	b->sum = b->col + b->lstride;
	b->fwide = b->sum + b->wstride;
	b->wide[0] = (uint16_t *)(b->fwide + b->wstride);
	b->wide[1] = b->wide[0] + b->wstride;
	b->xt = (float *)(b->wide[1] + b->wstride);
	b->xi = (int *)(b->xt + b->w);
	b->acc = (uint16_t *)(b->xi + b->w);
	return 0;
}

int images_blur(unsigned char *pix, int w, int h, int ch, double sigma)
{
	struct blur_plan p;
	struct blur b = { .pix = pix, .w = w, .h = h, .ch = ch, .p = &p };
	const size_t stride = (size_t)w * ch;
	int have = -2, rc;   /* wide[0] holds blurred row have, wide[1] row have + 1 */

	if (w <= 0 || h <= 0 || (ch != 1 && ch != 3))
		return -EINVAL;
	rc = blur_plan(sigma, &p);
	if (rc)
		return rc;
	b.lw = (w + 2 * p.pad + p.f - 1) / p.f;
	b.lh = (h + 2 * p.pad + p.f - 1) / p.f;
	b.lstride = ((size_t)b.lw * ch + 16) & ~(size_t)15;   /* fir_col: 16 at a time */
	b.wstride = (stride + 4) & ~(size_t)3;
	rc = blur_alloc(&b);
	if (rc)
		return rc;
	for (int x = 0; x < w; x++)
		interp_at(x, &p, &b.xi[x], &b.xt[x]);
	for (int y = 0; y < h; y++) {
		float t;
		int j;

		interp_at(y, &p, &j, &t);   /* t: a multiple of 1/8 for f = 1, 2, 4 */
		if (j == have + 1) {
			uint16_t *tmp = b.wide[0];

			b.wide[0] = b.wide[1];
			b.wide[1] = tmp;
			widen(&b, j + 1, b.wide[1]);
		} else if (j != have) {
			widen(&b, j, b.wide[0]);
			widen(&b, j + 1, b.wide[1]);
		}
		have = j;
		blend(pix + (size_t)y * stride, b.wide[0], b.wide[1], (int)lrintf(t * 8.0f), stride);
	}
	free(b.ring);
	return 0;
}
