#!/bin/bash
# The client checks through podman 4.3 (+ conmon): podman keeps all its state in a temp
# dir and runs in a mount namespace of its own with a private /dev/shm (its lock file is
# global); the runtime is our logging wrapper around RUNTIME (runc|crun|berth).
# shellcheck disable=SC2016,SC2034 # $ in single quotes is for the inner shell; cleanup code reads vars
CLIENT=podman
# shellcheck source=tests/clients/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_work

if ! install_pkgs podman conmon golang-github-containers-common tini; then
	skip "all checks" "cannot install podman: $(tail -n 1 "$WORK/apt.log")"
	summary
	exit 0
fi
setup_image || { notok "build the busybox image"; summary; exit 1; }

# containers.conf: rlimits within this machine's hard limits (CAP_SYS_RESOURCE is not
# in the bounding set), no pids limit (hybrid cgroups), tini for --init.
hard_nofile=$(ulimit -Hn)
hard_nproc=$(ulimit -Hu)
[ "$hard_nproc" = unlimited ] || [ "$hard_nproc" -gt 32768 ] && hard_nproc=32768
cat >"$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$hard_nofile:$hard_nofile", "nproc=$hard_nproc:$hard_nproc"]
pids_limit = 0
init_path = "/usr/bin/tini-static"
netns = "none"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_CONF=$WORK/containers.conf

# A mount namespace holder with a private tmpfs on /dev/shm; every podman call joins it.
start_bg "$WORK/holder.log" unshare --mount --propagation private \
	sh -c 'mount -t tmpfs -o mode=1777,size=64m shm /dev/shm && exec sleep 100000'
HOLDER=$LAST_PID
wait_for 10 sh -c "grep -q ' /dev/shm ' /proc/$HOLDER/mountinfo && grep -q tmpfs /proc/$HOLDER/mountinfo"
mkdir -p "$WORK"/{root,runroot,tmp,volumes}
PM=(nsenter -t "$HOLDER" -m -- podman --root "$WORK/root" --runroot "$WORK/runroot"
	--tmpdir "$WORK/tmp" --volumepath "$WORK/volumes" --cgroup-manager cgroupfs
	--events-backend file --storage-driver overlay --runtime "$WRAPPER")
PMS=$(printf '%q ' "${PM[@]}")
pm() { timeout -k 5 "$CMD_TIMEOUT" "${PM[@]}" "$@"; }
pmrun() { pm run --pull never --network none "$@"; }
# Remove every container, then the storage's mounts, before the holder goes; then the
# cgroup parent podman made (conmon's cgroup is below it), if this run created it.
parent_existed=$(cgroup_dirs /libpod_parent)
on_cleanup '[ -n "$parent_existed" ] || for d in $(cgroup_dirs /libpod_parent); do rmdir "$d/conmon" "$d"; done'
on_cleanup "pm rm -af -t 0; pm system reset -f"

# The runtime's state dir: podman passes no --root, so the runtime's default is used.
case $RT_NAME in
runc) STATE_ROOT=/run/runc ;;
crun) STATE_ROOT=/run/crun ;;
*) STATE_ROOT=/run/berth ;;
esac

if ! pm load -q -i "$IMAGE_DIR/busybox-docker.tar" >"$WORK/load.log" 2>&1; then
	notok "podman load busybox" "$WORK/load.log"
	summary
	exit 1
fi
IMG=localhost/busybox:berth

