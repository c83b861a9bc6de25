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
 * f = floor(sigma / 3.75) (4 for sigma 15, 1 below 7.5, where this is a
 * plain FIR at full resolution).  What sigma 15 blurs away at full
 * resolution cannot alias when reduced 4 times (attenuation e^-69 at the
 * reduced Nyquist frequency), and bilinear interpolation of a signal that
 * smooth is off by at most f^2/8 times its curvature: under 0.6 level for
 * a 0-to-255 step.  Against an exact separable convolution (tests) the
 * result is within 2 levels, PSNR above 50 dB, at a fraction of the cost:
 * the FIR runs on 1/16 of the pixels.  Every loop runs along contiguous
 * memory, so the compiler vectorises it at -O2.
 *
 * Scratch memory: two float planes of the reduced image, 2 * 4 * ch / f^2
 * bytes per pixel (1.5 bytes per pixel for RGB at f = 4), plus a few rows.
 */
#include "workloads/images.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/workload.h"

/*
 * The loops below are written to be vectorised; GCC 12 at -O2 only does
 * that for loops whose trip count needs no remainder handling.
 */
#pragma GCC optimize("O3")

#define MAX_TAPS 256

struct blur_plan {
	int f;                   /* reduction factor */
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
	f = (int)(sigma / 3.75);
	if (f < 1)
		f = 1;
	if (f > 15)   /* reduce() sums f^2 samples in 16 bits */
		f = 15;
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

/*
 * Step 1: reduce.  Reduced pixel (j, i) averages full-resolution pixels
 * [j f - pad, j f - pad + f) x [i f - pad, ...), coordinates clamped.
 */
static void reduce(const unsigned char *pix, int w, int h, int ch, const struct blur_plan *p,
		   float *lo, int lw, int lh, uint16_t *acc)
{
	const int f = p->f, in0 = p->pad / f, in1 = (p->pad + w) / f;
	const size_t stride = (size_t)w * ch;
	const float norm = 1.0f / (float)(f * f);

	for (int j = 0; j < lh; j++) {
		float *o = lo + (size_t)j * lw * ch;

		memset(acc, 0, stride * sizeof(*acc));
		for (int k = 0; k < f; k++) {
			int y = j * f - p->pad + k;
			const unsigned char *row = pix + (size_t)(y < 0 ? 0 : y >= h ? h - 1 : y) * stride;

			for (size_t i = 0; i < stride; i++)
				acc[i] += row[i];
		}
		/* blocks wholly inside the image: no clamping */
		for (int i = in0; i < in1; i++) {
			const uint16_t *a = acc + (size_t)(i * f - p->pad) * ch;

			for (int c = 0; c < ch; c++) {
				unsigned s = 0;

				for (int k = 0; k < f; k++)
					s += a[k * ch + c];
				o[(size_t)i * ch + c] = (float)s * norm;
			}
		}
		for (int i = 0; i < lw; i++) {
			if (i == in0)
				i = in1;
			if (i >= lw)
				break;
			for (int c = 0; c < ch; c++) {
				unsigned s = 0;

				for (int k = 0; k < f; k++) {
					int x = i * f - p->pad + k;

					x = x < 0 ? 0 : x >= w ? w - 1 : x;
					s += acc[(size_t)x * ch + c];
				}
				o[(size_t)i * ch + c] = (float)s * norm;
			}
		}
		task_checkpoint();
	}
}

/*
 * Step 2a: FIR along rows, @in to @out ([lh][lw * ch]); only the columns
 * [radius, lw - radius) are computed (the rest is padding).
 */
static void fir_rows(const float *restrict in, float *restrict out, int lw, int lh, int ch, const struct blur_plan *p)
{
	const int r = p->radius;
	const size_t n = (size_t)(lw - 2 * r) * ch, step = (size_t)ch;

	for (int j = 0; j < lh; j++) {
		const float *src = in + (size_t)j * lw * ch + (size_t)r * ch;
		float *dst = out + (size_t)j * lw * ch + (size_t)r * ch;

		for (size_t i = 0; i < n; i++)
			dst[i] = p->taps[0] * src[i];
		for (int k = 1; k <= r; k++) {
			const float t = p->taps[k];
			const float *a = src - k * step, *b = src + k * step;

			for (size_t i = 0; i < n; i++)
				dst[i] += t * (a[i] + b[i]);
		}
	}
}

/* Step 2b: FIR along columns, rows [radius, lh - radius). */
static void fir_cols(const float *restrict in, float *restrict out, int lw, int lh, int ch, const struct blur_plan *p)
{
	const int r = p->radius;
	const size_t stride = (size_t)lw * ch;

	for (int j = r; j < lh - r; j++) {
		const float *src = in + (size_t)j * stride;
		float *dst = out + (size_t)j * stride;

		for (size_t i = 0; i < stride; i++)
			dst[i] = p->taps[0] * src[i];
		for (int k = 1; k <= r; k++) {
			const float t = p->taps[k];
			const float *a = src - (size_t)k * stride, *b = src + (size_t)k * stride;

			for (size_t i = 0; i < stride; i++)
				dst[i] += t * (a[i] + b[i]);
		}
		task_checkpoint();
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

/* Reduced row @j widened to @w pixels by linear interpolation along x. */
static void widen(const float *restrict src, float *restrict dst, int w, int ch,
		  const int *xi, const float *xt)
{
	for (int x = 0; x < w; x++) {
		const float *a = src + (size_t)xi[x] * ch;
		float t = xt[x];

		for (int c = 0; c < ch; c++)
			dst[(size_t)x * ch + c] = a[c] + t * (a[ch + c] - a[c]);
	}
}

/* Step 3: expand @lo back into @pix: widen reduced rows, then blend rows. */
static void expand(unsigned char *pix, int w, int h, int ch, const struct blur_plan *p,
		   const float *lo, int lw, float *rows, int *xi, float *xt)
{
	const size_t stride = (size_t)w * ch, lstride = (size_t)lw * ch;
	float *r0 = rows, *r1 = rows + stride;
	int have = -2;   /* r0 holds reduced row have, r1 row have + 1 */

	for (int x = 0; x < w; x++)
		interp_at(x, p, &xi[x], &xt[x]);
	for (int y = 0; y < h; y++) {
		unsigned char *o = pix + (size_t)y * stride;
		float t;
		int j;

		interp_at(y, p, &j, &t);
		if (j == have + 1) {
			float *tmp = r0;

			r0 = r1;
			r1 = tmp;
			widen(lo + (size_t)(j + 1) * lstride, r1, w, ch, xi, xt);
		} else if (j != have) {
			widen(lo + (size_t)j * lstride, r0, w, ch, xi, xt);
			widen(lo + (size_t)(j + 1) * lstride, r1, w, ch, xi, xt);
		}
		have = j;
		for (size_t i = 0; i < stride; i++) {
			/* convex combinations of 0..255: no clamping needed */
			o[i] = (unsigned char)(int)(r0[i] + t * (r1[i] - r0[i]) + 0.5f);
		}
		task_checkpoint();
	}
}

int images_blur(unsigned char *pix, int w, int h, int ch, double sigma)
{
	struct blur_plan p;
	size_t stride = (size_t)w * ch, plane, scratch;
	int lw, lh, rc;
	float *a, *b, *rows;
	int *xi;

	if (w <= 0 || h <= 0 || (ch != 1 && ch != 3))
		return -EINVAL;
	rc = blur_plan(sigma, &p);
	if (rc)
		return rc;
	lw = (w + 2 * p.pad + p.f - 1) / p.f;
	lh = (h + 2 * p.pad + p.f - 1) / p.f;
	plane = (size_t)lw * lh * ch;
	scratch = 2 * stride;   /* reduce's accumulator, or expand's two rows */
	a = malloc((2 * plane + scratch) * sizeof(float) + (size_t)w * (sizeof(int) + sizeof(float)));
	if (!a)
		return -ENOMEM;
	b = a + plane;
	rows = b + plane;
	xi = (int *)(rows + scratch);

	reduce(pix, w, h, ch, &p, a, lw, lh, (uint16_t *)rows);
	fir_rows(a, b, lw, lh, ch, &p);
	fir_cols(b, a, lw, lh, ch, &p);
	expand(pix, w, h, ch, &p, a, lw, rows, xi, (float *)(xi + w));
	free(a);
	return 0;
}
