/*
 * images — the kernels of the images workload: blur, resize, the built-in
 * image set.  workloads/images/images.c strings them together into one task per
 * image; tests/test_images.c checks each of them on its own.
 *
 * Pixels are 8-bit, interleaved, rows packed (stride = w * ch), with
 * ch = 1 (gray) or 3 (RGB).  Every function returns 0 or a negative errno.
 */
#ifndef BENCH_IMAGES_H
#define BENCH_IMAGES_H

#include <stddef.h>

#define IMAGES_BLUR_SIGMA 15.0     /* Pillow's GaussianBlur(15) */
#define IMAGES_FIT 1200            /* thumbnail((1200, 1200)) */
#define IMAGES_QUALITY 75          /* Pillow's JPEG default */
#define IMAGES_MAX_PIXELS 100000000L /* larger inputs fail their task */
#define IMAGES_HEAD_BYTES 65536      /* read and checked before the rest of a file */
#define IMAGES_MAX_FILE_BYTES (512LL << 20) /* a bigger file fails its task unread */

/*
 * Gaussian blur of standard deviation @sigma, in place, edges clamped
 * (the pixel beyond the border repeats the border pixel).  Multirate
 * (images_blur.c): f x f block averages, an exact truncated FIR on them,
 * bilinear interpolation back, the variances adding up to sigma^2; within
 * 1 level of an exact separable convolution.  Streamed a row at a time:
 * O(sigma * w) scratch memory (0.7 MB for 5184 RGB pixels); -ENOMEM if
 * even that fails.
 */
int images_blur(unsigned char *pix, int w, int h, int ch, double sigma);

/*
 * Pillow's thumbnail((box_w, box_h)) geometry: shrink to fit inside the
 * box keeping the aspect ratio, the other side rounded the way Pillow
 * rounds it, never enlarge, never below 1 pixel.
 */
void images_fit(int w, int h, int box_w, int box_h, int *out_w, int *out_h);

/*
 * Shrink @in (w x h) to @out (out_w x out_h, no larger) the way Pillow's
 * thumbnail() does: an integer box reduction while the image is more than
 * twice the target, then an antialiased bicubic filter.  @in is used as
 * scratch and is destroyed.
 */
int images_resize(unsigned char *in, int w, int h, int ch, unsigned char *out,
		  int out_w, int out_h);

/*
 * The built-in image set: @n photo-like w x h RGB images, JPEG quality 90,
 * named photo-01.jpg ... in @dir (created if missing).  Images already there
 * are kept; missing ones are made in up to @jobs forked processes, each
 * written under a temporary name and renamed, so an interrupted run leaves
 * no partial file.  Deterministic: the same bytes on every machine.
 * Prints a progress line on stderr unless @quiet.
 */
int images_generate(const char *dir, unsigned n, int w, int h, unsigned jobs, int quiet,
		    char *err, size_t errlen);

/* Pixels of built-in image number @index (0-based), RGB, into @pix. */
void images_synth(unsigned char *pix, int w, int h, unsigned index);

/* The name of built-in image @index: "photo-01.jpg" for 0. */
void images_builtin_name(char *buf, size_t len, unsigned index);

#endif
