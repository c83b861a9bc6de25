/*
 * child — spawn, wait for and reap bench's child processes, only its own
 * (the API is in bench/api/child.h).
 *
 * Two ways to learn that a child ended.  A small set holds a pidfd per
 * child and sleeps in ppoll() on them; the ready ones are reaped with
 * waitid(P_PIDFD).  Otherwise (no pidfd_open, out of descriptors, many
 * children) a SIGCHLD handler bumps a counter and writes to a pipe, which
 * every such set shares; a set then peeks at the next zombie with
 * waitid(WNOWAIT), looks its pid up in a hash and reaps it by pid only
 * if it is its own.  Someone else's zombie hides the ones behind it from
 * the peek: only then does the set ask each of its children in turn.
 *
 * The per-child deadlines live in a binary heap ordered by deadline.
 */
#include "bench/api/child.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/api/clock.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* set->pfd[]: the caller's fds end at PIPE_AT, the SIGCHLD pipe, the pidfds */
#define PIPE_AT CHILD_WAIT_FDS
#define PID0 (CHILD_WAIT_FDS + 1)

struct child {
	pid_t pid;              /* 0: free slot */
	int pidfd;              /* -1: none */
	size_t tag;
	int64_t deadline;       /* 0: none */
	int heap_pos;           /* in set->heap, -1: not there */
	int pfd_pos;            /* among the pidfds, -1: none */
	int next_free;          /* free slots: the next one, -1: the last */
	int expired;            /* killed by its deadline */
};

struct child_set {
	struct child *kids;
	int cap, used, free_head;       /* slots; used: the high-water mark */
	size_t live;
	pid_t self;
	int fallback;                   /* the SIGCHLD pipe, no pidfds */
	unsigned seen_gen;              /* fallback: SIGCHLDs counted at the last reap */
	int polled;                     /* pidfds' revents are from a wait since the last reap */
	int *hash;                      /* fallback: pid -> slot, linear probing, -1 empty */
	size_t hsize, hused;
	int *heap;                      /* slots with a deadline, earliest first */
	int nheap;
	int npid;                       /* pidfds in pfd[PID0...] */
	struct pollfd pfd[PID0 + CHILD_PIDFD_MAX];
	int pslot[CHILD_PIDFD_MAX];     /* the slot of each pidfd */
};

static int force_fallback;

/* ------------------------------------------------------------ SIGCHLD pipe */

static int chld_pipe[2] = { -1, -1 };
static int chld_users;                  /* sets in fallback */
static struct sigaction chld_old;
static atomic_uint chld_gen;            /* SIGCHLDs so far */

static void on_sigchld(int signo)
{
	int saved = errno;

	(void)signo;
	atomic_fetch_add_explicit(&chld_gen, 1, memory_order_relaxed);
	if (write(chld_pipe[1], "c", 1) < 0) {
		/* full: the parent is woken already */
	}
	errno = saved;
}

