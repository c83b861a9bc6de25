#!/usr/bin/env bats
# User plug-ins, --workload plugin:FILE.so: the examples under every mode,
# each way a plug-in can be bad (exit 2 before anything runs), and tasks
# that fail, crash or hang.  Small plug-ins are written and compiled here,
# in the scratch folder, against the public header alone.

load reliability

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HEADER_DIR="$TOP/workloads"

setup() {
	setup_scratch
	cd "$SCRATCH"
	"$BENCH" --help | grep -q '^  plugin .*unavailable' &&
		skip "plug-ins: $("$BENCH" --help | sed -n 's/^  plugin .*unavailable: //p')"
	true
}
teardown() { teardown_scratch; }

# example NAME: the path of example plug-in NAME.so, the one make examples
# built beside bench, else built here.
example() {
	local built
	built="$(dirname "$BENCH")/examples/$1.so"
	if [ -f "$built" ]; then
		echo "$built"
		return
	fi
	cc -O2 -fPIC -shared -I "$HEADER_DIR" -o "$SCRATCH/$1.so" "$TOP/workloads/examples/$1.c" &&
		echo "$SCRATCH/$1.so"
}

# plugin NAME BODY: NAME.so from BODY, with the header and libc's usual ones.
plugin() {
	{
		printf '#define _GNU_SOURCE\n#include <bench-plugin.h>\n'
		printf '#include <errno.h>\n#include <signal.h>\n#include <stdio.h>\n'
		printf '#include <stdlib.h>\n#include <unistd.h>\n'
		printf '%s\n' "$2"
	} >"$1.c"
	cc -fPIC -shared -I "$HEADER_DIR" -o "$1.so" "$1.c"
}

OK_TASK='static int run(void *s, size_t i, char *m, size_t l) { return 0; }'

# The modes --modes all runs here.
all_modes() {
	local modes="seq pthread fork threadpool procpool"
	"$BENCH" --help | grep -q '^  mpi .*unavailable' || modes="$modes mpi"
	echo "$modes"
}

# check_each_task_once CSV NTASKS: in every run of the tasks file, tasks
# 0..NTASKS-1 appear once each, all ok.
check_each_task_once() {
	csvq "$1" run task status | python3 -c '
import sys
n = int(sys.argv[1])
runs = {}
for line in sys.stdin:
    run, task, status = line.rstrip("\n").split("\t")
    if status != "ok":
        sys.exit(f"run {run} task {task}: {status}")
    runs.setdefault(run, []).append(int(task))
for run, tasks in runs.items():
    if sorted(tasks) != list(range(n)):
        sys.exit(f"run {run}: tasks {sorted(tasks)}")
print(len(runs))
' "$2"
}

@test "make examples builds the example plug-ins from the public header alone" {
	run make -C "$TOP" --no-print-directory BUILD="$SCRATCH/b" examples
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -f "$SCRATCH/b/examples/cpu_kernel.so" ]
	[ -f "$SCRATCH/b/examples/wait_task.so" ]
	# and the header stands alone, in strict C99 as in C11
	printf '#include <bench-plugin.h>\nint main(void) { return BENCH_PLUGIN_ABI - 1; }\n' >h.c
	cc -std=c99 -pedantic -Wall -Wextra -Werror -I "$HEADER_DIR" -o h h.c
	./h
}

@test "CPPFLAGS reach every compile (bench, tests, example plug-ins), LDFLAGS every link" {
	run make -C "$TOP" --no-print-directory -n -B BUILD="$SCRATCH/b" CPPFLAGS=-DBENCH_CPP_SEEN \
		LDFLAGS=-Wl,--as-needed "$SCRATCH/b/bench" "$SCRATCH/b/tests/test_stats" examples
	[ "$status" -eq 0 ]
	compiles=$(grep -E '^(cc|gcc|clang)[^ ]* .* -o [^ ]+ ' <<<"$output")
	compile=$(grep -E ' -c | -shared ' <<<"$compiles")
	link=$(grep -vE ' -c | -shared ' <<<"$compiles")
	grep -q -- '-o [^ ]*/examples/cpu_kernel.so' <<<"$compile"
	grep -q -- "-o $SCRATCH/b/tests/test_stats" <<<"$link"
	grep -q -- "-o $SCRATCH/b/bench" <<<"$link"
	[ -z "$(grep -v -- -DBENCH_CPP_SEEN <<<"$compile")" ]
	[ -z "$(grep -v -- -Wl,--as-needed <<<"$link")" ]
}

