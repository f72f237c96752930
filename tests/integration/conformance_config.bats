#!/usr/bin/env bats
# OCI conformance, the container as configured: what runtime-tools'
# cmd/runtimetest checks from inside the container (default filesystems,
# symlinks and devices, linux.devices, mounts in order, masked and read-only
# paths, root.readonly, hostname, rlimits, sysctl, id mappings,
# capabilities, rootfs propagation, process cwd/env/args/user/umask/
# noNewPrivileges/oomScoreAdj, seccomp) plus the validation/linux_ns_* and
# linux_cgroups_hugetlb programs. One test per clause; the check runs in
# the container with busybox and berth-testhelper.

load helpers

setup() {
	setup_bundle
	CID="confc-$(cut -c1-13 /proc/sys/kernel/random/uuid)"
}

teardown() {
	teardown_berth
}

# inside SCRIPT: run SCRIPT with sh -c in a fresh container; it must exit 0.
inside() {
	update_config --arg s "$1" '.process.args = ["sh", "-c", $s]'
	run berth run --bundle "$BUNDLE" "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
}

# The file system type of the topmost mount at PATH (mountinfo, as runtimetest reads it).
FSTYPE='fstype() { awk -v m="$1" '"'"'$5 == m { for (i = 7; $i != "-"; i++) ; t = $(i + 1) } END { print t }'"'"' /proc/self/mountinfo; }'

@test "conformance runtimetest: default filesystems /proc, /sys, /dev/pts, /dev/shm" {
	inside "$FSTYPE"'
		[ "$(fstype /proc)" = proc ] && [ "$(fstype /sys)" = sysfs ] &&
		[ "$(fstype /dev/pts)" = devpts ] && [ "$(fstype /dev/shm)" = tmpfs ]'
}

@test "conformance runtimetest: default symlinks /dev/fd, /dev/stdin, /dev/stdout, /dev/stderr" {
	inside '[ "$(readlink /dev/fd)" = /proc/self/fd ] &&
		[ "$(readlink /dev/stdin)" = /proc/self/fd/0 ] &&
		[ "$(readlink /dev/stdout)" = /proc/self/fd/1 ] &&
		[ "$(readlink /dev/stderr)" = /proc/self/fd/2 ]'
}

@test "conformance runtimetest: default devices are character devices" {
	inside 'for d in null zero full random urandom tty ptmx; do
			[ "$(stat -L -c %F /dev/$d)" = "character special file" ] || { echo "bad /dev/$d"; exit 1; }
		done'
	# /dev/console with process.terminal is checked in console.bats.
}

@test "conformance runtimetest: linux.devices have their type, numbers, mode, uid and gid" {
	update_config '.linux.devices = [
		{"path": "/dev/conf-c", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 7, "gid": 8},
		{"path": "/dev/conf-b", "type": "b", "major": 7, "minor": 255, "fileMode": 384, "uid": 0, "gid": 6},
		{"path": "/dev/conf-p", "type": "p", "fileMode": 420}]'
	inside '[ "$(stat -c "%F %t:%T %a %u:%g" /dev/conf-c)" = "character special file 1:3 660 7:8" ] &&
		[ "$(stat -c "%F %t:%T %a %u:%g" /dev/conf-b)" = "block special file 7:ff 600 0:6" ] &&
		[ "$(stat -c "%F %a" /dev/conf-p)" = "fifo 644" ]'
}

@test "conformance runtimetest: mounts exist with their type and source, in config order" {
	update_config '.mounts += [
		{"destination": "/conf1", "type": "tmpfs", "source": "conf-one"},
		{"destination": "/conf1/conf2", "type": "tmpfs", "source": "conf-two"},
		{"destination": "/conf3", "type": "tmpfs", "source": "conf-three"}]'
	update_config '.root.readonly = false'
	inside 'awk '"'"'{ for (i = 7; $i != "-"; i++) ; print $5, $(i + 1), $(i + 2) }'"'"' /proc/self/mountinfo >/tmp/m
		cat /tmp/m
		grep -n "^/conf1 tmpfs conf-one$" /tmp/m && grep -n "^/conf1/conf2 tmpfs conf-two$" /tmp/m &&
		grep -n "^/conf3 tmpfs conf-three$" /tmp/m && grep -n "^/proc proc proc$" /tmp/m &&
		a=$(grep -n "^/conf1 " /tmp/m | cut -d: -f1) && b=$(grep -n "^/conf1/conf2 " /tmp/m | cut -d: -f1) &&
		c=$(grep -n "^/conf3 " /tmp/m | cut -d: -f1) && p=$(grep -n "^/proc " /tmp/m | cut -d: -f1) &&
		[ "$p" -lt "$a" ] && [ "$a" -lt "$b" ] && [ "$b" -lt "$c" ]'
}

