#!/usr/bin/env bats
# Bad input, table-driven: each row is the exit status bench must give,
# a substring its message must hold, and the arguments (shell words,
# evaluated in the scratch folder).  Usage errors exit 2 before anything
# runs: no CSV file appears.  Files: missing, empty, unreadable, damaged
# or gigantic images fail their own task (exit 1) with a message.

load reliability

setup() {
	setup_scratch
	cd "$SCRATCH"
	touch afile
	mkdir empty imgs
	cp "$BATS_TEST_DIRNAME/../fuzz/images/rgb.jpg" imgs/
}
teardown() { teardown_scratch; }

# check_table: read "exit | substring | args" rows on stdin, run each.
check_table() {
	local want msg args n=0 bad=0
	while IFS='|' read -r want msg args; do
		want=${want// /}
		[ -z "$want" ] || [ "${want:0:1}" = "#" ] && continue
		msg=$(printf '%s' "$msg" | sed 's/^ *//; s/ *$//')
		rm -f "$SCRATCH"/t*.csv
		eval "set -- $args"
		run "$BENCH" --warmup 0 --reps 3 --quiet --no-plots "$@"
		n=$((n + 1))
		if [ "$status" -ne "$want" ] || [[ "$output" != *"$msg"* ]] ||
		   { [ "$want" -eq 2 ] && ls "$SCRATCH"/t*.csv >/dev/null 2>&1; }; then
			echo "FAIL: bench $args"
			echo "  want exit $want and '$msg'; got exit $status: $output"
			bad=$((bad + 1))
		fi
	done
	echo "$n cases, $bad failed"
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}

@test "option values: negative, zero, huge, non-numeric, empty items, duplicates, unknown names" {
	check_table <<'EOF_TABLE'
# exit | message                                   | arguments
2 | --workers: '0' is not a whole number from 1 to 4096 | --workers 0 --csv t.csv
2 | --workers: '-1' is not a whole number             | --workers -1 --csv t.csv
2 | --workers: '5000' is not a whole number from 1 to 4096 | --workers 5000 --csv t.csv
2 | --workers: 'abc' is not a whole number            | --workers abc --csv t.csv
2 | --workers: '1.5' is not a whole number            | --workers 1.5 --csv t.csv
2 | --workers: '99999999999999999999' is not          | --workers 99999999999999999999 --csv t.csv
2 | --workers: empty item in the list                 | --workers 1,,2 --csv t.csv
2 | --workers: empty item in the list                 | --workers 1, --csv t.csv
2 | --workers: the list is empty                      | --workers '' --csv t.csv
2 | --workers: '2' is listed twice                    | --workers 2,2 --csv t.csv
2 | --workers needs a value                           | --csv t.csv --workers
2 | --tasks: '0' is not a whole number                | --workload sleep --tasks 0 --csv t.csv
2 | --tasks: '-3' is not a whole number               | --workload sleep --tasks -3 --csv t.csv
2 | --tasks: '1e3' is not a whole number              | --workload sleep --tasks 1e3 --csv t.csv
2 | --tasks: '99999999999999999999' is not            | --workload sleep --tasks 99999999999999999999 --csv t.csv
2 | --reps: '0' is not a whole number                 | --reps 0 --csv t.csv
2 | --reps: 'x' is not a whole number                 | --reps x --csv t.csv
2 | --warmup: '-1' is not a whole number              | --warmup -1 --csv t.csv
2 | --seconds: -1 is out of range                     | --workload sleep --seconds -1 --csv t.csv
2 | --seconds: 'abc' is not a number                  | --workload sleep --seconds abc --csv t.csv
2 | --seconds: 'nan' is not a number                  | --workload sleep --seconds nan --csv t.csv
2 | --seconds: 'inf' is not a number                  | --workload sleep --seconds inf --csv t.csv
2 | --seconds: 1e999 is out of range                 | --workload sleep --seconds 1e999 --csv t.csv
2 | --seconds: 100000 is out of range                 | --workload sleep --seconds 100000 --csv t.csv
2 | --seconds: empty item in the list                 | --workload sleep --seconds 0.1,,0.2 --csv t.csv
2 | --seconds: the list is empty                      | --workload sleep --seconds '' --csv t.csv
2 | --tasks 3 disagrees with the 2 values of --seconds | --workload sleep --tasks 3 --seconds 1,2 --csv t.csv
2 | --seconds: only the sleep workload takes durations (--workload noop) | --workload noop --seconds 1 --csv t.csv
2 | --seconds: only the sleep workload takes durations (--workload has no sleep) | --workload cpu,io --seconds 1 --csv t.csv
2 | --modes: unknown mode 'foo' (valid: seq, pthread, fork, threadpool, procpool | --modes foo --csv t.csv
2 | --modes: 'seq' is listed twice                    | --modes seq,seq --csv t.csv
2 | --modes: the list is empty                        | --modes '' --csv t.csv
2 | --modes: empty item in the list                   | --modes seq, --csv t.csv
2 | --workload: unknown workload 'foo' (valid: noop, sleep | --workload foo --csv t.csv
2 | --workload: 'sleep' is listed twice               | --workload sleep,sleep --csv t.csv
2 | --pin: unknown policy 'bogus' (valid: none, compact, scatter) | --pin bogus --csv t.csv
2 | --task-timeout: 0 is out of range                 | --task-timeout 0 --csv t.csv
2 | --task-timeout: -1 is out of range                | --task-timeout -1 --csv t.csv
2 | --task-timeout: 'abc' is not a number             | --task-timeout abc --csv t.csv
2 | --inject: unknown kind in 'boom:1' (valid: fail, crash, abort, exit, hang) | --inject boom:1 --csv t.csv
2 | --inject: 'fail' is not KIND:TASK                 | --inject fail --csv t.csv
2 | --inject: 'x' is not a whole number               | --inject fail:x --csv t.csv
2 | --inject: '-1' is not a whole number              | --inject fail:-1 --csv t.csv
2 | --inject: there is no task 10                     | --workload sleep --tasks 10 --seconds 0 --inject fail:10 --csv t.csv
2 | --inject crash:1: mode seq                        | --workload noop --modes seq --inject crash:1 --csv t.csv
2 | unknown option '--bogus'                          | --bogus --csv t.csv
2 | unexpected argument 'extra'                       | extra --csv t.csv
2 | --quiet takes no value                            | --quiet=1 --csv t.csv
2 | --csv: the path is empty                          | --csv ''
2 | 'frobnicate'                                      | frobnicate
EOF_TABLE
}

@test "numbers: one rule for every option (no spaces of any kind, no '+', no hex, tiny is out of range)" {
	check_table <<'EOF_TABLE'
# one syntax: [-]digits[.digits][e[+-]digits]; whole numbers without '.' or 'e'
2 | --tasks: ' 3' is not a whole number               | --workload sleep --tasks ' 3' --seconds 0 --csv t.csv
2 | --tasks: '\t3' is not a whole number              | --workload sleep --tasks $'\t3' --seconds 0 --csv t.csv
2 | --tasks: '3 ' is not a whole number               | --workload sleep --tasks '3 ' --seconds 0 --csv t.csv
2 | --tasks: '3\n' is not a whole number              | --workload sleep --tasks $'3\n' --seconds 0 --csv t.csv
2 | --tasks: '+3' is not a whole number               | --workload sleep --tasks +3 --seconds 0 --csv t.csv
2 | --tasks: '0x10' is not a whole number             | --workload sleep --tasks 0x10 --seconds 0 --csv t.csv
2 | --reps: '+2' is not a whole number                | --reps +2 --csv t.csv
2 | --seconds: ' 1' is not a number                   | --workload sleep --seconds ' 1' --csv t.csv
2 | --seconds: '\t1' is not a number                  | --workload sleep --seconds $'\t1' --csv t.csv
2 | --seconds: '1 ' is not a number                   | --workload sleep --seconds '1 ' --csv t.csv
2 | --seconds: '+1' is not a number                   | --workload sleep --seconds +1 --csv t.csv
2 | --seconds: '0x10' is not a number                 | --workload sleep --seconds 0x10 --csv t.csv
2 | --seconds: '0x1p3' is not a number                | --workload sleep --seconds 0x1p3 --csv t.csv
2 | --seconds: 'infinity' is not a number             | --workload sleep --seconds infinity --csv t.csv
2 | --seconds: '1e' is not a number                   | --workload sleep --seconds 1e --csv t.csv
2 | --seconds: 1e-320 is out of range                 | --workload sleep --seconds 1e-320 --csv t.csv
2 | --task-timeout: 1e-320 is out of range            | --task-timeout 1e-320 --csv t.csv
2 | --work: '+1' is not a number                      | --workload cpu --work +1 --csv t.csv
2 | --switch-ms: ' 1' is not a number                 | --switch-ms ' 1' --csv t.csv
# and what the rule allows
0 | runs:                                             | --workload sleep --modes seq --reps 1 --tasks 2 --seconds 0.0e0,1e-3 --csv t.csv
0 | runs:                                             | --workload sleep --modes seq --reps 1 --tasks 007 --seconds .001 --csv t.csv
EOF_TABLE
}

@test "options that do not apply are warned about or refused, never ignored in silence" {
	check_table <<'EOF_TABLE'
0 | warning: --images is not used: only the images workload takes it (--workload sleep) | --workload sleep --modes seq --reps 1 --tasks 1 --seconds 0 --images imgs --csv t.csv
0 | warning: --out is not used: only the images workload takes it | --workload noop --modes seq --reps 1 --tasks 1 --out o --csv t.csv
0 | warning: --work is not used: only the cpu workload takes it | --workload noop --modes seq --reps 1 --work 2 --csv t.csv
0 | warning: --io-mb is not used: only the io workload takes it | --workload noop --modes seq --reps 1 --io-mb 2 --csv t.csv
0 | warning: --switch-ms is not used: only the gil mode takes it | --workload noop --modes seq --reps 1 --switch-ms 2 --csv t.csv
0 | warning: --hostfile is not used: only the mpi mode takes it | --workload noop --modes seq --reps 1 --hostfile afile --csv t.csv
2 | --list: only bench demo takes it                  | --workload noop --modes seq --list --csv t.csv
2 | --time-scale: only bench demo takes it            | --workload noop --modes seq --time-scale 2 --csv t.csv
2 | unexpected argument 'extra' after '--'            | --workload noop --modes seq --csv t.csv -- extra
2 | --hostfile nonexist: No such file or directory    | --workload noop --modes seq --hostfile nonexist --csv t.csv
2 | --hostfile empty: not a regular file              | --workload noop --modes seq --hostfile empty --csv t.csv
2 | /dev/null: it is a character device, not a regular file | --workload noop --modes seq --csv /dev/null
2 | --trace nonexist/t.json: cannot be created: No such file or directory | --workload noop --modes seq --csv t.csv --trace nonexist/t.json
EOF_TABLE
	[ ! -e /dev/null-tasks.csv ]
}

@test "--tasks with images only is warned about; --plots-only into a plots folder it cannot make fails (exit 1)" {
	images_registered || skip "no images workload in this build"
	run "$BENCH" --quiet --no-plots --workload images --modes seq --reps 1 --tasks 3 \
		--images imgs --out out --csv t.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: --tasks is not used: only the noop sleep cpu io workloads take it (--workload images)"* ]]
	run "$BENCH" --plots-only t.csv --plots-dir afile
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot create plots folder afile: Not a directory"* ]]
	run "$BENCH" --plots-only t.csv --plots-dir afile/sub
	[ "$status" -eq 1 ]
}

@test "output locations: a file in the way, a missing folder, a full or read-only device" {
	check_table <<'EOF_TABLE'
2 | cannot open afile/t.csv: Not a directory          | --workload sleep --tasks 1 --seconds 0 --csv afile/t.csv
2 | afile                                             | --workload sleep --tasks 1 --seconds 0 --results afile
2 | cannot open nonexist/t.csv: No such file or directory | --workload sleep --tasks 1 --seconds 0 --csv nonexist/t.csv
2 | /dev/full: it is a character device, not a regular file | --workload sleep --tasks 1 --seconds 0 --csv /dev/full
2 | exists with another header                        | --workload sleep --tasks 1 --seconds 0 --csv imgs/rgb.jpg
EOF_TABLE
}

@test "paths with spaces, newlines and .. work; the CSV stays parseable" {
	run "$BENCH" --warmup 0 --quiet --no-plots --workload sleep --modes seq,procpool --workers 2 --tasks 2 \
		--seconds 0 --reps 1 --results "$SCRATCH/a b/../with
newline"
	[ "$status" -eq 0 ]
	f=$(ls "$SCRATCH/with
newline"/bench-*-tasks.csv)
	[ "$(csvq_rows "$f")" -eq 4 ]
}

@test "a read-only output location is refused before anything runs (as an unprivileged user)" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch to nobody"
	command -v setpriv >/dev/null || skip "no setpriv"
	chmod 755 "$SCRATCH"
	mkdir ro && chmod 555 ro
	as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }
	run as_nobody "$BENCH" --warmup 0 --reps 3 --quiet --no-plots --workload sleep --tasks 1 --seconds 0 --csv ro/t.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot open ro/t.csv: Permission denied"* ]]
	run as_nobody "$BENCH" --warmup 0 --reps 3 --quiet --no-plots --workload sleep --tasks 1 --seconds 0 --results ro/sub
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot create results folder ro/sub: Permission denied"* ]]
}

images_registered() {
	"$BENCH" --help | grep -q '^  images '
}

@test "image folders: missing, empty, a file, output folder a file or the input folder" {
	images_registered || skip "no images workload in this build"
	check_table <<'EOF_TABLE'
2 | cannot open image folder nonexist: No such file or directory | --workload images --modes seq --reps 1 --images nonexist --csv t.csv
2 | no .jpg, .jpeg or .png images in empty            | --workload images --modes seq --reps 1 --images empty --csv t.csv
2 | cannot open image folder afile: Not a directory   | --workload images --modes seq --reps 1 --images afile --csv t.csv
2 | cannot create output folder afile: Not a directory | --workload images --modes seq --reps 1 --images imgs --out afile --csv t.csv
2 | the inputs would be overwritten                   | --workload images --modes seq --reps 1 --images imgs --out imgs --csv t.csv
2 | the inputs would be overwritten                   | --workload images --modes seq --reps 1 --images imgs --out imgs/../imgs --csv t.csv
EOF_TABLE
}

@test "damaged, gigantic and oddly named images fail their own task; the others are written" {
	images_registered || skip "no images workload in this build"
	fz=$BATS_TEST_DIRNAME/../fuzz/images
	mkdir bad
	cp "$fz"/{truncated.jpg,text.jpg,cmyk.jpg,huge.png,huge.jpg,gray.png,alpha.png,regress-dht-over-256-codes.jpg} bad/
	: >bad/zero.jpg
	cp imgs/rgb.jpg "bad/with space.jpg"
	cp imgs/rgb.jpg "bad/new
line.jpg"
	cp imgs/rgb.jpg "bad/a..b.jpg"
	for m in seq procpool threadpool; do
		rm -f t*.csv
		run "$BENCH" --warmup 0 --quiet --no-plots --workload images --modes "$m" --workers 2 --reps 1 \
			--images bad --out "out dir/../out" --csv t.csv
		[ "$status" -eq 1 ]
		[ "$(csvq_rows t-tasks.csv)" -eq 12 ]
		st() { csvq t-tasks.csv message status | grep -F "$1" | cut -f2 | head -1; }
		msg() { csvq t-tasks.csv message | grep -F "$1" | head -1; }
		[[ "$(msg zero.jpg)" == *"not a JPEG or PNG file"* ]]
		[[ "$(msg text.jpg)" == *"not a JPEG or PNG file"* ]]
		[[ "$(msg huge.jpg)" == *"60000x60000 is over the limit"* ]]
		[[ "$(msg regress-dht)" == *"more than 256 codes"* ]]
		[ "$(st truncated.jpg)" = failed ]
		[ "$(st huge.png)" = failed ]
		[ "$(st cmyk.jpg)" = ok ]
		[ "$(st gray.png)" = ok ]
		[ "$(st alpha.png)" = ok ]
		[ "$(st 'with space.jpg')" = ok ]
		[ "$(st 'a..b.jpg')" = ok ]
		[ -f "out/with space.jpg" ] && [ -f "out/new
line.jpg" ] && [ -f out/a..b.jpg ]
		# each under its own name, in its own format: a PNG stays a PNG
		file out/gray.png | grep -q 'PNG image data, 24 x 16, 8-bit grayscale'
		file out/alpha.png | grep -q 'PNG image data, .* 8-bit/color RGB,'
		[ ! -e out/gray.png.jpg ]
		# a CMYK JPEG decodes (stb_image converts it) and comes out an RGB JPEG
		file out/cmyk.jpg | grep -q 'JPEG image data.*components 3'
		# nothing half-written or temporary left in the output folder
		[ -z "$(find out -mindepth 1 ! -name '*.jpg' ! -name '*.png' -print -quit)" ]
		[ -z "$(find out -mindepth 1 -name '.*' -print -quit)" ]
		[ ! -e out/truncated.jpg ]
	done
}

@test "an unreadable image fails its own task (as an unprivileged user)" {
	images_registered || skip "no images workload in this build"
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch to nobody"
	command -v setpriv >/dev/null || skip "no setpriv"
	chmod 755 "$SCRATCH" imgs
	cp imgs/rgb.jpg imgs/secret.jpg
	chmod 000 imgs/secret.jpg
	mkdir out && chmod 777 out
	chmod 777 "$SCRATCH"
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$BENCH" --warmup 0 --quiet --no-plots \
		--workload images --modes seq --reps 1 --images imgs --out out --csv t.csv
	[ "$status" -eq 1 ]
	[[ "$(csvq t-tasks.csv message)" == *"cannot read secret.jpg: Permission denied"* ]]
	[ -f out/rgb.jpg ]
}

@test "a 6 GB sparse image is refused from its header or its size, unread (IMAGES_MAX_FILE_BYTES)" {
	images_registered || skip "no images workload in this build"
	truncate -s 6G imgs/sparse.jpg
	head -c 4000 imgs/rgb.jpg >imgs/big.jpg
	truncate -s 6G imgs/big.jpg
	run timeout 60 setsid "$BENCH" --quiet --no-plots --workload images --modes seq,procpool \
		--workers 2 --reps 1 --warmup 0 --images imgs --out out --csv t.csv
	[ "$status" -eq 1 ]
	[[ "$(csvq t-tasks.csv message | grep sparse.jpg | head -1)" == "cannot decode sparse.jpg: not a JPEG or PNG file" ]]
	[[ "$(csvq t-tasks.csv message | grep big.jpg | head -1)" == *"6442450944 bytes, over the limit of 512 MiB per image (nothing past its header was read)"* ]]
	[ "$(csvq t-tasks.csv message status | grep -c $'^rgb.jpg.*\tok$')" -eq 2 ]
	# the read stage took no time to speak of: nothing near 6 GB was read
	awk -v s="$(csvq t-tasks.csv read_s | sort -g | tail -1)" 'BEGIN { exit !(s < 2) }'
}

@test "an image name that is no regular file (FIFO, dangling link, folder) is refused up front, never blocks" {
	images_registered || skip "no images workload in this build"
	for kind in fifo link dir; do
		rm -rf imgs/odd.jpg
		case $kind in
		fifo) mkfifo imgs/odd.jpg; want="imgs/odd.jpg: it is a FIFO, not a regular file" ;;
		link) ln -s nothing imgs/odd.jpg; want="imgs/odd.jpg: a symbolic link to nothing" ;;
		dir) mkdir imgs/odd.jpg; want="imgs/odd.jpg: it is a directory, not a regular file" ;;
		esac
		run timeout 30 setsid "$BENCH" --quiet --no-plots --workload images --modes seq --reps 1 \
			--images imgs --out out --csv t.csv
		[ "$status" -eq 2 ] || { echo "$kind: $status $output"; false; }
		[[ "$output" == *"$want"* ]]
		[ ! -e t.csv ]
	done
}

