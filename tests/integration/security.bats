#!/usr/bin/env bats
# Hostile bundles: every one must fail cleanly or be neutralised, and leave
# the host untouched. Symlinked mount targets, /dev and /proc as symlinks,
# a fake /dev/null, /proc/self/exe as the entrypoint or a #! interpreter,
# berth's binary bound into the rootfs, leaked fds and cwd, ".." in a
# mount destination.

load helpers

setup() {
	setup_bundle
	cd "$BUNDLE"
	OUTSIDE="$BATS_TEST_TMPDIR/outside"
	mkdir -p "$OUTSIDE"
	echo host-file >"$OUTSIDE/keep"
}

teardown() {
	teardown_berth
}

host_untouched() {
	[ "$(ls -A "$OUTSIDE")" = keep ] || {
		echo "the host directory changed: $(ls -A "$OUTSIDE")" >&2
		return 1
	}
	[ "$(cat "$OUTSIDE/keep")" = host-file ]
	! grep -q " $OUTSIDE" /proc/self/mountinfo
}

@test "security: a mount target symlinked to a host path lands inside the rootfs" {
	mkdir -p "$ROOTFS$OUTSIDE"
	ln -s "$OUTSIDE" "$ROOTFS/evil"
	ln -s ../../../../../../../../.. "$ROOTFS/up"
	update_config '.mounts += [{"destination": "/evil", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/up/evil2", "type": "tmpfs", "source": "tmpfs"}]'
	set_args sh -c "touch /evil/planted /up/evil2/planted && echo done"
	run berth run s1
	[ "$status" -eq 0 ]
	[ "$output" = done ]
	host_untouched
	[ ! -e "/evil2" ]
	assert_no_leftovers s1
}

@test "security: a dangling symlink as mount target: its target is created inside the rootfs" {
	ln -s "$OUTSIDE/sub" "$ROOTFS/dangling"
	ln -s /nowhere/file "$ROOTFS/etc/resolv.conf"
	echo "nameserver 192.0.2.1" >"$BATS_TEST_TMPDIR/resolv"
	update_config --arg r "$BATS_TEST_TMPDIR/resolv" '.mounts += [{"destination": "/dangling", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/etc/resolv.conf", "type": "bind", "source": $r, "options": ["rbind", "ro"]}]'
	set_args sh -c "grep -c ' $OUTSIDE/sub ' /proc/self/mountinfo; cat /etc/resolv.conf"
	run berth run s2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = "nameserver 192.0.2.1" ]
	host_untouched
	[ ! -e "$OUTSIDE/sub" ]
	[ ! -e /nowhere ]
	[ -d "$ROOTFS$OUTSIDE/sub" ]
	[ -f "$ROOTFS/nowhere/file" ]
	assert_no_leftovers s2
}

@test "security: a mount destination with .. stays inside the rootfs" {
	update_config --arg d "/../../../../..$OUTSIDE" '.mounts += [{"destination": $d, "type": "tmpfs", "source": "tmpfs"}]'
	set_args sh -c "touch $OUTSIDE/planted; echo done"
	run berth run s3
	if [ "$status" -ne 0 ]; then
		# Refused by validation: fine too, as long as it is clean.
		[ "$status" -eq 1 ]
	else
		[ "$output" = done ]
	fi
	host_untouched
	assert_no_leftovers s3
}

@test "security: /dev as a symlink to a host directory gets no nodes outside" {
	rm -rf "$ROOTFS/dev"
	mkdir -p "$ROOTFS$OUTSIDE"
	ln -s "$OUTSIDE" "$ROOTFS/dev"
	set_args sh -c 'stat -c %F /dev/null; echo x > /dev/null && echo ok'
	run berth run s4
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "character special file" ]
	host_untouched
	assert_no_leftovers s4
}

@test "security: /proc as a symlink is refused" {
	rm -rf "$ROOTFS/proc"
	ln -s "$OUTSIDE" "$ROOTFS/proc"
	run berth run s5
	[ "$status" -eq 1 ]
	[[ "$output" == *"mount proc on /proc: the destination is a symlink"* ]]
	host_untouched
	assert_no_leftovers s5
	rm -f "$ROOTFS/proc"
	ln -s tmp "$ROOTFS/proc"
	run berth run s6
	[ "$status" -eq 1 ]
	[[ "$output" == *"the destination is a symlink"* ]]
	assert_no_leftovers s6
}

@test "security: a fake /dev/null in the rootfs is never used to mask" {
	echo fake >"$ROOTFS/dev/null"
	set_args sh -c 'stat -c %F /dev/null /proc/keys'
	run berth run s7
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "character special file" ]
	[ "${lines[1]}" = "character special file" ]
	# The rootfs's own /dev bound in: masking refuses the fake node.
	update_config '.mounts |= map(if .destination == "/dev" then {"destination": "/dev", "type": "bind", "source": "rootfs/dev", "options": ["rbind"]} else . end)
		| .mounts |= map(select(.destination | startswith("/dev/") | not))'
	run berth run s8
	[ "$status" -eq 1 ]
	[[ "$output" == *"/dev/null in the container is not the null device"* ]]
	assert_no_leftovers s8
}