@test "conformance runtimetest: maskedPaths read as empty" {
	mkdir -p "$ROOTFS/secret-dir"
	echo hidden >"$ROOTFS/secret-file"
	echo hidden >"$ROOTFS/secret-dir/f"
	update_config '.linux.maskedPaths = ["/secret-file", "/secret-dir", "/proc/kcore"]'
	inside '[ "$(head -c 1 /secret-file | wc -c)" -eq 0 ] && [ "$(head -c 1 /proc/kcore | wc -c)" -eq 0 ] &&
		[ -z "$(ls -A /secret-dir)" ]'
}

@test "conformance runtimetest: readonlyPaths refuse writes" {
	mkdir -p "$ROOTFS/ro-dir"
	echo x >"$ROOTFS/ro-file"
	update_config '.root.readonly = false | .linux.readonlyPaths = ["/ro-dir", "/ro-file", "/proc/sys"]'
	inside '! touch /ro-dir/new 2>/dev/null && ! echo y 2>/dev/null >/ro-file &&
		! echo 1 2>/dev/null >/proc/sys/kernel/domainname && touch /writable'
}

@test "conformance runtimetest: root.readonly true refuses writes to /, false allows them" {
	update_config '.root.readonly = true'
	inside '! touch /conf-probe 2>/dev/null'
	update_config '.root.readonly = false'
	inside 'touch /conf-probe && rm /conf-probe'
}

@test "conformance runtimetest: hostname" {
	update_config '.hostname = "conformance-host"'
	inside '[ "$(hostname)" = conformance-host ]'
}

@test "conformance runtimetest: rlimits soft and hard" {
	update_config '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 1000, "hard": 1001},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 4096}] | .root.readonly = false'
	inside 'berth-testhelper rlimits >/tmp/r; cat /tmp/r
		grep -qx "RLIMIT_NOFILE 1000 1001" /tmp/r && grep -qx "RLIMIT_CORE 0 4096" /tmp/r'
}

@test "conformance runtimetest: sysctl values" {
	update_config '.linux.sysctl = {"kernel.shmmax": "4294967295", "net.ipv4.ip_forward": "1"}'
	inside '[ "$(cat /proc/sys/kernel/shmmax)" = 4294967295 ] && [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ]'
}

@test "conformance runtimetest: uidMappings and gidMappings in a user namespace" {
	update_config '.linux.namespaces += [{"type":"user"}]
		| .linux.uidMappings = [{"containerID":0,"hostID":200000,"size":65536}]
		| .linux.gidMappings = [{"containerID":0,"hostID":210000,"size":65536}]
		| .process.user = {"uid": 0, "gid": 0}'
	chown -R 200000:210000 "$ROOTFS"
	d="$BUNDLE"
	while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	inside '[ "$(grep -c . /proc/self/uid_map)" = 1 ] && [ "$(grep -c . /proc/self/gid_map)" = 1 ] &&
		set -- $(cat /proc/self/uid_map) && [ "$1 $2 $3" = "0 200000 65536" ] &&
		set -- $(cat /proc/self/gid_map) && [ "$1 $2 $3" = "0 210000 65536" ]'
}

@test "conformance runtimetest: the five capability sets are exactly as configured" {
	# CAP_CHOWN=0 CAP_KILL=5 CAP_NET_BIND_SERVICE=10
	update_config '.process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"effective": ["CAP_CHOWN", "CAP_KILL"],
		"permitted": ["CAP_CHOWN", "CAP_KILL"],
		"inheritable": ["CAP_KILL"],
		"ambient": ["CAP_KILL"]}'
	set_args berth-testhelper caps
	run berth run --bundle "$BUNDLE" "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapInh:	0000000000000020"* ]]
	[[ "$output" == *"CapPrm:	0000000000000021"* ]]
	[[ "$output" == *"CapEff:	0000000000000021"* ]]
	[[ "$output" == *"CapBnd:	0000000000000421"* ]]
	[[ "$output" == *"CapAmb:	0000000000000020"* ]]
}

# rootfsPropagation, checked the way runtimetest does it: rbind / onto
# /target, then bind /test onto /mnt; the new mount shows up under
# /target/mnt only when / is shared. Unbindable: the rbind of / fails.
root_propagation() {
	mkdir -p "$ROOTFS/target" "$ROOTFS/mnt" "$ROOTFS/test"
	touch "$ROOTFS/test/example"
	update_config --arg p "$1" '.linux.rootfsPropagation = $p | .root.readonly = false
		| .process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"]
		| .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
	inside 'if ! mount --rbind / /target; then echo rbind-refused; exit 0; fi
		mount --bind /test /mnt || exit 1
		if [ -e /target/mnt/example ]; then echo propagated; else echo not-propagated; fi
		umount /mnt; umount -l /target'
}

