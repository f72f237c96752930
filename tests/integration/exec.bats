#!/usr/bin/env bats
# berth exec and ps: joining a running container exactly as runc does.

load helpers

setup() {
	setup_bundle
	update_config '.root.readonly = false'
	set_args berth-testhelper sleep 1000
	berth run -d --bundle "$BUNDLE" c1
	INIT=$(berth state c1 | jq -r .pid)
}

teardown() {
	teardown_berth
	[ -z "${recv:-}" ] || kill "$recv" 2>/dev/null || true
}

@test "exec: runs in every namespace of the container" {
	run berth exec c1 berth-testhelper ns
	[ "$status" -eq 0 ]
	for ns in pid net ipc uts mnt cgroup user time; do
		inside=$(echo "$output" | awk -v n=$ns '$1 == n { print $2 }')
		[ "$inside" = "$(stat -L -c %i /proc/$INIT/ns/$ns)" ]
	done
}

@test "exec: is born in the container's cgroup" {
	berth exec -d --pid-file "$BATS_TEST_TMPDIR/epid" c1 berth-testhelper sleep 100
	epid=$(cat "$BATS_TEST_TMPDIR/epid")
	# Seen from the host: the same cgroup as the init.
	[ "$(grep '^0::' /proc/$epid/cgroup)" = "$(grep '^0::' /proc/$INIT/cgroup)" ]
	[ "$(grep '^0::' /proc/$INIT/cgroup)" = "0::/berth/c1" ]
	# Seen from inside its cgroup namespace: the root.
	run berth exec c1 berth-testhelper cat /proc/self/cgroup
	[ "$(grep '^0::' <<<"$output")" = "0::/" ]
}

@test "exec: exit codes pass through; 128+N on a signal" {
	run berth exec c1 berth-testhelper exit 5
	[ "$status" -eq 5 ]
	run berth exec c1 /bin/sh -c 'kill -KILL $$'
	[ "$status" -eq 137 ]
}

@test "exec: --env, --cwd, --user, --additional-gids" {
	run berth exec --env FOO=bar -e PATH=/bin c1 berth-testhelper env
	[[ "$output" == *FOO=bar* ]]
	[[ "$output" == *PATH=/bin* ]]
	[ "$(echo "$output" | grep -c '^PATH=')" -eq 1 ]
	run berth exec --cwd /tmp c1 berth-testhelper cwd
	[ "$output" = /tmp ]
	run berth exec --user 1000:1001 --additional-gids 7 -g 9 c1 berth-testhelper id
	[ "$output" = "uid=1000 gid=1001 euid=1000 egid=1001 groups=7,9" ]
}

