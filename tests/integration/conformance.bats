#!/usr/bin/env bats
# OCI conformance, runtime operations: the clauses that runtime-tools'
# validation/{create,state,start,kill,killsig,kill_no_effect,delete,
# delete_resources,pidfile,hooks,hooks_stdin,prestart_fail,poststart_fail,
# poststop_fail,config_updates_without_affect,misc_props} check, one test per clause.
# Checks from inside the container (cmd/runtimetest) are in
# conformance_config.bats. Container ids are random (like the suite's
# uuids) so parallel runs never share a /berth/ID cgroup.

load helpers

setup() {
	setup_bundle
	CID="conf-$(cut -c1-13 /proc/sys/kernel/random/uuid)"
	OUT="$BATS_TEST_TMPDIR/out"
	update_config '.root.readonly = false'
}

teardown() {
	teardown_berth
}

# create_ctr ARGS...: create $CID running ARGS, container output to $OUT.
create_ctr() {
	set_args "$@"
	berth create --bundle "$BUNDLE" "$CID" >"$OUT" 2>&1
}

status_of() {
	berth state "$1" | jq -r .status
}

# --- create -----------------------------------------------------------

@test "conformance create: without an id is an error and creates nothing" {
	run berth create --bundle "$BUNDLE"
	[ "$status" -ne 0 ]
	run berth create --bundle "$BUNDLE" ""
	[ "$status" -ne 0 ]
	[ -z "$(berth_ids)" ]
}

@test "conformance create: makes a new container that state reports as created" {
	create_ctr true
	run berth state "$CID"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .id)" = "$CID" ]
	[ "$(echo "$output" | jq -r .status)" = created ]
}

@test "conformance create: an id that is not unique is an error; the first container is untouched" {
	create_ctr berth-testhelper sleep 100
	pid=$(berth state "$CID" | jq -r .pid)
	run berth create --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	[ "$(status_of "$CID")" = created ]
	[ "$(berth state "$CID" | jq -r .pid)" = "$pid" ]
	[ -e "/proc/$pid" ]
}

@test "conformance create: the user process is not run before start" {
	create_ctr sh -c 'echo ran >/ran'
	sleep 0.3
	[ ! -e "$ROOTFS/ran" ]
	berth start "$CID"
	wait_status "$CID" stopped
	[ "$(cat "$ROOTFS/ran")" = ran ]
}

@test "conformance create: --pid-file holds the container process id from state" {
	set_args true
	berth create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pidfile" "$CID" >"$OUT" 2>&1
	pid=$(berth state "$CID" | jq -r .pid)
	[ "$pid" -gt 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/pidfile")" = "$pid" ]
}

# --- state --------------------------------------------------------------

@test "conformance state: ociVersion, id, status, pid, bundle (absolute) and annotations" {
	update_config '.annotations = {"org.opencontainers.runtime-tools": "conformance"}'
	create_ctr berth-testhelper sleep 100
	run berth state "$CID"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.ociVersion | test("^1\\.")'
	echo "$output" | jq -e --arg id "$CID" '.id == $id'
	echo "$output" | jq -e '.status == "created"'
	echo "$output" | jq -e '(.pid | type) == "number" and .pid > 0'
	echo "$output" | jq -e --arg b "$BUNDLE" '.bundle == $b'
	echo "$output" | jq -e '.annotations["org.opencontainers.runtime-tools"] == "conformance"'
	[ -e "/proc/$(echo "$output" | jq -r .pid)" ]
}

@test "conformance state: of an unknown container is an error" {
	run berth state "$CID"
	[ "$status" -ne 0 ]
	run berth state
	[ "$status" -ne 0 ]
}

@test "conformance state: running after start, stopped after the process exits" {
	create_ctr berth-testhelper sleep 1
	[ "$(status_of "$CID")" = created ]
	berth start "$CID"
	[ "$(status_of "$CID")" = running ]
	wait_status "$CID" stopped
	run berth state "$CID"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --arg id "$CID" '.id == $id and .status == "stopped"'
}

# --- start ----------------------------------------------------------------

@test "conformance start: without an id, or of an unknown container, is an error" {
	run berth start
	[ "$status" -ne 0 ]
	run berth start "$CID"
	[ "$status" -ne 0 ]
}

