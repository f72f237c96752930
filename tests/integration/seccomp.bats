#!/usr/bin/env bats
# linux.seccomp with real profiles: podman's default profile (allowed
# syscalls work, blocked ones fail with the profile's errno), ENOSYS for
# syscalls newer than the profile, the filter cache, a profile with
# thousands of rules, an empty syscalls list, and invalid values.

load helpers

PODMAN_PROFILE=/usr/share/containers/seccomp.json

setup() {
	# Container ids (and so cgroups) unique to this run: other test runs on
	# the host use short ids too.
	P="sc$(printf %04x $RANDOM)-"
	setup_bundle
	cd "$BUNDLE"
}

teardown() {
	teardown_berth
}

# Put podman's default profile, as podman converts it for amd64 and the
# container's bounding capabilities, into the config; then apply JQ-EXPR
# (if any) to .linux.seccomp.
use_podman_profile() {
	[ -r "$PODMAN_PROFILE" ] || skip "$PODMAN_PROFILE missing (golang-github-containers-common)"
	local caps prof
	caps=$(jq -c '.process.capabilities.bounding // []' "$BUNDLE/config.json")
	prof=$(jq -c --argjson caps "$caps" -f "$BATS_TEST_DIRNAME/seccomp-profile.jq" "$PODMAN_PROFILE")
	update_config --argjson p "$prof" ".linux.seccomp = \$p | .linux.seccomp |= (${1:-.})"
}

# Run the helper's syscall applet; $output is "ok RET" or "errno N NAME".
run_syscall() {
	local id=$1
	shift
	set_args berth-testhelper syscall "$@"
	run berth run "$id"
	echo "$output" >&2
}

@test "seccomp: podman's default profile: allowed syscalls work" {
	use_podman_profile
	run_syscall "${P}s1" getpid
	[ "$status" -eq 0 ]
	[[ "$output" == "ok "* ]]
	# personality is allowed for a few argument values only.
	run_syscall "${P}s2" personality 0xffffffff
	[[ "$output" == "ok "* ]]
	# busybox and a shell pipeline run under it.
	set_args sh -c 'echo hello | cat'
	run berth run "${P}s3"
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
}

@test "seccomp: podman's default profile: blocked syscalls fail with the profile's errno" {
	use_podman_profile
	# Not in the profile: its defaultErrnoRet, ENOSYS (38).
	run_syscall "${P}b1" add_key
	[ "$output" = "errno 38 ENOSYS" ]
	run_syscall "${P}b2" request_key
	[ "$output" = "errno 38 ENOSYS" ]
	run_syscall "${P}b3" io_uring_setup
	[ "$output" = "errno 38 ENOSYS" ]
	# personality with a value the profile does not list.
	run_syscall "${P}b4" personality 0x1234
	[ "$output" = "errno 38 ENOSYS" ]
	# Listed with errnoRet 1.
	run_syscall "${P}b5" userfaultfd
	[ "$output" = "errno 1 EPERM" ]
	# Allowed only with CAP_SYS_ADMIN / CAP_SYS_MODULE, which the default
	# spec does not have: errnoRet 1.
	run_syscall "${P}b6" bpf 0 0 0
	[ "$output" = "errno 1 EPERM" ]
	run_syscall "${P}b6b" init_module 0 0 0
	[ "$output" = "errno 1 EPERM" ]
	# containers-common 0.50's profile allows keyctl, ptrace and unshare
	# (podman leaves them to capabilities): the kernel answers, not seccomp.
	run_syscall "${P}b7" unshare 0x20000 # CLONE_NEWNS without CAP_SYS_ADMIN
	[ "$output" = "errno 1 EPERM" ]
	run_syscall "${P}b8" keyctl 0 -1 # KEYCTL_GET_KEYRING_ID of the thread keyring
	[[ "$output" != "errno 38 ENOSYS" ]]
}

