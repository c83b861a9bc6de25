/*
 * child: a set reaps its own children with their statuses and nobody
 * else's; a deadline, a child's deadline and a caller's fd each end a
 * wait.  Every test runs twice: with pidfds, and on the SIGCHLD pipe
 * (child_force_fallback()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/api/child.h"
#include "bench/api/clock.h"

#define NKIDS 200   /* more than CHILD_PIDFD_MAX: a pidfd set falls back midway */

struct seen {
	int count;
	int wstatus[NKIDS];
	int expired[NKIDS];
	int times[NKIDS];
	long maxrss;
};

static void on_exit_seen(const struct child_exit *e, void *arg)
{
	struct seen *s = arg;

	s->count++;
	s->wstatus[e->tag] = e->wstatus;
	s->expired[e->tag] = e->expired;
	s->times[e->tag]++;
	if (e->ru.ru_maxrss > s->maxrss)
		s->maxrss = e->ru.ru_maxrss;
}

static int exit_with(void *arg)
{
	return (int)(intptr_t)arg;
}

static int kill_self(void *arg)
{
	raise(SIGKILL);
	return 0;
}

static int wait_forever(void *arg)
{
	for (;;)
		pause();
	return 0;
}

static int write_then_wait(void *arg)
{
	int fd = (int)(intptr_t)arg;

	if (write(fd, "x", 1) != 1)
		return 1;
	return wait_forever(NULL);
}

static int set_mode(void **state)
{
	child_force_fallback(*state != NULL);
	return 0;
}

static int reset_mode(void **state)
{
	child_force_fallback(0);
	return 0;
}

static void test_reaps_statuses(void **state)
{
	struct child_set *set = child_set_new(0);
	struct seen seen = { 0 };

	assert_non_null(set);
	fflush(NULL);
	for (size_t i = 0; i < 5; i++)
		assert_true(child_spawn(set, exit_with, (void *)(intptr_t)i, i) >= 0);
	assert_true(child_spawn(set, kill_self, NULL, 5) >= 0);
	assert_int_equal(child_live(set), 6);
	assert_int_equal(child_reap_all(set, on_exit_seen, &seen), 0);
	assert_int_equal(seen.count, 6);
	assert_int_equal(child_live(set), 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(seen.times[i], 1);
		assert_true(WIFEXITED(seen.wstatus[i]));
		assert_int_equal(WEXITSTATUS(seen.wstatus[i]), i);
		assert_int_equal(seen.expired[i], 0);
	}
	assert_true(WIFSIGNALED(seen.wstatus[5]));
	assert_int_equal(WTERMSIG(seen.wstatus[5]), SIGKILL);
	assert_true(seen.maxrss > 0);   /* the rusage came back */
	child_set_free(set);
}

static void test_many_children(void **state)
{
	struct child_set *set = child_set_new(0);   /* a small set that grows */
	struct seen seen = { 0 };

	assert_non_null(set);
	fflush(NULL);
	for (size_t i = 0; i < NKIDS; i++)
		assert_true(child_spawn(set, exit_with, (void *)(intptr_t)(i % 7), i) >= 0);
	/* reaped as they end, in any order */
	while (child_live(set)) {
		assert_true(child_reap(set, on_exit_seen, &seen) >= 0);
		if (child_live(set))
			assert_int_equal(child_wait(set, NULL, 0, INT64_MAX), 0);
	}
	assert_int_equal(seen.count, NKIDS);
	for (int i = 0; i < NKIDS; i++) {
		assert_int_equal(seen.times[i], 1);
		assert_int_equal(WEXITSTATUS(seen.wstatus[i]), i % 7);
	}
	child_set_free(set);
}

