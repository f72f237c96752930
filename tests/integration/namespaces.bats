#!/usr/bin/env bats
# Namespaces: each one in the config is new (inode differs from the host's)
# or joined by path (inode equals the target's); the rest are shared.

load helpers

setup() {
	setup_bundle
	set_args berth-testhelper ns
}

teardown() {
	teardown_berth
	[ -z "${holder:-}" ] || kill -9 "$holder" 2>/dev/null || true
}

host_ns() {
	stat -L -c %i "/proc/self/ns/$1"
}

inside_ns() { # NAME OUTPUT
	echo "$2" | awk -v n="$1" '$1 == n { print $2 }'
}

@test "namespaces: the default config makes pid, net, ipc, uts, mnt, cgroup new" {
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	for ns in pid net ipc uts mnt cgroup; do
		[ "$(inside_ns $ns "$output")" != "$(host_ns $ns)" ]
	done
	for ns in user time; do
		[ "$(inside_ns $ns "$output")" = "$(host_ns $ns)" ]
	done
}

@test "namespaces: without a namespace entry the host's is shared" {
	update_config 'del(.hostname) | .linux.namespaces = [.linux.namespaces[] | select(.type == "mount" or .type == "pid")]'
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	for ns in net ipc uts cgroup; do
		[ "$(inside_ns $ns "$output")" = "$(host_ns $ns)" ]
	done
	[ "$(inside_ns pid "$output")" != "$(host_ns pid)" ]
}

@test "namespaces: joined by path (net, uts, ipc, pid)" {
	unshare --net --uts --ipc --pid --fork sleep 100 &
	holder=$!
	disown
	sleep 0.3
	child=$(pgrep -P $holder)
	update_config --arg p "/proc/$child/ns" '.linux.namespaces = [
		{"type":"mount"},
		{"type":"network","path":($p + "/net")},
		{"type":"uts","path":($p + "/uts")},
		{"type":"ipc","path":($p + "/ipc")},
		{"type":"pid","path":($p + "/pid")}]'
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	for ns in net uts ipc pid; do
		[ "$(inside_ns $ns "$output")" = "$(stat -L -c %i /proc/$child/ns/$ns)" ]
	done
	# berth itself went back to its own pid namespace: a second run works.
	run berth run --bundle "$BUNDLE" c2
	[ "$status" -eq 0 ]
}

@test "namespaces: a new user namespace with uid/gid maps written by the parent" {
	update_config '.linux.namespaces += [{"type":"user"}]
		| .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
		| .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]'
	chown -R 100000:100000 "$ROOTFS"
	# The mapped root must be able to reach the bundle.
	d="$BUNDLE"
	while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	set_args /bin/sh -c 'cat /proc/self/uid_map; berth-testhelper id; berth-testhelper ns'
	run berth run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^\ +0\ +100000\ +65536$ ]]
	[[ "$output" == *"uid=0 gid=0"* ]]
	[ "$(inside_ns user "$output")" != "$(host_ns user)" ]
}

@test "namespaces: a new time namespace with offsets" {
	[ -e /proc/self/ns/time ] || skip "kernel without time namespaces"
	update_config '.linux.namespaces += [{"type":"time"}]
		| .linux.timeOffsets = {"boottime":{"secs":86400,"nanosecs":0}}'
	set_args /bin/sh -c 'berth-testhelper ns; cut -d. -f1 /proc/uptime'
	host_up=$(cut -d. -f1 /proc/uptime)
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$(inside_ns time "$output")" != "$(host_ns time)" ]
	# /proc/uptime follows the boottime clock: a day ahead inside.
	[ "${lines[-1]}" -ge $((host_up + 86400)) ]
	run berth run --bundle "$BUNDLE" c2
	[ "$status" -eq 0 ]
	# berth's own time namespace is unchanged afterwards.
	[ "$(stat -L -c %i /proc/self/ns/time)" = "$(host_ns time)" ]
}

@test "namespaces: a missing namespace path is an error naming it" {
	update_config '.linux.namespaces = [.linux.namespaces[] | if .type == "network" then {"type":"network","path":"/nonexistent/ns"} else . end]'
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"/nonexistent/ns"* ]]
	assert_no_leftovers c1
}