@test "seccomp: podman's default profile with ptrace and keyctl denied by the profile" {
	use_podman_profile '.syscalls |= map(.names -= ["ptrace", "keyctl"])
		| .syscalls += [{"names": ["ptrace", "keyctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]'
	run_syscall "${P}p1" ptrace 0
	[ "$output" = "errno 1 EPERM" ]
	run_syscall "${P}p2" keyctl 0 -1
	[ "$output" = "errno 1 EPERM" ]
}

@test "seccomp: exec'd processes run under the container's profile" {
	use_podman_profile
	set_args berth-testhelper sleep 1000
	berth run -d --bundle "$BUNDLE" "${P}x1"
	run berth exec "${P}x1" berth-testhelper syscall add_key
	[ "$status" -eq 0 ]
	[ "$output" = "errno 38 ENOSYS" ]
	run berth exec "${P}x1" berth-testhelper syscall getpid
	[[ "$output" == "ok "* ]]
	# The init's filter is in place as well.
	local init
	init=$(berth state "${P}x1" | jq -r .pid)
	[ "$(awk '$1 == "Seccomp:" { print $2 }' /proc/$init/status)" = 2 ]
}

@test "seccomp: syscalls newer than the profile get ENOSYS, not the default errno" {
	use_podman_profile '.defaultErrnoRet = 1'
	# Older than the profile's newest syscall: the default errno.
	run_syscall "${P}n1" add_key
	[ "$output" = "errno 1 EPERM" ]
	# mseal (462) is newer than anything the profile names.
	run_syscall "${P}n2" mseal
	[ "$output" = "errno 38 ENOSYS" ]
	run_syscall "${P}n3" 1000
	[ "$output" = "errno 38 ENOSYS" ]
}

@test "seccomp: architectures x86, x32 and x86_64 and the default action KILL_PROCESS" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		"syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS"},
			{"names": ["getpgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 33,
			 "args": [{"index": 0, "value": 240, "valueTwo": 32, "op": "SCMP_CMP_MASKED_EQ"}]}]}'
	run_syscall "${P}a1" getpgid 0x2f
	[ "$output" = "errno 33 EDOM" ]
	run_syscall "${P}a2" getpgid 0x3f
	[[ "$output" != "errno 33 EDOM" ]]
	set_args berth-testhelper syscall getppid
	run berth run "${P}a3"
	[ "$status" -eq 159 ] # 128 + SIGSYS
}

