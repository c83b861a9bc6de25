/*
 * child — bench's child processes: spawn them, sleep until one ends, one
 * of the caller's descriptors is readable or a deadline passes, and reap
 * them.  A set reaps only its own pids, never wait(-1): a child that
 * belongs to someone else (the user's mpirun, a library, another set) is
 * left for its owner to waitpid().
 *
 *	struct child_set *set = child_set_new(ntasks);
 *	fflush(NULL);
 *	for (...)
 *		id = child_spawn(set, run_one, &arg, tag);
 *	while (child_live(set)) {
 *		child_reap(set, on_exit, ctx);
 *		if (child_live(set))
 *			child_wait(set, fds, nfds, INT64_MAX);
 *	}
 *	child_set_free(set);
 *
 * Each child has a pidfd (pidfd_open) while the set is small; the set
 * then sleeps in one ppoll() on the pidfds and the caller's descriptors.
 * Without pidfds (kernels before 5.3, valgrind 3.19, out of descriptors,
 * or more children than CHILD_PIDFD_MAX) the set falls back, for good,
 * to a SIGCHLD handler that writes to a pipe: one descriptor for any
 * number of children, the same behaviour.  Reaping costs a few system
 * calls per ended child either way, never a scan of every child.
 *
 * A set is used by one thread at a time.  Part of the plug-in API
 * (bench/api/); the code is bench/sys/child.c.
 */
#ifndef BENCH_CHILD_H
#define BENCH_CHILD_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

/* More children than this, or a hint above it: no pidfds (fds are finite). */
#define CHILD_PIDFD_MAX 64
/* child_wait(): the most descriptors a caller may add. */
#define CHILD_WAIT_FDS 8

struct child_set;

/* How a child ended, as child_reap() tells it. */
struct child_exit {
	size_t tag;          /* what child_spawn() was given */
	int id;              /* what child_spawn() returned (free again now) */
	pid_t pid;
	int wstatus;         /* as waitpid() gives it: WIFEXITED() ... */
	int expired;         /* killed because its deadline passed */
	struct rusage ru;    /* its resource use (ru_maxrss: its peak) */
};

typedef void child_reaped_fn(const struct child_exit *e, void *arg);
/* Runs in the child; its return value is the child's exit code. */
typedef int child_main_fn(void *arg);

/*
 * A new, empty set for about @expect children (0: unknown, few); NULL
 * when out of memory.  child_set_free() kills and reaps any child still
 * in it (without telling anyone), then frees it.
 */
struct child_set *child_set_new(size_t expect);
void child_set_free(struct child_set *set);

/*
 * fork() for a child of bench's: no signal is delivered across it, and the
 * child starts with bench's handlers of SIGINT, SIGTERM, SIGHUP, SIGQUIT and
 * SIGCHLD back at their default, so a Ctrl-C sent to the process group as
 * it forks never runs the parent's handler in the child.  The child keeps
 * the parent's signal mask, its ignored signals and its other handlers
 * (SIGPIPE's: EPIPE, not death).  Returns what fork() does.  child_spawn()
 * forks with it.
 */
pid_t child_fork(void);

/*
 * Fork a child that runs @fn(@arg), then _exit()s with what it returns.
 * The child dies with its parent (PR_SET_PDEATHSIG, SIGKILL).  Flush stdio
 * first (fflush(NULL)), or buffered output is written twice.  Returns the
 * child's id in the set (>= 0) or -errno.
 */
int child_spawn(struct child_set *set, child_main_fn *fn, void *arg, size_t tag);

/*
 * Fork and execvp(@argv): descriptor @fds[i] becomes the child's fd i
 * (0, 1, 2), or CHILD_KEEP leaves bench's, or CHILD_NULL gives /dev/null.
 * The child dies with its parent; exit code 127 when exec failed.
 * Returns the child's id or -errno.
 */
#define CHILD_KEEP (-1)
#define CHILD_NULL (-2)
int child_spawn_exec(struct child_set *set, char *const argv[], const int fds[3], size_t tag);

/* Children spawned and not yet reaped. */
size_t child_live(const struct child_set *set);
/* The pid of child @id. */
pid_t child_pid(const struct child_set *set, int id);

/*
 * When child @id still runs at @deadline_ns (CLOCK_MONOTONIC, 0: never),
 * child_wait() kills it with SIGKILL and its child_exit says expired.
 * The set keeps its deadlines in a heap: any number of children.
 */
void child_set_deadline(struct child_set *set, int id, int64_t deadline_ns);

/*
 * Sleep until a child of the set ends, one of @fds (@nfds at most
 * CHILD_WAIT_FDS; their revents are set) is ready, or @deadline_ns
 * passes (INT64_MAX: none), whichever comes first; kills the children
 * whose own deadline passed first.  Returns at once when a child ended
 * since the last child_reap().  0, or -errno (a signal is not an error).
 */
int child_wait(struct child_set *set, struct pollfd *fds, size_t nfds, int64_t deadline_ns);

/*
 * Reap every child of the set that has ended, calling @cb (may be NULL)
 * for each; never blocks.  Returns how many, or -errno.
 */
int child_reap(struct child_set *set, child_reaped_fn *cb, void *arg);

/* Send @sig to every child still in the set and drop their deadlines. */
void child_kill_all(struct child_set *set, int sig);

/*
 * Wait for every child of the set and reap it (@cb as child_reap()),
 * whatever else happens: after child_kill_all(), or for a short-lived
 * child such as gnuplot.  0 or -errno.
 */
int child_reap_all(struct child_set *set, child_reaped_fn *cb, void *arg);

/* Tests: 1 makes sets created afterwards use the SIGCHLD pipe, no pidfds. */
void child_force_fallback(int on);

#endif
