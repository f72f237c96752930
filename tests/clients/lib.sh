# Shared part of the client tests (sourced by containerd.sh, podman.sh, docker.sh):
# result lines, the temp dir, processes we start (stopped by pid on exit), the
# logging runtime wrapper, the busybox image and the checks every client shares.
# shellcheck shell=bash disable=SC2034

CLIENTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$CLIENTS_DIR/../.." && pwd)
RUNTIME=${RUNTIME:-berth}
# Seconds any single client command may take before it counts as hung.
CMD_TIMEOUT=${CMD_TIMEOUT:-30}
# Seconds one client's checks may take in all; checks after that fail without running.
CLIENT_BUDGET=${CLIENT_BUDGET:-240}
# Where the wrapper logs and spec copies go; run.sh points all clients at one dir.
CLIENTS_OUT=${CLIENTS_OUT:-}
CLIENT=${CLIENT:-clients}

N=0
PASSED=0
FAILED=0
SKIPPED=0
PIDS=()
CLEANUPS=()

resolve_runtime() {
	case $RUNTIME in
	runc | crun) RT_BIN=$(command -v "$RUNTIME" || true) ;;
	berth) RT_BIN=$REPO/build/berth ;;
	/*) RT_BIN=$RUNTIME ;;
	*) RT_BIN=$(command -v "$RUNTIME" || true) ;;
	esac
	if [ -z "$RT_BIN" ] || [ ! -x "$RT_BIN" ]; then
		echo "clients: runtime '$RUNTIME' not found (for berth: run make first)" >&2
		exit 1
	fi
	# runc, crun or berth (also for RUNTIME=/path/to/berth)
	RT_NAME=$(basename "$RT_BIN")
	case $RT_NAME in berth*) RT_NAME=berth ;; esac
}

# ---- result lines -------------------------------------------------------------------

ok() {
	N=$((N + 1)) PASSED=$((PASSED + 1))
	echo "ok $N - $CLIENT: $1"
}
notok() {
	N=$((N + 1)) FAILED=$((FAILED + 1))
	echo "not ok $N - $CLIENT: $1"
	if [ -n "${2:-}" ] && [ -s "$2" ]; then tail -n 15 "$2" | sed 's/^/#   /'; fi
}
skip() {
	N=$((N + 1)) SKIPPED=$((SKIPPED + 1))
	echo "skip $N - $CLIENT: $1 # $2"
}
summary() {
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	# run.sh adds the counts of every client up.
	if [ -n "$CLIENTS_OUT" ]; then echo "$PASSED $FAILED $SKIPPED" >"$CLIENTS_OUT/count-$CLIENT"; fi
}

# check DESC FUNC [ARGS...]: runs FUNC in a subshell with `set -e`; its output is
# shown only when it fails.
check() {
	local desc=$1 out=$WORK/check.out rc
	shift
	if [ "$SECONDS" -gt "$CLIENT_BUDGET" ]; then
		notok "$desc (not run: this client's $CLIENT_BUDGET s are spent)"
		return 0
	fi
	(
		set -e
		"$@"
	) >"$out" 2>&1 </dev/null
	rc=$?
	if [ $rc = 0 ]; then ok "$desc"; else notok "$desc (status $rc)" "$out"; fi
	return 0
}

# Assertions for check bodies; they print what differs and fail.
expect_eq() { # GOT WANT WHAT
	if [ "$1" != "$2" ]; then
		printf '%s: got [%s], want [%s]\n' "$3" "$1" "$2"
		return 1
	fi
}
expect_match() { # GOT REGEX WHAT
	if ! printf '%s' "$1" | grep -Eq -- "$2"; then
		printf '%s: [%s] does not match /%s/\n' "$3" "$1" "$2"
		return 1
	fi
}
expect_status() { # WANT CMD...: runs CMD, wants exit status WANT
	local want=$1 rc=0
	shift
	"$@" || rc=$?
	expect_eq "$rc" "$want" "exit status of $*"
}
# expect_out WANT CMD...: CMD succeeds and prints exactly WANT.
expect_out() {
	local want=$1 got rc=0
	shift
	got=$("$@") || rc=$?
	if [ $rc != 0 ]; then
		printf 'status %s from: %s\noutput: %s\n' "$rc" "$*" "$got"
		return 1
	fi
	expect_eq "$got" "$want" "output of $*"
}
# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || { echo "timed out waiting for: $*"; return 1; }
		sleep 0.1
	done
}
# A command run under script(1) gets a real pty as its stdin/stdout.
in_pty() { # CMD-STRING: prints what the pty showed
	timeout -k 5 "$CMD_TIMEOUT" script -qfec "$1" /dev/null </dev/null
}

# ---- processes and clean-up ----------------------------------------------------------

# start_bg LOGFILE CMD...: starts CMD in the background and remembers its pid.
start_bg() {
	local log=$1
	shift
	"$@" >"$log" 2>&1 </dev/null &
	PIDS+=($!)
	LAST_PID=$!
}
stop_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "# $CLIENT: pid $pid ignored SIGTERM for 10 s, killing it" >&2
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null || true
}
# Processes started on our behalf (shims, conmon) whose command line names our temp dir.
leftover_pids() {
	local p
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = $$ ] && continue
		tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF -- "$WORK" && echo "$p"
	done
	return 0
}
on_cleanup() { CLEANUPS+=("$*"); }
cleanup() {
	local i p
	trap - EXIT INT TERM
	for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[$i]}" >/dev/null 2>&1 || true; done
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
	for p in $(leftover_pids); do
		echo "# $CLIENT: left-over process $p: $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")" >&2
		kill -KILL "$p" 2>/dev/null || true
	done
	if grep -qF -- "$WORK" /proc/self/mountinfo; then
		echo "# $CLIENT: mounts left under $WORK:" >&2
		grep -F -- "$WORK" /proc/self/mountinfo | awk '{print "#   " $5}' >&2
	elif [ -z "${KEEP_WORK:-}" ]; then
		rm -rf "$WORK"
	fi
}

# setup_work: the temp dir, the trap, the runtime and its logging wrapper.
setup_work() {
	resolve_runtime
	WORK=$(mktemp -d "/tmp/berth-$CLIENT.XXXXXX")
	chmod 755 "$WORK"
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	[ -n "$CLIENTS_OUT" ] || CLIENTS_OUT=$WORK/out
	mkdir -p "$CLIENTS_OUT/specs" "$WORK/bin"
	CALLS=$CLIENTS_OUT/calls-$CLIENT.log
	: >"$CALLS"
	make_wrapper "$WORK/bin/runc"
	WRAPPER=$WORK/bin/runc
}

# The wrapper clients run as their runtime: logs cwd, argv and exit status, keeps a
# copy of every config.json and process.json it is handed, runs the real runtime.
make_wrapper() {
	cat >"$1" <<WRAP
#!/bin/bash
# berth tests/clients: logs the call, then runs the real runtime.
real='$RT_BIN' log='$CALLS' specs='$CLIENTS_OUT/specs' client='$CLIENT'
WRAP
	cat >>"$1" <<'WRAP'
line=$(printf ' %q' "$@")
prev= cmd= bundle=
for a in "$@"; do
	case $prev in
	--bundle | -b) bundle=$a ;;
	--process | -p) [ -f "$a" ] && cp "$a" "$specs/$client-process-$$.json" ;;
	esac
	case $a in
	--bundle=*) bundle=${a#--bundle=} ;;
	create | run | exec | start | kill | delete | pause | resume | ps | state) [ -z "$cmd" ] && cmd=$a ;;
	esac
	prev=$a
done
if [ "$cmd" = create ] || [ "$cmd" = run ]; then
	[ -n "$bundle" ] || bundle=$PWD
	[ -f "$bundle/config.json" ] && cp "$bundle/config.json" "$specs/$client-config-$$.json"
fi
"$real" "$@"
rc=$?
printf '%s cwd=%s rc=%s:%s\n' "$(date +%T.%N | cut -c1-12)" "$PWD" "$rc" "$line" >>"$log"
exit $rc
WRAP
	chmod 755 "$1"
}

# The busybox image, built once per run (run.sh shares it through IMAGE_DIR).
setup_image() {
	IMAGE_DIR=${IMAGE_DIR:-$WORK/image}
	if [ ! -f "$IMAGE_DIR/busybox-docker.tar" ]; then
		"$CLIENTS_DIR/mkimage.sh" "$IMAGE_DIR" >/dev/null || return 1
	fi
}

# install_pkgs PKG...: installs missing Debian packages; fails when it cannot. The
# daemons' own services are not started meanwhile (a policy-rc.d for the install only).
install_pkgs() {
	local p missing='' rc=0 policy=''
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "# $CLIENT: installing$missing" >&2
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# berth tests/clients: no service starts while it installs\nexit 101\n' \
			>/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy=1
	fi
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends \
		$missing >"$WORK/apt.log" 2>&1 ||
		(DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			timeout 600 apt-get install -y -qq --no-install-recommends $missing) >>"$WORK/apt.log" 2>&1 ||
		rc=1
	[ -z "$policy" ] || rm -f /usr/sbin/policy-rc.d
	return $rc
}

# ---- facts about a container, shared by every client's leftover check ---------------

# cgroup_dirs PATH: every cgroup directory named PATH, in any hierarchy.
cgroup_dirs() {
	local m
	for m in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -d "$m$1" ] && [ -e "$m$1/cgroup.procs" ] && echo "$m${1#/}"
	done
	return 0
}
# cgroup_of_pid PID PATH: PID's /proc cgroup lists PATH, and the directory holds PID.
cgroup_of_pid() {
	local pid=$1 path=$2 d found=
	if ! grep -q ":$path\$" "/proc/$pid/cgroup"; then
		echo "/proc/$pid/cgroup does not list $path:"
		cat "/proc/$pid/cgroup"
		return 1
	fi
	for d in $(cgroup_dirs "$path"); do
		grep -qx "$pid" "$d/cgroup.procs" && found="$found $d"
	done
	[ -n "$found" ] || { echo "no cgroup directory $path holds pid $pid"; return 1; }
	echo "pid $pid in:$found"
}
# freezer_state PATH: "frozen" or "thawed", from the v1 freezer or cgroup2's cgroup.events.
freezer_state() {
	local f=/sys/fs/cgroup/freezer${1%/}/freezer.state u=/sys/fs/cgroup/unified${1%/}/cgroup.events
	if [ -f "$u" ] && grep -q '^frozen 1' "$u"; then
		echo frozen
	elif [ -f "$f" ] && grep -qx FROZEN "$f"; then
		echo frozen
	elif [ -f "$f" ] || [ -f "$u" ]; then
		echo thawed
	else
		echo "no cgroup $1"
	fi
}
# nothing_left ID CGROUP STATE_DIR [NSPID]: no cgroup, no state dir, no mount, no process.
nothing_left() {
	local id=$1 cg=$2 state=$3 nspid=${4:-} left='' p
	[ -z "$(cgroup_dirs "$cg")" ] || left="$left cgroup:$(cgroup_dirs "$cg" | tr '\n' ' ')"
	[ ! -e "$state" ] || left="$left state:$state"
	if [ -n "$nspid" ]; then
		nsenter -t "$nspid" -m cat /proc/self/mountinfo | grep -qF -- "$id" && left="$left mounts(ns of $nspid)"
	fi
	grep -qF -- "$id" /proc/self/mountinfo && left="$left mounts"
	for p in /proc/[0-9]*; do
		case ${p#/proc/} in "$$" | "$BASHPID") continue ;; esac
		tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$id" && left="$left process:${p#/proc/}"
	done
	[ -z "$left" ] || { echo "left behind:$left"; return 1; }
}

# Only meaningful with berth: a pids limit on this hybrid host must be refused clearly.
pids_error_ok() { # OUTPUT-FILE
	grep -Eiq 'pids' "$1" && grep -Eiq 'cgroup' "$1"
}
