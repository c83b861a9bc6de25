#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang and run each
# for SECONDS, one at a time, niced.  A target lists the bench sources it
# needs in a "sources:" line and extra libraries in a "libs:" line of its
# header comment; "stb: source" compiles stb_image and stb_image_write
# from Debian's headers into the target (instrumented, so the fuzzer sees
# coverage inside the decoder) instead of linking the prebuilt -lstb (bench
# itself never does that; see the style guide).  The seed corpus is tests/fuzz/<name>/; the working
# corpus grows in build/fuzz/corpus/<name>; crashes land in
# build/fuzz/crashes/ (copy each into tests/fuzz/<name>/ as a regression
# input: tests/test_fuzz_corpus.c replays them in make test).
#   scripts/fuzz.sh SECONDS [TARGET...]
set -u
seconds=${1:-60}
shift || true
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
out=build/fuzz
cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null; then
	echo "fuzz: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
fi
flags="-std=c11 -D_GNU_SOURCE -g -O1 -I. -isystem /usr/include/stb \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fsanitize-ignorelist=tests/fuzz/ubsan.ignore"
mkdir -p "$out/crashes"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		t=$(basename "$f" .c)
		targets+=("${t#fuzz_}")
	done
fi
status=0
for t in "${targets[@]}"; do
	src=tests/fuzz/fuzz_$t.c
	sources=$(sed -n 's/^ \* sources: //p' "$src")
	libs=$(sed -n 's/^ \* libs: //p' "$src")
	if grep -q '^ \* stb: source' "$src"; then
		printf '#define STB_IMAGE_IMPLEMENTATION\n#include <stb_image.h>\n#define STB_IMAGE_WRITE_IMPLEMENTATION\n#include <stb_image_write.h>\n' >"$out/stb_impl.c"
		sources="$sources $out/stb_impl.c"
		libs=${libs//-lstb/}
	fi
	missing=
	for s in $sources; do
		[ -f "$s" ] || missing="$missing $s"
	done
	if [ -n "$missing" ]; then
		echo "fuzz: $t: skipped, not in this tree yet:$missing"
		continue
	fi
	echo "fuzz: $t: building"
	# shellcheck disable=SC2086
	if ! $cc $flags -DBENCH_VERSION='"fuzz"' -DBENCH_CC='"clang"' -DBENCH_CFLAGS='""' \
		-o "$out/fuzz_$t" "$src" $sources $libs -lm -lpthread; then
		status=1
		continue
	fi
	mkdir -p "$out/corpus/$t"
	echo "fuzz: $t: running ${seconds}s"
	log=$out/fuzz_$t.log
	ASAN_OPTIONS=detect_leaks=1 nice -n 10 "$out/fuzz_$t" -max_total_time="$seconds" \
		-print_final_stats=1 -artifact_prefix="$out/crashes/$t-" -timeout=10 -rss_limit_mb=2048 \
		"$out/corpus/$t" "tests/fuzz/$t" >"$log" 2>&1
	rc=$?
	grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -2
	grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log"
	if [ $rc -ne 0 ]; then
		echo "fuzz: $t: FAILED (exit $rc), see $log and $out/crashes/"
		grep -m5 -E 'ERROR|SUMMARY|runtime error' "$log"
		status=1
	fi
done
exit $status
