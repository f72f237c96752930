#!/bin/bash
# The client checks through containerd 1.6 and ctr (shim io.containerd.runc.v2).
# containerd hardcodes /run/containerd/{s,runc}: it runs in a private mount namespace
# with a temp dir bound over /run, the CRI plugin off, and our logging wrapper first in
# its PATH under the name `runc`. ctr stays outside with the socket and --fifo-dir.
# shellcheck disable=SC2016,SC2034 # $ in single quotes is for the inner shell; cleanup code reads vars
CLIENT=containerd
# shellcheck source=tests/clients/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_work

if ! install_pkgs containerd; then
	skip "all checks" "cannot install containerd: $(tail -n 1 "$WORK/apt.log")"
	summary
	exit 0
fi
setup_image || { notok "build the busybox image"; summary; exit 1; }

NS=berthclients
C=$WORK/c
mkdir -p "$C/root" "$C/state" "$WORK/run" "$WORK/fifo"
SOCK=$C/containerd.sock
cat >"$C/config.toml" <<CONF
version = 2
root = "$C/root"
state = "$C/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = ""
CONF
# The cgroup parent containerd's specs use ("/<namespace>/<id>"): removed at the end
# only if this run created it.
parent_existed=$(cgroup_dirs "/$NS")
on_cleanup '[ -n "$parent_existed" ] || for d in $(cgroup_dirs "/$NS"); do rmdir "$d"; done'

start_bg "$WORK/containerd.log" unshare --mount --propagation private \
	sh -c 'mount --bind "$1" /run && PATH="$2:$PATH" exec containerd --config "$3"' \
	sh "$WORK/run" "$WORK/bin" "$C/config.toml"
CTRD=$LAST_PID
CTR=(ctr --address "$SOCK" --namespace "$NS")
CTRS=$(printf '%q ' "${CTR[@]}")
ctr_() { timeout -k 5 "$CMD_TIMEOUT" "${CTR[@]}" "$@"; }
# ctr run asks for cpu.shares 1024 unless told 0: this hybrid host has no cpu controller
# on cgroup2, so berth refuses it (the "cpu shares" check shows that error).
crun_() { ctr_ run --fifo-dir "$WORK/fifo" --cpu-shares 0 "$@"; }
if ! wait_for 20 ctr_ version; then
	notok "containerd starts" "$WORK/containerd.log"
	summary
	exit 1
fi
# Remove every task and container before containerd goes (shims are started per task).
on_cleanup 'for c in $(ctr_ c ls -q); do ctr_ task kill -a -s KILL "$c"; sleep 0.2; ctr_ task delete -f "$c"; ctr_ c rm "$c"; done'

if ! ctr_ image import "$IMAGE_DIR/busybox-oci.tar" >"$WORK/import.log" 2>&1; then
	notok "ctr image import busybox" "$WORK/import.log"
	summary
	exit 1
fi
IMG=docker.io/library/busybox:berth
STATE_ROOT=$WORK/run/containerd/runc/$NS
# The long-lived container: a name no other process on the host has in its argv.
DET=berthdet$$

task_status() { ctr_ task ls | awk -v id="$1" '$1 == id {print $3}'; }
task_pid() { ctr_ task ls | awk -v id="$1" '$1 == id {print $2}'; }
is_stopped() { [ "$(task_status "$1")" = STOPPED ]; }