@test "conformance start: of a running or stopped container is an error with no effect" {
	create_ctr berth-testhelper sleep 1
	berth start "$CID"
	pid=$(berth state "$CID" | jq -r .pid)
	run berth start "$CID"
	[ "$status" -ne 0 ]
	[ "$(status_of "$CID")" = running ]
	[ "$(berth state "$CID" | jq -r .pid)" = "$pid" ]
	wait_status "$CID" stopped
	run berth start "$CID"
	[ "$status" -ne 0 ]
	[ "$(status_of "$CID")" = stopped ]
}

@test "conformance start: runs the process from the config given at create, not a later edit" {
	create_ctr sh -c 'echo from-create >/which'
	set_args sh -c 'echo from-edit >/which'
	berth start "$CID"
	wait_status "$CID" stopped
	[ "$(cat "$ROOTFS/which")" = from-create ]
}

# --- kill -----------------------------------------------------------------

@test "conformance kill: without an id is an error" {
	run berth kill
	[ "$status" -ne 0 ]
}

@test "conformance kill: of an unknown container is an error" {
	run berth kill "$CID" KILL
	[ "$status" -ne 0 ]
}

@test "conformance kill: KILL to a created container stops it" {
	create_ctr true
	pid=$(berth state "$CID" | jq -r .pid)
	berth kill "$CID" KILL
	wait_status "$CID" stopped
	berth delete "$CID"
	assert_no_leftovers "$CID"
}

@test "conformance kill: the signal reaches a running container's process" {
	create_ctr berth-testhelper trap 0
	berth start "$CID"
	for i in $(seq 50); do grep -q ready "$OUT" && break; sleep 0.1; done
	berth kill "$CID" USR1
	wait_status "$CID" stopped
	grep -qx "signal 10" "$OUT"
}

@test "conformance kill: the default signal is TERM; names with and without SIG and numbers work" {
	for sig in "" TERM SIGTERM 15; do
		create_ctr berth-testhelper trap 0
		berth start "$CID"
		for i in $(seq 50); do grep -q ready "$OUT" && break; sleep 0.1; done
		if [ -z "$sig" ]; then berth kill "$CID"; else berth kill "$CID" "$sig"; fi
		wait_status "$CID" stopped
		grep -qx "signal 15" "$OUT"
		berth delete "$CID"
	done
}

@test "conformance kill: of a stopped container is an error and has no effect" {
	create_ctr true
	berth start "$CID"
	wait_status "$CID" stopped
	run berth kill "$CID" KILL
	[ "$status" -ne 0 ]
	[ "$(status_of "$CID")" = stopped ]
	berth delete "$CID"
	assert_no_leftovers "$CID"
}

# --- delete ---------------------------------------------------------------

@test "conformance delete: without an id is an error" {
	run berth delete
	[ "$status" -ne 0 ]
}

@test "conformance delete: of an unknown container is an error" {
	run berth delete "$CID"
	[ "$status" -ne 0 ]
}

@test "conformance delete: of a running container is an error and has no effect" {
	create_ctr berth-testhelper sleep 100
	berth start "$CID"
	pid=$(berth state "$CID" | jq -r .pid)
	run berth delete "$CID"
	[ "$status" -ne 0 ]
	[ "$(status_of "$CID")" = running ]
	kill -0 "$pid"
	berth kill "$CID" KILL
	wait_status "$CID" stopped
	berth delete "$CID"
}

@test "conformance delete: of a created container removes it (runc's behaviour, not the spec's error)" {
	# runtime-tools' delete test wants an error here; runc kills and removes a
	# created container, and containerd's shim depends on that. berth follows runc.
	create_ctr berth-testhelper sleep 100
	pid=$(berth state "$CID" | jq -r .pid)
	berth delete "$CID"
	run berth state "$CID"
	[ "$status" -ne 0 ]
	assert_no_leftovers "$CID"
}

@test "conformance delete: of a stopped container removes every resource create made" {
	update_config '.mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs"}]'
	create_ctr true
	berth start "$CID"
	wait_status "$CID" stopped
	berth delete "$CID"
	run berth state "$CID"
	[ "$status" -ne 0 ]
	assert_no_leftovers "$CID"
	# The id is free again.
	create_ctr true
	[ "$(status_of "$CID")" = created ]
}