@test "each example under --modes all: every task once, status ok, the same CSV as a built-in" {
	local n=4 modes runs
	modes=$(all_modes)
	for ex in cpu_kernel wait_task; do
		so=$(example "$ex")
		arg=200000
		[ "$ex" = wait_task ] && arg=5
		rm -f r*.csv
		run "$BENCH" --quiet --no-plots --workload "plugin:$so" --plugin-arg "$arg" \
			--modes all --tasks "$n" --reps 1 --warmup 0 --csv r.csv
		[ "$status" -eq 0 ] || { echo "$ex: $output"; false; }
		[[ "$output" == *"plugin:$ex ($n tasks)"* ]]
		runs=$(check_each_task_once r-tasks.csv "$n")
		[ "$runs" -eq "$(wc -w <<<"$modes")" ]
		[ "$(csvq r.csv mode | sort | tr '\n' ' ')" = "$(tr ' ' '\n' <<<"$modes" | sort | tr '\n' ' ')" ]
		[ "$(csvq r.csv workload | sort -u)" = "plugin:$ex" ]
		[ "$(csvq r.csv params | sort -u)" = "$so arg=$arg" ]
		[ "$(csvq r.csv status | sort -u)" = ok ]
		[ "$(csvq r-tasks.csv workload | sort -u)" = "plugin:$ex" ]
	done
	# the task's own message (mpi puts "rank R on HOST: " before it)
	[ "$(csvq r-tasks.csv message | sed 's/^rank [0-9]* on [^:]*: //' | sort -u)" = "waited 5 ms" ]
}

@test "the gil mode runs plug-in tasks holding the lock throughout: never two at once" {
	so=$(example wait_task)
	run "$BENCH" --quiet --no-plots --workload "plugin:$so" --plugin-arg 30 \
		--modes gil --workers 2 --tasks 4 --reps 1 --warmup 0 --csv r.csv
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(check_each_task_once r-tasks.csv 4)" -eq 1 ]
	# each task's [start, end] lies wholly before or after every other's
	csvq r-tasks.csv start_s end_s | sort -g | awk -F'\t' '
		NR > 1 && $1 < end { print "task at " $1 " starts before " end; bad = 1 }
		{ end = $2 } END { exit bad }'
}

@test "--tasks overrides prepare's count and reaches it first; --plugin-arg reaches prepare" {
	plugin count '
static size_t entry;
static const char *given;
static int prep(const char *a, size_t *n, void **s, char *e, size_t el)
{ entry = *n; given = a; *n = 2; return 0; }
static int run(void *s, size_t i, char *m, size_t l)
{ snprintf(m, l, "entry=%zu arg=%s", entry, given ? given : "(none)"); return 0; }
const struct bench_plugin bench_plugin = { .abi = BENCH_PLUGIN_ABI, .name = "count",
	.bound = "io", .prepare = prep, .run_task = run };'
	run "$BENCH" --quiet --no-plots --workload plugin:count.so --modes seq --reps 1 --warmup 0 --csv a.csv
	[ "$status" -eq 0 ]
	[ "$(csvq a-tasks.csv message | sort -u)" = "entry=0 arg=(none)" ]
	[ "$(csvq_rows a-tasks.csv)" -eq 2 ]
	run "$BENCH" --quiet --no-plots --workload plugin:count.so --modes seq --reps 1 --warmup 0 \
		--tasks 5 --plugin-arg 'two words, a comma' --csv b.csv
	[ "$status" -eq 0 ]
	[ "$(csvq b-tasks.csv message | sort -u)" = "entry=5 arg=two words, a comma" ]
	[ "$(csvq_rows b-tasks.csv)" -eq 5 ]
	[ "$(csvq b.csv params)" = "count.so arg=two words, a comma" ]
}