c_echo() {
	expect_out hello crun_ --rm $IMG e1 echo hello
	expect_out hello crun_ --rm --runc-binary "$WRAPPER" $IMG e2 echo hello
}
c_exit() { expect_status 3 crun_ --rm $IMG x1 sh -c 'exit 3'; }
c_exit_missing() {
	local rc=0
	crun_ --rm $IMG x2 /no/such/command >"$WORK/x2.out" 2>&1 || rc=$?
	cat "$WORK/x2.out"
	[ "$rc" != 0 ] || { echo "a missing command succeeded"; return 1; }
	expect_match "$(cat "$WORK/x2.out")" 'no such file or directory|executable file not found' "error"
	ctr_ c rm x2 2>/dev/null || true
}
# ctr does not close the task's stdin at EOF: read one line.
c_stdin() { printf 'piped\n' | expect_out piped crun_ --rm $IMG i1 head -n 1; }
c_tty() {
	local out
	out=$(in_pty "$CTRS run --fifo-dir $WORK/fifo --cpu-shares 0 -t --rm $IMG t1 sh -c 'tty; stty size; sleep 0.3'")
	echo "$out"
	expect_match "$out" '/dev/pts/[0-9]+' "tty"
}
c_readonly() {
	expect_out good crun_ --rm --read-only $IMG r1 sh -c '! touch /nope 2>/dev/null && echo good'
}
c_capdrop() {
	expect_out cannot crun_ --rm --cap-drop CAP_CHOWN $IMG cd1 \
		sh -c 'touch /f; chown 1 /f 2>/dev/null && echo can || echo cannot'
}
c_env() { expect_out bar crun_ --rm --env FOO=bar $IMG env1 sh -c 'echo $FOO'; }
c_detached() {
	crun_ -d $IMG $DET sleep 1000
	expect_eq "$(task_status $DET)" RUNNING "status"
}
c_exec() {
	expect_out hi ctr_ task exec --fifo-dir "$WORK/fifo" --exec-id ex1 $DET echo hi
	expect_status 4 ctr_ task exec --fifo-dir "$WORK/fifo" --exec-id ex2 $DET sh -c 'exit 4'
	expect_out 1000 ctr_ task exec --fifo-dir "$WORK/fifo" --user 1000 --exec-id ex3 $DET id -u
}
c_exec_tty() {
	local out
	out=$(in_pty "$CTRS task exec --fifo-dir $WORK/fifo -t --exec-id ex4 $DET tty")
	echo "$out"
	expect_match "$out" '/dev/pts/[0-9]+' "exec -t"
}
c_top() { # runtime ps
	local out
	out=$(ctr_ task ps $DET)
	echo "$out"
	expect_match "$out" "$(task_pid $DET)" "task ps lists the init pid"
}
c_pause() {
	ctr_ task pause $DET
	expect_eq "$(task_status $DET)" PAUSED "status after pause"
	expect_out frozen freezer_state "/$NS/$DET"
	ctr_ task resume $DET
	expect_eq "$(task_status $DET)" RUNNING "status after resume"
	expect_out thawed freezer_state "/$NS/$DET"
}
c_cgroup() {
	local path
	path=$(ctr_ c info $DET | jq -r .Spec.linux.cgroupsPath)
	expect_eq "$path" "/$NS/$DET" "cgroupsPath in the spec"
	cgroup_of_pid "$(task_pid $DET)" "$path"
}
c_left() {
	ctr_ task kill -s KILL $DET
	wait_for 10 is_stopped $DET
	ctr_ task delete $DET
	ctr_ c rm $DET
	nothing_left $DET "/$NS/$DET" "$STATE_ROOT/$DET" "$CTRD"
}
# A foreground `ctr run` plays the part of `docker stop`: SIGTERM, then SIGKILL.
c_stop_term() {
	crun_ --rm $IMG st sh -c 'trap "exit 7" TERM; echo ready; while :; do sleep 0.1; done' >"$WORK/st.out" &
	local pid=$! rc=0
	wait_for 10 grep -q ready "$WORK/st.out"
	ctr_ task kill -s TERM st
	wait $pid || rc=$?
	expect_eq "$rc" 7 "exit code"
}
c_stop_kill() {
	crun_ --rm $IMG sk sleep 1000 &
	local pid=$! rc=0
	wait_for 10 sh -c "[ \"\$($CTRS task ls | awk '\$1 == \"sk\" {print \$3}')\" = RUNNING ]"
	ctr_ task kill -s TERM sk # pid 1 without a handler ignores it
	sleep 1
	expect_eq "$(task_status sk)" RUNNING "status after SIGTERM"
	ctr_ task kill -s KILL sk
	wait $pid || rc=$?
	expect_eq "$rc" 137 "exit code"
}
c_kill() {
	crun_ --rm $IMG k sh -c 'sleep 1000 & sleep 1000' &
	local pid=$! rc=0
	wait_for 10 sh -c "[ \"\$($CTRS task ls | awk '\$1 == \"k\" {print \$3}')\" = RUNNING ]"
	ctr_ task kill -a -s KILL k
	wait $pid || rc=$?
	expect_eq "$rc" 137 "exit code (kill --all)"
}
# ctr has no wait: `ctr container create` (the runtime from the daemon's PATH; it asks
# for no cpu shares) and a foreground `ctr task start`, which waits for the exit status.
c_wait() {
	ctr_ c create -- $IMG w sh -c 'sleep 1; exit 5'
	expect_status 5 ctr_ task start --fifo-dir "$WORK/fifo" w
}
c_logs() {
	# stdout only: the shim opens the file twice without O_APPEND, stderr races it.
	crun_ -d --log-uri "file://$WORK/lg.log" $IMG lg sh -c 'echo out1'
	wait_for 20 is_stopped lg
	cat "$WORK/lg.log"
	grep -q out1 "$WORK/lg.log"
	ctr_ task delete lg
}
c_rm() {
	ctr_ c rm w lg
	expect_eq "$(ctr_ c ls -q | wc -l)" 0 "containers left"
}
c_ownexit() {
	crun_ -d $IMG own sh -c 'exit 0'
	wait_for 20 is_stopped own
	ctr_ task delete own
	ctr_ c rm own
}

