/*
 * mpi — workers are the ranks of an Open MPI job: rank 0 deals the tasks
 * out, ranks 1..W run them, on this machine or on several (distributed
 * memory: nothing is shared, everything is a message).
 *
 * This file is bench's side: the mode, mpirun, the agent process, the
 * lines the ranks send.  What runs inside the ranks, and sees <mpi.h>, is
 * modes/mpi/mpi_rank.c.
 *
 * How a run goes (the launching path: `bench --modes mpi --workers W`):
 *
 *   bench (driver) --fork+execvp--> mpirun -np W+1 --oversubscribe --bind-to none
 *        [--hostfile F] /proc/self/exe's path __mpi-worker WORKLOAD NTASKS
 *        INJECT INJECT_TASK PIN -- <the driver's own options>
 *
 *   - every worker rank re-parses the driver's options with cli_parse() and
 *     prepares the named workload itself (so the same binary path, and for
 *     images a folder every host can read, must exist on every host), then
 *     reports ready with its task count, host name and clock;
 *   - rank 0, the dispatcher, prepares nothing: it hands one task index to
 *     each worker, and the next one to whichever worker sends a result back
 *     (MPI_Send/MPI_Recv with tags), so uneven tasks balance like a pool.
 *     It waits with MPI_Iprobe, spinning briefly and then napping, so that
 *     it does not burn a core that a worker needs;
 *   - results are the same fixed-size struct task_result records as
 *     procpool's, plus the host name.  Rank 0 streams them to the driver
 *     as text lines on its stdout, which mpirun forwards from wherever
 *     rank 0 runs (a pipe or FIFO would only work on this host):
 *
 *       @bench-mpi ready HOST CLOCK_NS      every rank prepared (spawn time)
 *       @bench-mpi run INDEX RANK HOST      sent before the task is
 *       @bench-mpi res RANK HOST HEX        the record, hex-encoded
 *       @bench-mpi error MESSAGE            a rank could not prepare
 *       @bench-mpi done
 *       @bench-mpi usage RANK HOST USER_S SYS_S MAXRSS_KB NVCSW NIVCSW
 *                                           per rank, rank 0 last, once all stopped
 *
 *     The driver delivers each record with job_deliver() as its line
 *     arrives: completion order, live.  Worker ranks send their own stdout
 *     to stderr, so rank 0's lines never interleave with anything.
 *   - worker = rank - 1 (one lane per rank); the message column starts with
 *     "rank R on HOST", since the tasks CSV's host column is the driver's.
 *     Times from another host are moved onto the driver's clock by an
 *     offset measured once per rank (a ping), rank 0's by its ready line.
 *
 * Failures: a rank that dies makes mpirun abort the whole job (that is
 * MPI's model).  The driver polls mpirun's output, its pidfd and the stop
 * fd; when mpirun ends early, the task the dead rank held (from the run
 * lines) is "crashed" with the signal mpirun reports, tasks other ranks
 * held are "skipped", the rest "not run", and the mode returns.  Once
 * mpirun says it aborts the job, no task is timed out any more (the results
 * in flight still come; a task cut off then is not one that hung), and
 * mpirun gets KILL_GRACE_NS to end by itself.  A task past --task-timeout,
 * or Ctrl-C, makes the driver SIGTERM mpirun, then SIGKILL every process of
 * its session: mpirun runs in a session of its own, so the ssh it starts
 * (in process groups of their own) and the daemons are found and ended even
 * after mpirun is gone.  mpirun dies with the driver (PR_SET_PDEATHSIG).
 * The launch has a limit of its own: mpirun and every rank must be up and
 * prepared within LAUNCH_TIMEOUT_S (BENCH_MPI_LAUNCH_TIMEOUT=S), else a
 * host that never answers would hold bench forever; past it the run is
 * recorded "error", its tasks "not run", and later mpi runs of this
 * invocation are not tried.
 *
 * As root (containers, CI) mpirun refuses to start unless
 * OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1: set for
 * mpirun only when we are root.  --oversubscribe lets W+1 ranks share
 * fewer cores.  --bind-to none: with --pin, worker ranks bind themselves
 * with bench's own plan (like procpool), so planned_pu means the same in
 * every mode; rank 0 stays unbound.
 *
 * Started by the user's own mpirun (`mpirun -np N bench ...`: every rank
 * runs bench with the same options, OMPI_COMM_WORLD_RANK tells them apart),
 * bench uses the ranks it was given, through mpi_attach(), first thing in
 * main():
 *
 *   - ranks 1..N-1 never run the driver: they MPI_Init and wait for
 *     commands from rank 0, each one run of the mpi mode (the same
 *     arguments as the __mpi-worker command line above, and how many of
 *     them take part).  For each they prepare, serve tasks exactly as
 *     launched ranks do, report their resource use over the run, and wait
 *     again; an empty command ends them;
 *   - rank 0 is bench's driver and runs the whole plan (the other modes
 *     run on its host).  mpirun may have bound it to one core: it unbinds
 *     itself so those modes get the machine.  Before anything else it forks
 *     its "agent", the process that is rank 0 in MPI terms (MPI_Init in
 *     the child: the driver keeps no MPI threads, fds or handlers, and can
 *     still fork for the fork and procpool modes), and waits until every
 *     rank is up and connected, so that no run pays for MPI_Init.  The
 *     agent reads a command per mpi run from a socket, forwards it to the
 *     ranks that take part, runs the same dispatcher, and streams the same
 *     @bench-mpi lines back on a pipe, then "@bench-mpi idle" when the
 *     command is finished, so mpi_run() reads a persistent agent instead
 *     of a fresh mpirun.  The usage lines count there for every rank, 0
 *     included (the agent is only reaped if it dies, and then its lifetime
 *     is taken back out); when bench launched mpirun, only for the ranks
 *     on other hosts (mpirun's rusage has the local ones).
 *     When the driver exits, the agent tells every rank to end and they
 *     all MPI_Finalize: mpirun returns bench's exit status.
 *   - --workers defaults to N-1 there, and asking for more than N-1 is
 *     refused before anything runs.
 *
 * Under the user's mpirun a rank that dies is still MPI's business: mpirun
 * ends the whole job, bench's driver included (SIGTERM, then SIGKILL a
 * moment later); the runs already written stay in the CSV.  A task past
 * --task-timeout makes the driver kill its agent: that run is recorded,
 * later mpi runs of this invocation are refused, and mpirun ends the
 * stuck ranks when bench exits.
 *
 * Built without Open MPI, the mode still exports itself, marked
 * unavailable with the reason.
 */
