#!/usr/bin/env bats
# No output path can eat data: closed standard descriptors, a full disk,
# one file under two names (links, bind mounts), and files that are not
# regular (a FIFO must never block bench, a device is never written to).
# Each bench runs in a session of its own under a time limit (setsid,
# timeout: 124 would mean it blocked).

load reliability

setup() {
	setup_scratch
	cd "$SCRATCH"
}
teardown() {
	cd /
	if [ -n "${MNT:-}" ]; then
		umount "$MNT" 2>/dev/null || true
	fi
	teardown_scratch
}

# quick ARGS...: a tiny sleep run, its own session, at most 30 s
quick() {
	run timeout 30 setsid "$BENCH" --warmup 0 --quiet --workload sleep --modes seq --tasks 2 --seconds 0 \
		--reps 1 "$@"
}

@test "stdout and stderr closed: the CSV files get rows, never the summary or the messages" {
	timeout 30 setsid "$BENCH" --warmup 0 --quiet --no-plots --workload sleep --modes seq,procpool --workers 2 \
		--tasks 2 --seconds 0 --reps 1 --csv r.csv >&- 2>&- <&-
	[ "$(csvq_rows r.csv)" -eq 2 ]
	[ "$(csvq_rows r-tasks.csv)" -eq 4 ]
	if grep -q -e 'speedup' -e 'bench:' r.csv r-tasks.csv; then false; fi
	# an error message with stderr closed goes nowhere, not into a file
	run timeout 30 setsid sh -c "'$BENCH' --quiet --no-plots --workload sleep --tasks 0 --csv t.csv 2>&-"
	[ "$status" -eq 2 ]
	[ ! -e t.csv ]
}

# mount_tmpfs SIZE: a small tmpfs at $MNT, or skip with the reason
mount_tmpfs() {
	MNT=$SCRATCH/mnt
	mkdir -p "$MNT"
	if ! mount -t tmpfs -o "size=$1" tmpfs "$MNT" 2>/dev/null; then
		MNT=
		skip "cannot mount a tmpfs here (needs root and mount rights): disk-full case not checked"
	fi
}

@test "disk full: no half row, the message names the file and says ENOSPC; the next run goes on" {
	mount_tmpfs 64k
	run timeout 60 setsid "$BENCH" --warmup 0 --quiet --no-plots --workload noop --modes seq,threadpool \
		--workers 2 --tasks 200 --reps 3 --csv "$MNT/r.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot write $MNT/r-tasks.csv: No space left on device"* ]]
	# only whole rows: every record has the header's field count, the last ends its line
	csvq_rows "$MNT/r-tasks.csv"
	csvq_rows "$MNT/r.csv"
	[ "$(tail -c 1 "$MNT/r-tasks.csv" | od -An -c | tr -d ' ')" = '\n' ]
	# every run row is still there (they are short: the disk had room for them)
	[ "$(csvq_rows "$MNT/r.csv")" -eq 6 ]
	# and --plots-only reads both files back
	run timeout 60 setsid "$BENCH" --plots-only "$MNT/r.csv" --no-plots --trace "$SCRATCH/t.json"
	[ "$status" -eq 0 ]
}

@test "a torn last line (a crash of an older bench) is removed with a warning on the next open" {
	quick --no-plots --csv r.csv
	[ "$status" -eq 0 ]
	printf '1,torn-row,without,its,line,end' >>r-tasks.csv
	quick --no-plots --csv r.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: r-tasks.csv ended in a torn line (31 bytes without a line end"* ]]
	[ "$(csvq_rows r-tasks.csv)" -eq 4 ]
	! grep -q torn-row r-tasks.csv || false
}

@test "one file under two names: --trace on a CSV (directly or through links), a CSV as a chart" {
	# check_refused MESSAGE ARGS...: exit 2 with MESSAGE, r.csv as it was
	check_refused() {
		local want=$1 before
		shift
		before=$(cat r.csv r-tasks.csv 2>/dev/null | md5sum)
		quick "$@"
		if [ "$status" -ne 2 ] || [[ "$output" != *"$want"* ]] ||
		   [ "$(cat r.csv r-tasks.csv 2>/dev/null | md5sum)" != "$before" ]; then
			echo "bench $*: want exit 2 and '$want', got $status: $output"
			return 1
		fi
	}
	check_refused "--trace r.csv and --csv r.csv are one file" --csv r.csv --trace r.csv
	mkdir sub
	check_refused "are one file" --csv r.csv --trace ./sub/../r-tasks.csv --no-plots
	ln -s r.csv link.json
	check_refused "--trace link.json and --csv r.csv are one file" --csv r.csv --trace link.json
	quick --no-plots --csv r.csv
	ln r.csv hard.json
	check_refused "--trace hard.json and --csv r.csv are one file" --csv r.csv --trace hard.json
	ln r.csv hard.csv && ln r.csv hard-tasks.csv
	check_refused "tasks file hard-tasks.csv and --csv hard.csv are one file" --csv hard.csv --no-plots
	# a CSV where a chart goes, by name or hard link
	mkdir plots
	check_refused "is a chart's file in the plots folder" --csv plots/timeline-sleep.dat --plots-dir plots
	quick --csv r.csv --plots-dir plots
	[ "$status" -eq 0 ] || skip "no charts drawn here (gnuplot missing?)"
	rm -f new.json && ln plots/timeline-sleep.png new.json
	check_refused "--trace new.json is a chart's file" --csv r.csv --trace new.json --plots-dir plots
	# --plots-only: its input is never the trace
	quick --no-plots --csv r.csv
	run timeout 30 setsid "$BENCH" --plots-only r.csv --no-plots --trace r-tasks.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"are one file"* ]]
	[ "$(csvq_rows r-tasks.csv)" -ge 2 ]
}

