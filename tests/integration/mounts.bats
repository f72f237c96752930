#!/usr/bin/env bats
# config.mounts as the container sees them: the default layout, bind and
# rbind flags, file binds, tmpfs options, tmpcopyup, cgroup2, --no-pivot,
# rootfsPropagation and clean failures.

load helpers

setup() {
	setup_bundle
	cd "$BUNDLE"
}

teardown() {
	teardown_berth
	if [ -n "${OVERLAY:-}" ] && mountpoint -q "$OVERLAY"; then
		umount -R -l "$OVERLAY"
	fi
}

# mountinfo line for mount point $1 from the last `run` output.
mnt_line() {
	echo "$output" | awk -v mp="$1" '$5 == mp { print; exit }'
}

add_mount() {
	update_config --argjson m "$1" '.mounts += [$m]'
}

@test "mounts: the default layout (proc, /dev tmpfs, devpts, shm, mqueue, sysfs ro, cgroup2)" {
	set_args berth-testhelper mountinfo
	run berth run m1
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /)" == *" - "* ]]
	[[ "$(mnt_line /proc)" == *" - proc "* ]]
	[[ "$(mnt_line /dev)" == *" - tmpfs "*"mode=755"* ]]
	[[ "$(mnt_line /dev/pts)" == *" - devpts "*"ptmxmode=666"* ]]
	[[ "$(mnt_line /dev/shm)" == *"nosuid,nodev,noexec"*" - tmpfs "* ]]
	[[ "$(mnt_line /dev/mqueue)" == *" - mqueue "* ]]
	[[ "$(mnt_line /sys)" == *" ro,"*" - sysfs "* ]]
	# cgroup2 inside the cgroup namespace: the mount's root is "/".
	[[ "$(mnt_line /sys/fs/cgroup)" == *" / /sys/fs/cgroup ro,"*" - cgroup2 "* ]]
	# No host path is a mount point in the container.
	! echo "$output" | awk '{ print $5 }' | grep -q "$BUNDLE"
	assert_no_leftovers m1
}

@test "mounts: bind ro,nosuid,nodev of a host directory and a file bind onto a missing /etc/hosts" {
	mkdir -p "$BATS_TEST_TMPDIR/data"
	echo payload >"$BATS_TEST_TMPDIR/data/file"
	echo "127.0.0.1 berth-test" >"$BATS_TEST_TMPDIR/hosts"
	rm -f "$ROOTFS/etc/hosts"
	add_mount "{\"destination\":\"/mnt/data\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/data\",\"options\":[\"bind\",\"ro\",\"nosuid\",\"nodev\"]}"
	add_mount "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/hosts\",\"options\":[\"bind\"]}"
	set_args sh -c 'grep " /mnt/data " /proc/self/mountinfo; cat /mnt/data/file /etc/hosts; touch /mnt/data/x 2>&1; stat -c %F /etc/hosts'
	run berth run m2
	[ "$status" -eq 0 ]
	[[ "$output" == *" /mnt/data ro,nosuid,nodev"* ]]
	[[ "$output" == *payload* ]]
	[[ "$output" == *"127.0.0.1 berth-test"* ]]
	[[ "$output" == *"Read-only file system"* ]]
	[[ "$output" == *"regular file"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/data/x" ]
}

@test "mounts: rbind with rro makes the bind read-only (mount_setattr, AT_RECURSIVE)" {
	mkdir -p "$BATS_TEST_TMPDIR/tree/sub"
	add_mount "{\"destination\":\"/mnt/tree\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/tree\",\"options\":[\"rbind\",\"rro\"]}"
	set_args sh -c 'grep " /mnt/tree " /proc/self/mountinfo; touch /mnt/tree/sub/x 2>&1'
	run berth run m3
	[[ "$output" == *" /mnt/tree ro,"* ]]
	[[ "$output" == *"Read-only file system"* ]]
}

@test "mounts: tmpfs with size and mode" {
	add_mount '{"destination":"/scratch","type":"tmpfs","source":"tmpfs","options":["nosuid","size=1m","mode=700"]}'
	set_args sh -c 'grep " /scratch " /proc/self/mountinfo; stat -c %a /scratch'
	run berth run m4
	[ "$status" -eq 0 ]
	[[ "$output" == *" /scratch rw,nosuid"*"tmpfs"*"size=1024k,mode=700"* ]]
	[[ "${lines[1]}" == "700" ]]
}

@test "mounts: tmpcopyup copies the directory's content into the new tmpfs" {
	mkdir -p "$ROOTFS/opt/app/conf"
	echo kept >"$ROOTFS/opt/app/conf/settings"
	ln -s conf/settings "$ROOTFS/opt/app/link"
	add_mount '{"destination":"/opt/app","type":"tmpfs","source":"tmpfs","options":["tmpcopyup"]}'
	set_args sh -c 'grep " /opt/app " /proc/self/mountinfo; cat /opt/app/link; echo new > /opt/app/conf/settings && cat /opt/app/conf/settings'
	run berth run m5
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *" /opt/app "*" - tmpfs "* ]]
	[ "${lines[1]}" = kept ]
	[ "${lines[2]}" = new ]
	# The rootfs on disk is unchanged.
	[ "$(cat "$ROOTFS/opt/app/conf/settings")" = kept ]
}

