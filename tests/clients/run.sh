#!/bin/bash
# Runs the client checks (containerd, podman, docker) against RUNTIME=runc|crun|berth
# (default berth), after a plain `RUNTIME run` smoke check. Prints one line per check
# and a total. With berth, when the smoke check fails (berth cannot run containers
# yet) the results are still printed but the run ends with a skip, status 0.
# usage: RUNTIME=berth CLIENTS="containerd podman docker" tests/clients/run.sh
# shellcheck disable=SC2016,SC2034 # $ in single quotes is for the inner shell; cleanup code reads vars
set -uo pipefail
CLIENT=smoke
# shellcheck source=tests/clients/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "clients: must run as root"; exit 1; }
# One run at a time on this machine: the clients share cgroup parents and /run/runc.
exec 9>/tmp/berth-clients.lock
flock 9
setup_work
CLIENTS=${CLIENTS:-contract containerd podman docker}
export RUNTIME CMD_TIMEOUT CLIENTS_OUT
export IMAGE_DIR=$WORK/image
echo "# clients: runtime $RUNTIME = $RT_BIN; logs in $CLIENTS_OUT"
setup_image || { notok "build the busybox image"; summary; exit 1; }

# The smoke check: RUNTIME run on a busybox bundle, no client involved.
smoke() {
	local b=$WORK/bundle
	mkdir -p "$b"
	(cd "$b" && { "$RT_BIN" spec 2>/dev/null || runc spec; })
	jq --arg r "$IMAGE_DIR/rootfs" '.root.path = $r | .process.terminal = false |
		.process.args = ["sh", "-c", "echo smoke"]' \
		"$b/config.json" >"$b/c.json" && mv "$b/c.json" "$b/config.json"
	expect_out smoke timeout -k 5 30 "$RT_BIN" --root "$WORK/state" run --bundle "$b" smoke-$$
	expect_status 1 "$RT_BIN" --root "$WORK/state" state smoke-$$ >/dev/null 2>&1
}
on_cleanup '"$RT_BIN" --root "$WORK/state" delete --force smoke-$$'
SECONDS=0
check "$RUNTIME run (busybox bundle, no client)" smoke
smoke_failed=$FAILED
summary

total_p=$PASSED total_f=$FAILED total_s=$SKIPPED
for c in $CLIENTS; do
	echo "# ---- $c"
	CLIENT=$c "$CLIENTS_DIR/$c.sh"
	if [ -f "$CLIENTS_OUT/count-$c" ]; then
		read -r p f s <"$CLIENTS_OUT/count-$c"
	else
		echo "not ok - $c: the script stopped without a summary"
		p=0 f=1 s=0
	fi
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
done
echo "# ---- all clients, runtime $RUNTIME"
echo "$total_p passed, $total_f failed, $total_s skipped"
if [ "$RT_NAME" = berth ] && [ "$smoke_failed" != 0 ]; then
	echo "skip: berth cannot run containers yet"
	exit 0
fi
[ "$total_f" = 0 ]
