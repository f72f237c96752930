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

median() { # JSON NAME
	python3 -c 'import json,statistics,sys; print("%.2f" % statistics.median(json.loads(sys.argv[1])[sys.argv[2]]["times"]))' "$1" "$2"
}
cpu() { # JSON NAME: median CPU ms
	python3 -c 'import json,statistics,sys; print("%.2f" % statistics.median(json.loads(sys.argv[1])[sys.argv[2]]["cpu"]))' "$1" "$2"
}
fails() { # JSON NAME
	python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]]["fails"])' "$1" "$2"
}
ratio() { # A B -> A/B
	python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"
}

nrules=$(jq '.linux.seccomp.syscalls | length' "$WORK/seccomp/config.json")
nnames=$(jq '[.linux.seccomp.syscalls[].names[]] | length' "$WORK/seccomp/config.json")
echo "seccomp start bench: $N x run /bin/true, podman's default profile ($nrules rules," \
	"$nnames names, 3 arches), $(nproc) CPUs, $(uname -r)"
echo "(the three berth variants run round-robin, as do each peer's two)"

# Container ids unique to this run: cgroups are /berth/ID host-wide.
P="scb$$-"
mkdir -p "$WORK/root-nocache"
touch "$WORK/root-nocache/.seccomp-cache" # a file: no cache directory possible
for v in none:plain cached:seccomp nocache:seccomp; do # warm up (and fill the cache)
	"$BERTH" --root "$WORK/root-${v%%:*}" run --bundle "$WORK/${v#*:}" "${P}warm" >/dev/null
done
berth_json=$(python3 "$HERE/lib/interleave.py" "$N" \
	"berth-none=$BERTH --root $WORK/root-none run --bundle $WORK/plain ${P}n{i}" \
	"berth-cached=$BERTH --root $WORK/root-cached run --bundle $WORK/seccomp ${P}c{i}" \
	"berth-nocache=$BERTH --root $WORK/root-nocache run --bundle $WORK/seccomp ${P}u{i}")

peers=""
for rt in crun runc; do
	command -v $rt >/dev/null && peers="$peers $rt"
done
declare -A peer_json
for rt in $peers; do
	# shellcheck disable=SC2016 # the inner shell expands these
	out=$("$PEERNS" sh -c '
		rt=$1; n=$2; work=$3; here=$4; p=$5
		for k in plain seccomp; do
			$rt --root "$work/$rt-$k" run --bundle "$work/$k" "${p}warm" >/dev/null 2>&1 || true
		done
		python3 "$here/lib/interleave.py" "$n" \
			"$rt-plain=$rt --root $work/$rt-plain run --bundle $work/plain ${p}p{i}" \
			"$rt-seccomp=$rt --root $work/$rt-seccomp run --bundle $work/seccomp ${p}s{i}"
	' sh "$rt" "$N" "$WORK" "$HERE" "$P" 2>/dev/null) || out=""
	[ -n "$out" ] && peer_json[$rt]=$out
done

printf '%-16s %10s %12s %9s\n' "" "median ms" "median cpu" failures
for k in berth-none berth-cached berth-nocache; do
	printf '%-16s %10s %12s %9s\n' "$k" "$(median "$berth_json" $k)" "$(cpu "$berth_json" $k)" \
		"$(fails "$berth_json" $k)"
done
for rt in $peers; do
	if [ -z "${peer_json[$rt]:-}" ]; then
		echo "$rt could not run here"
		continue
	fi
	for k in plain seccomp; do
		printf '%-16s %10s %12s %9s\n' "$rt-$k" "$(median "${peer_json[$rt]}" "$rt-$k")" \
			"$(cpu "${peer_json[$rt]}" "$rt-$k")" "$(fails "${peer_json[$rt]}" "$rt-$k")"
	done
done
none=$(median "$berth_json" berth-none)
cached=$(median "$berth_json" berth-cached)
nocache=$(median "$berth_json" berth-nocache)
echo "berth cached / no seccomp:   $(ratio "$cached" "$none")" \
	"(seccomp adds $(python3 -c "print('%.2f' % ($cached - $none))") ms; target < 1.10)"
echo "berth cached / no seccomp, CPU time: $(ratio "$(cpu "$berth_json" berth-cached)" \
	"$(cpu "$berth_json" berth-none)")"
echo "berth uncached / no seccomp: $(ratio "$nocache" "$none")"
echo "berth uncached / cached:     $(ratio "$nocache" "$cached")"
for rt in $peers; do
	[ -n "${peer_json[$rt]:-}" ] || continue
	rs=$(median "${peer_json[$rt]}" "$rt-seccomp")
	echo "$rt seccomp / $rt none:     $(ratio "$rs" "$(median "${peer_json[$rt]}" "$rt-plain")")"
	echo "berth cached / $rt seccomp: $(ratio "$cached" "$rs")"
done