@test "security: /proc/self/exe as the entrypoint is refused" {
	set_args /proc/self/exe --version
	run berth run s9
	[ "$status" -eq 1 ]
	[[ "$output" == *'exec: "/proc/self/exe": refusing a path through a magic link'* ]]
	[[ "$output" != *"berth version"* ]]
	assert_no_leftovers s9
	set_args /proc/1/exe
	run berth run s10
	[ "$status" -eq 1 ]
	assert_no_leftovers s10
}

@test "security: a #!/proc/self/exe script is refused" {
	printf '#!/proc/self/exe\necho pwned\n' >"$ROOTFS/bin/evil"
	chmod 755 "$ROOTFS/bin/evil"
	printf '#!/bin/evil\n' >"$ROOTFS/bin/evil2"
	chmod 755 "$ROOTFS/bin/evil2"
	for p in evil evil2; do
		set_args "$p"
		run berth run "s-$p"
		[ "$status" -eq 1 ]
		[[ "$output" == *"magic link"* ]]
		assert_no_leftovers "s-$p"
	done
}

@test "security: berth's own binary bound into the rootfs is refused (also as #!)" {
	touch "$ROOTFS/bin/innocent"
	update_config --arg b "$(readlink -f "$BERTH")" '.mounts += [{"destination": "/bin/innocent", "type": "bind", "source": $b, "options": ["bind", "ro"]}]'
	set_args innocent --version
	run berth run s11
	[ "$status" -eq 1 ]
	[[ "$output" == *"refusing to execute the berth binary itself"* ]]
	[[ "$output" != *"berth version"* ]]
	assert_no_leftovers s11
	printf '#!/bin/innocent\n' >"$ROOTFS/bin/wrapper"
	chmod 755 "$ROOTFS/bin/wrapper"
	set_args wrapper
	run berth run s12
	[ "$status" -eq 1 ]
	[[ "$output" == *"refusing to execute the berth binary itself"* ]]
	assert_no_leftovers s12
}

@test "security: a #! script chain that stays inside runs with the kernel's argv" {
	printf '#!/bin/busybox sh\necho "$0 $*"\n' >"$ROOTFS/bin/inner"
	printf '#!/bin/inner -x\n' >"$ROOTFS/bin/outer"
	chmod 755 "$ROOTFS/bin/inner" "$ROOTFS/bin/outer"
	set_args outer a1
	run berth run s13
	[ "$status" -eq 0 ]
	[ "$output" = "/bin/inner -x /bin/outer a1" ]
}

@test "security: berth's fds and working directory never reach the container" {
	set_args sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "; echo; pwd; readlink /proc/1/cwd'
	cd "$OUTSIDE"
	run berth run --bundle "$BUNDLE" s14 5<"$OUTSIDE/keep" 9>"$BATS_TEST_TMPDIR/leak"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "0 1 2 3 " ] # 3 is ls's own directory fd
	[ "${lines[1]}" = / ]
	[ "${lines[2]}" = / ]
	host_untouched
}

@test "security: a mount destination through /proc's magic links is refused" {
	update_config '.mounts += [{"destination": "/proc/self/root/escape", "type": "tmpfs", "source": "tmpfs"}]'
	run berth run s15
	[ "$status" -eq 1 ]
	[[ "$output" == *"mount tmpfs on /proc/self/root/escape"*"symbolic links"* ]]
	[ ! -e /escape ]
	assert_no_leftovers s15
	ln -s /proc/self/root/etc "$ROOTFS/via-proc"
	update_config '.mounts |= map(select(.destination != "/proc/self/root/escape"))
		| .linux.readonlyPaths += ["/via-proc"]'
	run berth run s16
	[ "$status" -eq 1 ]
	[[ "$output" == *"read-only path /via-proc"* ]]
	assert_no_leftovers s16
}

@test "security: berth exec of /proc/self/exe (or a #! to it) is refused too" {
	printf '#!/proc/self/exe\n' >"$ROOTFS/bin/evil"
	chmod 755 "$ROOTFS/bin/evil"
	set_args berth-testhelper sleep 30
	berth run -d s17
	run berth exec s17 berth-testhelper echo still-fine
	[ "$status" -eq 0 ] || skip "berth exec does not work here: $output"
	[ "$output" = still-fine ]
	run berth exec s17 /proc/self/exe --version
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"refusing a path through a magic link"* ]]
	[[ "$output" != *"berth version"* ]]
	run berth exec s17 evil
	[ "$status" -ne 0 ]
	[[ "$output" == *"magic link"* ]]
}