#include "modes/mpi/mpi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/core/cli.h"
#include "bench/api/clock.h"
#include "bench/core/config.h"
#include "bench/api/mode.h"
#include "bench/api/path.h"
#include "bench/sys/pin.h"
#include "bench/core/registry.h"

#include "modes/mpi/mpi_rank.h"

#define KILL_GRACE_NS 3000000000LL     /* SIGTERM, then SIGKILL */
/*
 * mpirun and all its ranks must be up, prepared and connected within this
 * long (BENCH_MPI_LAUNCH_TIMEOUT=S changes it): a host whose ssh never
 * answers would otherwise hold bench forever.  Generous, since the ranks
 * prepare the workload first (the built-in photos may be made on a host).
 */
#define LAUNCH_TIMEOUT_S 120.0

#ifdef BENCH_HAVE_MPI
#define UNAVAILABLE ((const char *)NULL)
#else
#define UNAVAILABLE MPI_UNAVAILABLE_REASON
#endif

extern char **environ;

void mpi_host_name(char *buf, size_t len)
{
	if (gethostname(buf, len) < 0)
		snprintf(buf, len, "unknown");
	buf[len - 1] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == ' ' || *p == '\n')
			*p = '_';
}

/* ================================================================ driver */

/* Why the driver killed mpirun. */
enum mpi_kill {
	KILL_NONE,
	KILL_STOP,       /* Ctrl-C */
	KILL_TIMEOUT,    /* a task outlived --task-timeout */
	KILL_LAUNCH,     /* the ranks were not up within the launch timeout */
	KILL_ABORT,      /* mpirun announced an abort but did not end */
};

struct linebuf {
	char buf[MPI_LINE_MAX + 1];
	size_t len;
};

struct mpi_launch {
	struct job *job;
	int agent;                     /* reading the persistent agent, not mpirun */
	unsigned nranks;
	pid_t pid;
	int pidfd;
	int out_fd, err_fd;
	struct linebuf out, err;
	int64_t *held;                 /* [nranks]: task each rank runs, -1 none */
	int64_t *since;                /* [nranks]: when the driver learnt it */
	char (*hosts)[MPI_HOST_MAX];   /* [nranks] */
	char *delivered;               /* [ntasks] */
	int ready, done, idle;
	int64_t offset_ns;             /* driver clock - rank 0 clock */
	char host[MPI_HOST_MAX];
	char error[512];
	/* what mpirun said about the rank that ended the job */
	int dead_rank, dead_signal, dead_exit;
	int in_banner;
	char banner[4096];
	size_t banner_len;
	enum mpi_kill killed;
	int timeout_rank;
	int64_t kill_ns;
	int64_t launch_ns;             /* when mpirun was started */
	int64_t abort_ns;              /* when mpirun said it aborts the job (0: not yet) */
	double launch_timeout_s;
	int wstatus;
};

/* Why mpi runs are refused after a launch timed out ("" while none did). */
static char launch_failed[200];
static double launch_failed_s;

/* The first mpirun in $PATH, or -ENOENT. */
static int find_mpirun(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n && snprintf(buf, sizeof(buf), "%.*s/mpirun", (int)n, path) < (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return 0;
		path += n;
		if (*path == ':')
			path++;
	}
	return -ENOENT;
}