@test "bench report and --plots-only take a CSV with a UTF-8 BOM and CSVs joined with cat" {
	for h in a b; do
		"$BENCH" --quiet --no-plots --workload sleep --modes seq,threadpool --workers 2 --tasks 2 \
			--seconds 0 --reps 1 --warmup 0 --csv $h.csv >/dev/null
	done
	cat a.csv b.csv >joined.csv
	cat a-tasks.csv b-tasks.csv >joined-tasks.csv
	{ printf '\357\273\277'; cat a.csv; } >bom.csv
	{ printf '\357\273\277'; cat a-tasks.csv; } >bom-tasks.csv
	[ "$(grep -c '^schema,' joined.csv)" -eq 2 ]
	run "$BENCH" report joined.csv --out rep
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	grep -q '^4 measured runs from 1 file' rep/report.md
	run "$BENCH" report bom.csv --out rep2
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run "$BENCH" --plots-only joined.csv --no-plots --trace j.json
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"(8 tasks"* ]]
	run "$BENCH" --plots-only bom.csv --no-plots --trace b.json
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	# appending to a file that starts with a BOM is refused by its header check, not mixed
	run "$BENCH" --quiet --no-plots --workload sleep --modes seq --tasks 1 --seconds 0 --reps 1 \
		--csv bom.csv
	[ "$status" -eq 2 ]
}