static void test_foreign_child_left_alone(void **state)
{
	struct child_set *set = child_set_new(0);
	struct seen seen = { 0 };
	siginfo_t si;
	int wstatus;
	pid_t other;

	assert_non_null(set);
	fflush(NULL);
	other = fork();
	if (other == 0)
		_exit(7);
	assert_true(other > 0);
	/* a zombie now, before the set's children */
	assert_int_equal(waitid(P_PID, (id_t)other, &si, WEXITED | WNOWAIT), 0);
	for (size_t i = 0; i < 3; i++)
		assert_true(child_spawn(set, exit_with, (void *)(intptr_t)1, i) >= 0);
	assert_int_equal(child_reap_all(set, on_exit_seen, &seen), 0);
	assert_int_equal(seen.count, 3);
	/* its owner still has it */
	assert_int_equal(waitpid(other, &wstatus, 0), other);
	assert_true(WIFEXITED(wstatus));
	assert_int_equal(WEXITSTATUS(wstatus), 7);
	child_set_free(set);
}

static void test_deadline_reaps_nothing(void **state)
{
	struct child_set *set = child_set_new(0);
	struct seen seen = { 0 };
	int64_t t0 = clock_now_ns();

	assert_non_null(set);
	fflush(NULL);
	assert_true(child_spawn(set, wait_forever, NULL, 0) >= 0);
	while (clock_now_ns() < t0 + 50000000)
		assert_int_equal(child_wait(set, NULL, 0, t0 + 50000000), 0);
	assert_int_equal(child_reap(set, on_exit_seen, &seen), 0);
	assert_int_equal(seen.count, 0);
	assert_int_equal(child_live(set), 1);
	child_kill_all(set, SIGTERM);
	assert_int_equal(child_reap_all(set, on_exit_seen, &seen), 0);
	assert_int_equal(seen.count, 1);
	assert_true(WIFSIGNALED(seen.wstatus[0]));
	assert_int_equal(WTERMSIG(seen.wstatus[0]), SIGTERM);
	assert_int_equal(seen.expired[0], 0);
	child_set_free(set);
}

static void test_child_deadline_kills(void **state)
{
	struct child_set *set = child_set_new(0);
	struct seen seen = { 0 };
	int late, soon;

	assert_non_null(set);
	fflush(NULL);
	late = child_spawn(set, wait_forever, NULL, 0);
	soon = child_spawn(set, wait_forever, NULL, 1);
	assert_true(late >= 0 && soon >= 0);
	child_set_deadline(set, late, clock_now_ns() + 3600 * (int64_t)1000000000);
	child_set_deadline(set, soon, clock_now_ns() + 20000000);
	/* only the one past its deadline is killed */
	while (seen.count == 0) {
		assert_int_equal(child_wait(set, NULL, 0, INT64_MAX), 0);
		assert_true(child_reap(set, on_exit_seen, &seen) >= 0);
	}
	assert_int_equal(seen.count, 1);
	assert_int_equal(seen.times[1], 1);
	assert_int_equal(seen.expired[1], 1);
	assert_int_equal(WTERMSIG(seen.wstatus[1]), SIGKILL);
	assert_int_equal(child_live(set), 1);
	child_kill_all(set, SIGKILL);   /* and forgets the other deadline */
	assert_int_equal(child_reap_all(set, on_exit_seen, &seen), 0);
	assert_int_equal(seen.expired[0], 0);
	child_set_free(set);
}