/* environ plus what mpirun needs to run as root; NULL on ENOMEM. */
static char **launch_env(void)
{
	static char root1[] = "OMPI_ALLOW_RUN_AS_ROOT=1";
	static char root2[] = "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1";
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		env[k++] = environ[i];
	if (geteuid() == 0) {
		if (!getenv("OMPI_ALLOW_RUN_AS_ROOT"))
			env[k++] = root1;
		if (!getenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"))
			env[k++] = root2;
	}
	return env;
}

/* How many arguments append_worker_args() adds at most. */
static size_t worker_args_max(const struct job *job)
{
	size_t nargs = 0;

	if (job->argv)
		while (job->argv[nargs])
			nargs++;
	return nargs + 8;
}

/*
 * Append what a worker rank needs after MPI_WORKER_COMMAND: WORKLOAD NTASKS
 * INJECT INJECT_TASK PIN -- <the driver's options>.  @nums holds the
 * number strings.  The new count.
 */
static size_t append_worker_args(const struct job *job, char nums[5][32], char **argv, size_t k)
{
	snprintf(nums[1], 32, "%zu", job->ntasks);
	snprintf(nums[2], 32, "%d", job->inject);
	snprintf(nums[3], 32, "%ld", job->inject_task);
	snprintf(nums[4], 32, "%d", job->pin ? (int)job->pin->policy : 0);
	/* a plug-in by its file (plugin:FILE.so): the ranks load it themselves */
	argv[k++] = (char *)(job->workload->cli_name ? job->workload->cli_name : job->workload->name);
	for (int i = 1; i < 5; i++)
		argv[k++] = nums[i];
	argv[k++] = "--";
	for (size_t i = 1; job->argv && job->argv[i]; i++)
		argv[k++] = job->argv[i];
	argv[k] = NULL;
	return k;
}

/*
 * mpirun's command line (see the top of this file).  @nums holds the
 * number strings; the returned array and @exe are the caller's to free.
 */
static char **launch_argv(const struct job *job, unsigned nranks, char nums[5][32], char *exe,
			  size_t exelen)
{
	size_t nenv = 0, k = 0;
	ssize_t n;
	char **argv;

	n = readlink("/proc/self/exe", exe, exelen - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (char **e = environ; *e; e++)
		nenv += !strncmp(*e, "BENCH_", 6);
	argv = calloc(worker_args_max(job) + 2 * nenv + 16, sizeof(*argv));
	if (!argv)
		return NULL;
	snprintf(nums[0], 32, "%u", nranks);
	argv[k++] = "mpirun";
	argv[k++] = "-np";
	argv[k++] = nums[0];
	argv[k++] = "--oversubscribe";
	argv[k++] = "--bind-to";
	argv[k++] = "none";
	if (option_text(job->cfg, "--hostfile")) {
		argv[k++] = "--hostfile";
		argv[k++] = (char *)option_text(job->cfg, "--hostfile");
	}
	/* local ranks inherit the environment, remote ones get what -x names */
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "BENCH_", 6)) {
			argv[k++] = "-x";
			argv[k++] = *e;
		}
	argv[k++] = exe;
	argv[k++] = MPI_WORKER_COMMAND;
	append_worker_args(job, nums, argv, k);
	return argv;
}

/* In the forked child: become mpirun, in a group of its own. */
static void __attribute__((noreturn)) launch_child(int out_wr, int err_wr, char **argv, char **env)
{
	sigset_t none;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/*
	 * A session of its own (and so a group of its own: Ctrl-C is for
	 * bench to decide): everything mpirun starts stays in it, even the
	 * ssh it puts in groups of their own, so kill_session() can end them
	 * all when mpirun cannot.
	 */
	setsid();
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(out_wr, STDOUT_FILENO) < 0 || dup2(err_wr, STDERR_FILENO) < 0)
		_exit(127);
	execvpe(argv[0], argv, env);
	dprintf(STDERR_FILENO, "bench: cannot run mpirun: %s\n", strerror(errno));
	_exit(127);
}

