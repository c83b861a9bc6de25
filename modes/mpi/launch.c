/*
 * launch — start mpirun for one mpi run, and end it and everything it
 * started (see the top of modes/mpi/mode.c for how a run goes).
 *
 * As root (containers, CI) mpirun refuses to start unless
 * OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1: set for
 * mpirun only when we are root.  --oversubscribe lets W+1 ranks share
 * fewer cores.  --bind-to none: with --pin, worker ranks bind themselves
 * with bench's own plan (like procpool), so planned_pu means the same in
 * every mode; rank 0 stays unbound.
 */
#include "modes/mpi/launch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/api/option.h"

extern char **environ;


/* The first mpirun in $PATH, or -ENOENT. */
int mpi_find_mpirun(void)
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
	argv = calloc(mpi_args_max(job) + 2 * nenv + 16, sizeof(*argv));
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
	mpi_args_append(job, nums, argv, k);
	return argv;
}

struct launch_child {
	int out_wr, err_wr;
	char **argv, **env;
};

/* In the forked child: become mpirun, in a group of its own. */
static int launch_child(void *arg)
{
	const struct launch_child *c = arg;
	sigset_t none;

	/* mpirun ends its daemons and remote ranks on SIGTERM, not on SIGKILL */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/*
	 * A session of its own (and so a group of its own: Ctrl-C is for
	 * bench to decide): everything mpirun starts stays in it, even the
	 * ssh it puts in groups of their own, so mpi_kill_session() can end them
	 * all when mpirun cannot.
	 */
	setsid();
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(c->out_wr, STDOUT_FILENO) < 0 || dup2(c->err_wr, STDERR_FILENO) < 0)
		return 127;
	execvpe(c->argv[0], c->argv, c->env);
	dprintf(STDERR_FILENO, "bench: cannot run mpirun: %s\n", strerror(errno));
	return 127;
}

void mpi_launch_reaped(const struct child_exit *e, void *arg)
{
	struct mpi_launch *l = arg;

	l->wstatus = e->wstatus;
	l->ru = e->ru;
	l->exited = 1;
}

int mpi_launch_start(struct mpi_launch *l)
{
	char nums[5][32], exe[4096];
	char **argv = launch_argv(l->job, l->nranks, nums, exe, sizeof(exe));
	char **env = launch_env();
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, rc = 0, id;

	if (!argv || !env) {
		rc = -ENOMEM;
		goto out_free;
	}
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		rc = -errno;
		goto out_close;
	}
	l->set = child_set_new(1);
	if (!l->set) {
		rc = -ENOMEM;
		goto out_close;
	}
	fflush(NULL);
	id = child_spawn(l->set, launch_child,
			 &(struct launch_child){ .out_wr = out[1], .err_wr = err[1], .argv = argv,
						 .env = env }, 0);
	if (id < 0) {
		rc = id;
		goto out_close;
	}
	l->pid = child_pid(l->set, id);
	l->launch_ns = clock_now_ns();
	l->out_fd = out[0];
	l->err_fd = err[0];
	fcntl(l->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(l->err_fd, F_SETFL, O_NONBLOCK);
	out[0] = err[0] = -1;
out_close:
	if (rc) {
		child_set_free(l->set);
		l->set = NULL;
	}
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

/*
 * Send @sig to every process of session @sid: mpirun's (launch_child()
 * made it a session leader), ssh and its daemons included, whether or not
 * mpirun is still there to be their parent.
 */
void mpi_kill_session(pid_t sid, int sig)
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

void mpi_launch_signal(const struct mpi_launch *l, int sig, int group)
{
	if (!l->agent && group)
		mpi_kill_session(l->pid, sig);   /* by session id: also once mpirun is gone */
	if (!l->exited && l->pid > 0)
		kill(l->pid, sig);
}

void mpi_describe_end(int wstatus, char *buf, size_t len)
{
	if (wstatus == -1)
		snprintf(buf, len, "ended");
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "killed by SIG%s", sigabbrev_np(WTERMSIG(wstatus)));
	else
		snprintf(buf, len, "exited with code %d", WEXITSTATUS(wstatus));
}