static void test_fd_wakes_wait(void **state)
{
	struct child_set *set = child_set_new(0);
	struct seen seen = { 0 };
	int64_t give_up = clock_now_ns() + 20 * (int64_t)1000000000;
	struct pollfd pfd;
	int fds[2];

	assert_non_null(set);
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	fflush(NULL);
	assert_true(child_spawn(set, write_then_wait, (void *)(intptr_t)fds[1], 0) >= 0);
	pfd = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	do
		assert_int_equal(child_wait(set, &pfd, 1, give_up), 0);
	while (!(pfd.revents & POLLIN) && clock_now_ns() < give_up);
	assert_true(pfd.revents & POLLIN);
	assert_int_equal(child_reap(set, on_exit_seen, &seen), 0);   /* it still runs */
	assert_int_equal(child_live(set), 1);
	close(fds[0]);
	close(fds[1]);
	child_set_free(set);   /* kills and reaps it */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

static void test_exec(void **state)
{
	char *argv[] = { "sh", "-c", "exit 5", NULL };
	char *missing[] = { "/nonexistent/bench-test", NULL };
	int io[3] = { CHILD_NULL, CHILD_NULL, CHILD_KEEP };
	struct child_set *set = child_set_new(1);
	struct seen seen = { 0 };

	assert_non_null(set);
	fflush(NULL);
	assert_true(child_spawn_exec(set, argv, io, 0) >= 0);
	assert_true(child_spawn_exec(set, missing, io, 1) >= 0);
	assert_int_equal(child_reap_all(set, on_exit_seen, &seen), 0);
	assert_int_equal(WEXITSTATUS(seen.wstatus[0]), 5);
	assert_int_equal(WEXITSTATUS(seen.wstatus[1]), 127);
	child_set_free(set);
}

static void on_int(int sig)
{
	(void)sig;
}

/* In the child: 0 when the parent's stop handler is gone and its SIGPIPE
 * handler, ignored and blocked signals stay, else which did not hold. */
static int check_signals(void *arg)
{
	struct sigaction sa;
	sigset_t mask;

	if (sigaction(SIGINT, NULL, &sa) || sa.sa_handler != SIG_DFL)
		return 1;
	if (sigaction(SIGUSR2, NULL, &sa) || sa.sa_handler != SIG_IGN)
		return 2;
	if (sigaction(SIGPIPE, NULL, &sa) || sa.sa_handler != on_int)
		return 4;   /* bench's SIGPIPE handler stays: EPIPE, not death */
	if (sigprocmask(SIG_SETMASK, NULL, &mask) || !sigismember(&mask, SIGUSR1) ||
	    sigismember(&mask, SIGINT))
		return 3;
	return 0;
}

static void test_parent_handlers_not_inherited(void **state)
{
	struct child_set *set = child_set_new(0);
	struct seen seen = { 0 };
	struct sigaction sa = { .sa_handler = on_int }, old_int, old_usr2, old_pipe;
	sigset_t usr1, before, after;

	assert_non_null(set);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGPIPE, &sa, &old_pipe);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGUSR2, &sa, &old_usr2);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &before);
	fflush(NULL);
	assert_true(child_spawn(set, check_signals, NULL, 0) >= 0);
	sigprocmask(SIG_SETMASK, NULL, &after);
	assert_int_equal(child_reap_all(set, on_exit_seen, &seen), 0);
	assert_true(WIFEXITED(seen.wstatus[0]));
	assert_int_equal(WEXITSTATUS(seen.wstatus[0]), 0);
	/* the parent keeps its handlers and gets its mask back */
	sigaction(SIGINT, NULL, &sa);
	assert_ptr_equal(sa.sa_handler, on_int);
	assert_true(sigismember(&after, SIGUSR1));
	assert_false(sigismember(&after, SIGINT));
	sigprocmask(SIG_SETMASK, &before, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGUSR2, &old_usr2, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	child_set_free(set);
}

#define BOTH(fn) \
	cmocka_unit_test_prestate_setup_teardown(fn, set_mode, reset_mode, NULL), \
	cmocka_unit_test_prestate_setup_teardown(fn, set_mode, reset_mode, (void *)1)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_reaps_statuses),
		BOTH(test_many_children),
		BOTH(test_foreign_child_left_alone),
		BOTH(test_deadline_reaps_nothing),
		BOTH(test_child_deadline_kills),
		BOTH(test_fd_wakes_wait),
		BOTH(test_exec),
		BOTH(test_parent_handlers_not_inherited),
	};

	return cmocka_run_group_tests_name("child", tests, NULL, NULL);
}
