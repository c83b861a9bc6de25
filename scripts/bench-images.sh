#!/usr/bin/env bash
# bench vs Pillow on the same images, side by side, printed as ratios (not a test).
#   scripts/bench-images.sh BUILD/bench [IMAGE_DIR]
# IMAGE_DIR defaults to the built-in set (made on first use).  The peer is
# scripts/peers/images.py (in this repository); it needs /usr/bin/python3
# with python3-pil (scripts/deps.sh install, which make bench-images runs).
set -u
bench=${1:?usage: $0 BUILD/bench [IMAGE_DIR]}
top=$(cd "$(dirname "$0")/.." && pwd)
peer=${BENCH_PEERS:-$top/scripts/peers}/images.py
py=/usr/bin/python3
workers=2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$peer" ] || ! "$py" -c 'import PIL' 2>/dev/null; then
	echo "bench-images: needs $peer and python3-pil (scripts/deps.sh install)" >&2
	exit 2
fi
if [ $# -ge 2 ]; then
	dir=$2
else
	# make (or find) the built-in set, and learn where it is; also warms the file cache
	"$bench" --workload images --modes seq --reps 1 --no-plots --quiet \
		--results "$tmp/prep" >/dev/null 2>&1
	dir="${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bench}/images-v1"
	[ -n "${BENCH_IMAGES_SIZE:-}" ] && dir="$dir-$BENCH_IMAGES_SIZE"
fi
mp=$("$py" - "$dir" <<'PY'
import os, sys
from PIL import Image
d = sys.argv[1]
t = 0
for f in sorted(os.listdir(d)):
    if f.lower().endswith(('.jpg', '.jpeg', '.png')):
        with Image.open(os.path.join(d, f)) as i:
            t += i.width * i.height
print(t / 1e6)
PY
)
echo "images: $dir ($mp MP)"

# bench MODE WORKERS -> wall seconds (median of the run's reps: one rep here)
run_bench() {
	local csv="$tmp/b-$1-$2.csv"
	"$bench" --workload images --modes "$1" --workers "$2" --reps 1 --no-plots --quiet \
		--images "$dir" --out "$tmp/out-bench" --csv "$csv" >/dev/null || return 1
	csv_mean "$csv" wall_s
}
run_pillow() {
	"$py" "$peer" --mode "$1" --workers "$2" --out "$tmp/out-pil" "$dir" |
		sed -n 's/^RESULT .*seconds=\([0-9.]*\).*/\1/p'
}
csv_mean() {
	awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		{ s += $c; n++ } END { if (n) printf "%.4f\n", s / n }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
permp() { awk -v s="$1" -v mp="$mp" 'BEGIN { printf "%.1f", s * 1000 / mp }'; }

bs=$(run_bench seq 1) || { echo "bench-images: bench failed" >&2; exit 1; }
ps=$(run_pillow seq 1)
printf '\n%-28s %10s %10s %12s\n' "one worker" "seconds" "ms/MP" "Pillow/bench"
printf '%-28s %10.3f %10s\n' "bench seq" "$bs" "$(permp "$bs")"
printf '%-28s %10.3f %10s %12s\n' "Pillow seq" "$ps" "$(permp "$ps")" "$(ratio "$ps" "$bs")x"

printf '\n%-28s %10s %10s %12s\n' "$workers workers" "seconds" "ms/MP" "Pillow/bench"
bt=$(run_bench threadpool $workers)
pt=$(run_pillow thread $workers)
bp=$(run_bench procpool $workers)
pp=$(run_pillow process $workers)
printf '%-28s %10.3f %10s\n' "bench threadpool" "$bt" "$(permp "$bt")"
printf '%-28s %10.3f %10s %12s\n' "Pillow ThreadPoolExecutor" "$pt" "$(permp "$pt")" "$(ratio "$pt" "$bt")x"
printf '%-28s %10.3f %10s\n' "bench procpool" "$bp" "$(permp "$bp")"
printf '%-28s %10.3f %10s %12s\n' "Pillow ProcessPoolExecutor" "$pp" "$(permp "$pp")" "$(ratio "$pp" "$bp")x"
printf '%-28s %10s %10s\n' "bench efficiency (seq/pool/$workers)" \
	"$(awk -v s="$bs" -v t="$bt" -v w=$workers 'BEGIN { printf "%.2f", s / t / w }')" \
	"$(awk -v s="$bs" -v t="$bp" -v w=$workers 'BEGIN { printf "%.2f", s / t / w }')"

echo
echo "bench per-stage split (seq, one worker):"
awk -F, -v mp="$mp" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ for (k in c) if (k ~ /^(read|decode|blur|resize|encode|write)_s$/) s[k] += $c[k]; t += $c["end_s"] - $c["start_s"] }
	END {
		n = split("read_s decode_s blur_s resize_s encode_s write_s", o, " ")
		for (i = 1; i <= n; i++)
			printf "  %-8s %8.3f s %6.2f ms/MP %5.1f %%\n", substr(o[i], 1, length(o[i]) - 2),
				s[o[i]], s[o[i]] * 1000 / mp, 100 * s[o[i]] / t
		printf "  %-8s %8.3f s   (I/O: read + write %.1f %%)\n", "task", t,
			100 * (s["read_s"] + s["write_s"]) / t
	}' "$tmp/b-seq-1-tasks.csv"
