# Helpers for the berth-unpack bats files (unpack_*.bats).
#
#   mkimage SCENARIO DIR   build a test image (tests/integration/unpack/mkimage.py)
#   unpack ARGS...         run build/berth-unpack
#   tree [--mtime] DIR     the normalized listing of a tree (treelist.py)
#   assert_no_bundle DIR   a failed unpack left no DIR/rootfs, no temp dir, no
#                          config.json (and no DIR when it did not exist before)
#   assert_nothing_outside nothing was written where hostile images aim

UNPACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$UNPACK_DIR/../../.." && pwd)"
BERTH_UNPACK="${BERTH_UNPACK:-$REPO_ROOT/build/berth-unpack}"
BERTH="${BERTH:-$REPO_ROOT/build/berth}"

mkimage() {
	python3 "$UNPACK_DIR/mkimage.py" "$@"
}

unpack() {
	"$BERTH_UNPACK" "$@"
}

tree() {
	python3 "$UNPACK_DIR/treelist.py" "$@"
}

assert_no_bundle() {
	local b="$1"
	if [ -e "$b" ]; then
		local left
		left=$(ls -A "$b")
		if [ -n "$left" ]; then
			echo "left in $b: $left" >&2
			return 1
		fi
	fi
}

assert_nothing_outside() {
	local p
	for p in /tmp/berth-unpack-pwned /berth-unpack-pwned /abs_escape "$BATS_TEST_TMPDIR/escape" \
		"$BATS_TEST_TMPDIR/../escape"; do
		if [ -e "$p" ]; then
			echo "written outside the bundle: $p" >&2
			return 1
		fi
	done
}

require_tools() {
	[ -x "$BERTH_UNPACK" ] || skip "berth-unpack not built (make)"
	command -v python3 >/dev/null || skip "python3 not installed"
	[ -x /bin/busybox ] || skip "busybox-static not installed"
}