@test "mounts: --no-pivot (MS_MOVE + chroot) runs the container" {
	set_args berth-testhelper cwd
	run berth run --no-pivot m6
	[ "$status" -eq 0 ]
	[ "$output" = "/" ]
	assert_no_leftovers m6
}

@test "mounts: rootfsPropagation rshared and rprivate with a read-only root" {
	for p in rshared rprivate rslave; do
		update_config --arg p "$p" '.linux.rootfsPropagation = $p | .root.readonly = true'
		set_args sh -c 'touch /x 2>&1; grep -c . /proc/self/mountinfo'
		run berth run "prop-$p"
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == *"Read-only file system"* ]]
		assert_no_leftovers "prop-$p"
	done
}

@test "mounts: a mount that fails gives a clear error and leaves nothing behind" {
	add_mount '{"destination":"/bad","type":"no-such-fs","source":"none"}'
	run berth run m7
	[ "$status" -eq 1 ]
	[[ "$output" == *"mount none on /bad: No such device"* ]]
	assert_no_leftovers m7
	add_mount "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/missing\",\"options\":[\"bind\"]}"
	update_config 'del(.mounts[] | select(.destination == "/bad"))'
	run berth run m8
	[ "$status" -eq 1 ]
	[[ "$output" == *"$BATS_TEST_TMPDIR/missing on /x: source: No such file or directory"* ]]
	assert_no_leftovers m8
}

@test "mounts: idmapped bind mount with the mount's own uid/gid mappings" {
	mkdir -p "$BATS_TEST_TMPDIR/idsrc"
	touch "$BATS_TEST_TMPDIR/idsrc/f"
	chown 0:0 "$BATS_TEST_TMPDIR/idsrc/f"
	add_mount "{\"destination\":\"/mnt/id\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/idsrc\",\"options\":[\"bind\"],
		\"uidMappings\":[{\"containerID\":0,\"hostID\":1234,\"size\":1}],\"gidMappings\":[{\"containerID\":0,\"hostID\":4321,\"size\":1}]}"
	set_args sh -c 'stat -c "%u:%g" /mnt/id/f; grep " /mnt/id " /proc/self/mountinfo'
	run berth run m9
	[[ "$output" != *"support idmapped mounts"* ]] || skip "no idmapped mounts on this filesystem: $output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1234:4321" ]
	[[ "${lines[1]}" == *" /mnt/id rw,"*"idmapped"* ]]
	# The files on disk keep their owner.
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/idsrc/f")" = 0:0 ]
}

@test "mounts: idmap option in a user namespace takes the container's mappings" {
	mkdir -p "$BATS_TEST_TMPDIR/idsrc"
	touch "$BATS_TEST_TMPDIR/idsrc/f"
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	add_mount "{\"destination\":\"/mnt/id\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/idsrc\",\"options\":[\"bind\",\"idmap\"]}"
	add_mount "{\"destination\":\"/mnt/plain\",\"type\":\"bind\",\"source\":\"$BATS_TEST_TMPDIR/idsrc\",\"options\":[\"bind\"]}"
	chown -R 100000:100000 "$ROOTFS"
	local d="$BUNDLE"
	while [ "$d" != /tmp ] && [ "$d" != / ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	set_args sh -c 'stat -c "%u:%g" /mnt/id/f /mnt/plain/f'
	run berth run m10
	[[ "$output" != *"support idmapped mounts"* ]] || skip "no idmapped mounts on this filesystem: $output"
	[ "$status" -eq 0 ]
	# Root's file is root's inside; without idmap it is the overflow id.
	[ "${lines[0]}" = "0:0" ]
	[ "${lines[1]}" = "65534:65534" ]
}

@test "mounts: an overlay rootfs that is itself a shared mount point, with rshared propagation" {
	local o="$BATS_TEST_TMPDIR/ov"
	mkdir -p "$o/upper" "$o/work" "$o/merged"
	cp -a "$ROOTFS" "$o/lower"
	OVERLAY="$o/merged"
	mount -t overlay overlay -o "lowerdir=$o/lower,upperdir=$o/upper,workdir=$o/work" "$OVERLAY" ||
		skip "no overlayfs here"
	mount --make-shared "$OVERLAY"
	update_config --arg r "$OVERLAY" '.root.path = $r | .root.readonly = false | .linux.rootfsPropagation = "rshared"'
	set_args sh -c 'grep " / / " /proc/self/mountinfo; touch /written && echo ok'
	run berth run m11
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *" / / rw,"*"shared:"*" - overlay "* ]]
	[ "${lines[1]}" = ok ]
	[ -e "$o/upper/written" ]
	assert_no_leftovers m11
	# Nothing of the container propagated back onto the host's shared mount.
	[ "$(grep -c " $OVERLAY " /proc/self/mountinfo)" = 1 ]
	! grep -q " $OVERLAY/" /proc/self/mountinfo
}
