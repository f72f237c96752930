#!/bin/bash
# Seccomp start-time benchmark: N sequential `run` of /bin/true on a busybox
# bundle with podman's default seccomp profile (as podman converts it for
# amd64), for berth with its filter cache warm, berth with the cache off
# (compiling every time), berth without seccomp, and crun (and runc) with
# the same profile and without. Prints medians and ratios; never pass/fail.
#
#   tests/bench/seccomp-start.sh [N]        (default 50)
#
# The cache is turned off by making <root>/.seccomp-cache a plain file:
# berth then compiles and cannot store. crun refuses this host's hybrid
# cgroups, so the peers run as one batch under tests/bench/lib/
# peer-cgroup-ns.sh (the same as ../shared/tools/peer-cgroup-ns.sh).
set -euo pipefail

N="${1:-50}"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BERTH="${BERTH:-$REPO/build/berth}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
PROFILE="${PROFILE:-/usr/share/containers/seccomp.json}"
PEERNS="$HERE/lib/peer-cgroup-ns.sh"
[ -x "$PEERNS" ] || PEERNS="$REPO/../shared/tools/peer-cgroup-ns.sh"

[ -x "$BERTH" ] || { echo "build berth first (make)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -x "$BUSYBOX" ] || { echo "busybox-static missing" >&2; exit 1; }
[ -r "$PROFILE" ] || { echo "$PROFILE missing (golang-github-containers-common)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/berth-seccomp-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# make_bundle DIR WITH_SECCOMP
make_bundle() {
	local b=$1
	mkdir -p "$b/rootfs/bin" "$b/rootfs/proc" "$b/rootfs/sys" "$b/rootfs/dev" "$b/rootfs/tmp"
	cp "$BUSYBOX" "$b/rootfs/bin/busybox"
	ln -s busybox "$b/rootfs/bin/true"
	(cd "$b" && "$BERTH" spec)
	# ociVersion 1.0.2: crun 1.8 refuses newer version strings.
	jq '.ociVersion = "1.0.2" | .process.terminal = false | .process.args = ["/bin/true"]' \
		"$b/config.json" >"$b/c.json"
	mv "$b/c.json" "$b/config.json"
	if [ "$2" = 1 ]; then
		local caps prof
		caps=$(jq -c '.process.capabilities.bounding // []' "$b/config.json")
		prof=$(jq -c --argjson caps "$caps" -f "$REPO/tests/integration/seccomp-profile.jq" \
			"$PROFILE")
		jq --argjson p "$prof" '.linux.seccomp = $p' "$b/config.json" >"$b/c.json"
		mv "$b/c.json" "$b/config.json"
	fi
}
make_bundle "$WORK/plain" 0
make_bundle "$WORK/seccomp" 1

median() {
	python3 -c 'import json,statistics,sys; print("%.2f" % statistics.median(json.loads(sys.argv[1])["times"]))' "$1"
}
fails() {
	python3 -c 'import json,sys; print(json.loads(sys.argv[1])["fails"])' "$1"
}
ratio() { # A B -> A/B
	python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"
}

# berth_loop NAME BUNDLE ROOT: warm up once, then N runs.
berth_loop() {
	"$BERTH" --root "$3" run --bundle "$2" warm >/dev/null
	python3 "$HERE/lib/runloop.py" "$N" "$BERTH" --root "$3" run --bundle "$2" "$1{i}"
}

nrules=$(jq '.linux.seccomp.syscalls | length' "$WORK/seccomp/config.json")
nnames=$(jq '[.linux.seccomp.syscalls[].names[]] | length' "$WORK/seccomp/config.json")
echo "seccomp start bench: $N x run /bin/true, podman's default profile ($nrules rules," \
	"$nnames names, 3 arches), $(nproc) CPUs, $(uname -r)"

declare -A res
res[berth-none]=$(berth_loop n "$WORK/plain" "$WORK/root-none")
res[berth-cached]=$(berth_loop c "$WORK/seccomp" "$WORK/root-cached")
mkdir -p "$WORK/root-nocache"
touch "$WORK/root-nocache/.seccomp-cache" # a file: no cache directory possible
res[berth-nocache]=$(berth_loop u "$WORK/seccomp" "$WORK/root-nocache")

peers=""
for rt in crun runc; do
	command -v $rt >/dev/null && peers="$peers $rt"
done
for rt in $peers; do
	for kind in plain seccomp; do
		out=$("$PEERNS" sh -c '
			rt=$1; n=$2; work=$3; bundle=$4; here=$5; kind=$6
			$rt --root "$work/$rt-$kind" run --bundle "$bundle" warm >/dev/null 2>&1 || true
			python3 "$here/lib/runloop.py" "$n" $rt --root "$work/$rt-$kind" run \
				--bundle "$bundle" "p{i}"
		' sh "$rt" "$N" "$WORK" "$WORK/$kind" "$HERE" "$kind" 2>/dev/null) || out=""
		[ -n "$out" ] && res[$rt-$kind]=$out
	done
done

printf '%-22s %10s %9s\n' "" "median ms" failures
for k in berth-none berth-cached berth-nocache crun-plain crun-seccomp runc-plain runc-seccomp; do
	if [ -n "${res[$k]:-}" ]; then
		printf '%-22s %10s %9s\n' "$k" "$(median "${res[$k]}")" "$(fails "${res[$k]}")"
	fi
done
none=$(median "${res[berth-none]}")
cached=$(median "${res[berth-cached]}")
nocache=$(median "${res[berth-nocache]}")
echo "berth cached / no seccomp:    $(ratio "$cached" "$none")" \
	"(seccomp adds $(python3 -c "print('%.2f' % ($cached - $none))") ms)"
echo "berth uncached / no seccomp:  $(ratio "$nocache" "$none")"
echo "berth uncached / cached:      $(ratio "$nocache" "$cached")"
for rt in $peers; do
	if [ -n "${res[$rt-seccomp]:-}" ]; then
		echo "$rt seccomp / $rt none:       $(ratio "$(median "${res[$rt-seccomp]}")" \
			"$(median "${res[$rt-plain]}")")"
		echo "berth cached / $rt seccomp:   $(ratio "$cached" "$(median "${res[$rt-seccomp]}")")"
	fi
done