@test "special files: a FIFO or a device as --csv, --trace, a chart or an input is refused, never blocks" {
	mkfifo fifo fifo-tasks.csv
	quick --no-plots --csv fifo
	[ "$status" -eq 2 ] && [[ "$output" == *"fifo: it is a FIFO, not a regular file"* ]]
	quick --no-plots --csv /dev/null
	[ "$status" -eq 2 ] && [[ "$output" == *"/dev/null: it is a character device, not a regular file"* ]]
	[ ! -e /dev/null-tasks.csv ]
	quick --no-plots --csv r.csv --trace fifo
	[ "$status" -eq 2 ] && [[ "$output" == *"--trace fifo: it is a FIFO, not a regular file"* ]]
	quick --no-plots --csv r.csv
	[ "$status" -eq 0 ]
	# inputs: bench report and --plots-only
	run timeout 30 setsid "$BENCH" report fifo --out rep
	[ "$status" -eq 2 ] && [[ "$output" == *"a FIFO, not a regular file"* ]]
	run timeout 30 setsid "$BENCH" --plots-only fifo
	[ "$status" -eq 2 ] && [[ "$output" == *"a FIFO, not a regular file"* ]]
	cp r.csv f2.csv && mkfifo f2-tasks.csv
	run timeout 30 setsid "$BENCH" --plots-only f2.csv --trace t.json --no-plots
	[ "$status" -ne 124 ] && [[ "$output" == *"a FIFO, not a regular file"* ]]
	# a chart's data file and a chart that are FIFOs: those charts fail, the others are drawn
	command -v gnuplot >/dev/null || skip "no gnuplot: chart files not checked"
	mkdir plots
	mkfifo plots/timeline-sleep.dat plots/wall-spread-sleep.png
	run timeout 60 setsid "$BENCH" --plots-only r.csv --plots-dir plots
	[ "$status" -ne 124 ]
	[[ "$output" == *"plots/timeline-sleep.dat: it is a FIFO, not a regular file"* ]]
	[[ "$output" == *"plots/wall-spread-sleep.png: it is a FIFO, not a regular file"* ]]
	[ -s plots/speedup-vs-workers-sleep.png ]
	[ -p plots/timeline-sleep.dat ] && [ -p plots/wall-spread-sleep.png ]
}

@test "output folder of images = input folder through a symlink, .. or a bind mount: refused" {
	"$BENCH" --help | grep -q '^  images ' || skip "no images workload in this build"
	mkdir imgs
	cp "$BATS_TEST_DIRNAME/../fuzz/images/rgb.jpg" imgs/
	ln -s imgs alias
	for out in alias imgs/. ./alias/../imgs; do
		run timeout 30 setsid "$BENCH" --warmup 0 --quiet --no-plots --workload images --modes seq --reps 1 \
			--images imgs --out "$out" --csv t.csv
		[ "$status" -eq 2 ] && [[ "$output" == *"the inputs would be overwritten"* ]]
	done
	mkdir bound
	if mount --bind imgs bound 2>/dev/null; then
		MNT=$SCRATCH/bound
		run timeout 30 setsid "$BENCH" --warmup 0 --quiet --no-plots --workload images --modes seq --reps 1 \
			--images imgs --out bound --csv t.csv
		[ "$status" -eq 2 ] && [[ "$output" == *"the inputs would be overwritten"* ]]
	else
		echo "# bind mount not allowed here: that alias not checked" >&3
	fi
	[ ! -e t.csv ]
}
