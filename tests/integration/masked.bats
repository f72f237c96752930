#!/usr/bin/env bats
# maskedPaths (files: the verified /dev/null; directories: an empty
# read-only tmpfs), readonlyPaths and root.readonly.

load helpers

setup() {
	setup_bundle
	cd "$BUNDLE"
}

teardown() {
	teardown_berth
}

@test "masked: default masked files read as /dev/null, masked directories are empty read-only tmpfs" {
	set_args sh -c 'stat -c "%n %F %t:%T" /proc/keys /proc/timer_list; ls -A /sys/firmware | wc -l; grep " /sys/firmware " /proc/self/mountinfo; cat /proc/keys | wc -c'
	run berth run k1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "/proc/keys character special file 1:3" ]]
	[[ "${lines[1]}" == "/proc/timer_list character special file 1:3" ]]
	[ "${lines[2]}" = 0 ]
	[[ "${lines[3]}" == *" /sys/firmware ro,"*" - tmpfs "* ]]
	[ "${lines[4]}" = 0 ]
}

@test "masked: paths of the rootfs itself, a file and a directory; a missing path is skipped" {
	mkdir -p "$ROOTFS/secret/dir"
	echo topsecret >"$ROOTFS/secret/file"
	echo more >"$ROOTFS/secret/dir/inner"
	update_config '.linux.maskedPaths += ["/secret/file", "/secret/dir", "/no/such/path"]'
	set_args sh -c 'cat /secret/file | wc -c; ls -A /secret/dir | wc -l; touch /secret/dir/x 2>&1; exit 0'
	run berth run k2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[[ "${lines[2]}" == *"Read-only file system"* ]]
	# The rootfs on disk keeps its files.
	[ "$(cat "$ROOTFS/secret/file")" = topsecret ]
}

@test "masked: readonlyPaths are read-only, the rest stays writable" {
	mkdir -p "$ROOTFS/data/ro" "$ROOTFS/data/rw"
	update_config '.root.readonly = false | .linux.readonlyPaths += ["/data/ro"]'
	set_args sh -c 'touch /data/ro/x 2>&1; touch /data/rw/y && echo rw-ok; echo 1 > /proc/sys/kernel/domainname 2>&1; exit 0'
	run berth run k3
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"Read-only file system"* ]]
	[ "${lines[1]}" = rw-ok ]
	[[ "${lines[2]}" == *"Read-only file system"* ]]
}

@test "masked: root.readonly false leaves the root writable, true makes it read-only" {
	update_config '.root.readonly = false'
	set_args sh -c 'touch /newfile && echo writable'
	run berth run k4
	[ "$status" -eq 0 ]
	[ "$output" = writable ]
	update_config '.root.readonly = true'
	set_args sh -c 'touch /newfile2 2>&1'
	run berth run k5
	[[ "$output" == *"Read-only file system"* ]]
	[ ! -e "$ROOTFS/newfile2" ]
}

@test "masked: sysctl is written before /proc/sys turns read-only" {
	update_config '.linux.sysctl = {"kernel.domainname": "from-sysctl", "net.ipv4.ip_forward": "1"}'
	set_args sh -c 'cat /proc/sys/kernel/domainname /proc/sys/net/ipv4/ip_forward'
	run berth run k6
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = from-sysctl ]
	[ "${lines[1]}" = 1 ]
}
