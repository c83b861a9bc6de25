#!/usr/bin/env bats
# The driver end to end: commands from the README on tiny inputs.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

@test "--help documents the options with examples" {
	run "$BENCH" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--workers"* ]]
	[[ "$output" == *"Examples:"* ]]
	[[ "$output" == *"procpool"* ]]
}

@test "--version prints the version" {
	run "$BENCH" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "bench "* ]]
}

@test "sleep under all modes writes one run row per mode and rep, and task rows" {
	run "$BENCH" --warmup 0 --workload sleep --modes all --tasks 4 --seconds 0.05 --reps 2 \
		--csv "$SCRATCH/r.csv" --no-plots
	[ "$status" -eq 0 ]
	modes=5
	"$BENCH" --help | grep -q '^  mpi .*unavailable' || modes=6   # mpi, built with Open MPI
	[ "$(csv_rows "$SCRATCH/r.csv")" -eq $((2 * modes)) ]
	[ "$(csv_rows "$SCRATCH/r-tasks.csv")" -eq $((8 * modes)) ]
	[[ "$output" == *"threadpool"* ]]
	[[ "$output" == *"speedup"* ]]
}

# scripts/run-tests.sh over a stand-in suite: one unit test built from the
# cmocka test body on stdin (its includes given), and a bats that runs the
# shell lines $1.
run_fake_suite() {
	local top
	top=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	mkdir -p "$SCRATCH/b/tests" "$SCRATCH/bin"
	{
		printf '#include <%s>\n' stdarg.h stddef.h setjmp.h stdint.h stdlib.h cmocka.h
		cat
	} >"$SCRATCH/t.c"
	cc -o "$SCRATCH/b/tests/test_fake" "$SCRATCH/t.c" -lcmocka
	printf '#!/bin/sh\n%s\n' "$1" >"$SCRATCH/bin/bats"
	chmod +x "$SCRATCH/bin/bats"
	run env PATH="$SCRATCH/bin:$PATH" "$top/scripts/run-tests.sh" "$SCRATCH/b"
}

@test "make test's last line counts a unit test's cmocka skip() as skipped, beside bats skips" {
	# bats: one pass, one skip
	run_fake_suite 'echo 1..2; echo "ok 1 a"; echo "ok 2 b # skip no mpi"' <<'C'
static void skipped(void **s) { skip(); }
static void passes(void **s) { assert_true(1); }
int main(void)
{
	const struct CMUnitTest t[] = { cmocka_unit_test(skipped), cmocka_unit_test(passes) };
	return cmocka_run_group_tests(t, NULL, NULL);
}
C
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "2 passed, 0 failed, 2 skipped" ]
	[[ "$output" == *"test_fake: skipped (cmocka skip())"* ]]
}

@test "make test's last line counts as failed a unit test that ended early and the tests bats never reported" {
	# bats killed after 2 of its 5 tests
	run_fake_suite 'echo 1..5; echo "ok 1 a"; echo "ok 2 b"; exit 137' <<'C'
static void passes(void **s) { assert_true(1); }
static void exits(void **s) { exit(0); }   /* the code under test exits */
int main(void)
{
	const struct CMUnitTest t[] = { cmocka_unit_test(passes), cmocka_unit_test(exits),
					cmocka_unit_test(passes) };
	return cmocka_run_group_tests(t, NULL, NULL);
}
C
	[ "$status" -ne 0 ]
	[ "${lines[-1]}" = "2 passed, 4 failed" ]
	[[ "$output" == *"bats reported 2 of the 5 tests it planned (status 137)"* ]]
}