static int chld_watch(void)
{
	struct sigaction sa;

	if (chld_users++)
		return 0;
	if (pipe2(chld_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		chld_users--;
		return -errno;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &chld_old);
	return 0;
}

static void chld_unwatch(void)
{
	if (--chld_users)
		return;
	sigaction(SIGCHLD, &chld_old, NULL);
	close(chld_pipe[0]);
	close(chld_pipe[1]);
	chld_pipe[0] = chld_pipe[1] = -1;
}

static void chld_drain(void)
{
	char buf[64];

	while (read(chld_pipe[0], buf, sizeof(buf)) > 0)
		;
}

void child_force_fallback(int on)
{
	force_fallback = on;
}

/* ------------------------------------------------------------ pid hash */

static size_t hash_at(const struct child_set *set, pid_t pid)
{
	return ((unsigned)pid * 2654435761u) & (set->hsize - 1);
}

/*
 * Entries are never removed: a stale one (its slot freed or reused) just
 * does not match, since the slot's own pid is checked.
 */
static int hash_find(const struct child_set *set, pid_t pid)
{
	if (!set->hsize)
		return -1;
	for (size_t i = hash_at(set, pid);; i = (i + 1) & (set->hsize - 1)) {
		int s = set->hash[i];

		if (s < 0 || set->kids[s].pid == pid)
			return s;
	}
}

static void hash_put(struct child_set *set, int s)
{
	size_t i = hash_at(set, set->kids[s].pid);

	while (set->hash[i] >= 0)
		i = (i + 1) & (set->hsize - 1);
	set->hash[i] = s;
	set->hused++;
}

/* A new table holding the live children only. */
static int hash_rebuild(struct child_set *set)
{
	size_t size = 16;
	int *h;

	while (size < 4 * (set->live + 1))
		size *= 2;
	h = malloc(size * sizeof(*h));
	if (!h)
		return -ENOMEM;
	memset(h, 0xff, size * sizeof(*h));
	free(set->hash);
	set->hash = h;
	set->hsize = size;
	set->hused = 0;
	for (int s = 0; s < set->used; s++)
		if (set->kids[s].pid)
			hash_put(set, s);
	return 0;
}

/* Slot @s (its pid set, counted live) becomes findable. */
static int hash_add(struct child_set *set, int s)
{
	if (2 * (set->hused + 1) >= set->hsize)
		return hash_rebuild(set);   /* s included */
	hash_put(set, s);
	return 0;
}

/* ------------------------------------------------------------ deadline heap */

static int64_t due(const struct child_set *set, int i)
{
	return set->kids[set->heap[i]].deadline;
}

static void heap_swap(struct child_set *set, int i, int j)
{
	int t = set->heap[i];

	set->heap[i] = set->heap[j];
	set->heap[j] = t;
	set->kids[set->heap[i]].heap_pos = i;
	set->kids[set->heap[j]].heap_pos = j;
}

static void heap_up(struct child_set *set, int i)
{
	while (i > 0 && due(set, (i - 1) / 2) > due(set, i)) {
		heap_swap(set, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct child_set *set, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;

		if (l < set->nheap && due(set, l) < due(set, m))
			m = l;
		if (r < set->nheap && due(set, r) < due(set, m))
			m = r;
		if (m == i)
			return;
		heap_swap(set, i, m);
		i = m;
	}
}

static void heap_remove(struct child_set *set, int s)
{
	int i = set->kids[s].heap_pos, last = set->nheap - 1;

	if (i < 0)
		return;
	set->kids[s].heap_pos = -1;
	set->nheap--;
	if (i == last)
		return;
	set->heap[i] = set->heap[last];
	set->kids[set->heap[i]].heap_pos = i;
	heap_down(set, i);
	heap_up(set, i);
}

/* The heap has room for every slot: inserting cannot fail. */
static void heap_insert(struct child_set *set, int s)
{
	int i = set->nheap++;

	set->heap[i] = s;
	set->kids[s].heap_pos = i;
	heap_up(set, i);
}

/* ------------------------------------------------------------ slots */

static int slot_get(struct child_set *set)
{
	int s = set->free_head;

	if (s >= 0) {
		set->free_head = set->kids[s].next_free;
		return s;
	}
	if (set->used == set->cap) {
		int cap = 2 * set->cap;
		struct child *kids = realloc(set->kids, (size_t)cap * sizeof(*kids));
		int *heap;

		if (!kids)
			return -ENOMEM;
		set->kids = kids;
		heap = realloc(set->heap, (size_t)cap * sizeof(*heap));
		if (!heap)
			return -ENOMEM;
		set->heap = heap;
		set->cap = cap;
	}
	return set->used++;
}

static void slot_put(struct child_set *set, int s)
{
	set->kids[s] = (struct child){ .pidfd = -1, .heap_pos = -1, .pfd_pos = -1,
				       .next_free = set->free_head };
	set->free_head = s;
}

/* ------------------------------------------------------------ pidfds */

static int pidfd_add(struct child_set *set, int s)
{
	int fd = (int)syscall(SYS_pidfd_open, set->kids[s].pid, 0);
	int k = set->npid;

	if (fd < 0)
		return -errno;
	set->pfd[PID0 + k] = (struct pollfd){ .fd = fd, .events = POLLIN };
	set->pslot[k] = s;
	set->kids[s].pidfd = fd;
	set->kids[s].pfd_pos = k;
	set->npid++;
	return 0;
}

static void pidfd_remove(struct child_set *set, int s)
{
	int k = set->kids[s].pfd_pos, last = set->npid - 1;

	if (k < 0)
		return;
	close(set->kids[s].pidfd);
	set->kids[s].pidfd = -1;
	set->kids[s].pfd_pos = -1;
	set->npid--;
	if (k == last)
		return;
	set->pfd[PID0 + k] = set->pfd[PID0 + last];   /* revents too */
	set->pslot[k] = set->pslot[last];
	set->kids[set->pslot[k]].pfd_pos = k;
}

/* For good: close the pidfds, watch SIGCHLD, find children by pid. */
static int set_fall_back(struct child_set *set, int reap_soon)
{
	int rc;

	if (set->fallback)
		return 0;
	rc = chld_watch();
	if (rc)
		return rc;
	rc = hash_rebuild(set);
	if (rc) {
		chld_unwatch();
		return rc;
	}
	set->fallback = 1;
	while (set->npid)
		pidfd_remove(set, set->pslot[0]);
	set->seen_gen = atomic_load(&chld_gen);
	if (reap_soon)
		set->seen_gen--;   /* a child may have ended before the handler was there */
	return 0;
}

/* ------------------------------------------------------------ the set */

struct child_set *child_set_new(size_t expect)
{
	struct child_set *set = calloc(1, sizeof(*set));
	struct sigaction cur;

	if (!set)
		return NULL;
	set->cap = expect > 16 && expect < INT32_MAX / 2 ? (int)expect : 16;
	set->kids = malloc((size_t)set->cap * sizeof(*set->kids));
	set->heap = malloc((size_t)set->cap * sizeof(*set->heap));
	set->free_head = -1;
	set->self = getpid();
	if (!set->kids || !set->heap)
		goto out_free;
	/* SIGCHLD ignored: children reap themselves unless a handler is set */
	sigaction(SIGCHLD, NULL, &cur);
	if ((force_fallback || expect > CHILD_PIDFD_MAX || cur.sa_handler == SIG_IGN ||
	     (cur.sa_flags & SA_NOCLDWAIT)) && set_fall_back(set, 0))
		goto out_free;
	return set;

out_free:
	free(set->heap);
	free(set->kids);
	free(set);
	return NULL;
}

static int wait_blocking(pid_t pid)
{
	siginfo_t si;

	while (waitid(P_PID, (id_t)pid, &si, WEXITED) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* Slot @s is no child of the set any more. */
static void forget(struct child_set *set, int s)
{
	heap_remove(set, s);
	pidfd_remove(set, s);
	set->live--;
	slot_put(set, s);
}

void child_set_free(struct child_set *set)
{
	if (!set)
		return;
	for (int s = 0; s < set->used; s++) {
		if (!set->kids[s].pid)
			continue;
		kill(set->kids[s].pid, SIGKILL);
		wait_blocking(set->kids[s].pid);
		forget(set, s);
	}
	if (set->fallback)
		chld_unwatch();
	free(set->hash);
	free(set->heap);
	free(set->kids);
	free(set);
}

size_t child_live(const struct child_set *set)
{
	return set->live;
}

pid_t child_pid(const struct child_set *set, int id)
{
	return set->kids[id].pid;
}

/* ------------------------------------------------------------ spawning */

/* A child that cannot be watched is not let run: kill it, reap it. */
static void spawn_abort(struct child_set *set, int s)
{
	kill(set->kids[s].pid, SIGKILL);
	wait_blocking(set->kids[s].pid);
	forget(set, s);
}

/* Parent side: slot @s is child @pid; watch it. */
static int spawn_track(struct child_set *set, int s, pid_t pid, size_t tag)
{
	int rc;

	set->kids[s] = (struct child){ .pid = pid, .pidfd = -1, .tag = tag, .heap_pos = -1,
				       .pfd_pos = -1, .next_free = -1 };
	set->live++;
	if (!set->fallback) {
		if (set->npid < CHILD_PIDFD_MAX && pidfd_add(set, s) == 0)
			return s;
		rc = set_fall_back(set, 1);   /* hashes this child too */
	} else {
		rc = hash_add(set, s);
	}
	if (rc) {
		spawn_abort(set, s);
		return rc;
	}
	return s;
}

/* Child side, first thing: die with the parent. */
static void child_enter(const struct child_set *set)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != set->self)
		_exit(127);   /* the parent died before the line above */
}

/*
 * The handlers of bench's that must not run in a child: the stop requests
 * (bench/core/signals.c, the demo) and the SIGCHLD pipe's.  A list, not a
 * scan of every signal: a sigaction() costs about 0.75 us here, 64 of them
 * 48 us on the way to every forked task.  SIGPIPE's handler stays, so a
 * write to a closed pipe fails with EPIPE in a child as in bench.
 */
static const int parent_only[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD };

pid_t child_fork(void)
{
	sigset_t all, old;
	pid_t pid;
	int saved;

	/*
	 * A Ctrl-C goes to the whole process group.  Were it delivered to a
	 * child before the child drops the parent's handlers, it would run the
	 * parent's handler there (a second stop request, a message, an
	 * _exit()).  So nothing is delivered across fork(): the child sets
	 * those handlers back to their default, then takes the mask back.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = fork();
	saved = errno;
	if (pid == 0)
		for (size_t i = 0; i < sizeof(parent_only) / sizeof(parent_only[0]); i++) {
			struct sigaction sa;

			if (!sigaction(parent_only[i], NULL, &sa) && sa.sa_handler != SIG_DFL &&
			    sa.sa_handler != SIG_IGN)
				signal(parent_only[i], SIG_DFL);
		}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return pid;
}

int child_spawn(struct child_set *set, child_main_fn *fn, void *arg, size_t tag)
{
	int s = slot_get(set);
	pid_t pid;

	if (s < 0)
		return s;
	pid = child_fork();
	if (pid == 0) {
		child_enter(set);
		_exit(fn(arg));
	}
	if (pid < 0) {
		int rc = -errno;

		slot_put(set, s);
		return rc;
	}
	return spawn_track(set, s, pid, tag);
}

struct exec_arg {
	char *const *argv;
	const int *fds;
};

static int exec_main(void *p)
{
	const struct exec_arg *x = p;
	int null = -1;

	for (int i = 0; i < 3; i++) {
		int fd = x->fds ? x->fds[i] : CHILD_KEEP;

		if (fd == CHILD_NULL) {
			if (null < 0)
				null = open("/dev/null", O_RDWR | O_CLOEXEC);
			fd = null;
		}
		if (fd < 0)
			continue;
		if (fd == i)
			fcntl(i, F_SETFD, 0);   /* keep it across exec */
		else
			dup2(fd, i);
	}
	execvp(x->argv[0], x->argv);
	return 127;
}

int child_spawn_exec(struct child_set *set, char *const argv[], const int fds[3], size_t tag)
{
	struct exec_arg x = { .argv = argv, .fds = fds };

	return child_spawn(set, exec_main, &x, tag);
}

/* ------------------------------------------------------------ deadlines */

void child_set_deadline(struct child_set *set, int id, int64_t deadline_ns)
{
	struct child *c = &set->kids[id];

	if (!c->pid || c->expired || (c->heap_pos >= 0 && c->deadline == deadline_ns))
		return;
	heap_remove(set, id);
	c->deadline = deadline_ns;
	if (deadline_ns)
		heap_insert(set, id);
}

/* Kill the children whose deadline has passed. */
static void expire(struct child_set *set)
{
	int64_t now;

	if (!set->nheap)
		return;
	now = clock_now_ns();
	while (set->nheap && due(set, 0) <= now) {
		int s = set->heap[0];

		heap_remove(set, s);
		kill(set->kids[s].pid, SIGKILL);
		set->kids[s].expired = 1;
	}
}

void child_kill_all(struct child_set *set, int sig)
{
	for (int s = 0; s < set->used; s++)
		if (set->kids[s].pid)
			kill(set->kids[s].pid, sig);
	while (set->nheap)
		heap_remove(set, set->heap[0]);
}

/* ------------------------------------------------------------ waiting */

static void to_timespec(int64_t ns, struct timespec *ts)
{
	if (ns < 0)
		ns = 0;
	ts->tv_sec = ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
}

int child_wait(struct child_set *set, struct pollfd *fds, size_t nfds, int64_t deadline_ns)
{
	struct pollfd *base;
	struct timespec ts, *tsp = NULL;
	int64_t until = deadline_ns;
	int rc;

	if (nfds > CHILD_WAIT_FDS)
		return -EINVAL;
	base = set->pfd + PIPE_AT - nfds;
	for (size_t k = 0; k < nfds; k++)
		fds[k].revents = 0;
	expire(set);
	if (set->nheap && due(set, 0) < until)
		until = due(set, 0);
	set->pfd[PIPE_AT] = (struct pollfd){ .fd = -1 };
	if (set->fallback) {
		chld_drain();
		if (atomic_load(&chld_gen) != set->seen_gen)
			return 0;   /* a child ended since the last reap */
		set->pfd[PIPE_AT] = (struct pollfd){ .fd = chld_pipe[0], .events = POLLIN };
	}
	if (nfds)
		memcpy(base, fds, nfds * sizeof(*fds));
	if (until != INT64_MAX) {
		to_timespec(until - clock_now_ns(), &ts);
		tsp = &ts;
	}
	set->polled = 0;
	rc = ppoll(base, nfds + 1 + (size_t)set->npid, tsp, NULL);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	for (size_t k = 0; k < nfds; k++)
		fds[k].revents = base[k].revents;
	set->polled = 1;
	return 0;
}

/* ------------------------------------------------------------ reaping */

/* A waitid() siginfo as the status waitpid() would give. */
static int wstatus_of(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return (si->si_status & 0xff) << 8;
	case CLD_KILLED:
		return si->si_status & 0x7f;
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | 0x80;
	default:
		return 0;
	}
}

