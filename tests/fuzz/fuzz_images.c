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
 * sources: workloads/images.c workloads/images_blur.c workloads/images_resize.c workloads/images_gen.c bench/clock.c bench/path.c
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

#include <stb_image.h>

#include "bench/config.h"
#include "bench/workload.h"
#include "workloads/images.h"

#define FUZZ_MAX_PIXELS 4000000LL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct workload workload_images;

/* What bench/run.c provides to workloads (the rest of it is not needed). */
_Thread_local const struct section_hooks *section_hooks;

void task_message(struct task_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
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
	snprintf(out_path, sizeof(out_path), "%s/input.png.jpg", out_dir);
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
	struct task_result res;
	int rc, w, h, comp;
	FILE *f;

	if (size <= INT_MAX && stbi_info_from_memory(data, (int)size, &w, &h, &comp) &&
	    (long long)w * h > FUZZ_MAX_PIXELS && (long long)w * h <= IMAGES_MAX_PIXELS)
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
