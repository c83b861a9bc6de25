#!/usr/bin/env bats
# make bench and make bench-images need nothing outside the repository:
# their Python peers are scripts/peers/*.py, and the scripts find them there.

load helpers

TOP=$BATS_TEST_DIRNAME/../..

setup() { setup_scratch; }
teardown() { teardown_scratch; }

@test "the bench scripts take their peers from scripts/peers, nothing outside the repository" {
	if grep -n 'shared/peers\|\.\./shared' "$TOP"/scripts/*.sh "$TOP"/scripts/*.py "$TOP/Makefile"; then false; fi
	[ -f "$TOP/scripts/peers/images.py" ] && [ -f "$TOP/scripts/peers/overhead.py" ]
	# a fresh clone has them (they are committed, not left in the work tree)
	if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$TOP" ls-files --error-unmatch scripts/peers/images.py scripts/peers/overhead.py
	fi
	grep -q 'python3-pil' "$TOP/scripts/deps.sh"
}

@test "the images peer runs the tutorial's pipeline in each mode; its last line is RESULT" {
	/usr/bin/python3 -c 'import PIL' 2>/dev/null || skip "no python3-pil (scripts/deps.sh install)"
	mkdir "$SCRATCH/in"
	cp "$TOP"/tests/fuzz/images/{rgb.jpg,gray.png} "$SCRATCH/in/"
	for mode in seq thread process; do
		run /usr/bin/python3 "$TOP/scripts/peers/images.py" --mode $mode --workers 2 \
			--out "$SCRATCH/out-$mode" "$SCRATCH/in"
		[ "$status" -eq 0 ]
		w=2; [ $mode = seq ] && w=1
		[[ "${lines[-1]}" =~ ^RESULT\ mode=$mode\ workers=$w\ images=2\ seconds=[0-9.]+$ ]]
		file "$SCRATCH/out-$mode/rgb.jpg" | grep -q 'JPEG image data'
		file "$SCRATCH/out-$mode/gray.png" | grep -q 'PNG image data'
	done
}

@test "the overhead peer prints every figure make bench reads" {
	run /usr/bin/python3 "$TOP/scripts/peers/overhead.py" --tasks 50 --procs 3 --repeat 1
	[ "$status" -eq 0 ]
	for key in tp pp fk s_pthread s_fork s_threadpool s_procpool; do
		grep -q "^PEER key=$key value=-\?[0-9.]* unit=" <<<"$output" || { echo "no $key: $output"; false; }
		grep -q "'$key'" "$TOP/scripts/bench_overhead.py"
	done
}