/* Reap slot @s if it has ended: 1 reaped, 0 still running, -errno. */
static int reap_one(struct child_set *set, int s, child_reaped_fn *cb, void *arg)
{
	struct child *c = &set->kids[s];
	struct child_exit e = { .tag = c->tag, .id = s, .pid = c->pid, .expired = c->expired };
	siginfo_t si;
	long r;

	memset(&si, 0, sizeof(si));
	/* the raw call: glibc's waitid() has no rusage */
	if (c->pidfd >= 0)
		r = syscall(SYS_waitid, P_PIDFD, c->pidfd, &si, WEXITED | WNOHANG, &e.ru);
	else
		r = syscall(SYS_waitid, P_PID, c->pid, &si, WEXITED | WNOHANG, &e.ru);
	if (r < 0 && errno == EINTR)
		return 0;
	if (r < 0 && errno != ECHILD)
		return -errno;
	if (r == 0 && si.si_pid == 0)
		return 0;
	/* ECHILD: someone else's wait(-1) took it; it ended all the same */
	e.wstatus = r == 0 ? wstatus_of(&si) : 0;
	forget(set, s);
	if (cb)
		cb(&e, arg);
	return 1;
}

/* Reap the children whose pidfd is readable. */
static int reap_pidfds(struct child_set *set, child_reaped_fn *cb, void *arg)
{
	int n = 0;

	if (!set->npid)
		return 0;
	if (!set->polled && poll(set->pfd + PID0, (nfds_t)set->npid, 0) < 0)
		return errno == EINTR ? 0 : -errno;
	set->polled = 0;
	for (int k = 0; k < set->npid;) {
		int rc;

		if (!set->pfd[PID0 + k].revents) {
			k++;
			continue;
		}
		set->pfd[PID0 + k].revents = 0;
		rc = reap_one(set, set->pslot[k], cb, arg);
		if (rc < 0)
			return rc;
		n += rc;
		if (!rc)
			k++;
		/* reaped: position k now holds another pidfd, revents and all */
	}
	return n;
}

