# Shared helpers for berth's bats tests. Load with `load helpers` and call
# setup_bundle in setup() and teardown_berth in teardown().
#
#   setup_bundle            make $BUNDLE: busybox-static rootfs + the test
#                           helper (/bin/berth-testhelper) + config.json
#                           from `berth spec` (runc spec as fallback) with
#                           terminal off and args ["berth-testhelper","id"]
#   update_config JQ-EXPR   edit $BUNDLE/config.json with jq
#   set_args ARG...         set process.args
#   berth ARGS...           run berth with the test's private --root
#                           (use as `run berth ...` or directly)
#   berth_ids               ids known to the private root
#   wait_status ID STATUS   poll `berth state` until STATUS (5 s)
#   teardown_berth          delete --force every container, check that
#                           nothing is left, remove the temp files
#   assert_no_leftovers ID  no state dir, no cgroup, no process for ID
#
# Variables: $BERTH (binary), $HELPER (test helper), $BUNDLE, $ROOTFS,
# $BERTH_ROOT (private --root), $CGROUP2 (cgroup2 mount).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BERTH="${BERTH:-$REPO_ROOT/build/berth}"
HELPER="${HELPER:-$REPO_ROOT/build/berth-testhelper}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
CGROUP2="$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)"

# A rootfs template built once per bats run, copied per test (hard links).
_rootfs_template() {
	local t="$BATS_RUN_TMPDIR/rootfs-template"
	if [ ! -e "$t/.done" ]; then
		mkdir -p "$t"/{bin,dev,proc,sys,etc,tmp,root,run,var,usr/bin,usr/sbin,sbin}
		cp "$BUSYBOX" "$t/bin/busybox"
		# One process links every applet into /bin. Run in a chroot (no
		# /proc there) busybox links to "/bin/busybox", a path inside the
		# rootfs; outside one it would link to the template's host path.
		if ! chroot "$t" /bin/busybox --install -s /bin 2>/dev/null ||
			[ "$(readlink "$t/bin/sh")" != /bin/busybox ]; then
			local a
			for a in $("$BUSYBOX" --list); do
				[ "$a" = busybox ] || ln -sfn busybox "$t/bin/$a"
			done
		fi
		cp "$HELPER" "$t/bin/berth-testhelper"
		echo "root:x:0:0:root:/root:/bin/sh" >"$t/etc/passwd"
		echo "nobody:x:65534:65534:nobody:/:/bin/sh" >>"$t/etc/passwd"
		printf 'root:x:0:\nnogroup:x:65534:\n' >"$t/etc/group"
		chmod 1777 "$t/tmp"
		touch "$t/.done"
	fi
	echo "$t"
}

setup_bundle() {
	[ -x "$BERTH" ] || skip "berth not built (make)"
	[ -x "$HELPER" ] || skip "test helper not built (make testhelper)"
	[ -x "$BUSYBOX" ] || skip "busybox-static not installed"
	BERTH_ROOT="$BATS_TEST_TMPDIR/root"
	BUNDLE="$BATS_TEST_TMPDIR/bundle"
	ROOTFS="$BUNDLE/rootfs"
	mkdir -p "$BERTH_ROOT" "$BUNDLE"
	cp -a "$(_rootfs_template)" "$ROOTFS"
	rm -f "$ROOTFS/.done"
	(cd "$BUNDLE" && { "$BERTH" spec 2>/dev/null || runc spec; })
	update_config '.process.terminal = false | .process.args = ["berth-testhelper", "id"]'
}

update_config() {
	local tmp="$BUNDLE/config.json.tmp"
	jq "$@" "$BUNDLE/config.json" >"$tmp" && mv "$tmp" "$BUNDLE/config.json"
}

set_args() {
	local json
	json=$(printf '%s\n' "$@" | jq -R . | jq -s .)
	update_config --argjson a "$json" '.process.args = $a'
}

berth() {
	"$BERTH" --root "$BERTH_ROOT" "$@"
}

berth_ids() {
	[ -d "$BERTH_ROOT" ] || return 0
	ls "$BERTH_ROOT"
}

wait_status() {
	local id=$1 want=$2 i
	for i in $(seq 50); do
		if [ "$(berth state "$id" 2>/dev/null | jq -r .status)" = "$want" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "container $id never reached $want: $(berth state "$id" 2>&1)" >&2
	return 1
}

# The container's cgroup directory when berth made one under the default path.
container_cgroup() {
	echo "$CGROUP2/berth/$1"
}

assert_no_leftovers() {
	local id=$1
	if [ -e "$BERTH_ROOT/$id" ]; then
		echo "state directory $BERTH_ROOT/$id left behind" >&2
		return 1
	fi
	if [ -n "$CGROUP2" ] && [ -e "$(container_cgroup "$id")" ]; then
		echo "cgroup $(container_cgroup "$id") left behind" >&2
		return 1
	fi
	if grep -qs "$BUNDLE" /proc/self/mountinfo; then
		echo "mounts of $BUNDLE left behind" >&2
		return 1
	fi
	return 0
}

teardown_berth() {
	local id
	if [ -n "${BERTH_ROOT:-}" ] && [ -d "$BERTH_ROOT" ]; then
		for id in $(berth_ids); do
			berth delete --force "$id" >/dev/null 2>&1 || true
		done
	fi
}
