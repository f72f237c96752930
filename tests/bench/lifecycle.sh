#!/bin/bash
# Lifecycle benchmark: N sequential `run` of /bin/true on a busybox bundle
# for berth, runc and crun, side by side in one go. Prints each runtime's
# median and p90 wall time, the ratios to berth, and berth's peak RSS.
# Measures only; never pass/fail.
#
#   tests/bench/lifecycle.sh [N]        (default 50)
#
# crun refuses this host's hybrid cgroups, so the peers run as one batch
# under tests/bench/lib/peer-cgroup-ns.sh (a private mount + cgroup namespace
# with a v1-only view; the host is untouched). berth runs as it is, on the
# cgroup2 mount it finds. Each runtime gets a private --root.
set -euo pipefail

N="${1:-50}"
ROUNDS="${BENCH_ROUNDS:-5}"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BERTH="${BERTH:-$REPO/build/berth}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"

[ -x "$BERTH" ] || { echo "build berth first (make)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -x "$BUSYBOX" ] || { echo "busybox-static missing" >&2; exit 1; }

WORK=$(mktemp -d /tmp/berth-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
B="$WORK/bundle"
mkdir -p "$B/rootfs/bin" "$B/rootfs/proc" "$B/rootfs/sys" "$B/rootfs/dev" "$B/rootfs/tmp"
cp "$BUSYBOX" "$B/rootfs/bin/busybox"
ln -s busybox "$B/rootfs/bin/true"
ln -s busybox "$B/rootfs/bin/sh"
(cd "$B" && "$BERTH" spec)
# ociVersion 1.0.2: crun 1.8 refuses newer version strings.
jq '.ociVersion = "1.0.2" | .process.terminal = false | .process.args = ["/bin/true"]' \
	"$B/config.json" >"$B/c.json"
mv "$B/c.json" "$B/config.json"

stats() { # NAME JSON [BASE_MEDIAN]
	python3 - "$@" <<'PY'
import json, statistics, sys
name, data = sys.argv[1], json.loads(sys.argv[2])
t = sorted(data["times"])
med = statistics.median(t)
p90 = t[int(len(t) * 0.9) - 1] if t else 0
line = f"{name:6s} median {med:7.2f} ms   p90 {p90:7.2f} ms   failures {data['fails']}"
if len(sys.argv) > 3:
    base = float(sys.argv[3])
    line += f"   berth/{name} = {base / med:.2f}"
print(line)
PY
}
median() {
	python3 -c 'import json,statistics,sys; print(statistics.median(json.loads(sys.argv[1])["times"]))' "$1"
}

echo "lifecycle bench: $N x run /bin/true, busybox bundle, $(nproc) CPUs, $(uname -r)"
echo "(in $ROUNDS rounds: a block of berth, then runc, then crun, so load changes hit all alike)"
# A warm-up run each, so caches do not favour whoever goes second.
"$BERTH" --root "$WORK/berth-root" run --bundle "$B" warm >/dev/null
peers=""
for rt in runc crun; do
	command -v $rt >/dev/null && peers="$peers $rt"
done
declare -A peer_parts
berth_parts=""
per=$(( (N + ROUNDS - 1) / ROUNDS ))
for r in $(seq "$ROUNDS"); do
	berth_parts+=$(python3 "$HERE/lib/runloop.py" "$per" "$BERTH" --root "$WORK/berth-root" \
		run --bundle "$B" "b$r-{i}")$'\n'
	for rt in $peers; do
		out=$("$HERE/lib/peer-cgroup-ns.sh" sh -c '
			rt=$1; n=$2; work=$3; bundle=$4; here=$5; r=$6
			[ "$r" = 1 ] && { $rt --root "$work/$rt-root" run --bundle "$bundle" warm >/dev/null 2>&1 || true; }
			python3 "$here/lib/runloop.py" "$n" $rt --root "$work/$rt-root" run --bundle "$bundle" "p$r-{i}"
		' sh "$rt" "$per" "$WORK" "$B" "$HERE" "$r" 2>/dev/null) || out=""
		[ -n "$out" ] && peer_parts[$rt]+="$out"$'\n'
	done
done
berth_json=$(echo "$berth_parts" | python3 "$HERE/lib/merge.py")
declare -A peer_json
for rt in $peers; do
	[ -n "${peer_parts[$rt]:-}" ] && peer_json[$rt]=$(echo "${peer_parts[$rt]}" | python3 "$HERE/lib/merge.py")
done

bm=$(median "$berth_json")
stats berth "$berth_json"
for rt in $peers; do
	if [ -n "${peer_json[$rt]:-}" ]; then
		stats "$rt" "${peer_json[$rt]}" "$bm"
	else
		echo "$rt    could not run here"
	fi
done
# Peak RSS through /usr/bin/time (a small C parent: its own pre-exec pages
# are counted by the kernel too, but they are ~1-2 MiB, not python's).
rss=0
if [ -x /usr/bin/time ]; then
	for i in 1 2 3 4 5; do
		r=$(/usr/bin/time -f %M "$BERTH" --root "$WORK/berth-root" run --bundle "$B" rss$i 2>&1 >/dev/null | tail -1)
		[ "$r" -gt "$rss" ] && rss=$r
	done
	echo "berth peak RSS (max of 5 runs, berth and its init before execve): $rss KiB"
fi