/* Ask each child of the set in turn (someone else's zombie came first). */
static int reap_sweep(struct child_set *set, child_reaped_fn *cb, void *arg)
{
	int n = 0;

	for (int s = 0; s < set->used && set->live; s++) {
		int rc;

		if (!set->kids[s].pid)
			continue;
		rc = reap_one(set, s, cb, arg);
		if (rc < 0)
			return rc;
		n += rc;
	}
	return n;
}

/* Peek at zombies: reap them while they are ours. */
static int reap_peek(struct child_set *set, child_reaped_fn *cb, void *arg)
{
	int n = 0;

	set->seen_gen = atomic_load(&chld_gen);
	while (set->live) {
		siginfo_t si;
		int s, rc;

		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
			if (errno == EINTR)
				return n;
			if (errno != ECHILD)
				return -errno;
			si.si_pid = -1;   /* ours were taken: the sweep finds which */
		}
		if (si.si_pid == 0)
			return n;
		s = si.si_pid > 0 ? hash_find(set, si.si_pid) : -1;
		if (s < 0) {
			rc = reap_sweep(set, cb, arg);
			return rc < 0 ? rc : n + rc;
		}
		rc = reap_one(set, s, cb, arg);
		if (rc <= 0)
			return rc < 0 ? rc : n;
		n++;
	}
	return n;
}

int child_reap(struct child_set *set, child_reaped_fn *cb, void *arg)
{
	int n = 0, rc;

	if (!set->fallback) {
		n = reap_pidfds(set, cb, arg);
		if (n < 0 || !set->fallback)
			return n;
		/* a callback's spawn made the set fall back: reap the rest so */
	}
	rc = reap_peek(set, cb, arg);
	return rc < 0 ? rc : n + rc;
}

int child_reap_all(struct child_set *set, child_reaped_fn *cb, void *arg)
{
	for (;;) {
		int rc = child_reap(set, cb, arg);

		if (rc < 0)
			return rc;
		if (!set->live)
			return 0;
		rc = child_wait(set, NULL, 0, INT64_MAX);
		if (rc < 0)
			return rc;
	}
}