c_cpu_shares() {
	local rc=0
	ctr_ run --fifo-dir "$WORK/fifo" --rm $IMG cpu1 true >"$WORK/cpu.out" 2>&1 || rc=$?
	cat "$WORK/cpu.out"
	ctr_ c rm cpu1 2>/dev/null || true
	[ $rc != 0 ] || { echo "cpu shares were accepted"; return 1; }
	grep -q 'cpu' "$WORK/cpu.out" && grep -Eiq 'cgroup' "$WORK/cpu.out"
}

SECONDS=0 # CLIENT_BUDGET counts from here
check "run and echo (PATH and --runc-binary)" c_echo
check "exit code" c_exit
check "missing command fails with the runtime's error" c_exit_missing
check "stdin piped" c_stdin
check "-t gets a real pty" c_tty
check "--read-only" c_readonly
check "--cap-drop" c_capdrop
skip "--user" "ctr run has none (exec --user is checked below)"
skip "--hostname" "ctr run has none"
check "--env" c_env
check "detached container (-d)" c_detached
check "exec (output, exit code, --user)" c_exec
check "exec -t gets a real pty" c_exec_tty
check "task ps (runtime ps)" c_top
check "pause/resume" c_pause
check "cgroup where containerd expects it" c_cgroup
check "nothing left after delete" c_left
check "stop: SIGTERM trapped (exit 7)" c_stop_term
check "stop: SIGKILL after SIGTERM is ignored" c_stop_kill
check "kill --all" c_kill
check "wait (container create + foreground task start)" c_wait
check "logs (--log-uri file://)" c_logs
check "rm" c_rm
check "container exits on its own" c_ownexit
skip "--init" "ctr has none"
if [ "$RT_NAME" = berth ]; then
	check "cpu shares refused with a clear error (hybrid cgroups)" c_cpu_shares
else
	skip "cpu shares refused with a clear error" "only meaningful with berth: $RT_NAME uses the v1 cpu controller on this host"
fi
summary
[ "$FAILED" = 0 ]