static int launch(struct mpi_launch *l)
{
	char nums[5][32], exe[4096];
	char **argv = launch_argv(l->job, l->nranks, nums, exe, sizeof(exe));
	char **env = launch_env();
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, rc = 0;

	if (!argv || !env) {
		rc = -ENOMEM;
		goto out_free;
	}
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		rc = -errno;
		goto out_close;
	}
	fflush(NULL);
	l->pid = fork();
	if (l->pid == 0)
		launch_child(out[1], err[1], argv, env);
	if (l->pid < 0) {
		rc = -errno;
		goto out_close;
	}
	l->launch_ns = clock_now_ns();
	l->pidfd = (int)syscall(SYS_pidfd_open, l->pid, 0);
	if (l->pidfd < 0) {
		/* without it mpirun's end cannot be polled with its output */
		rc = -errno;
		kill(-l->pid, SIGKILL);
		waitpid(l->pid, NULL, 0);
		goto out_close;
	}
	l->out_fd = out[0];
	l->err_fd = err[0];
	fcntl(l->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(l->err_fd, F_SETFL, O_NONBLOCK);
	out[0] = err[0] = -1;
out_close:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
out_free:
	free(argv);
	free(env);
	return rc;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int hex_decode(const char *hex, void *out, size_t len)
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

static void on_result(struct mpi_launch *l, char *args)
{
	struct job *job = l->job;
	struct task_result rec;
	char host[MPI_HOST_MAX], msg[TASK_MESSAGE_MAX], *save = NULL;
	char *rank_s = strtok_r(args, " ", &save), *host_s = strtok_r(NULL, " ", &save);
	char *hex = strtok_r(NULL, " ", &save);
	unsigned rank;
	size_t i;

	if (!rank_s || !host_s || !hex || hex_decode(hex, &rec, sizeof(rec)))
		return;
	rank = (unsigned)strtoul(rank_s, NULL, 10);
	i = (size_t)rec.index;
	if (rec.index < 0 || i >= job->ntasks || l->delivered[i] || rank == 0 || rank >= l->nranks)
		return;
	snprintf(host, sizeof(host), "%s", host_s);
	rec.submit_ns = job->results[i].submit_ns;
	if (l->offset_ns && rec.start_ns) {
		rec.start_ns += l->offset_ns;
		rec.end_ns += l->offset_ns;
	}
	rec.message[sizeof(rec.message) - 1] = '\0';
	snprintf(msg, sizeof(msg), "%s", rec.message);
	task_message(&rec, "rank %u on %s%s%s", rank, host, msg[0] ? ": " : "", msg);
	job->results[i] = rec;
	l->delivered[i] = 1;
	if (l->held[rank] == (int64_t)i)
		l->held[rank] = -1;
	job_deliver(job, i);
}

static void on_line(struct mpi_launch *l, char *line)
{
	char *args;

	if (strncmp(line, MPI_LINE_TAG, strlen(MPI_LINE_TAG))) {
		fprintf(stderr, "%s\n", line);   /* not ours: the user should see it */
		return;
	}
	line += strlen(MPI_LINE_TAG);
	args = line + strcspn(line, " ");
	if (*args)
		*args++ = '\0';
	if (!strcmp(line, "res")) {
		on_result(l, args);
	} else if (!strcmp(line, "run")) {
		unsigned long i = 0, rank = 0;
		char host[MPI_HOST_MAX] = "";

		if (sscanf(args, "%lu %lu %63s", &i, &rank, host) == 3 && rank < l->nranks &&
		    i < l->job->ntasks) {
			l->held[rank] = (int64_t)i;
			l->since[rank] = clock_now_ns();
			snprintf(l->hosts[rank], MPI_HOST_MAX, "%s", host);
		}
	} else if (!strcmp(line, "ready")) {
		char host[MPI_HOST_MAX] = "";
		int64_t clock = 0;

		if (sscanf(args, "%63s %" SCNd64, host, &clock) == 2 && strcmp(host, l->host))
			l->offset_ns = clock_now_ns() - clock;
		snprintf(l->hosts[0], MPI_HOST_MAX, "%s", host);
		l->ready = 1;
		l->job->spawn_ns = clock_now_ns();
	} else if (!strcmp(line, "error")) {
		snprintf(l->error, sizeof(l->error), "%s", args);
	} else if (!strcmp(line, "done")) {
		l->done = 1;
	} else if (!strcmp(line, "usage")) {
		unsigned rank = 0;
		double user = 0, sys = 0;
		long rss = 0, nv = 0, niv = 0;
		char host[MPI_HOST_MAX] = "";

		/* a rank mpirun started here is in our children's rusage already */
		if (sscanf(args, "%u %63s %lf %lf %ld %ld %ld", &rank, host, &user, &sys, &rss, &nv,
			   &niv) == 7 && rank < l->nranks &&
		    (l->agent || strcmp(host, l->host))) {
			l->job->remote.user_s += user;
			l->job->remote.sys_s += sys;
			l->job->remote.nvcsw += nv;
			l->job->remote.nivcsw += niv;
			/* ours under the user's mpirun, but on this host: not "others" */
			if (!strcmp(host, l->host))
				l->job->remote.here_s += user + sys;
			if (rss > 0) {
				l->job->child_rss_kb += rss;
				l->job->child_own_kb += rss;   /* shares no page with us */
			}
		}
	} else if (!strcmp(line, "idle")) {
		l->idle = 1;
	}
}

/*
 * mpirun's own reports come as blocks between lines of dashes: keep them
 * (printed at the end unless a rank death or our kill explains them) and
 * pick out which rank ended the job and how.
 */
static void on_err_line(struct mpi_launch *l, char *line)
{
	int rank, sig, code;
	const char *p;

	if (!strncmp(line, "-----", 5)) {
		l->in_banner = !l->in_banner;
		return;
	}
	if (!l->in_banner) {
		fprintf(stderr, "%s\n", line);
		return;
	}
	if (l->banner_len + strlen(line) + 2 < sizeof(l->banner))
		l->banner_len += (size_t)snprintf(l->banner + l->banner_len,
						  sizeof(l->banner) - l->banner_len, "%s\n", line);
	/* the job is ending: no task can report any more, none is late */
	if (!l->abort_ns && (strstr(line, "has been aborted") || strstr(line, "noticed that process") ||
			     strstr(line, "MPI_ABORT was invoked")))
		l->abort_ns = clock_now_ns();
	p = strstr(line, "process rank ");
	if (p && sscanf(p, "process rank %d", &rank) == 1)
		l->dead_rank = rank;
	p = strstr(line, "exited on signal ");
	if (p && sscanf(p, "exited on signal %d", &sig) == 1)
		l->dead_signal = sig;
	p = strstr(line, "Process name:");
	if (p && (p = strrchr(p, ',')) && sscanf(p + 1, "%d", &rank) == 1)
		l->dead_rank = rank;
	p = strstr(line, "Exit code:");
	if (p && sscanf(p, "Exit code: %d", &code) == 1)
		l->dead_exit = code;
}

/* Read what @fd has, hand each whole line to @fn. 0 at end of file. */
static int read_lines(struct mpi_launch *l, int fd, struct linebuf *b,
		      void (*fn)(struct mpi_launch *, char *))
{
	for (;;) {
		ssize_t n = read(fd, b->buf + b->len, sizeof(b->buf) - 1 - b->len);
		char *start = b->buf, *nl;

		if (n < 0)
			return errno == EINTR ? 1 : (errno == EAGAIN ? 1 : 0);
		if (n == 0) {
			if (b->len) {
				b->buf[b->len] = '\0';
				fn(l, b->buf);
				b->len = 0;
			}
			return 0;
		}
		b->len += (size_t)n;
		b->buf[b->len] = '\0';
		while ((nl = memchr(start, '\n', b->len - (size_t)(start - b->buf)))) {
			*nl = '\0';
			fn(l, start);
			start = nl + 1;
		}
		b->len -= (size_t)(start - b->buf);
		memmove(b->buf, start, b->len);
		if (b->len == sizeof(b->buf) - 1) {   /* a line too long: cut it */
			b->buf[b->len] = '\0';
			fn(l, b->buf);
			b->len = 0;
		}
	}
}

/*
 * Send @sig to every process of session @sid: mpirun's (launch_child()
 * made it a session leader), ssh and its daemons included, whether or not
 * mpirun is still there to be their parent.
 */
static void kill_session(pid_t sid, int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[300], buf[512], *p;
		int session = 0;
		ssize_t n;
		int fd;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* pid (comm) state ppid pgrp session ...: comm may hold anything */
		p = strrchr(buf, ')');
		if (p && sscanf(p + 1, " %*c %*d %*d %d", &session) == 1 && session == sid)
			kill((pid_t)atoi(e->d_name), sig);
	}
	closedir(d);
}