c_echo() { expect_out hello pmrun --rm $IMG echo hello; }
c_exit() { expect_status 3 pmrun --rm $IMG sh -c 'exit 3'; }
c_exit127() { expect_status 127 pmrun --rm $IMG /no/such/command; }
c_stdin() { printf 'piped\n' | expect_out piped pmrun -i --rm $IMG cat; }
c_tty() {
	local out
	out=$(in_pty "$PMS run --pull never --network none -t --rm $IMG sh -c 'tty; stty size; sleep 0.3'")
	echo "$out"
	expect_match "$out" '/dev/pts/[0-9]+' "tty"
}
c_readonly() {
	expect_out good pmrun --rm --read-only $IMG sh -c 'touch /tmp/ok && ! touch /nope 2>/dev/null && echo good'
}
c_capdrop() {
	expect_out "CapEff:	0000000000000000" pmrun --rm --cap-drop ALL $IMG grep CapEff /proc/self/status
	expect_out cannot pmrun --rm --cap-drop CHOWN $IMG \
		sh -c 'touch /f; chown 1 /f 2>/dev/null && echo can || echo cannot'
}
c_user() { expect_out 1000:1000 pmrun --rm --user 1000:1000 $IMG sh -c 'echo $(id -u):$(id -g)'; }
c_hostname() { expect_out berthbox pmrun --rm --hostname berthbox $IMG hostname; }
c_env() { expect_out bar pmrun --rm --env FOO=bar $IMG sh -c 'echo $FOO'; }
c_detached() {
	pmrun -d --name det $IMG sleep 1000
	expect_out running pm inspect -f '{{.State.Status}}' det
}
c_exec() {
	expect_out hi pm exec det echo hi
	expect_status 4 pm exec det sh -c 'exit 4'
	expect_out 1000 pm exec --user 1000 det id -u
}
c_exec_tty() {
	local out
	out=$(in_pty "$PMS exec -t det tty")
	echo "$out"
	expect_match "$out" '/dev/pts/[0-9]+' "exec -t"
}
c_top() {
	local out
	out=$(pm top det)
	echo "$out"
	expect_match "$out" 'sleep 1000' "top"
}
c_pause() {
	local cg
	cg=/libpod_parent/libpod-$(pm inspect -f '{{.Id}}' det)
	pm pause det
	expect_out paused pm inspect -f '{{.State.Status}}' det
	expect_out frozen freezer_state "$cg"
	pm unpause det
	expect_out running pm inspect -f '{{.State.Status}}' det
	expect_out thawed freezer_state "$cg"
}
c_cgroup() {
	local id pid
	id=$(pm inspect -f '{{.Id}}' det)
	pid=$(pm inspect -f '{{.State.Pid}}' det)
	cgroup_of_pid "$pid" "/libpod_parent/libpod-$id"
}
c_left() {
	local id
	expect_out running pm inspect -f '{{.State.Status}}' det # or there is nothing to check
	id=$(pm inspect -f '{{.Id}}' det)
	pm rm -f -t 0 det
	nothing_left "$id" "/libpod_parent/libpod-$id" "$STATE_ROOT/$id" "$HOLDER"
}
c_stop_term() {
	pmrun -d --name st $IMG sh -c 'trap "exit 7" TERM; echo ready; while :; do sleep 0.1; done'
	wait_for 10 sh -c "$PMS logs st | grep -q ready"
	pm stop -t 10 st
	expect_out 7 pm inspect -f '{{.State.ExitCode}}' st
	pm rm st
}
c_stop_kill() {
	pmrun -d --name sk $IMG sleep 1000
	local t0=$SECONDS
	pm stop -t 1 sk
	expect_out 137 pm inspect -f '{{.State.ExitCode}}' sk
	[ $((SECONDS - t0)) -lt 15 ] || { echo "stop took $((SECONDS - t0)) s"; return 1; }
	pm rm sk
}
c_kill() {
	pmrun -d --name k $IMG sleep 1000
	pm kill -s TERM k >/dev/null # pid 1 without a handler ignores it
	sleep 0.5
	expect_out running pm inspect -f '{{.State.Status}}' k
	pm kill k
	wait_for 10 sh -c "[ \"\$($PMS inspect -f '{{.State.Status}}' k)\" = exited ]"
	expect_out 137 pm inspect -f '{{.State.ExitCode}}' k
	pm rm k
}
c_wait() {
	pmrun -d --name w $IMG sh -c 'sleep 1; exit 5'
	expect_out 5 pm wait w
}
c_logs() {
	pmrun -d --name lg $IMG sh -c 'echo out1; echo err1 >&2'
	pm wait lg
	local out
	out=$(pm logs lg 2>&1)
	expect_match "$out" out1 "stdout in logs"
	expect_match "$out" err1 "stderr in logs"
}
c_rm() {
	pm rm w lg
	expect_status 125 pm inspect w
	expect_eq "$(pm ps -a -q | wc -l)" 0 "containers left"
}
c_ownexit() {
	pmrun -d --name own $IMG sh -c 'exit 0'
	wait_for 20 sh -c "[ \"\$($PMS inspect -f '{{.State.Status}}' own)\" = exited ]"
	expect_out 0 pm inspect -f '{{.State.ExitCode}}' own
	pm rm own
}
c_init() {
	local out
	out=$(pmrun --rm --init $IMG sh -c 'echo $$; tr "\0" " " </proc/1/cmdline')
	echo "$out"
	expect_match "$out" '^[0-9]+' "pid"
	[ "$(echo "$out" | head -n 1)" != 1 ] || { echo "sh is pid 1"; return 1; }
	expect_match "$out" 'init' "pid 1 command line"
}
c_pids() {
	local rc=0
	pmrun --rm --pids-limit 100 $IMG true >"$WORK/pids.out" 2>&1 || rc=$?
	cat "$WORK/pids.out"
	[ $rc != 0 ] || { echo "a pids limit was accepted"; return 1; }
	pids_error_ok "$WORK/pids.out"
}

SECONDS=0 # CLIENT_BUDGET counts from here
check "run and echo" c_echo
check "exit code" c_exit
check "exit code 127 for a missing command" c_exit127
check "stdin piped (-i)" c_stdin
check "-t gets a real pty" c_tty
check "--read-only" c_readonly
check "--cap-drop" c_capdrop
check "--user" c_user
check "--hostname" c_hostname
check "--env" c_env
check "detached container (-d)" c_detached
check "exec (output, exit code, --user)" c_exec
check "exec -t gets a real pty" c_exec_tty
check "top" c_top
check "pause/unpause" c_pause
check "cgroup where podman expects it" c_cgroup
check "nothing left after rm" c_left
check "stop: SIGTERM trapped (exit 7)" c_stop_term
check "stop: SIGKILL after the timeout" c_stop_kill
check "kill" c_kill
check "wait" c_wait
check "logs" c_logs
check "rm" c_rm
check "container exits on its own" c_ownexit
check "--init" c_init
if [ "$RT_NAME" = berth ]; then
	check "pids limit refused with a clear error (hybrid cgroups)" c_pids
else
	skip "pids limit refused with a clear error" "only meaningful with berth: $RT_NAME uses the v1 pids controller on this host"
fi
summary
[ "$FAILED" = 0 ]
