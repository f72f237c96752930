#!/usr/bin/env bats
# berth-unpack: layer semantics (whiteouts, opaque dirs, hardlinks, xattrs,
# devices, replacements, modes, owners, times), the comparison with umoci,
# and the generated config.json.

load unpack/helpers

setup_file() {
	[ -x "$BERTH_UNPACK" ] || return 0
	export IMG="$BATS_FILE_TMPDIR/img"
	mkimage basic "$IMG"
	"$BERTH_UNPACK" "$IMG" "$BATS_FILE_TMPDIR/b" >/dev/null
	export R="$BATS_FILE_TMPDIR/b/rootfs"
}

setup() {
	require_tools
	[ "$(id -u)" = 0 ] || skip "owners and devices need root"
}

@test "whiteouts delete files and directories of lower layers" {
	[ ! -e "$R/data/gone" ]
	[ ! -e "$R/data/olddir" ]
	[ ! -e "$R/hl_dst" ]
	[ -f "$R/hl_src" ]
	[ "$(cat "$R/data/keep")" = "keep v3" ]
}

@test "an opaque directory hides the lower content, keeps its own layer's in any order" {
	[ "$(ls -A "$R/opq" | tr '\n' ' ')" = "new_after new_before " ]
}

@test "file -> directory and directory -> file replacements" {
	[ -d "$R/becomes_dir" ]
	[ "$(cat "$R/becomes_dir/now")" = "dir now" ]
	[ -f "$R/becomes_file" ]
	[ "$(cat "$R/becomes_file")" = "file now" ]
}

@test "hardlinks within the image, also to a lower layer's file" {
	[ "$(stat -c %i "$R/data/hl2")" = "$(stat -c %i "$R/bin/busybox")" ]
	[ "$(stat -c %h "$R/bin/busybox")" = 2 ]
}

@test "symlinks are kept as they are, absolute or relative" {
	[ "$(readlink "$R/abs_link")" = /etc/passwd ]
	[ "$(readlink "$R/rel_link")" = ../../etc/group ]
	[ "$(readlink "$R/bin/sh")" = busybox ]
}

@test "modes with setuid, setgid, sticky; owners" {
	[ "$(stat -c %a "$R/bin/suid")" = 4755 ]
	[ "$(stat -c '%a %u %g' "$R/bin/sgid")" = "2711 1000 2000" ]
	[ "$(stat -c %a "$R/tmp")" = 1777 ]
	[ "$(stat -c '%a %u %g' "$R/owned")" = "640 1000 1000" ]
	[ "$(stat -c %a "$R/data/keep")" = 600 ]
	[ "$(stat -c '%a %u %g' "$R/sgiddir")" = "2775 0 1000" ]
	# entries in a setgid directory keep their own group from the image
	[ "$(stat -c '%u %g' "$R/sgiddir/f")" = "0 0" ]
	[ "$(stat -c '%a %u %g' "$R/sgiddir/sub")" = "755 0 0" ]
}

@test "mtimes of files and directories" {
	[ "$(stat -c %Y "$R/bin/busybox")" = 1700000000 ]
	[ "$(stat -c %Y "$R/opq")" = 1700000000 ]
	[ "$(stat -c %Y "$R/dev")" = 1700000000 ]
}

@test "xattrs: security.capability and user.*" {
	run python3 -c 'import os,sys; print(sorted(os.listxattr(sys.argv[1])))' "$R/cap"
	[ "$output" = "['security.capability', 'user.note']" ]
	run python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "user.note").decode())' "$R/cap"
	[ "$output" = hello ]
}

@test "device nodes and fifos" {
	[ -c "$R/dev/null" ]
	[ "$(stat -c '%t:%T' "$R/dev/null")" = "1:3" ]
	[ -b "$R/dev/loopx" ]
	[ "$(stat -c '%t:%T' "$R/dev/loopx")" = "7:63" ]
	[ -p "$R/fifo" ]
}

@test "the same tree as umoci unpack (files, types, modes, owners, sizes, links, xattrs, mtimes)" {
	command -v umoci >/dev/null || skip "umoci not installed"
	umoci unpack --image "$IMG:latest" "$BATS_TEST_TMPDIR/u" >/dev/null
	diff -u <(tree --mtime "$BATS_TEST_TMPDIR/u/rootfs") <(tree --mtime "$R")
}