/*
 * Signal what mpi_run() started: mpirun (@group: and its process group),
 * or the agent, through its pidfd (the fork and procpool modes reap any
 * child, so its pid may already be free for reuse).
 */
static void signal_launch(const struct mpi_launch *l, int sig, int group)
{
	if (l->agent) {
		syscall(SYS_pidfd_send_signal, l->pidfd, sig, NULL, 0);
		return;
	}
	if (group)
		kill_session(l->pid, sig);
	kill(l->pid, sig);
}

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* How a process ended, from its wait status (-1: unknown). */
static void describe_end(int wstatus, char *buf, size_t len)
{
	if (wstatus == -1)
		snprintf(buf, len, "ended");
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "killed by SIG%s", sigabbrev_np(WTERMSIG(wstatus)));
	else
		snprintf(buf, len, "exited with code %d", WEXITSTATUS(wstatus));
}

static void kill_mpirun(struct mpi_launch *l, enum mpi_kill why)
{
	if (l->killed)
		return;
	l->killed = why;
	l->kill_ns = clock_now_ns();
	signal_launch(l, SIGTERM, 0);
}

/* Kill mpirun when a task has outlived --task-timeout; the poll timeout (ms). */
static int check_deadlines(struct mpi_launch *l)
{
	int64_t limit = (int64_t)(l->job->task_timeout_s * 1e9), now = clock_now_ns();
	int64_t next = INT64_MAX;

	if (l->killed) {
		if (now - l->kill_ns >= KILL_GRACE_NS) {
			signal_launch(l, SIGKILL, 1);
			return -1;
		}
		return (int)((l->kill_ns + KILL_GRACE_NS - now) / 1000000 + 1);
	}
	if (l->abort_ns) {
		/*
		 * A rank died and mpirun aborts the job: Open MPI waits a
		 * moment before it ends the other ranks, and the results in
		 * flight still come (a task timed out now would be one that
		 * finished).  Let it end by itself, or end it after the grace.
		 */
		if (now - l->abort_ns >= KILL_GRACE_NS) {
			kill_mpirun(l, KILL_ABORT);
			return (int)(KILL_GRACE_NS / 1000000);
		}
		return (int)((l->abort_ns + KILL_GRACE_NS - now) / 1000000 + 1);
	}
	if (!l->agent && !l->ready) {
		int64_t launch_limit = l->launch_ns + (int64_t)(l->launch_timeout_s * 1e9);

		if (now >= launch_limit) {
			kill_mpirun(l, KILL_LAUNCH);
			return (int)(KILL_GRACE_NS / 1000000);
		}
		next = launch_limit;
	}
	if (limit <= 0)
		return next == INT64_MAX ? -1 : (int)((next - now) / 1000000 + 1);
	for (unsigned r = 1; r < l->nranks; r++) {
		if (l->held[r] < 0)
			continue;
		if (l->since[r] + limit <= now) {
			l->timeout_rank = (int)r;
			kill_mpirun(l, KILL_TIMEOUT);
			return (int)(KILL_GRACE_NS / 1000000);
		}
		if (l->since[r] + limit < next)
			next = l->since[r] + limit;
	}
	return next == INT64_MAX ? -1 : (int)((next - now) / 1000000 + 1);
}

