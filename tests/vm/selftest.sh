#!/bin/bash
# Checks run-vm.sh itself (make check-vm-selftest): tiny payloads that pass, fail with a
# given status, report a status above 123, hang past the timeout, crash the kernel, and a
# boot that cannot reach the payload, each against the exit status run-vm.sh documents.

# The whole script is one block, read before it runs: a checkout that changes this file
# while a run is going (git merge during a long check) cannot break the run.
{
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/berth-vm-selftest.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
failed=0

# payload NAME SCRIPT: a payload whose run is SCRIPT (busybox sh)
payload() {
	mkdir -p "$work/$1"
	printf '#!/bin/sh\n%s\n' "$2" >"$work/$1/run"
	chmod +x "$work/$1/run"
}

# expect STATUS NAME TIMEOUT [VAR=VALUE...]: run payload NAME, check the exit status
expect() {
	local want=$1 name=$2 timeout=$3 got start
	shift 3
	start=$SECONDS
	env "$@" "$here/run-vm.sh" "$work/$name" "$timeout" >"$work/$name.log" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then
		echo "ok: $name -> $got ($((SECONDS - start)) s)"
	else
		echo "FAIL: $name -> $got, want $want; console:"
		sed 's/^/  | /' "$work/$name.log"
		failed=1
	fi
}

"$here/run-vm.sh" --fetch || exit $?

payload pass 'grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts && [ -e /payload/marker ]'
touch "$work/pass/marker"
payload status7 'exit 7'
payload status200 'exit 200'
payload hang 'sleep 1000'
payload panic 'echo c >/proc/sysrq-trigger; sleep 100'
payload unused 'exit 0'

expect 0 pass 120
expect 7 status7 120
expect 123 status200 120
expect 124 hang 60
expect 126 panic 120
expect 125 unused 120 BERTH_VM_BOOT_TIMEOUT=0
expect 125 unused 120 BERTH_VM_MODULES=no_such_module
expect 127 unused 120 BERTH_VM_CACHE=/proc/no-such-cache

[ "$failed" = 0 ] && echo "selftest: all statuses as documented"
exit "$failed"
exit
}