@test "bad plug-ins: each refused with its reason, exit 2, before anything runs" {
	plugin nosym 'int not_the_symbol = 1;'
	plugin abi99 "$OK_TASK
const struct bench_plugin bench_plugin = { .abi = 99, .name = \"x\", .run_task = run };"
	plugin norun 'const struct bench_plugin bench_plugin = { .abi = BENCH_PLUGIN_ABI, .name = "x" };'
	plugin prepfail "$OK_TASK
static int prep(const char *a, size_t *n, void **s, char *e, size_t el)
{ snprintf(e, el, \"cannot open /nonexistent/input: No such file or directory\"); return -ENOENT; }
const struct bench_plugin bench_plugin = { .abi = 1, .name = \"pf\", .prepare = prep, .run_task = run };"
	plugin prepsilent "$OK_TASK
static int prep(const char *a, size_t *n, void **s, char *e, size_t el) { return -EACCES; }
const struct bench_plugin bench_plugin = { .abi = 1, .name = \"ps\", .prepare = prep, .run_task = run };"
	plugin zero "$OK_TASK
static int prep(const char *a, size_t *n, void **s, char *e, size_t el) { *n = 0; return 0; }
const struct bench_plugin bench_plugin = { .abi = 1, .name = \"zero\", .prepare = prep, .run_task = run };"
	plugin huge "$OK_TASK
static int prep(const char *a, size_t *n, void **s, char *e, size_t el) { *n = (size_t)-1; return 0; }
const struct bench_plugin bench_plugin = { .abi = 1, .name = \"huge\", .prepare = prep, .run_task = run };"
	plugin noprep "$OK_TASK
const struct bench_plugin bench_plugin = { .abi = 1, .name = \"np\", .run_task = run };"
	plugin badname "$OK_TASK
const struct bench_plugin bench_plugin = { .abi = 1, .name = \"a b,c\", .run_task = run };"
	plugin badbound "$OK_TASK
const struct bench_plugin bench_plugin = { .abi = 1, .name = \"bb\", .bound = \"gpu\", .run_task = run };"
	plugin undef 'extern int no_such_function(void);
static int run(void *s, size_t i, char *m, size_t l) { return no_such_function(); }
const struct bench_plugin bench_plugin = { .abi = 1, .name = "undef", .run_task = run };'
	echo 'not a shared object' >notelf.so
	head -c 4096 /dev/zero >zeros.so
	mkfifo fifo.so
	mkdir folder.so
	cp "$(example cpu_kernel)" same.so
	check() {   # EXIT MESSAGE ARGS...
		local want=$1 msg=$2
		shift 2
		rm -f t*.csv
		run timeout 20 "$BENCH" --quiet --no-plots --modes seq --reps 1 --warmup 0 --csv t.csv "$@"
		if [ "$status" -ne "$want" ] || [[ "$output" != *"$msg"* ]] ||
		   { [ "$want" -eq 2 ] && ls t*.csv >/dev/null 2>&1; }; then
			echo "FAIL: bench $*: want exit $want and '$msg'; got exit $status: $output"
			return 1
		fi
	}
	check 2 "cannot open plug-in missing.so: No such file or directory" --workload plugin:missing.so
	check 2 "cannot open plug-in /nonexistent/x.so: No such file or directory" --workload plugin:/nonexistent/x.so
	check 2 "cannot load plug-in notelf.so: file too short" --workload plugin:notelf.so
	check 2 "cannot load plug-in zeros.so: invalid ELF header" --workload plugin:zeros.so
	check 2 "cannot load plug-in fifo.so: not a regular file" --workload plugin:fifo.so
	check 2 "cannot load plug-in folder.so: it is a folder" --workload plugin:folder.so
	check 2 "cannot load plug-in undef.so: undefined symbol: no_such_function" --workload plugin:undef.so
	check 2 "plug-in nosym.so has no 'bench_plugin' symbol" --workload plugin:nosym.so
	check 2 "plug-in abi99.so was built for plug-in ABI 99, and this bench loads ABI 1" --workload plugin:abi99.so
	check 2 "plug-in norun.so has no run_task" --workload plugin:norun.so
	check 2 "plugin:pf: prepare() failed: cannot open /nonexistent/input: No such file or directory" --workload plugin:prepfail.so
	check 2 "plugin:ps: prepare() failed: Permission denied (and gave no message)" --workload plugin:prepsilent.so
	check 2 "plugin:zero: prepare() gave 0 tasks: set *ntasks, or give --tasks N" --workload plugin:zero.so
	check 2 "plugin:huge: prepare() gave 18446744073709551615 tasks, more than 10000000" --workload plugin:huge.so
	check 2 "noprep.so has no prepare() to count its tasks: give --tasks N" --workload plugin:noprep.so
	check 2 "plug-in badname.so is named 'a b,c'" --workload plugin:badname.so
	check 2 "plug-in badbound.so says it is bound by 'gpu' (valid: cpu, io, mixed)" --workload plugin:badbound.so
	check 2 "'plugin:' names no shared object: use plugin:FILE.so" --workload plugin:
	check 2 "'plugin' names no shared object: use plugin:FILE.so" --workload plugin
	check 2 "are both called plugin:cpu_kernel" --workload "plugin:$(example cpu_kernel),plugin:same.so"
	check 0 "warning: --plugin-arg is not used: only the plugin:FILE.so workload takes it (--workload sleep)" \
		--workload sleep --tasks 1 --seconds 0 --plugin-arg 3
	check 2 "unknown workload 'foo' (valid: noop, sleep, cpu, io, images, plugin:FILE.so)" --workload foo
	check 2 "prepare() failed: --plugin-arg 'lots' is not a step count" \
		--workload "plugin:$(example cpu_kernel)" --plugin-arg lots
	# the same plug-ins run once --tasks gives a sane count
	check 0 "plugin:zero (3 tasks)" --workload plugin:zero.so --tasks 3
	check 0 "plugin:huge (3 tasks)" --workload plugin:huge.so --tasks 3
	check 0 "plugin:np (2 tasks)" --workload plugin:noprep.so --tasks 2
}

@test "a plug-in task that crashes under procpool or fork is crashed, the others finish ok, exit 1" {
	plugin crash '
/* SIG_DFL first: a sanitizer build of bench catches SIGSEGV and exits instead */
static int run(void *s, size_t i, char *m, size_t l)
{ if (i == 1) { signal(SIGSEGV, SIG_DFL); raise(SIGSEGV); } return 0; }
const struct bench_plugin bench_plugin = { .abi = 1, .name = "crash", .run_task = run };'
	for m in procpool fork; do
		rm -f r*.csv
		run python3 "$PROCWATCH" --limit 60 -- "$BENCH" --quiet --no-plots --workload plugin:crash.so \
			--modes "$m" --workers 2 --tasks 5 --reps 1 --warmup 0 --csv r.csv
		assert_nothing_left
		[ "$(watch_val exit)" -eq 1 ] || { echo "$m: $output"; false; }
		[ "$(csvq r-tasks.csv task status | sort | tr '\t\n' ': ')" = \
		  "0:ok 1:crashed 2:ok 3:ok 4:ok " ]
		[[ "$(csvq r-tasks.csv task message | awk -F'\t' '$1 == 1 { print $2 }')" == *SIGSEGV* ]]
	done
}

@test "a plug-in task that fails or hangs: failed with its message, timeout with --task-timeout" {
	plugin faulty '
static int run(void *s, size_t i, char *m, size_t l)
{
	if (i == 0) { snprintf(m, l, "task zero refuses"); return -EPERM; }
	if (i == 1) return 7;
	if (i == 2 && getenv("FAULTY_HANG")) for (;;) pause();
	return 0;
}
const struct bench_plugin bench_plugin = { .abi = 1, .name = "faulty", .run_task = run };'
	run "$BENCH" --quiet --no-plots --workload plugin:faulty.so --modes seq,threadpool \
		--workers 2 --tasks 4 --reps 1 --warmup 0 --csv a.csv
	[ "$status" -eq 1 ]
	[ "$(csvq a-tasks.csv task status message | sort -u | tr '\t\n' ':|')" = \
	  "0:failed:task zero refuses|1:failed:run_task returned 7 and gave no message|2:ok:|3:ok:|" ]
	FAULTY_HANG=1 run python3 "$PROCWATCH" --limit 60 -- "$BENCH" --quiet --no-plots \
		--workload plugin:faulty.so --modes procpool --workers 2 --tasks 4 --reps 1 --warmup 0 \
		--task-timeout 0.5 --csv b.csv
	assert_nothing_left
	[ "$(watch_val exit)" -eq 1 ]
	[ "$(csvq b-tasks.csv task status | sort | tr '\t\n' ': ')" = "0:failed 1:failed 2:timeout 3:ok " ]
}

@test "what a plug-in prints on stdout, in prepare or in any mode's tasks, comes out once" {
	plugin chatty '
static int prep(const char *a, size_t *n, void **s, char *e, size_t el) { printf("PREPARE\n"); *n = 3; return 0; }
static int run(void *s, size_t i, char *m, size_t l) { printf("TASK %zu\n", i); return 0; }
static void fin(void *s) { printf("FINISH\n"); }
const struct bench_plugin bench_plugin = { .abi = 1, .name = "chatty", .prepare = prep,
	.run_task = run, .finish = fin };'
	"$BENCH" --quiet --no-plots --workload plugin:chatty.so --modes seq,fork,threadpool,procpool \
		--workers 2 --reps 1 --warmup 0 --csv r.csv >out.txt
	[ "$(grep -c '^PREPARE$' out.txt)" -eq 1 ]
	[ "$(grep -c '^FINISH$' out.txt)" -eq 1 ]
	for i in 0 1 2; do
		[ "$(grep -c "^TASK $i\$" out.txt)" -eq 4 ]
	done
}

@test "plug-in paths: no slash means this folder, spaces work, the CSV stays parseable" {
	mkdir "a dir"
	cp "$(example wait_task)" "a dir/my task.so"
	cp "$(example wait_task)" libmine.so
	(cd "a dir" && "$BENCH" --quiet --no-plots --workload "plugin:my task.so" --plugin-arg 1 \
		--modes seq --tasks 2 --reps 1 --warmup 0 --csv ../a.csv)
	[ "$(csvq a.csv params)" = "my task.so arg=1" ]
	# a bare name is never looked up on the library path
	run "$BENCH" --quiet --no-plots --workload plugin:libm.so.6 --modes seq --csv t.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot open plug-in libm.so.6: No such file or directory"* ]]
	run "$BENCH" --quiet --no-plots --workload plugin:libmine.so --modes seq --tasks 2 --reps 1 --warmup 0 \
		--plugin-arg 1 --csv b.csv
	[ "$status" -eq 0 ]
}

@test "the README's plug-in builds with its command and runs; its header copy is the header" {
	awk '/^## Benchmark your own function/ { on = 1 } on && /^```c$/ { n++; next }
	     on && /^```$/ { if (n == 2) exit; next } on && n == 2' "$TOP/README.md" >primes.c
	grep -q 'bench_plugin = {' primes.c
	cmd=$(sed -n 's/^cc \(.*\) -I workloads$/\1/p' "$TOP/README.md")
	[ -n "$cmd" ]
	eval "cc $cmd -I \"$HEADER_DIR\""
	run "$BENCH" --quiet --no-plots --workload plugin:./libprimes.so --tasks 3 \
		--modes seq,procpool --reps 1 --warmup 0 --csv r.csv
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(csvq r-tasks.csv task message | sort | head -1)" = "$(printf '0\t9592 primes below 100000')" ]
	# the struct in the README is the one in the header
	extract() { sed -n '/^#define BENCH_PLUGIN_ABI/,/^extern const struct bench_plugin bench_plugin;/p' "$1"; }
	diff <(extract "$HEADER_DIR/bench-plugin.h") <(extract "$TOP/README.md")
}

@test "a plug-in's runs draw the same charts and bench report as a built-in's" {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed"
	so=$(example cpu_kernel)
	run "$BENCH" --quiet --workload "plugin:$so" --plugin-arg 100000 --modes seq,threadpool \
		--tasks 4 --reps 1 --warmup 0 --csv r.csv --plots-dir plots
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -f plots/timeline-plugin_cpu_kernel.png ]
	[ -f plots/speedup-vs-workers-plugin_cpu_kernel.png ]
	run "$BENCH" report r.csv --out rep
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	grep -rq 'plugin:cpu_kernel' rep
}