# --- hooks ----------------------------------------------------------------

# hook_cmd NAME: a hook that appends "NAME called" to $HLOG and saves its stdin.
hook() {
	jq -nc --arg n "$1" --arg log "$HLOG" --arg dir "$BATS_TEST_TMPDIR" --argjson rc "${2:-0}" \
		'{path: "/bin/sh", args: ["sh", "-c", "cat >\($dir)/\($n).json; echo \"\($n) called\" >>\($log); exit \($rc)"], timeout: 5}'
}

@test "conformance hooks: prestart, poststart and poststop run in that order" {
	HLOG="$BATS_TEST_TMPDIR/hooks.log"
	update_config --argjson a "$(hook prestart)" --argjson b "$(hook poststart)" --argjson c "$(hook poststop)" \
		'.hooks = {prestart: [$a], poststart: [$b], poststop: [$c]}'
	create_ctr true
	[ "$(cat "$HLOG")" = "prestart called" ]
	berth start "$CID"
	wait_status "$CID" stopped
	berth delete "$CID"
	[ "$(cat "$HLOG")" = "$(printf 'prestart called\npoststart called\npoststop called')" ]
}

@test "conformance hooks: every hook gets the state on stdin (id, bundle, pid, annotations, status)" {
	HLOG="$BATS_TEST_TMPDIR/hooks.log"
	update_config --argjson a "$(hook prestart)" --argjson b "$(hook poststart)" --argjson c "$(hook poststop)" \
		'.hooks = {prestart: [$a], poststart: [$b], poststop: [$c]} |
		 .annotations = {"org.opencontainers.runtime-tools": "hook stdin test"}'
	create_ctr true
	pid=$(berth state "$CID" | jq -r .pid)
	berth start "$CID"
	wait_status "$CID" stopped
	berth delete "$CID"
	for h in prestart poststart poststop; do
		jq -e --arg id "$CID" --arg b "$BUNDLE" \
			'.id == $id and .bundle == $b and .annotations == {"org.opencontainers.runtime-tools": "hook stdin test"}' \
			"$BATS_TEST_TMPDIR/$h.json"
	done
	jq -e --argjson p "$pid" '.pid == $p and .status == "created"' "$BATS_TEST_TMPDIR/prestart.json"
	jq -e --argjson p "$pid" '.pid == $p and .status == "running"' "$BATS_TEST_TMPDIR/poststart.json"
	jq -e '.status != ""' "$BATS_TEST_TMPDIR/poststop.json"
}

@test "conformance hooks: a failing prestart hook fails create; the process never runs" {
	HLOG="$BATS_TEST_TMPDIR/hooks.log"
	update_config --argjson a "$(hook prestart 1)" '.hooks = {prestart: [$a]}'
	set_args sh -c 'echo ran >/ran'
	run berth create --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	run berth start "$CID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOTFS/ran" ]
	assert_no_leftovers "$CID"
}

@test "conformance hooks: a failing poststart hook is a warning; later hooks and the lifecycle go on" {
	HLOG="$BATS_TEST_TMPDIR/hooks.log"
	update_config --argjson a "$(hook bad 1)" --argjson b "$(hook poststart)" '.hooks = {poststart: [$a, $b]}'
	create_ctr true
	run berth start "$CID"
	[ "$status" -eq 0 ]
	wait_status "$CID" stopped
	berth delete "$CID"
	grep -qx "poststart called" "$HLOG"
	assert_no_leftovers "$CID"
}

@test "conformance hooks: a failing poststop hook is a warning; later hooks run and delete succeeds" {
	HLOG="$BATS_TEST_TMPDIR/hooks.log"
	update_config --argjson a "$(hook bad 1)" --argjson b "$(hook poststop)" '.hooks = {poststop: [$a, $b]}'
	create_ctr true
	berth start "$CID"
	wait_status "$CID" stopped
	run berth delete "$CID"
	[ "$status" -eq 0 ]
	grep -qx "poststop called" "$HLOG"
	assert_no_leftovers "$CID"
}

# --- how the suite drives the runtime ----------------------------------------

