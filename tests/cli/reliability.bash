# Shared by faults.bats, signals.bats and badinput.bats.
load helpers

PROCWATCH="$BATS_TEST_DIRNAME/procwatch.py"

# csvq FILE [COL...]: check that every record of FILE has the header's
# field count (exit 1 and say which line if not), then print the named
# columns of each row, tab-separated (quoted commas handled).
csvq() {
	python3 - "$@" <<'PY'
import csv, sys
path, cols = sys.argv[1], sys.argv[2:]
with open(path, newline="") as f:
    rows = list(csv.reader(f))
if not rows:
    sys.exit(f"{path}: empty")
head = rows[0]
for n, r in enumerate(rows[1:], 2):
    if len(r) != len(head):
        sys.exit(f"{path}: record {n} has {len(r)} fields, the header {len(head)}")
idx = [head.index(c) for c in cols]
for r in rows[1:]:
    if idx:
        print("\t".join(r[i] for i in idx))
PY
}

# Number of data rows (CSV records) in FILE, checking the field counts.
csvq_rows() {
	python3 - "$1" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
head = rows[0]
bad = [n for n, r in enumerate(rows[1:], 2) if len(r) != len(head)]
if bad:
    sys.exit(f"{sys.argv[1]}: records {bad[:5]} have the wrong field count")
print(len(rows) - 1)
PY
}

# The "key=value" line of procwatch output in $output.
watch_val() {
	printf '%s\n' "$output" | sed -n "s/^$1=//p" | tail -1
}

# Fail (with the output shown) unless bench left no process behind.
assert_nothing_left() {
	if [ "$(watch_val orphans)" != 0 ] || [ "$(watch_val alive)" != 0 ] ||
	   [ "$(watch_val hung)" != 0 ]; then
		printf '%s\n' "$output" >&2
		return 1
	fi
}
