#!/bin/bash
# The client checks through docker 20.10 (dockerd, its own containerd, shim runc.v2).
# dockerd runs in a private mount namespace with /run bound to a temp dir, its own
# data-root/exec-root/pidfile/socket, no iptables and no bridge, cgroupfs driver, and
# our logging wrapper added as the runtime `berth`; every `docker run` uses it and
# --network none. The docker CLI stays outside with the socket.
# shellcheck disable=SC2016,SC2034 # $ in single quotes is for the inner shell; cleanup code reads vars
CLIENT=docker
# shellcheck source=tests/clients/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_work

if ! install_pkgs docker.io tini; then
	skip "all checks" "cannot install docker.io: $(tail -n 1 "$WORK/apt.log")"
	summary
	exit 0
fi
setup_image || { notok "build the busybox image"; summary; exit 1; }

D=$WORK/d
mkdir -p "$D/data" "$D/exec" "$WORK/run" "$WORK/dockercfg"
echo '{}' >"$D/daemon.json"
SOCK=$D/docker.sock
parent_existed=$(cgroup_dirs /docker)
on_cleanup '[ -n "$parent_existed" ] || for d in $(cgroup_dirs /docker); do rmdir "$d"; done'

start_bg "$WORK/dockerd.log" unshare --mount --propagation private \
	sh -c 'mount --bind "$1" /run && shift && exec "$@"' sh "$WORK/run" \
	dockerd --config-file "$D/daemon.json" --data-root "$D/data" --exec-root "$D/exec" \
	--pidfile "$D/docker.pid" -H "unix://$SOCK" --add-runtime "berth=$WRAPPER" \
	--iptables=false --ip6tables=false --bridge=none --userland-proxy=false \
	--exec-opt native.cgroupdriver=cgroupfs --storage-driver overlay2
DOCKERD=$LAST_PID
export DOCKER_CONFIG=$WORK/dockercfg
DK=(/usr/bin/docker -H "unix://$SOCK")
DKS=$(printf '%q ' "${DK[@]}")
dk() { timeout -k 5 "$CMD_TIMEOUT" "${DK[@]}" "$@"; }
dkrun() { dk run --network none --runtime berth "$@"; }
if ! wait_for 30 dk version; then
	notok "dockerd starts" "$WORK/dockerd.log"
	summary
	exit 1
fi
on_cleanup 'ids=$(dk ps -aq); [ -z "$ids" ] || dk rm -f $ids'

if ! dk load -q -i "$IMAGE_DIR/busybox-docker.tar" >"$WORK/load.log" 2>&1; then
	notok "docker load busybox" "$WORK/load.log"
	summary
	exit 1
fi
IMG=busybox:berth

# The runtime state dir docker gives the runtime (--root) — outside /run it is
# visible here; under /run it is the bound temp dir.
state_dir() {
	local root
	root=$(grep -o -- ' --root [^ ]*' "$CALLS" | head -n 1 | cut -d' ' -f3)
	case $root in
	/run/* | /var/run/*) root=$WORK/run/${root#*/run/} ;;
	esac
	echo "$root/$1"
}