@test "names are printed with control characters escaped; a 4 KB path keeps the reason" {
	long=$(printf 'dir/%.0s' $(seq 1000))x
	run "$BENCH" --quiet --no-plots --workload sleep --modes seq --tasks 1 --seconds 0 --reps 1 \
		--csv "$long.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"/dir/x.csv: No such file or directory" ]]
	[[ "$output" == *"..."* ]]
	[ "${#output}" -lt 1000 ]
	run "$BENCH" --quiet --no-plots --workload sleep --modes seq --tasks 1 --seconds 0 --reps 1 \
		--csv t.csv --trace "$long.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"/dir/x.json: cannot be created: No such file or directory"* ]]
	[ ! -e t.csv ]
	if images_registered; then
		run "$BENCH" --quiet --no-plots --workload images --images "$long" --csv t.csv
		[ "$status" -eq 2 ]
		[[ "$output" == *"/dir/x: No such file or directory" ]]
	fi
	# a runs file name so long that its tasks file name would not fit: refused, never cut
	run "$BENCH" --quiet --no-plots --workload sleep --modes seq --tasks 1 --seconds 0 --reps 1 \
		--csv "$(printf 'd%.0s' $(seq 4093))"
	[ "$status" -eq 2 ]
	[[ "$output" == *"the name of its tasks file would be too long"* ]]
	# control characters: escaped on the terminal, kept as they are in the file names
	esc=$'r\e[31m\tx'
	run "$BENCH" --no-plots --workload sleep --modes seq --tasks 1 --seconds 0 --reps 1 --csv "$esc.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *'runs:  r\x1b[31m\tx.csv'* ]]
	[[ "$output" != *$'\e'* ]]
	[ -f "$esc.csv" ]
	mkfifo "$esc-fifo"
	run "$BENCH" --no-plots --workload sleep --modes seq --tasks 1 --seconds 0 --reps 1 --csv "$esc-fifo"
	[ "$status" -eq 2 ]
	[[ "$output" == *'r\x1b[31m\tx-fifo: it is a FIFO'* ]]
	if images_registered; then
		mkdir pics
		cp imgs/rgb.jpg "pics/bad$esc.jpg"
		printf 'x' >"pics/bad$esc.jpg"
		run "$BENCH" --quiet --no-plots --workload images --modes seq --reps 1 --images pics \
			--out o --csv i.csv
		[ "$status" -eq 1 ]
		[[ "$output" == *'bad r\x1b[31m\tx.jpg'* ]] || [[ "$output" == *'badr\x1b[31m\tx.jpg'* ]]
		[[ "$output" != *$'\e'* ]]
	fi
}

@test "demo lesson numbers follow the one number rule: ' 7', '+7' and '0x7' are no lesson" {
	for arg in ' 7' '+7' '0x7' '7 ' '007x'; do
		run "$BENCH" demo "$arg" --no-pause
		[ "$status" -eq 2 ]
		[[ "$output" == *"unknown lesson"* ]]
	done
}
