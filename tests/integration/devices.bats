#!/usr/bin/env bats
# /dev in the container: a tmpfs with the default nodes, linux.devices,
# the /dev symlinks, and devices bound from the host in a user namespace.

load helpers

setup() {
	setup_bundle
	cd "$BUNDLE"
}

teardown() {
	teardown_berth
}

@test "devices: the default nodes with their numbers and mode 0666" {
	set_args sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done'
	run berth run d1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/null character special file 1:3 666" ]
	[ "${lines[1]}" = "/dev/zero character special file 1:5 666" ]
	[ "${lines[2]}" = "/dev/full character special file 1:7 666" ]
	[ "${lines[3]}" = "/dev/random character special file 1:8 666" ]
	[ "${lines[4]}" = "/dev/urandom character special file 1:9 666" ]
	[ "${lines[5]}" = "/dev/tty character special file 5:0 666" ]
}

@test "devices: /dev/fd, /dev/stdin|stdout|stderr and /dev/ptmx symlinks" {
	set_args sh -c 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done'
	run berth run d2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "fd -> /proc/self/fd" ]
	[ "${lines[1]}" = "stdin -> /proc/self/fd/0" ]
	[ "${lines[2]}" = "stdout -> /proc/self/fd/1" ]
	[ "${lines[3]}" = "stderr -> /proc/self/fd/2" ]
	[ "${lines[4]}" = "ptmx -> pts/ptmx" ]
}

@test "devices: linux.devices with mode, uid, gid, in a new subdirectory" {
	update_config '.linux.devices = [
		{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 384, "uid": 1000, "gid": 1001},
		{"path": "/dev/net/tun", "type": "c", "major": 10, "minor": 200},
		{"path": "/dev/myfifo", "type": "p"}]'
	set_args sh -c 'stat -c "%n %F %t:%T %a %u:%g" /dev/mynull /dev/net/tun; stat -c "%F" /dev/myfifo'
	run berth run d3
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/mynull character special file 1:3 600 1000:1001" ]
	[ "${lines[1]}" = "/dev/net/tun character special file a:c8 666 0:0" ]
	[ "${lines[2]}" = "fifo" ]
}

@test "devices: without a /dev mount in the config, /dev is still berth's tmpfs (the rootfs is not written)" {
	update_config 'del(.mounts[] | select(.destination == "/dev" or (.destination | startswith("/dev/"))))'
	set_args sh -c 'grep " /dev " /proc/self/mountinfo; stat -c %F /dev/null'
	run berth run d4
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *" /dev "*" - tmpfs "* ]]
	[ "${lines[1]}" = "character special file" ]
	[ ! -e "$ROOTFS/dev/null" ]
}

@test "devices: in a user namespace the nodes are binds of the host's" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}]'
	[ -e /dev/fuse ] || update_config 'del(.linux.devices)'
	chown -R 100000:100000 "$ROOTFS"
	# The mapped root must be able to reach the bundle.
	local d="$BUNDLE"
	while [ "$d" != /tmp ] && [ "$d" != / ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	set_args sh -c 'stat -c "%n %F %t:%T" /dev/null /dev/zero; grep -E " /dev/(null|zero) " /proc/self/mountinfo | wc -l; echo hi > /dev/null && echo write-ok'
	run berth run d5
	[ "$status" -eq 0 ] || skip "user namespaces not available here: $output"
	[ "${lines[0]}" = "/dev/null character special file 1:3" ]
	[ "${lines[1]}" = "/dev/zero character special file 1:5" ]
	[ "${lines[2]}" = 2 ]
	[ "${lines[3]}" = write-ok ]
}