@test "exec: --cap adds a capability; --no-new-privs sets it" {
	run berth exec c1 berth-testhelper caps
	eff=$(echo "$output" | awk '/CapEff/ {print $2}')
	run berth exec --cap CAP_SYS_ADMIN c1 berth-testhelper caps
	eff2=$(echo "$output" | awk '/CapEff/ {print $2}')
	[ $((16#$eff2 & (1 << 21))) -ne 0 ]
	[ $((16#$eff & (1 << 21))) -eq 0 ]
	run berth exec --no-new-privs c1 berth-testhelper cat /proc/self/status
	[[ "$output" == *"NoNewPrivs:"*1* ]]
}

@test "exec: --process process.json" {
	cat >"$BATS_TEST_TMPDIR/p.json" <<-'EOS'
	{"args": ["berth-testhelper", "echo", "from", "json"], "cwd": "/", "env": ["PATH=/bin"],
	 "user": {"uid": 0, "gid": 0}}
	EOS
	run berth exec --process "$BATS_TEST_TMPDIR/p.json" c1
	[ "$status" -eq 0 ]
	[ "$output" = "from json" ]
}

@test "exec: only fds 0-2 reach the process (plus --preserve-fds)" {
	run berth exec c1 berth-testhelper fds 3</etc/hostname 5</etc/hostname
	[ "$(echo "$output" | awk '{print $1}' | tr '\n' ' ')" = "0 1 2 " ]
	run berth exec --preserve-fds 1 c1 berth-testhelper fds 3</etc/hostname
	[ "$(echo "$output" | awk '{print $1}' | tr '\n' ' ')" = "0 1 2 3 " ]
}

@test "exec: a cwd through /proc/self/fd is refused" {
	run berth exec --cwd /proc/self/fd/0 c1 berth-testhelper cwd
	[ "$status" -ne 0 ]
}

@test "exec: --detach with --pid-file; ps lists it" {
	berth exec -d --pid-file "$BATS_TEST_TMPDIR/epid" c1 berth-testhelper sleep 100
	epid=$(cat "$BATS_TEST_TMPDIR/epid")
	[ -e /proc/$epid ]
	run berth ps --format json c1
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r 'sort | join(" ")')" = "$(printf '%s\n' $INIT $epid | sort -n | tr '\n' ' ' | sed 's/ $//')" ]
	run berth ps c1
	[[ "${lines[0]}" == *PID* ]]
	[ "${#lines[@]}" -eq 3 ]
	run berth ps c1 -- -o pid,comm
	[[ "${lines[0]}" == *PID*COMMAND* ]]
	[ "${#lines[@]}" -eq 3 ]
}

@test "exec: a missing command, a stopped container, an unknown one" {
	run berth exec c1 nosuchcmd
	[ "$status" -eq 1 ]
	[[ "$output" == *'exec: "nosuchcmd": executable file not found in $PATH'* ]]
	berth kill c1 KILL
	wait_status c1 stopped
	run berth exec c1 berth-testhelper id
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot exec in a stopped container"* ]]
	run berth exec nosuch berth-testhelper id
	[[ "$output" == *'container "nosuch" does not exist'* ]]
}

@test "exec: a paused container refuses unless --ignore-paused" {
	berth pause c1 || skip "pause unavailable here"
	run berth exec c1 berth-testhelper id
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot exec in a paused container"* ]]
	# Born frozen in the frozen cgroup: it runs once the container resumes.
	"$BERTH" --root "$BERTH_ROOT" exec --ignore-paused c1 berth-testhelper echo thawed \
		>"$BATS_TEST_TMPDIR/out" 2>&1 &
	ex=$!
	sleep 0.5
	berth resume c1
	wait $ex
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = thawed ]
}

@test "exec: 50 concurrent execs all succeed" {
	for i in $(seq 50); do
		(berth exec c1 berth-testhelper echo "n$i" >"$BATS_TEST_TMPDIR/o.$i" 2>&1; echo $? >"$BATS_TEST_TMPDIR/r.$i") &
	done
	wait
	for i in $(seq 50); do
		[ "$(cat "$BATS_TEST_TMPDIR/r.$i")" = 0 ]
		[ "$(cat "$BATS_TEST_TMPDIR/o.$i")" = "n$i" ]
	done
}

@test "exec: --tty with --console-socket sends the pty" {
	SOCK="$BATS_TEST_TMPDIR/c.sock"
	OUT="$BATS_TEST_TMPDIR/c.out"
	"$HELPER" recvtty "$SOCK" "$OUT" &
	recv=$!
	for i in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
	berth exec -t -d --console-socket "$SOCK" c1 berth-testhelper isatty
	wait $recv
	recv=
	run cat "$OUT"
	[[ "$output" == *"0 yes"* ]]
	[[ "$output" == *"2 yes"* ]]
}

@test "exec: --tty in the foreground relays the terminal" {
	command -v script >/dev/null || skip "script(1) not installed"
	run script -qec "'$BERTH' --root '$BERTH_ROOT' exec -t c1 berth-testhelper isatty" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 yes"* ]]
}

@test "exec: the container's seccomp profile applies to exec'd processes" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}'
	berth run -d --bundle "$BUNDLE" c2
	run berth exec c2 /bin/mkdir /tmp/x
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	run berth exec c2 berth-testhelper cat /proc/self/status
	[[ "$output" == *"Seccomp:"*2* ]]
}

@test "exec: into a container with its own user namespace" {
	update_config '.linux.namespaces += [{"type":"user"}]
		| .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
		| .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]'
	chown -R 100000:100000 "$ROOTFS"
	d="$BUNDLE"
	while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	berth run -d --bundle "$BUNDLE" u1
	uinit=$(berth state u1 | jq -r .pid)
	run berth exec u1 /bin/sh -c 'berth-testhelper id; cat /proc/self/uid_map; berth-testhelper ns'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "uid=0 gid=0"* ]]
	[[ "${lines[1]}" =~ ^\ +0\ +100000\ +65536$ ]]
	[ "$(echo "$output" | awk '$1 == "user" {print $2}')" = "$(stat -L -c %i /proc/$uinit/ns/user)" ]
}
