/*
 * protocol — the mpi mode's records and command lines, both ways
 * (see protocol.h).
 */
#include "modes/mpi/protocol.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


void mpi_host_name(char *buf, size_t len)
{
	if (gethostname(buf, len) < 0)
		snprintf(buf, len, "unknown");
	buf[len - 1] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == ' ' || *p == '\n')
			*p = '_';
}

/* ------------------------------------------------------- command lines */

size_t mpi_args_max(const struct job *job)
{
	size_t nargs = 0;

	if (job->argv)
		while (job->argv[nargs])
			nargs++;
	return nargs + 8;
}

size_t mpi_args_append(const struct job *job, char nums[5][32], char **argv, size_t k)
{
	struct rank_job_spec spec;

	rank_job_spec(job, &spec);
	snprintf(nums[1], 32, "%zu", job->ntasks);
	snprintf(nums[2], 32, "%d", spec.inject);
	snprintf(nums[3], 32, "%ld", spec.inject_task);
	snprintf(nums[4], 32, "%d", spec.pin);
	/* a plug-in by its file (plugin:FILE.so): the ranks load it themselves */
	argv[k++] = (char *)spec.workload;
	for (int i = 1; i < 5; i++)
		argv[k++] = nums[i];
	argv[k++] = "--";
	for (size_t i = 1; job->argv && job->argv[i]; i++)
		argv[k++] = job->argv[i];
	argv[k] = NULL;
	return k;
}

int mpi_args_parse(int argc, char **argv, struct mpi_args *a)
{
	char err[1024];

	memset(a, 0, sizeof(*a));
	if (argc < 8 || strcmp(argv[7], "--")) {
		job_error(NULL, "%s is internal to the mpi mode", MPI_WORKER_COMMAND);
		return -EINVAL;
	}
	a->spec.workload = argv[2];
	a->ntasks = strtoull(argv[3], NULL, 10);
	a->spec.inject = atoi(argv[4]);
	a->spec.inject_task = atol(argv[5]);
	a->spec.pin = atoi(argv[6]);
	/* the driver's options, after a program name */
	argv[7] = argv[0];
	a->cfg = rank_config_parse(argc - 7, argv + 7, err, sizeof(err));
	if (!a->cfg) {
		job_error(NULL, "%s: %s", MPI_WORKER_COMMAND, err);
		return -EINVAL;
	}
	return 0;
}

void mpi_args_free(struct mpi_args *a)
{
	rank_config_free(a->cfg);
	a->cfg = NULL;
}

/* ------------------------------------------------------------ commands */

char *mpi_command_pack(const struct job *job, size_t *len)
{
	char nums[5][32], **argv = calloc(mpi_args_max(job), sizeof(*argv));
	size_t n, args = 0, off = 2 * sizeof(uint32_t);
	char *msg = NULL;

	if (!argv)
		return NULL;
	n = mpi_args_append(job, nums, argv, 0);
	for (size_t i = 0; i < n; i++)
		args += strlen(argv[i]) + 1;
	msg = malloc(off + args);
	if (!msg)
		goto out_free;
	((uint32_t *)msg)[0] = job->workers;
	((uint32_t *)msg)[1] = (uint32_t)args;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(argv[i]) + 1;

		memcpy(msg + off, argv[i], k);
		off += k;
	}
	*len = off;
out_free:
	free(argv);
	return msg;
}

/* The arguments point into @msg. */
int mpi_command_parse(char *argv0, char *msg, size_t len, struct mpi_args *a, unsigned *workers)
{
	uint32_t head[2];
	size_t n = 2, off = sizeof(head);
	char **argv;
	int rc;

	memset(a, 0, sizeof(*a));
	if (len < sizeof(head))
		return -EINVAL;
	memcpy(head, msg, sizeof(head));
	if (head[1] != len - sizeof(head) || (head[1] && msg[len - 1]))
		return -EINVAL;
	*workers = head[0];
	for (size_t i = off; i < len; i++)
		n += !msg[i];
	argv = calloc(n + 1, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	argv[0] = argv0;
	argv[1] = MPI_WORKER_COMMAND;
	for (n = 2; off < len; off += strlen(msg + off) + 1)
		argv[n++] = msg + off;
	rc = mpi_args_parse((int)n, argv, a);
	free(argv);
	return rc;
}

/* ----------------------------------------------------------------- hex */

static const char hexdigits[] = "0123456789abcdef";

void mpi_hex_encode(const void *in, size_t len, char *hex)
{
	const unsigned char *p = in;

	for (size_t i = 0; i < len; i++) {
		hex[2 * i] = hexdigits[p[i] >> 4];
		hex[2 * i + 1] = hexdigits[p[i] & 15];
	}
	hex[2 * len] = '\0';
}

/* A hex digit's value, -1 for anything else. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int mpi_hex_decode(const char *hex, void *out, size_t len)
{
	unsigned char *p = out;

	if (strlen(hex) != 2 * len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		p[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* --------------------------------------------------------------- usage */

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void mpi_usage_since(const struct rusage *u0, const char *host, struct mpi_usage *u)
{
	struct rusage u1;

	getrusage(RUSAGE_SELF, &u1);
	*u = (struct mpi_usage){
		.user_s = tv_seconds(u1.ru_utime) - tv_seconds(u0->ru_utime),
		.sys_s = tv_seconds(u1.ru_stime) - tv_seconds(u0->ru_stime),
		.maxrss_kb = rank_rss_peak_kb(),
		.nvcsw = u1.ru_nvcsw - u0->ru_nvcsw,
		.nivcsw = u1.ru_nivcsw - u0->ru_nivcsw,
	};
	snprintf(u->host, sizeof(u->host), "%s", host);
}