@test "conformance start: a config without process is an error (at create, as runc)" {
	update_config 'del(.process)'
	run berth create --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	run berth start "$CID"
	[ "$status" -ne 0 ]
	assert_no_leftovers "$CID"
}

@test "conformance harness: start, state, kill and delete give back their stdout pipe at once" {
	# The suite reads every command's output to EOF (Go's cmd.Output()): a
	# runtime that leaves the pipe open in the container or a hook hangs it.
	HLOG="$BATS_TEST_TMPDIR/hooks.log"
	update_config --argjson a "$(hook poststart)" '.hooks = {poststart: [$a]}'
	create_ctr berth-testhelper sleep 100
	for cmd in "start $CID" "state $CID" "kill $CID KILL"; do
		run timeout 10 sh -c "'$BERTH' --root '$BERTH_ROOT' $cmd | cat"
		[ "$status" -eq 0 ]
	done
	wait_status "$CID" stopped
	run timeout 10 sh -c "'$BERTH' --root '$BERTH_ROOT' delete $CID | cat"
	[ "$status" -eq 0 ]
	assert_no_leftovers "$CID"
}

@test "conformance harness: the suite's generated default config, with the bundle itself as rootfs (root.path \".\")" {
	# What runtime-tools' generator writes (facts read from generate.New and
	# util.GetDefaultGenerator): 14 capabilities in all five sets, RLIMIT_NOFILE
	# 1024, hostname mrsdalloway, these mounts, no cgroup namespace, a deny-all
	# device rule, and root.path "." with config.json inside the rootfs.
	cp -a "$ROOTFS/." "$BUNDLE/"
	update_config '
		["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID",
		 "CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"] as $caps
		| .ociVersion = "1.0.2-dev" | .hostname = "mrsdalloway" | .root = {"path": ".", "readonly": false}
		| .process.capabilities = {bounding: $caps, effective: $caps, inheritable: $caps, permitted: $caps, ambient: $caps}
		| .process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]
		| .process.env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"]
		| .process.cwd = "/" | .process.user = {"uid": 0, "gid": 0}
		| .mounts = [
			{"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid","noexec","nodev"]},
			{"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid","strictatime","mode=755","size=65536k"]},
			{"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
			{"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid","noexec","nodev","mode=1777","size=65536k"]},
			{"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid","noexec","nodev"]},
			{"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid","noexec","nodev","ro"]}]
		| .linux = {resources: {devices: [{"allow": false, "access": "rwm"}]},
			namespaces: [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}
		| .process.args = ["sh", "-c", "grep -q mrsdalloway /config.json && [ \"$(hostname)\" = mrsdalloway ] && touch /probe && berth-testhelper caps && berth-testhelper rlimits | grep NOFILE && echo null >/dev/null && echo suite-ok"]'
	run berth run --bundle "$BUNDLE" "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapAmb:	00000000a80425fb"* ]]
	[[ "$output" == *"CapBnd:	00000000a80425fb"* ]]
	[[ "$output" == *"RLIMIT_NOFILE 1024 1024"* ]]
	[[ "$output" == *suite-ok* ]]
	[ -e "$BUNDLE/probe" ]
	assert_no_leftovers "$CID"
}

@test "conformance killsig: TERM, USR1 and USR2 each reach a shell that traps them" {
	update_config '.root.readonly = false'
	for sig in TERM USR1 USR2; do
		create_ctr sh -c "trap 'touch /$sig' $sig; echo ready; sleep 10 & wait \$!"
		berth start "$CID"
		for i in $(seq 50); do grep -q ready "$OUT" && break; sleep 0.1; done
		berth kill "$CID" "$sig"
		wait_status "$CID" stopped
		[ -e "$ROOTFS/$sig" ]
		berth delete "$CID"
	done
}

@test "conformance misc_props: unknown annotation keys and unknown properties are no error; an invalid ociVersion is" {
	update_config --arg k "org.$CID" '.annotations = {($k): ""} | .unknown = "unknown" | .process.unknownToo = 1'
	create_ctr true
	berth start "$CID"
	wait_status "$CID" stopped
	berth delete "$CID"
	update_config '.ociVersion = "invalid"'
	run berth create --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	assert_no_leftovers "$CID"
}
