# Shared by the bats files: the binary under test and a scratch folder.
: "${BENCH:=$BATS_TEST_DIRNAME/../../build/bench}"

setup_scratch() {
	SCRATCH=$(mktemp -d)
	export SCRATCH
}

teardown_scratch() {
	[ -n "${SCRATCH:-}" ] && rm -rf "$SCRATCH"
}

# Rows (header excluded) of a CSV file.
csv_rows() {
	echo $(($(wc -l <"$1") - 1))
}

# The values of column NAME in CSV file $1 (simple CSV: no quoted commas before NAME).
csv_col() {
	awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$1"
}
