#!/bin/bash
# The VM test tier (make check-vm): runs berth's bats tests inside a qemu VM whose kernel
# has a pure cgroup v2 hierarchy. The payload holds the berth build (every executable in
# build/ with its shared libraries), the tests/ tree, bats with bash and the usual tools;
# inside, bats --tap runs over tests/integration/*.bats and tests/vm/*.bats.
#
# usage: run-tests.sh [--skip-if-unavailable] [TEST.bats...]
#   TEST.bats          run only these files (paths relative to the repository)
#   --skip-if-unavailable
#                      when the VM cannot run here (no qemu or kernel to be had), print
#                      "skip: ..." and exit 0 instead of failing (what `make check` uses)
# Environment: BUILD (build folder, default build), VM_TIMEOUT (seconds, default 1800),
# BERTH_VM_PAYLOAD_ONLY=DIR (build the payload into DIR, do not boot; for debugging), and
# run-vm.sh's BERTH_VM_* variables.
# Exit status: 0 when every test passed; 1 when a test failed or did not run; otherwise
# run-vm.sh's status (124 timeout, 125 boot failure, 126 VM died, 127 unavailable).

# The whole script is one block, read before it runs: a checkout that changes this file
# while a run is going (git merge during a long check) cannot break the run.
{
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
. "$here/payload.sh"

skip_ok=
[ "${1:-}" = --skip-if-unavailable ] && { skip_ok=1; shift; }

say() { echo "check-vm: $*"; }

if ! out=$("$here/run-vm.sh" --fetch 2>&1); then
	reason=$(printf '%s\n' "$out" | tail -n1 | sed 's/^run-vm: //')
	if [ -n "$skip_ok" ]; then
		echo "skip: check-vm: $reason"
		exit 0
	fi
	say "$reason"
	exit 127
fi

cd "$top" || exit 1
if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=()
	for f in tests/integration/*.bats tests/vm/*.bats; do
		[ -f "$f" ] && tests+=("$f")
	done
fi
[ ${#tests[@]} -gt 0 ] || { say "no bats files to run"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/berth-check-vm.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
p=$work/payload
mkdir -p "$p/src"

payload_add_bats "$p" || { say "cannot put bats into the payload"; exit 1; }
# python3 when the chosen tests or the helpers they load use it (the unpacker's tests make
# their images with it).
scan=()
for f in "${tests[@]}"; do
	scan+=("$f")
	while read -r l; do
		scan+=("$(dirname "$f")/$l.bash")
	done < <(sed -n 's/^[[:space:]]*load[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$f")
done
if grep -qsw python3 "${scan[@]}"; then
	payload_add_python "$p" || say "note: python3 cannot go into the payload"
fi
# The berth build: every executable under build/, with its libraries.
if [ -d "$build" ]; then
	while IFS= read -r f; do
		rel=${f#"$top"/}
		mkdir -p "$p/src/${rel%/*}" && cp -a "$f" "$p/src/$rel" && payload_add_libs "$p" "$f" ||
			{ say "cannot copy $f"; exit 1; }
	done < <(find "$build" \( -path "$build/obj" -o -path "$build/unit" -o -path "$build/asan" \) -prune -o \
		-type f -perm -u+x ! -name '*.o' ! -name '*.d' ! -name '*.a' -print)
else
	say "note: no build folder at $build; the tests run without a berth build"
fi
# The tests and the files they read from the repository.
mapfile -t top_files < <(find . -maxdepth 1 -type f ! -name '.*' -size -1024k -printf '%P\n')
tar -C "$top" -c --exclude=tests/vm/.cache --exclude=tests/fuzz --exclude=.git \
	tests "${top_files[@]}" |
	tar -C "$p/src" -x || { say "cannot copy tests/"; exit 1; }
printf '%s\n' "${tests[@]}" >"$p/tests.list"
cp "$here/bats-in-vm.sh" "$p/run"
say "payload: $(du -sh "$p" | cut -f1), ${#tests[@]} bats files"
if [ -n "${BERTH_VM_PAYLOAD_ONLY:-}" ]; then
	rm -rf "$BERTH_VM_PAYLOAD_ONLY" && mv "$p" "$BERTH_VM_PAYLOAD_ONLY" && say "payload left in $BERTH_VM_PAYLOAD_ONLY"
	exit
fi

log=$work/console.log
BERTH_VM_LOG=$log "$here/run-vm.sh" "$p" "${VM_TIMEOUT:-1800}"
rc=$?

# The host's own count of the TAP on the console, checked against the VM's summary.
tap=$(sed -n '/BERTH-VM: booted/,$p' "$log" 2>/dev/null)
plan=$(printf '%s\n' "$tap" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' | head -n1)
ok=$(printf '%s\n' "$tap" | grep -c '^ok ')
skipped=$(printf '%s\n' "$tap" | grep -c '^ok .* # skip')
failed=$(printf '%s\n' "$tap" | grep -c '^not ok ')
summary=$(printf '%s\n' "$tap" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n1)
say "$((ok - skipped)) passed, $failed failed, $skipped skipped (of ${plan:-?} planned)"
if [ "$rc" -ge 124 ]; then
	say "the VM run ended with status $rc (see run-vm.sh: 124 timeout, 125 boot failure, 126 VM died)"
	exit "$rc"
fi
if [ -z "$summary" ] || [ -z "$plan" ] || [ $((ok + failed)) -ne "$plan" ]; then
	say "incomplete run: the TAP on the console does not add up"
	exit 1
fi
[ "$failed" = 0 ] && [ "$rc" = 0 ] || exit 1
exit 0
exit
}
