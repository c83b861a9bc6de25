/*
 * rank — for a mode whose workers are ranks (struct mode's launches_ranks:
 * bench started anew by a launcher such as mpirun, maybe on another host).
 * A rank runs its share of a run the driver planned, so it needs what the
 * driver had: the driver's options parsed again, the workload opened and
 * prepared, the job built the way the driver builds it (job_setup()).
 * Part of the plug-in API (bench/api/); the code is bench/core/rank.c.
 */
#ifndef BENCH_RANK_H
#define BENCH_RANK_H

#include <stddef.h>

#include "bench/api/job.h"

struct config;

/*
 * The part of a run that its ranks need and the options do not say.  On
 * the driver's side rank_job_spec() fills it from the run's job; the mode
 * carries it to the ranks as it likes (its own wire format).
 */
struct rank_job_spec {
	const char *workload;   /* as a rank must open it (plugin:FILE.so, by its file) */
	unsigned workers;
	int pin;                /* enum pin_policy; 0: unpinned */
	int inject;             /* --inject, as struct job has it */
	long inject_task;
};

void rank_job_spec(const struct job *job, struct rank_job_spec *spec);

/*
 * In a rank: the driver's options again, from @argv (@argv[0] a program
 * name, then the driver's command line less its own argv[0]).  Cuts
 * @argv's strings.  NULL with the reason in @err; rank_config_free().
 */
struct config *rank_config_parse(int argc, char **argv, char *err, size_t len);
void rank_config_free(struct config *cfg);

/*
 * In a rank: open @spec's workload (loading a plug-in), prepare it with
 * @cfg and build its job with job_setup(): bound to the PUs of @spec's
 * policy where binding works here, unbound (and silent) where not.  The
 * job's ntasks is what the workload has on this host; the workload's
 * run_begin() settings (images: its allocator policy) are in force, as in
 * the driver's runs.  0, or -errno with the reason in @err.
 * rank_job_close() undoes them (run_end()), finishes the workload and
 * frees the job.
 */
int rank_job_open(const struct rank_job_spec *spec, const struct config *cfg, struct job **job,
		  char *err, size_t len);
void rank_job_close(struct job *job);

/* A rank's peak resident memory (VmHWM, kB; -1 unknown) since the last reset. */
void rank_rss_reset(void);
long rank_rss_peak_kb(void);

/*
 * Bench was started by a launcher that bound it (mpirun binds its rank 0,
 * which is bench's driver): run on every PU the machine allows.  Before
 * anything is pinned.  0 or -errno, with the usable PUs before and after.
 */
int rank_unbind_process(unsigned *before, unsigned *after);

#endif