c_echo() { expect_out hello dkrun --rm $IMG echo hello; }
c_exit() { expect_status 3 dkrun --rm $IMG sh -c 'exit 3'; }
c_exit127() { expect_status 127 dkrun --rm $IMG /no/such/command; }
c_stdin() { printf 'piped\n' | expect_out piped dkrun -i --rm $IMG cat; }
c_tty() {
	local out
	out=$(in_pty "$DKS run --network none --runtime berth -t --rm $IMG sh -c 'tty; stty size; sleep 0.3'")
	echo "$out"
	expect_match "$out" '/dev/pts/[0-9]+' "tty"
}
c_readonly() {
	expect_out good dkrun --rm --read-only $IMG sh -c '! touch /nope 2>/dev/null && echo good'
}
c_capdrop() {
	expect_out "CapEff:	0000000000000000" dkrun --rm --cap-drop ALL $IMG grep CapEff /proc/self/status
	expect_out cannot dkrun --rm --cap-drop CHOWN $IMG \
		sh -c 'touch /f; chown 1 /f 2>/dev/null && echo can || echo cannot'
}
c_user() { expect_out 1000:1000 dkrun --rm --user 1000:1000 $IMG sh -c 'echo $(id -u):$(id -g)'; }
c_hostname() { expect_out berthbox dkrun --rm --hostname berthbox $IMG hostname; }
c_env() { expect_out bar dkrun --rm --env FOO=bar $IMG sh -c 'echo $FOO'; }
c_detached() {
	dkrun -d --name det $IMG sleep 1000
	expect_out running dk inspect -f '{{.State.Status}}' det
}
c_exec() {
	expect_out hi dk exec det echo hi
	expect_status 4 dk exec det sh -c 'exit 4'
	expect_out 1000 dk exec --user 1000 det id -u
}
c_exec_tty() {
	local out
	out=$(in_pty "$DKS exec -t det tty")
	echo "$out"
	expect_match "$out" '/dev/pts/[0-9]+' "exec -t"
}
c_top() { # runtime ps
	local out
	out=$(dk top det)
	echo "$out"
	expect_match "$out" 'sleep 1000' "top"
}
c_pause() {
	local cg
	cg=/docker/$(dk inspect -f '{{.Id}}' det)
	dk pause det
	expect_out paused dk inspect -f '{{.State.Status}}' det
	expect_out frozen freezer_state "$cg"
	dk unpause det
	expect_out running dk inspect -f '{{.State.Status}}' det
	expect_out thawed freezer_state "$cg"
}
c_cgroup() {
	local id pid
	id=$(dk inspect -f '{{.Id}}' det)
	pid=$(dk inspect -f '{{.State.Pid}}' det)
	cgroup_of_pid "$pid" "/docker/$id"
}
c_left() {
	local id
	expect_out running dk inspect -f '{{.State.Status}}' det # or there is nothing to check
	id=$(dk inspect -f '{{.Id}}' det)
	dk rm -f det
	nothing_left "$id" "/docker/$id" "$(state_dir "$id")" "$DOCKERD"
}
c_stop_term() {
	dkrun -d --name st $IMG sh -c 'trap "exit 7" TERM; echo ready; while :; do sleep 0.1; done'
	wait_for 10 sh -c "$DKS logs st | grep -q ready"
	dk stop -t 10 st
	expect_out 7 dk inspect -f '{{.State.ExitCode}}' st
	dk rm st
}
c_stop_kill() {
	dkrun -d --name sk $IMG sleep 1000
	local t0=$SECONDS
	dk stop -t 1 sk
	expect_out 137 dk inspect -f '{{.State.ExitCode}}' sk
	[ $((SECONDS - t0)) -lt 15 ] || { echo "stop took $((SECONDS - t0)) s"; return 1; }
	dk rm sk
}
c_kill() {
	dkrun -d --name kk $IMG sleep 1000
	dk kill -s TERM kk >/dev/null # pid 1 without a handler ignores it
	sleep 0.5
	expect_out running dk inspect -f '{{.State.Status}}' kk
	dk kill kk
	wait_for 10 sh -c "[ \"\$($DKS inspect -f '{{.State.Status}}' kk)\" = exited ]"
	expect_out 137 dk inspect -f '{{.State.ExitCode}}' kk
	dk rm kk
}
c_wait() {
	dkrun -d --name ww $IMG sh -c 'sleep 1; exit 5'
	expect_out 5 dk wait ww
}
c_logs() {
	dkrun -d --name lg $IMG sh -c 'echo out1; echo err1 >&2'
	dk wait lg
	expect_out out1 dk logs lg 2>/dev/null
	expect_out err1 sh -c "$DKS logs lg 2>&1 >/dev/null"
}
c_rm() {
	dk rm ww lg
	expect_status 1 dk inspect ww
	expect_eq "$(dk ps -aq | wc -l)" 0 "containers left"
}
c_ownexit() {
	dkrun -d --name own $IMG sh -c 'exit 0'
	wait_for 20 sh -c "[ \"\$($DKS inspect -f '{{.State.Status}}' own)\" = exited ]"
	expect_out 0 dk inspect -f '{{.State.ExitCode}}' own
	dk rm own
}
c_init() {
	local out
	out=$(dkrun --rm --init $IMG sh -c 'echo $$; tr "\0" " " </proc/1/cmdline')
	echo "$out"
	[ "$(echo "$out" | head -n 1)" != 1 ] || { echo "sh is pid 1"; return 1; }
	expect_match "$out" 'init' "pid 1 command line"
}
c_pids() {
	local rc=0
	dkrun --rm --pids-limit 100 $IMG true >"$WORK/pids.out" 2>&1 || rc=$?
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
check "top (runtime ps)" c_top
check "pause/unpause" c_pause
check "cgroup where docker expects it" c_cgroup
check "nothing left after rm" c_left
check "stop: SIGTERM trapped (exit 7)" c_stop_term
check "stop: SIGKILL after the timeout" c_stop_kill
check "kill" c_kill
check "wait" c_wait
check "logs (stdout and stderr)" c_logs
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