/* Settle task @i, which rank @rank (0: none) held when the job ended. */
static void settle(struct mpi_launch *l, size_t i, unsigned rank, int status, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void settle(struct mpi_launch *l, size_t i, unsigned rank, int status, const char *fmt, ...)
{
	struct task_result *r = &l->job->results[i];
	va_list ap;

	if (l->delivered[i])
		return;
	r->index = (int32_t)i;
	if (rank) {
		r->worker = (int32_t)rank - 1;
		r->start_ns = l->since[rank];   /* when the driver learnt it started */
	}
	r->status = status;
	r->end_ns = clock_now_ns();
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	l->delivered[i] = 1;
	job_deliver(l->job, i);
}

/* mpirun ended before "done": name what happened to each task left. */
static void settle_abort(struct mpi_launch *l)
{
	struct job *job = l->job;
	char why[160], how[96];
	int dead = l->killed == KILL_TIMEOUT ? l->timeout_rank : l->dead_rank;

	if (l->dead_signal)
		snprintf(how, sizeof(how), "killed by SIG%s", sigabbrev_np(l->dead_signal));
	else if (l->dead_exit)
		snprintf(how, sizeof(how), "exited with code %d mid-task", l->dead_exit);
	else
		describe_end(l->wstatus, how, sizeof(how));
	if (l->killed == KILL_STOP)
		snprintf(why, sizeof(why), "interrupted by SIG%s before it finished (%s killed)",
			 sigabbrev_np(job_stop_signal()), l->agent ? "rank 0" : "mpirun");
	else if (l->agent && dead > 0)
		snprintf(why, sizeof(why), "bench killed rank 0 when rank %d timed out, so the "
			 "result is lost", dead);
	else if (dead > 0)
		snprintf(why, sizeof(why), "mpirun aborted the job when rank %d %s", dead,
			 l->killed == KILL_TIMEOUT ? "timed out" : "died");
	else if (l->agent)
		snprintf(why, sizeof(why), "the MPI job's rank 0 ended early (%s)", how);
	else
		snprintf(why, sizeof(why), "mpirun ended early (%s)", how);

	for (unsigned r = 1; r < l->nranks; r++) {
		size_t i = (size_t)l->held[r];

		if (l->held[r] < 0)
			continue;
		if (l->killed == KILL_STOP)
			settle(l, i, r, TASK_SKIPPED, "rank %u on %s: %s", r, l->hosts[r], why);
		else if (l->killed == KILL_TIMEOUT && (int)r == dead)
			settle(l, i, r, TASK_TIMEOUT, "rank %u on %s: timed out after %g s: %s", r,
			       l->hosts[r], job->task_timeout_s, l->agent ?
			       "rank 0 killed, no more mpi runs" : "mpirun killed, the job ends");
		else if ((int)r == dead || dead <= 0)
			settle(l, i, r, TASK_CRASHED, "rank %u on %s: worker %s; %s", r, l->hosts[r],
			       how, l->agent ? "rank 0 ended" : "mpirun aborted the job");
		else
			settle(l, i, r, TASK_SKIPPED, "rank %u on %s: killed: %s", r, l->hosts[r], why);
		l->held[r] = -1;
	}
	if (l->killed == KILL_STOP)
		return;   /* the rest stay "not_run" */
	for (size_t i = 0; i < job->ntasks; i++)
		settle(l, i, 0, TASK_SKIPPED, "not run: %s", why);
}

static int mpi_loop(struct mpi_launch *l)
{
	int out_open = 1, err_open = l->err_fd >= 0, exited = 0;

	while ((!exited || out_open || err_open) && !l->idle) {
		struct pollfd fds[4];
		int timeout;

		/* take in what has arrived before judging anything late */
		if (out_open && !l->killed)
			out_open = read_lines(l, l->out_fd, &l->out, on_line);
		if (l->idle)
			break;
		fds[0] = (struct pollfd){ .fd = out_open ? l->out_fd : -1, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = err_open ? l->err_fd : -1, .events = POLLIN };
		fds[2] = (struct pollfd){ .fd = exited ? -1 : l->pidfd, .events = POLLIN };
		fds[3] = (struct pollfd){ .fd = l->killed ? -1 : job_stop_fd(), .events = POLLIN };
		if (job_stopping())
			kill_mpirun(l, KILL_STOP);
		timeout = check_deadlines(l);
		if (exited)
			timeout = 0;   /* drain what is buffered, don't wait for EOF */
		if (poll(fds, 4, timeout) < 0 && errno != EINTR)
			return -errno;
		if (out_open && (fds[0].revents || exited))
			out_open = read_lines(l, l->out_fd, &l->out, on_line);
		if (err_open && (fds[1].revents || exited))
			err_open = read_lines(l, l->err_fd, &l->err, on_err_line);
		if (!exited && fds[2].revents) {
			/* mpirun is gone: what it wrote is all in the pipes */
			exited = 1;
			continue;
		}
		if (exited)
			break;
	}
	return 0;
}

/* ------------------------------------------------- under the user's mpirun */

/* The ranks the user's mpirun gave us (see the top of this file). */
static struct {
	int size;                      /* ranks in the job; 0: not under mpirun */
	pid_t driver;                  /* the process that started the agent */
	pid_t pid;                     /* the agent, rank 0; -1: none, or gone */
	int pidfd, cmd_fd, out_fd;
	char gone[200];                /* why the agent is gone */
} given = { .pid = -1, .pidfd = -1, .cmd_fd = -1, .out_fd = -1 };

static int mpi_plan_workers(unsigned *workers, int automatic, char *err, size_t len)
{
	unsigned most = given.size > 1 ? (unsigned)given.size - 1 : 0;

	if (!given.size)
		return 0;   /* bench launches mpirun with as many ranks as asked */
	if (given.size < 2) {
		snprintf(err, len, "--modes mpi: bench was started by mpirun with 1 rank, and the "
			 "mpi mode needs rank 0 to deal and at least one more rank to work: start "
			 "mpirun with -np 2 or more, or run bench without mpirun (it launches "
			 "mpirun itself)");
		return -EINVAL;
	}
	if (automatic) {
		*workers = most;
	} else if (*workers > most) {
		snprintf(err, len, "--workers %u: mpirun gave bench %d ranks, so the mpi mode has at "
			 "most %u workers (rank 0 deals the tasks); start mpirun with -np %u",
			 *workers, given.size, most, *workers + 1);
		return -EINVAL;
	}
	return 0;
}

unsigned mpi_given_ranks(void)
{
	return (unsigned)given.size;
}

/* The agent (it was there) ended or was killed: no more mpi runs in this invocation. */
static void agent_gone(int wstatus, const char *why)
{
	char how[96];

	if (wstatus != -1) {
		describe_end(wstatus, how, sizeof(how));
		snprintf(given.gone, sizeof(given.gone), "the MPI job's rank 0 (bench's agent) %s "
			 "(%s): no more mpi runs until bench starts again", why, how);
	} else {
		snprintf(given.gone, sizeof(given.gone), "the MPI job's rank 0 (bench's agent) %s: "
			 "no more mpi runs until bench starts again", why);
	}
	close(given.pidfd);
	close(given.cmd_fd);
	close(given.out_fd);
	given.pid = -1;
	given.pidfd = given.cmd_fd = given.out_fd = -1;
}

/* Send the agent one run: u32 workers, u32 length, NUL-separated arguments. */
static int agent_command(const struct job *job)
{
	char nums[5][32], **argv = calloc(worker_args_max(job), sizeof(*argv));
	size_t n, len = 0, off = 2 * sizeof(uint32_t);
	char *msg;
	int rc = 0;

	if (!argv)
		return -ENOMEM;
	n = append_worker_args(job, nums, argv, 0);
	for (size_t i = 0; i < n; i++)
		len += strlen(argv[i]) + 1;
	msg = malloc(off + len);
	if (!msg) {
		free(argv);
		return -ENOMEM;
	}
	((uint32_t *)msg)[0] = job->workers;
	((uint32_t *)msg)[1] = (uint32_t)len;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(argv[i]) + 1;

		memcpy(msg + off, argv[i], k);
		off += k;
	}
	for (size_t done = 0; done < off;) {
		ssize_t w = send(given.cmd_fd, msg + done, off - done, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EPIPE;
			break;
		}
		done += (size_t)w;
	}
	free(msg);
	free(argv);
	return rc;
}