@test "conformance runtimetest: rootfsPropagation shared" {
	root_propagation shared
	[ "${lines[-1]}" = propagated ]
}

@test "conformance runtimetest: rootfsPropagation slave" {
	root_propagation slave
	[ "${lines[-1]}" = not-propagated ]
}

@test "conformance runtimetest: rootfsPropagation private" {
	root_propagation private
	[ "${lines[-1]}" = not-propagated ]
}

@test "conformance runtimetest: rootfsPropagation unbindable" {
	root_propagation unbindable
	[ "${lines[-1]}" = rbind-refused ]
}

@test "conformance runtimetest: process cwd, env and args" {
	mkdir -p "$ROOTFS/work/dir"
	update_config '.process.cwd = "/work/dir" | .process.env = ["PATH=/bin:/usr/bin", "CONF_A=one", "CONF_B=two=2"]
		| .process.args = ["sh", "-c", "[ \"$(pwd -P)\" = /work/dir ] && [ \"$(berth-testhelper cwd)\" = /work/dir ] && [ \"$CONF_A\" = one ] && [ \"$CONF_B\" = two=2 ] && cat /proc/$$/cmdline | tr \"\\0\" \"|\"", "arg-zero", "a b", ""]'
	run berth run --bundle "$BUNDLE" "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	script=$(jq -r '.process.args[2]' "$BUNDLE/config.json")
	[ "$output" = "sh|-c|$script|arg-zero|a b||" ]
}

@test "conformance runtimetest: process user uid, gid and additionalGids" {
	update_config '.process.user = {"uid": 1234, "gid": 4321, "additionalGids": [5, 6, 7]} | .root.readonly = false'
	set_args berth-testhelper id
	run berth run --bundle "$BUNDLE" "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "uid=1234 gid=4321 euid=1234 egid=4321 groups="* ]]
	for g in 5 6 7; do [[ "${output#*groups=}" =~ (^|,)$g(,|$) ]]; done
}

@test "conformance runtimetest: process user umask" {
	update_config '.process.user.umask = 63 | .root.readonly = false'
	inside '[ "$(umask)" = 0077 ] && touch /tmp/u && [ "$(stat -c %a /tmp/u)" = 600 ]'
}

@test "conformance runtimetest: noNewPrivileges true and false" {
	update_config '.process.noNewPrivileges = true'
	inside 'grep -qx "NoNewPrivs:	1" /proc/self/status'
	update_config '.process.noNewPrivileges = false'
	inside 'grep -qx "NoNewPrivs:	0" /proc/self/status'
}

@test "conformance runtimetest: oomScoreAdj" {
	update_config '.process.oomScoreAdj = 507'
	inside '[ "$(cat /proc/self/oom_score_adj)" = 507 ]'
}

@test "conformance runtimetest: seccomp SCMP_ACT_ERRNO on getcwd makes getcwd fail" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["getcwd"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args berth-testhelper cwd
	run berth run --bundle "$BUNDLE" "$CID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *getcwd* ]]
}

# --- validation/linux_ns_* -------------------------------------------------

@test "conformance linux_ns_nopath/itype: a namespace without path is new, one not listed is the host's" {
	update_config '.linux.namespaces = [{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}]'
	set_args berth-testhelper ns
	run berth run --bundle "$BUNDLE" "$CID"
	[ "$status" -eq 0 ]
	for t in pid net ipc uts mnt cgroup; do
		inner=$(echo "$output" | awk -v t="$t" '$1 == t { print $2 }')
		[ -n "$inner" ]
		[ "$inner" != "$(stat -L -c %i /proc/self/ns/$t)" ]
	done
	[ "$(echo "$output" | awk '$1 == "user" { print $2 }')" = "$(stat -L -c %i /proc/self/ns/user)" ]
}

@test "conformance linux_ns_path: joins namespaces by path; deleting the joiner leaves them (delete_only_create_resources)" {
	set_args berth-testhelper sleep 100
	berth run -d --bundle "$BUNDLE" "$CID-a" >/dev/null 2>&1
	apid=$(berth state "$CID-a" | jq -r .pid)
	update_config --arg p "/proc/$apid/ns" '.linux.namespaces = [{"type":"pid"},{"type":"mount"},
		{"type":"network","path":"\($p)/net"},{"type":"ipc","path":"\($p)/ipc"},{"type":"uts","path":"\($p)/uts"}]'
	set_args berth-testhelper ns
	run berth run --bundle "$BUNDLE" "$CID-b"
	echo "$output"
	[ "$status" -eq 0 ]
	for t in net ipc uts; do
		[ "$(echo "$output" | awk -v t="$t" '$1 == t { print $2 }')" = "$(stat -L -c %i /proc/$apid/ns/$t)" ]
	done
	[ "$(berth state "$CID-a" | jq -r .status)" = running ]
	kill -0 "$apid"
	berth delete --force "$CID-a"
}