@test "seccomp: the compiled filter is cached under the state root and checked" {
	use_podman_profile
	run_syscall "${P}c1" add_key
	[ "$output" = "errno 38 ENOSYS" ]
	local files
	files=("$BERTH_ROOT"/.seccomp-cache/*.bpf)
	[ "${#files[@]}" -eq 1 ]
	[ -f "${files[0]}" ]
	[ "$(stat -c %a "$BERTH_ROOT/.seccomp-cache")" = 700 ]

	run berth --debug run "${P}c2"
	[ "$status" -eq 0 ]
	[[ "$output" == *"filter from the cache"* ]]

	# A damaged file is refused, the filter compiled again and rewritten.
	printf 'garbage' | dd of="${files[0]}" bs=1 seek=200 conv=notrunc status=none
	run berth --debug run "${P}c3"
	[ "$status" -eq 0 ]
	[[ "$output" == *"digest mismatch"* ]]
	[[ "$output" == *"errno 38 ENOSYS"* ]]
	run berth --debug run "${P}c4"
	[[ "$output" == *"filter from the cache"* ]]

	# Another profile, another entry.
	use_podman_profile '.defaultErrnoRet = 1'
	run_syscall "${P}c5" add_key
	[ "$output" = "errno 1 EPERM" ]
	files=("$BERTH_ROOT"/.seccomp-cache/*.bpf)
	[ "${#files[@]}" -eq 2 ]
	# The cache is no container.
	run berth list -q
	[ -z "$output" ]
}

@test "seccomp: a profile with thousands of rules" {
	# add_key is not in the profile (ENOSYS): these rules are all there is.
	use_podman_profile '.syscalls += [range(2000) | {"names": ["add_key"],
		"action": "SCMP_ACT_ERRNO", "errnoRet": 34,
		"args": [{"index": 0, "value": (100000 + .), "op": "SCMP_CMP_EQ"}]}]'
	[ "$(jq '.linux.seccomp.syscalls | length' config.json)" -gt 2000 ]
	run_syscall "${P}t1" add_key 101999
	[ "$output" = "errno 34 ERANGE" ]
	run_syscall "${P}t2" add_key 99999
	[ "$output" = "errno 38 ENOSYS" ]

	# Beyond what the kernel takes: a clear error, nothing left behind.
	use_podman_profile '.syscalls += [range(6000) | {"names": ["add_key"],
		"action": "SCMP_ACT_ERRNO", "errnoRet": 34,
		"args": [{"index": 0, "value": (100000 + .), "op": "SCMP_CMP_EQ"}]}]'
	set_args berth-testhelper syscall getpid
	run berth run "${P}t3"
	[ "$status" -eq 1 ]
	[[ "$output" == *"more than the kernel's limit of 4096"* ]]
	assert_no_leftovers "${P}t3"
}

@test "seccomp: an empty syscalls list and unknown syscall names" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}'
	run_syscall "${P}e1" getpid
	[ "$status" -eq 0 ]
	[[ "$output" == "ok "* ]]
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW"}'
	run_syscall "${P}e2" getpid
	[[ "$output" == "ok "* ]]
	# Names libseccomp does not know are skipped, as runc does.
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["no_such_syscall", "getpgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 33}]}'
	run_syscall "${P}e3" getpgid 0
	[ "$output" = "errno 33 EDOM" ]
}

@test "seccomp: invalid values are clear errors and leave nothing behind" {
	local bad i=0
	for bad in \
		'{"defaultAction": "SCMP_ACT_BOGUS"}' \
		'{"defaultAction": "SCMP_ACT_NOTIFY"}' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_PDP11"]}' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_BOGUS"]}' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": "getpid"}' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"]}]}' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_KILL", "errnoRet": 1}]}' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 9, "value": 1, "op": "SCMP_CMP_EQ"}]}]}' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_SOMETIMES"}]}]}' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": "EPERM"}]}' \
		'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_NOTIFY"}]}'; do
		i=$((i + 1))
		update_config --argjson s "$bad" '.linux.seccomp = $s'
		run berth run "${P}bad$i"
		echo "$bad -> $status: $output" >&2
		[ "$status" -eq 1 ]
		[[ "$output" == *seccomp* ]]
		[[ "$output" != *"Segmentation"* ]]
		assert_no_leftovers "${P}bad$i"
	done
}

@test "seccomp: SCMP_ACT_NOTIFY: the listener gets the fd and the state, and answers" {
	local sock="$BATS_TEST_TMPDIR/agent.sock" msg="$BATS_TEST_TMPDIR/msg.json" i
	"$HELPER" seccompagent "$sock" "$msg" 4242 >"$BATS_TEST_TMPDIR/agent.out" 2>&1 &
	local agent=$!
	for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	update_config --arg s "$sock" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"listenerPath": $s, "listenerMetadata": "hello agent",
		"flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
		"syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]}'
	run_syscall "${P}nt1" getppid
	wait "$agent"
	cat "$BATS_TEST_TMPDIR/agent.out" >&2
	[ "$output" = "ok 4242" ]
	jq . "$msg" >&2
	[ "$(jq -c .fds "$msg")" = '["seccompFd"]' ]
	[ "$(jq -r .metadata "$msg")" = "hello agent" ]
	[ "$(jq -r .state.id "$msg")" = "${P}nt1" ]
	[ "$(jq -r .pid "$msg")" -gt 1 ]
	[ "$(jq -r .pid "$msg")" = "$(jq -r .state.pid "$msg")" ]
}

@test "seccomp: SCMP_ACT_NOTIFY without a listener fails before anything exists" {
	update_config --arg s "$BATS_TEST_TMPDIR/nobody.sock" '.linux.seccomp = {
		"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": $s,
		"syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]}'
	run berth run "${P}nt2"
	[ "$status" -eq 1 ]
	[[ "$output" == *"seccomp listener: connect to"* ]]
	assert_no_leftovers "${P}nt2"
}