/* The driver at exit: the agent tells every rank to end, and they finalize. */
static void agent_stop(void)
{
	struct pollfd pfd = { .fd = given.pidfd, .events = POLLIN };
	int n;

	if (getpid() != given.driver || given.pid < 0)
		return;
	close(given.cmd_fd);
	given.cmd_fd = -1;
	/* a rank stuck in a task never finalizes: don't wait for it forever */
	while ((n = poll(&pfd, 1, 10000)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		syscall(SYS_pidfd_send_signal, given.pidfd, SIGKILL, NULL, 0);
	waitpid(given.pid, NULL, 0);
	given.pid = -1;
}

/* Wait until every rank is up (MPI_Init is slow), so runs time only the runs. */
static void agent_wait_up(void)
{
	static const char up[] = MPI_LINE_TAG "up\n";
	char buf[sizeof(up)];
	struct pollfd pfd = { .fd = given.out_fd, .events = POLLIN };
	int n = poll(&pfd, 1, 120000);

	if (n > 0 && fd_read_full(given.out_fd, buf, sizeof(up) - 1) == sizeof(up) - 1 &&
	    !memcmp(buf, up, sizeof(up) - 1))
		return;
	kill(given.pid, SIGKILL);   /* our child, not reaped: the pid is still its */
	waitpid(given.pid, NULL, 0);
	agent_gone(-1, n == 0 ? "did not start within 2 minutes" : "could not start");
}

/* Rank 0: fork the agent, before the driver has threads or children. */
static void agent_start(char *argv0)
{
	int cmd[2] = { -1, -1 }, out[2] = { -1, -1 };
	pid_t pid;

	given.driver = getpid();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cmd) < 0 ||
	    pipe2(out, O_CLOEXEC) < 0) {
		snprintf(given.gone, sizeof(given.gone), "rank 0's agent could not start: %s",
			 strerror(errno));
		goto out_close;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		close(cmd[0]);
		close(out[0]);
		mpi_agent_main(cmd[1], out[1], argv0, given.driver);
	}
	if (pid < 0) {
		snprintf(given.gone, sizeof(given.gone), "rank 0's agent could not start: %s",
			 strerror(errno));
		goto out_close;
	}
	setpgid(pid, pid);
	given.pid = pid;
	given.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (given.pidfd < 0) {
		snprintf(given.gone, sizeof(given.gone), "rank 0's agent cannot be watched "
			 "(pidfd_open: %s)", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		given.pid = -1;
		goto out_close;
	}
	given.cmd_fd = cmd[0];
	given.out_fd = out[0];
	cmd[0] = out[0] = -1;
	atexit(agent_stop);
	agent_wait_up();
	if (given.out_fd >= 0)
		fcntl(given.out_fd, F_SETFL, O_NONBLOCK);
out_close:
	for (int i = 0; i < 2; i++) {
		if (cmd[i] >= 0)
			close(cmd[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
}

/* ------------------------------------------------------------ the mode */

/* BENCH_MPI_LAUNCH_TIMEOUT, or LAUNCH_TIMEOUT_S: 0, or -EINVAL with @err. */
static int launch_timeout(double *out, char *err, size_t len)
{
	const char *v = getenv("BENCH_MPI_LAUNCH_TIMEOUT");

	*out = LAUNCH_TIMEOUT_S;
	if (!v)
		return 0;
	return cli_parse_double("BENCH_MPI_LAUNCH_TIMEOUT", v, 0.1, 1e6, out, err, len);
}

static int mpi_run(struct job *job)
{
	struct mpi_launch l = {
		.job = job, .nranks = job->workers + 1, .pid = -1, .pidfd = -1,
		.out_fd = -1, .err_fd = -1, .dead_rank = -1, .agent = given.size > 0,
	};
	struct rusage ru;
	int rc;

	if (l.agent && given.pid < 0) {
		snprintf(job->error, sizeof(job->error), "%s", given.gone);
		return -ENOTCONN;
	}
	if (launch_failed[0]) {
		snprintf(job->error, sizeof(job->error), "not tried: the launch of an earlier mpi run "
			 "timed out (mpirun had not started its ranks after %g s)", launch_failed_s);
		return -ETIMEDOUT;
	}
	if (!l.agent && launch_timeout(&l.launch_timeout_s, job->error, sizeof(job->error)))
		return -EINVAL;
	if (!l.agent && find_mpirun()) {
		job_error(job, "mpi: cannot find mpirun in PATH "
			"(apt-get install openmpi-bin)");
		return -ENOENT;
	}
	mpi_host_name(l.host, sizeof(l.host));
	l.held = malloc(l.nranks * sizeof(*l.held));
	l.since = calloc(l.nranks, sizeof(*l.since));
	l.hosts = calloc(l.nranks, sizeof(*l.hosts));
	l.delivered = calloc(job->ntasks ? job->ntasks : 1, 1);
	if (!l.held || !l.since || !l.hosts || !l.delivered) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (unsigned r = 0; r < l.nranks; r++)
		l.held[r] = -1;
	for (size_t i = 0; i < job->ntasks; i++)
		job_submit(job, i);

	if (l.agent) {
		l.pid = given.pid;
		l.pidfd = given.pidfd;
		l.out_fd = given.out_fd;
		rc = agent_command(job);   /* fails only when the agent is gone */
	} else {
		rc = launch(&l);
		if (rc)
			goto out_free;
	}
	if (!rc)
		rc = mpi_loop(&l);
	if (rc || (l.agent && l.killed))
		signal_launch(&l, SIGKILL, 1);
	else if (!l.agent && l.killed)
		kill_session(l.pid, SIGKILL);   /* what mpirun left when it went (ssh...) */
	if (!l.agent || !l.idle || l.killed) {
		/* mpirun is done, or the agent is gone: reap it */
		l.wstatus = -1;
		if (wait4(l.pid, &l.wstatus, 0, &ru) > 0) {
			if (!l.agent) {
				job_reaped(job, &ru);
			} else {
				/* its whole life is in our children's rusage now, and
				 * would all be charged to this run: take it out */
				job->remote.user_s -= tv_seconds(ru.ru_utime);
				job->remote.sys_s -= tv_seconds(ru.ru_stime);
				job->remote.nvcsw -= ru.ru_nvcsw;
				job->remote.nivcsw -= ru.ru_nivcsw;
			}
		}
		if (l.agent)
			agent_gone(l.killed ? -1 : l.wstatus, l.killed == KILL_TIMEOUT ?
				   "was killed after a task timed out" : l.killed ? "was stopped" :
				   "ended");
	}
	if (rc)
		goto out_close;

	if (l.killed == KILL_LAUNCH) {
		/* its tasks stay pending: the run records them "not run" with this */
		snprintf(launch_failed, sizeof(launch_failed), "mpirun had not started its %u ranks "
			 "after %g s (BENCH_MPI_LAUNCH_TIMEOUT; a host that does not answer?): it and "
			 "all it started were killed", l.nranks, l.launch_timeout_s);
		launch_failed_s = l.launch_timeout_s;
		snprintf(job->error, sizeof(job->error), "%s", launch_failed);
		job_error(job, "mpi: %s%s%s; no more mpi runs are tried", launch_failed,
			option_text(job->cfg, "--hostfile") ? "; the hosts: --hostfile " : "",
			option_text(job->cfg, "--hostfile") ? option_text(job->cfg, "--hostfile") : "");
		rc = -ETIMEDOUT;
	} else if (!l.done && !l.ready && !l.killed) {
		/* it never started: say why, in mpirun's words */
		snprintf(job->error, sizeof(job->error), "%.199s", l.error[0] ? l.error : l.agent ?
			 given.gone : "mpirun could not start the job");
		fprintf(stderr, "bench: mpi: %s\n%s", job->error, l.error[0] || l.agent ? "" :
			l.banner);
		rc = l.error[0] ? -EINVAL : -EIO;
	} else if (!l.done) {
		settle_abort(&l);
		if (l.dead_rank < 0 && !l.killed && l.banner_len)
			fputs(l.banner, stderr);
	}
out_close:
	if (!l.agent) {
		if (l.pidfd >= 0)
			close(l.pidfd);
		if (l.out_fd >= 0)
			close(l.out_fd);
		if (l.err_fd >= 0)
			close(l.err_fd);
	}
out_free:
	free(l.delivered);
	free(l.hosts);
	free(l.since);
	free(l.held);
	return rc;
}


void mpi_attach(char *argv0)
{
	const char *size_s = getenv("OMPI_COMM_WORLD_SIZE"), *rank_s = getenv("OMPI_COMM_WORLD_RANK");
	unsigned before, after;

	if (!size_s || !rank_s)
		return;   /* not started by mpirun */
	given.size = atoi(size_s) > 0 ? atoi(size_s) : 1;
	if (atoi(rank_s) > 0)
		mpi_given_worker_main(argv0);   /* does not return */
	if (!pin_release_process(&before, &after) && after > before)
		fprintf(stderr, "bench: note: mpirun bound rank 0 to %u PU%s; bench's driver unbinds "
			"itself so the other modes can use all %u (mpirun --bind-to none avoids this)\n",
			before, before == 1 ? "" : "s", after);
	if (given.size < 2)
		return;
	if (UNAVAILABLE) {
		fprintf(stderr, "bench: note: started by mpirun with %d ranks, but this bench was %s: "
			"ranks 1 to %d do nothing\n", given.size, UNAVAILABLE, given.size - 1);
		return;
	}
	agent_start(argv0);
}

static const struct option mpi_options[] = {
	{ "--hostfile", OPTION_PATH, "FILE", 0, 0, 0,
	  "the hosts for the mpirun bench starts, Open MPI's format\n"
	  "(\"node1 slots=8\" per line); the same bench path on each", NULL },
	{ 0 },
};

static int mpi_before_parse(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], MPI_WORKER_COMMAND))
		return mpi_worker_main(argc, argv);
	mpi_attach(argv[0]);   /* under the user's mpirun, only rank 0 returns */
	return -1;
}

static int mpi_check_config(const struct config *cfg, char *err, size_t len)
{
	if (option_given(cfg, "--hostfile") && mpi_given_ranks()) {
		snprintf(err, len, "--hostfile: bench was started by mpirun, which already chose "
			 "the hosts: give the host file to mpirun instead");
		return -EINVAL;
	}
	return 0;
}

const struct mode mode_mpi = {
	.name = "mpi",
	.summary = "Open MPI ranks on one or more machines: rank 0 deals tasks to the others",
	.teaches = "distributed memory: no shared state, every task and result is a message",
	.processes = 1,
	.launches_ranks = 1,
	.unavailable = UNAVAILABLE,
	.plan_workers = mpi_plan_workers,
	.run = mpi_run,
	.options = mpi_options,
	.before_parse = mpi_before_parse,
	.check_config = mpi_check_config,
};
