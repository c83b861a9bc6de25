/*
 * protocol — what crosses a process boundary in the mpi mode, and nothing
 * else: the __mpi-worker command line, the command the driver sends its
 * agent, the MPI messages between the ranks, and the @bench-mpi lines
 * rank 0 streams back to the driver (the list is at the top of
 * modes/mpi/mode.c).  Plain fixed-size records, no pointers: the C
 * counterpart of "arguments and results must be picklable".  No MPI here:
 * both sides include it.
 */
#ifndef BENCH_MODES_MPI_PROTOCOL_H
#define BENCH_MODES_MPI_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include "bench/api/job.h"
#include "bench/api/rank.h"
#include "bench/api/workload.h"

#define MPI_WORKER_COMMAND "__mpi-worker"
#define MPI_HOST_MAX 64
/* rank 0 -> bench, one line each */
#define MPI_LINE_TAG "@bench-mpi "
#define MPI_LINE_MAX (2 * sizeof(struct task_result) + 256)

/* The MPI message tags between the ranks. */
enum mpi_tag {
	TAG_READY = 1,
	TAG_CLOCK,      /* rank 0 -> worker: send me your clock; and the reply */
	TAG_TASK,       /* rank 0 -> worker: an index, -1 = stop */
	TAG_RESULT,     /* worker -> rank 0: struct mpi_record */
	TAG_COMMAND,    /* agent -> worker (the user's mpirun): one run; empty = end */
	TAG_USAGE,      /* worker -> agent: struct mpi_usage, after a run */
};

/* worker -> rank 0, once prepared (or not) */
struct mpi_ready {
	int32_t rc;                 /* 0, or -errno with @err */
	int64_t ntasks;
	char host[MPI_HOST_MAX];
	char err[256];
};

/* worker -> rank 0, one per task */
struct mpi_record {
	struct task_result res;
	char host[MPI_HOST_MAX];
};

/* each rank's resource use over one run */
struct mpi_usage {
	double user_s, sys_s;
	int64_t maxrss_kb, nvcsw, nivcsw;
	char host[MPI_HOST_MAX];
};

/*
 * One mpi run as a rank reads it from its command line: MPI_WORKER_COMMAND
 * WORKLOAD NTASKS INJECT INJECT_TASK PIN -- <the driver's options>.
 */
struct mpi_args {
	struct rank_job_spec spec;  /* workers: not on the line, the ranks less one */
	size_t ntasks;
	struct config *cfg;         /* the driver's options, parsed again */
};

/* This host's name, with no blanks (it travels in lines). */
void mpi_host_name(char *buf, size_t len);

/* How many arguments mpi_args_append() adds at most for @job. */
size_t mpi_args_max(const struct job *job);
/*
 * Append @job's arguments after MPI_WORKER_COMMAND to @argv from index @k
 * and NULL-terminate it; @nums holds the number strings.  The new count.
 */
size_t mpi_args_append(const struct job *job, char nums[5][32], char **argv, size_t k);
/*
 * Read them back in a rank (@argv[1] is MPI_WORKER_COMMAND); says why
 * not on stderr.  Cuts @argv's strings.  0 or -EINVAL; mpi_args_free()
 * after either.
 */
int mpi_args_parse(int argc, char **argv, struct mpi_args *a);
void mpi_args_free(struct mpi_args *a);

/*
 * The driver's command to its agent, one per mpi run: u32 workers, u32
 * length, then the NUL-separated arguments of mpi_args_append().
 * mpi_command_pack() returns it in a buffer of *@len bytes (the caller
 * frees it) or NULL; mpi_command_parse() reads one in place (@msg is cut)
 * into @a and *@workers, with @argv0 as the program name: 0 or -errno.
 */
char *mpi_command_pack(const struct job *job, size_t *len);
int mpi_command_parse(char *argv0, char *msg, size_t len, struct mpi_args *a, unsigned *workers);

/* @len bytes at @in as 2 * @len hex digits and a NUL at @hex; and back: 0 or -EINVAL. */
void mpi_hex_encode(const void *in, size_t len, char *hex);
int mpi_hex_decode(const char *hex, void *out, size_t len);

/* What this process used since @u0, and its peak memory since the last reset. */
void mpi_usage_since(const struct rusage *u0, const char *host, struct mpi_usage *u);

#endif