@test "conformance linux_ns_path_type: a path to a namespace of another type is an error" {
	set_args berth-testhelper sleep 100
	berth run -d --bundle "$BUNDLE" "$CID-a" >/dev/null 2>&1
	apid=$(berth state "$CID-a" | jq -r .pid)
	update_config --arg p "/proc/$apid/ns/uts" '.linux.namespaces = [{"type":"pid"},{"type":"mount"},{"type":"network","path":$p}]'
	set_args true
	run berth run --bundle "$BUNDLE" "$CID-b"
	echo "$output"
	[ "$status" -ne 0 ]
	assert_no_leftovers "$CID-b"
}

# --- validation/linux_cgroups_* --------------------------------------------

@test "conformance linux_cgroups_hugetlb: hugepageLimits are written to the container's cgroup" {
	[ -n "$CGROUP2" ] || skip "no cgroup2 mount"
	grep -qw hugetlb "$CGROUP2/cgroup.controllers" || skip "hugetlb controller not in cgroup2 (other controllers: tests/vm/cgroups-limits.bats)"
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2MB huge pages"
	update_config '.linux.resources = {"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]}'
	set_args berth-testhelper sleep 100
	berth run -d --bundle "$BUNDLE" "$CID" >/dev/null 2>&1
	[ "$(cat "$(container_cgroup "$CID")/hugetlb.2MB.max")" = 4194304 ]
	berth delete --force "$CID"
	assert_no_leftovers "$CID"
}

# --- validation/process_*_fail ---------------------------------------------

@test "conformance process_capabilities_fail: an unknown capability is an error" {
	update_config '.process.capabilities.bounding += ["CAP_TEST"]'
	set_args true
	run berth run --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *CAP_TEST* ]]
	assert_no_leftovers "$CID"
}

@test "conformance process_rlimits_fail: an unknown rlimit type is an error" {
	update_config '.process.rlimits += [{"type": "RLIMIT_TEST", "soft": 1024, "hard": 1024}]'
	set_args true
	run berth run --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *RLIMIT_TEST* ]]
	assert_no_leftovers "$CID"
}

@test "conformance linux_cgroups_network: network classID/priorities are accepted and ignored on cgroup v2 (as runc)" {
	update_config '.linux.resources = {"network": {"classID": 1048577, "priorities": [{"name": "lo", "priority": 5}]}}'
	set_args true
	run berth run --bundle "$BUNDLE" "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	assert_no_leftovers "$CID"
}

@test "conformance linux_ns_path: ipc, mnt, net, pid (pid_for_children) and uts namespaces of an unshare'd process joined by path" {
	command -v unshare >/dev/null || skip "unshare (util-linux) not installed"
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.orig"
	for ns in ipc mnt net pid uts; do
		cp "$BATS_TEST_TMPDIR/config.orig" "$BUNDLE/config.json"
		case $ns in
		mnt) opt=--mount type=mount ;;
		net) opt=--net type=network ;;
		*) opt=--$ns type=$ns ;;
		esac
		setsid unshare "$opt" --fork sleep 100 &
		upid=$!
		path=/proc/$upid/ns/$ns
		[ "$ns" = pid ] && path=/proc/$upid/ns/pid_for_children
		for i in $(seq 30); do [ "$(readlink "$path")" != "$(readlink /proc/self/ns/$ns)" ] && break; sleep 0.1; done
		want=$(readlink "$path")
		update_config --arg t "$type" --arg p "$path" '.linux.namespaces |= (map(select(.type != $t)) + [{"type": $t, "path": $p}])'
		set_args sh -c "readlink /proc/self/ns/$ns"
		run berth run --bundle "$BUNDLE" "$CID-$ns"
		kill -KILL -- "-$upid" 2>/dev/null || kill -KILL "$upid"
		wait "$upid" 2>/dev/null || true
		echo "$ns: $output (want $want)"
		[ "$status" -eq 0 ]
		[ "${lines[-1]}" = "$want" ]
		[ "$want" != "$(readlink /proc/self/ns/$ns)" ]
		assert_no_leftovers "$CID-$ns"
	done
}
