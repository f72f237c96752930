#!/bin/bash
# The runc wire contract without a client: RUNTIME called the way the shim and conmon call
# it (global options first, `--opt=value` forms, numbers for signals), answering with the
# status and log.json wording the clients match on (measured with runc 1.1 on this host).
# shellcheck disable=SC2016,SC2034
CLIENT=contract
# shellcheck source=tests/clients/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_work
setup_image || { notok "build the busybox image"; summary; exit 1; }

B=$WORK/bundle
ST=$WORK/state
LOG=$WORK/log.json
mkdir -p "$B"
(cd "$B" && { "$RT_BIN" spec 2>/dev/null || runc spec; })
jq --arg r "$IMAGE_DIR/rootfs" '.root.path = $r | .process.terminal = false |
	.process.args = ["true"] | .linux.cgroupsPath = "/berthclients-contract/c1"' \
	"$B/config.json" >"$B/c.json" && mv "$B/c.json" "$B/config.json"
parent_existed=$(cgroup_dirs /berthclients-contract)
on_cleanup '[ -n "$parent_existed" ] || for d in $(cgroup_dirs /berthclients-contract); do rmdir "$d"; done'
on_cleanup '"$RT_BIN" --root "$ST" delete --force c1'
# rt ARGS...: the runtime with containerd's global options.
rt() { timeout -k 5 "$CMD_TIMEOUT" "$RT_BIN" --root "$ST" --log "$LOG" --log-format json "$@"; }
# last_error: the msg of the last error line of log.json (what containerd shows).
last_error() { grep '"level":"error"' "$LOG" | tail -n 1 | jq -r .msg; }
# expect_fail WORDS ARGS...: status 1 and WORDS in the last error line.
expect_fail() {
	local words=$1 rc=0
	shift
	: >"$LOG"
	rt "$@" >/dev/null 2>&1 || rc=$?
	expect_eq "$rc" 1 "exit status of $*"
	expect_match "$(last_error)" "$words" "last error in log.json"
}
status_of() { "$RT_BIN" --root "$ST" state "$1" | jq -r .status; }

c_version() { expect_match "$("$RT_BIN" --version)" 'version' "--version"; }
c_gone() {
	expect_fail 'does not exist' delete nosuch
	expect_fail 'does not exist' kill nosuch 9
	expect_fail 'does not exist' state nosuch
	expect_status 0 rt delete --force nosuch
}
# conmon's form: --log-format=json and --log first, no --root (here: a --root= form).
c_create_start() {
	timeout -k 5 "$CMD_TIMEOUT" "$RT_BIN" --root="$ST" --log-format=json --log "$LOG" \
		create --bundle "$B" --pid-file "$WORK/c1.pid" c1
	expect_out created status_of c1
	expect_eq "$(cat "$WORK/c1.pid")" "$("$RT_BIN" --root "$ST" state c1 | jq -r .pid)" "pid file"
	rt start c1
	wait_for 10 sh -c "[ \"\$('$RT_BIN' --root '$ST' state c1 | jq -r .status)\" = stopped ]"
}
c_stopped() {
	expect_fail 'container not running' kill c1 9
	expect_status 0 rt kill --all c1 9
	expect_fail 'not running' pause c1
	expect_fail 'stopped' start c1
}
c_ps() { expect_match "$(rt ps --format json c1)" '^(null|\[\])$' "ps of a stopped container"; }
c_delete() {
	rt delete c1
	expect_fail 'does not exist' state c1
	expect_status 0 rt delete --force c1
	[ ! -e "$ST/c1" ] || { echo "state dir left"; return 1; }
	[ -z "$(cgroup_dirs /berthclients-contract/c1)" ] || { echo "cgroup left"; return 1; }
}
c_log_lines() {
	local line
	while IFS= read -r line; do
		printf '%s' "$line" | jq -e 'has("level") and has("msg") and has("time")' >/dev/null ||
			{ echo "not a log line: $line"; return 1; }
	done <"$LOG"
}

SECONDS=0 # CLIENT_BUDGET counts from here
check "--version" c_version
check "unknown id: 'does not exist' in log.json; delete --force succeeds" c_gone
check "create (--opt=value forms) + start; pid file" c_create_start
check "stopped container: kill 'container not running', kill --all ok, pause, start" c_stopped
check "ps --format json of a stopped container" c_ps
check "delete, then delete --force of the gone container succeeds; nothing left" c_delete
check "log.json: one JSON object a line with level, msg, time" c_log_lines
summary
[ "$FAILED" = 0 ]
