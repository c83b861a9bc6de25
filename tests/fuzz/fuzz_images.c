/*
 * fuzz_images — libFuzzer target for the images workload's loading path
 * with its limits: the input bytes become one file in a scratch image
 * folder, and the real task runs on it (read, stb_image info and the
 * IMAGES_MAX_PIXELS check, decode, alpha flattening, blur, resize, JPEG
 * encode, write to a temporary name and rename).  A bad file must fail
 * its task with a message, never crash.
 *
 * Inputs that declare between FUZZ_MAX_PIXELS and IMAGES_MAX_PIXELS pixels
 * are skipped: a few hundred bytes of JPEG header can ask for a legal 60
 * megapixel decode and blur (half a second in a release build, a libFuzzer
 * timeout under ASan and coverage), which is the limit working as designed,
 * not a finding.  Above the limit they run: the check must refuse them.
 *
 *   make fuzz FUZZ_SECONDS=60      (scripts/fuzz.sh builds it with clang)
 *   seeds: tests/fuzz/images/ (small JPEG, PNG, gray, alpha, CMYK, huge header)
 *
 * sources: workloads/images/images.c workloads/images/images_blur.c workloads/images/images_resize.c workloads/images/images_gen.c bench/sys/clock.c bench/sys/path.c
 * libs: -lstb
 * stb: source
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/core/config.h"
#include "bench/api/workload.h"
#include "workloads/images/images.h"

#define FUZZ_MAX_PIXELS 4000000ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct workload workload_images;

#ifndef FUZZ_LINKED_WITH_BENCH
/* What bench/core/job.c provides to workloads (the rest of it is not needed). */
_Thread_local const struct section_hooks *section_hooks;

void task_message(struct task_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
}

/* What bench/core/options.c gives a workload to read its options. */
const char *option_results(const struct config *cfg)
{
	return cfg->results;
}

int option_quick(const struct config *cfg)
{
	return cfg->quick;
}

int option_quiet(const struct config *cfg)
{
	return cfg->quiet;
}

const char *option_images(const struct config *cfg)
{
	return cfg->images;
}

const char *option_out(const struct config *cfg)
{
	return cfg->out;
}
#endif

/*
 * Width x height the file declares (PNG IHDR, JPEG SOFn), 0 if none found.
 * Parsed here, not with stbi_info(): that would run stb's header parser on
 * the raw input, before the workload's own checks.
 */
static unsigned long long declared_pixels(const uint8_t *p, size_t n)
{
	size_t i = 2;

	if (n >= 24 && !memcmp(p, "\x89PNG", 4))
		return (unsigned long long)((uint32_t)p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19]) *
		       ((uint32_t)p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23]);
	if (n < 4 || p[0] != 0xff || p[1] != 0xd8)
		return 0;
	while (i + 9 <= n) {
		unsigned m = p[i + 1];

		if (p[i] != 0xff || m == 0xff || m == 0 || (m >= 0xd0 && m <= 0xd9)) {
			i++;
			continue;
		}
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc)
			return (unsigned long long)(p[i + 5] << 8 | p[i + 6]) * (p[i + 7] << 8 | p[i + 8]);
		i += 2 + ((size_t)p[i + 2] << 8 | p[i + 3]);
	}
	return 0;
}

static char in_dir[64], out_dir[128], in_path[128], out_path[192];
static void *state;

/* Leave nothing in /tmp: the input, its output, the two folders. */
static void cleanup(void)
{
	unlink(in_path);
	unlink(out_path);
	rmdir(out_dir);
	rmdir(in_dir);
}

static void setup(void)
{
	struct config cfg = { .tasks = -1, .quiet = 1 };
	char err[512];
	size_t n;
	FILE *f;

	snprintf(in_dir, sizeof(in_dir), "/tmp/fuzz-images-%d", (int)getpid());
	snprintf(out_dir, sizeof(out_dir), "%s/out", in_dir);
	snprintf(in_path, sizeof(in_path), "%s/input.png", in_dir);
	snprintf(out_path, sizeof(out_path), "%s/input.png", out_dir);
	mkdir(in_dir, 0700);
	atexit(cleanup);
	f = fopen(in_path, "w");   /* prepare() lists the folder: one file */
	if (!f)
		abort();
	fclose(f);
	cfg.images = in_dir;
	cfg.out = out_dir;
	if (workload_images.prepare(&cfg, &state, &n, err, sizeof(err)) || n != 1) {
		fprintf(stderr, "fuzz_images: prepare: %s\n", err);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long long pixels = declared_pixels(data, size);
	struct task_result res;
	FILE *f;
	int rc;

	if (pixels > FUZZ_MAX_PIXELS && pixels <= (unsigned long long)IMAGES_MAX_PIXELS)
		return 0;
	if (!state)
		setup();
	f = fopen(in_path, "w");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	memset(&res, 0, sizeof(res));
	rc = workload_images.run_task(state, 0, &res);
	if (rc > 0 || (rc && !res.message[0]))
		abort();   /* errors are negative and say why */
	if (!memchr(res.message, '\0', sizeof(res.message)))
		abort();
	return 0;
}
