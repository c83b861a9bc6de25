/*
 * seq — the baseline: every task in turn, in the calling thread.
 */
#include "bench/api/clock.h"
#include "bench/api/mode.h"
#include "modes/threadpool.h"

static int seq_run(struct job *job)
{
	/*
	 * --task-timeout: the caller cannot watch the clock while it runs a
	 * task itself, so the tasks run in turn in one helper thread (a pool
	 * of one) while the caller waits with a deadline.
	 */
	if (job->task_timeout_s > 0)
		return threadpool_run_with(job, NULL, NULL);
	job_bind_worker(job, 0, 0);
	for (size_t i = 0; i < job->ntasks; i++)
		job_submit(job, i);
	job->spawn_ns = clock_now_ns();
	for (size_t i = 0; i < job->ntasks && !job_stopping(); i++) {
		job_run_task(job, i, 0, &job->results[i]);
		job_deliver(job, i);
	}
	job_unbind_worker(job);   /* worker 0 was the caller's thread: give it back */
	return 0;
}

const struct mode mode_seq = {
	.name = "seq",
	.summary = "every task in turn in the calling thread",
	.teaches = "the baseline: total time is the sum of the task times (\"synchronous\")",
	.baseline = 1,
	.run = seq_run,
};