@test "the same tree as umoci on an image umoci built" {
	command -v umoci >/dev/null || skip "umoci not installed"
	local L="$BATS_TEST_TMPDIR/layout" s="$BATS_TEST_TMPDIR/src"
	umoci init --layout "$L"
	umoci new --image "$L:t"
	mkdir -p "$s/bin" "$s/etc/sub"
	cp /bin/busybox "$s/bin/"
	ln -s busybox "$s/bin/sh"
	ln "$s/bin/busybox" "$s/bin/hard"
	echo x >"$s/etc/sub/f"
	chmod 4711 "$s/etc/sub/f"
	umoci insert --image "$L:t" "$s" /
	umoci insert --image "$L:t" --whiteout /etc/sub
	unpack "$L:t" "$BATS_TEST_TMPDIR/b"
	umoci unpack --image "$L:t" "$BATS_TEST_TMPDIR/u" >/dev/null
	diff -u <(tree "$BATS_TEST_TMPDIR/u/rootfs") <(tree "$BATS_TEST_TMPDIR/b/rootfs")
	[ ! -e "$BATS_TEST_TMPDIR/b/rootfs/etc/sub" ]
}

@test "config.json by the conversion rules" {
	c="$BATS_FILE_TMPDIR/b/config.json"
	j() { python3 -c "import json,sys; c=json.load(open(sys.argv[1])); print(json.dumps($1))" "$c"; }
	[ "$(j 'c["process"]["args"]')" = '["/bin/busybox", "/bin/echo", "hello"]' ]
	[ "$(j 'c["process"]["env"]')" = '["FOO=bar", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]' ]
	[ "$(j 'c["process"]["cwd"]')" = '"/data"' ]
	[ "$(j 'c["process"]["user"]')" = '{"uid": 1000, "gid": 1000, "additionalGids": [2000]}' ]
	[ "$(j 'c["process"]["terminal"]')" = false ]
	[ "$(j 'c["root"]')" = '{"path": "rootfs", "readonly": false}' ]
	[ "$(j 'c["annotations"]["org.opencontainers.image.stopSignal"]')" = '"SIGQUIT"' ]
	[ "$(j 'c["annotations"]["org.opencontainers.image.exposedPorts"]')" = '"80/tcp,53/udp"' ]
	[ "$(j 'c["annotations"]["com.example.l"]')" = '"v"' ]
	[ "$(j 'c["annotations"]["org.opencontainers.image.architecture"]')" = '"amd64"' ]
}

@test "user:group resolved through the image's /etc/passwd and /etc/group" {
	mkimage user "$BATS_TEST_TMPDIR/img"
	unpack "$BATS_TEST_TMPDIR/img" "$BATS_TEST_TMPDIR/b"
	run python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["process"]["user"])' \
		"$BATS_TEST_TMPDIR/b/config.json"
	[ "$output" = "{'uid': 1000, 'gid': 2000}" ]
}

@test "a user missing from the image's /etc/passwd is an error" {
	python3 - "$BATS_TEST_TMPDIR/img" <<-'PY'
	import sys
	sys.path.insert(0, "tests/integration/unpack")
	import mkimage as m
	m.simple(sys.argv[1], [m.busybox_entries()], config={"User": "nosuchuser"})
	PY
	run unpack "$BATS_TEST_TMPDIR/img" "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no user nosuchuser"* ]]
	assert_no_bundle "$BATS_TEST_TMPDIR/b"
}

@test "as an unprivileged user: owners and devices skipped, one warning each" {
	command -v setpriv >/dev/null || skip "setpriv not installed"
	d=$(mktemp -d /tmp/berth-unpack-nonroot.XXXXXX)
	chmod 755 "$d"
	cp -r "$IMG" "$d/img"
	chmod -R a+rX "$d/img"
	chmod 777 "$d"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$BERTH_UNPACK" "$d/img" "$d/b"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'file owners from the image are not kept' <<<"$output")" = 1 ]
	[ "$(grep -c 'device nodes' <<<"$output")" = 1 ]
	[ ! -e "$d/b/rootfs/dev/null" ]
	[ "$(stat -c %u "$d/b/rootfs/owned")" = 65534 ]
	[ "$(cat "$d/b/rootfs/data/keep")" = "keep v3" ]
	rm -rf "$d"
}

@test "trusted.* xattrs only with --all-xattrs; other namespaces never" {
	python3 - "$BATS_TEST_TMPDIR/img" <<-'PY'
	import sys
	sys.path.insert(0, "tests/integration/unpack")
	import mkimage as m
	m.simple(sys.argv[1], [[m.f("t", "x", xattrs={"trusted.berth": "yes", "user.ok": "1",
	                                                "system.weird": "no"})]])
	PY
	unpack "$BATS_TEST_TMPDIR/img" "$BATS_TEST_TMPDIR/b1"
	run python3 -c 'import os,sys; print(sorted(os.listxattr(sys.argv[1])))' "$BATS_TEST_TMPDIR/b1/rootfs/t"
	[ "$output" = "['user.ok']" ]
	unpack --all-xattrs "$BATS_TEST_TMPDIR/img" "$BATS_TEST_TMPDIR/b2"
	run python3 -c 'import os,sys; print(sorted(os.listxattr(sys.argv[1])))' "$BATS_TEST_TMPDIR/b2/rootfs/t"
	[ "$output" = "['trusted.berth', 'user.ok']" ]
}
