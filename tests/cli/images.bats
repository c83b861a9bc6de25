#!/usr/bin/env bats
# The images workload end to end on a tiny generated set.

load helpers

setup() {
	setup_scratch
	export BENCH_CACHE="$SCRATCH/cache"
	export BENCH_IMAGES_SIZE=96x64
}
teardown() { teardown_scratch; }

# A folder of tiny images: the generated set, copied.
tiny_set() {
	"$BENCH" --warmup 0 --workload images --modes seq --reps 1 --quick --no-plots --quiet \
		--results "$SCRATCH/gen" >/dev/null 2>&1
	mkdir -p "$1"
	cp "$BENCH_CACHE"/images-v1-96x64/photo-0[1-4].jpg "$1"/
}

@test "images: built-in tiny set through all modes, same bytes from every mode" {
	run "$BENCH" --warmup 0 --workload images --modes seq --reps 1 --no-plots --results "$SCRATCH/r0"
	[ "$status" -eq 0 ]
	[ "$(ls "$BENCH_CACHE/images-v1-96x64" | wc -l)" -eq 15 ]
	for m in seq pthread fork threadpool procpool; do
		run "$BENCH" --warmup 0 --workload images --modes "$m" --reps 1 --no-plots --quiet \
			--results "$SCRATCH/r-$m" --out "$SCRATCH/out-$m"
		[ "$status" -eq 0 ]
		[ "$(ls "$SCRATCH/out-$m" | wc -l)" -eq 15 ]
	done
	for f in "$SCRATCH"/out-seq/*.jpg; do
		for m in pthread fork threadpool procpool; do
			cmp "$f" "$SCRATCH/out-$m/$(basename "$f")"
		done
	done
	# default output folder: RESULTS/processed
	[ -f "$SCRATCH/r0/processed/photo-01.jpg" ]
}

@test "images: per-stage times and a message in the tasks CSV" {
	run "$BENCH" --warmup 0 --workload images --modes seq --reps 1 --quick --no-plots --quiet \
		--csv "$SCRATCH/r.csv" --out "$SCRATCH/out"
	[ "$status" -eq 0 ]
	[ "$(csv_rows "$SCRATCH/r-tasks.csv")" -eq 4 ]
	for s in read decode blur resize encode write; do
		head -1 "$SCRATCH/r-tasks.csv" | grep -q "${s}_s"
		[ -z "$(csv_col "$SCRATCH/r-tasks.csv" "${s}_s" | grep -v '[0-9]')" ]
	done
	grep -q "photo-01.jpg 96x64 -> 96x64" "$SCRATCH/r-tasks.csv"
}

@test "images: a corrupt file fails its task only, exit 1, the others are written" {
	tiny_set "$SCRATCH/in dir"
	printf 'not an image at all' >"$SCRATCH/in dir/bad one.jpg"
	: >"$SCRATCH/in dir/empty.png"
	run "$BENCH" --warmup 0 --workload images --modes threadpool --workers 2 --reps 1 --no-plots \
		--images "$SCRATCH/in dir" --out "$SCRATCH/out" --csv "$SCRATCH/r.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad one.jpg"* ]]
	[ "$(csv_col "$SCRATCH/r-tasks.csv" status | grep -c failed)" -eq 2 ]
	[ "$(csv_col "$SCRATCH/r-tasks.csv" status | grep -c ok)" -eq 4 ]
	grep -q "cannot decode bad one.jpg" "$SCRATCH/r-tasks.csv"
	[ "$(ls "$SCRATCH/out" | wc -l)" -eq 4 ]
	[ -z "$(ls -A "$SCRATCH/out" | grep '^\.')" ]   # no temporary files left
}

@test "images: a PNG that claims 100000x100000 fails on the pixel limit, named as such" {
	mkdir -p "$SCRATCH/big"
	# a valid signature and IHDR (CRCs unchecked before the size), no pixels
	printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\001\206\240\000\001\206\240\010\002\000\000\000\000\000\000\000' \
		>"$SCRATCH/big/huge.png"
	run "$BENCH" --warmup 0 --workload images --modes seq --reps 1 --no-plots --images "$SCRATCH/big" \
		--out "$SCRATCH/out" --csv "$SCRATCH/r.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"huge.png: 100000x100000 is over the limit of 100000000 pixels"* ]]
}

@test "images: missing or empty folder is a usage error naming it" {
	run "$BENCH" --warmup 0 --reps 3 --workload images --modes seq --images "$SCRATCH/nowhere" --no-plots \
		--results "$SCRATCH/r"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$SCRATCH/nowhere"* ]]
	mkdir "$SCRATCH/empty"
	touch "$SCRATCH/empty/readme.txt"
	run "$BENCH" --warmup 0 --reps 3 --workload images --modes seq --images "$SCRATCH/empty" --no-plots \
		--results "$SCRATCH/r"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$SCRATCH/empty"* ]]
	[ ! -e "$SCRATCH/r/processed" ]
}

@test "images: an output folder that cannot be written is a usage error" {
	tiny_set "$SCRATCH/in"
	: >"$SCRATCH/afile"
	run "$BENCH" --warmup 0 --reps 3 --workload images --modes seq --images "$SCRATCH/in" --out "$SCRATCH/afile/sub" \
		--no-plots --results "$SCRATCH/r"
	[ "$status" -eq 2 ]
	[[ "$output" == *"output folder"* ]]
	if [ "$(id -u)" -ne 0 ]; then
		mkdir "$SCRATCH/ro"
		chmod 555 "$SCRATCH/ro"
		run "$BENCH" --warmup 0 --reps 3 --workload images --modes seq --images "$SCRATCH/in" --out "$SCRATCH/ro" \
			--no-plots --results "$SCRATCH/r"
		[ "$status" -eq 2 ]
	fi
	run "$BENCH" --warmup 0 --reps 3 --workload images --modes seq --images "$SCRATCH/in" --out "$SCRATCH/in" \
		--no-plots --results "$SCRATCH/r"
	[ "$status" -eq 2 ]
}

@test "images: odd sizes (1x1, 7x3, tall) go through" {
	for size in 1x1 7x3 40x130; do
		BENCH_IMAGES_SIZE=$size run "$BENCH" --warmup 0 --workload images --modes procpool --reps 1 --quick \
			--no-plots --quiet --results "$SCRATCH/r" --out "$SCRATCH/out-$size"
		[ "$status" -eq 0 ]
		[ "$(ls "$SCRATCH/out-$size" | wc -l)" -eq 4 ]
	done
}

@test "workloads measured together leave each other's allocator alone, in any order" {
	# images sets malloc parameters for its runs; glibc never adapts its mmap
	# threshold again once one is set, fixes its arena count once and hands
	# old threads' arenas to new ones, so bench fixes one state for every
	# run (bench/api/memory.h).  Before, io after images took 4104 page
	# faults a run in seq instead of 512, and images after io took none
	# with 2 threads instead of about 5000.
	export BENCH_IMAGES_SIZE=800x600
	for w in io images io,images images,io; do
		run "$BENCH" --warmup 0 --workload "$w" --modes seq,threadpool --workers 2 --tasks 8 \
			--io-mb 1 --reps 3 --quick --csv "$SCRATCH/$w.csv" --out "$SCRATCH/out" \
			--no-plots --quiet
		[ "$status" -eq 0 ]
	done
	python3 - "$SCRATCH" <<'PY'
import csv, statistics, sys
def faults(name, workload, mode):
    return statistics.median(int(r["minflt"]) for r in csv.DictReader(open(f"{sys.argv[1]}/{name}.csv"))
                             if r["workload"] == workload and r["mode"] == mode and r["status"] == "ok")
for wl in ("io", "images"):
    for mode in ("seq", "threadpool"):
        alone = faults(wl, wl, mode)
        for together in ("io,images", "images,io"):
            t = faults(together, wl, mode)
            print(f"{wl} on {mode}: alone {alone}, in {together} {t}")
            assert t <= 1.5 * alone + 64 and alone <= 1.5 * t + 64, (wl, mode, together, alone, t)
PY
}
