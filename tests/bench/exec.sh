#!/bin/bash
# exec benchmark: N sequential `exec` of /bin/true into one running busybox
# container, for berth, runc and crun side by side. Prints medians, p90 and
# the ratios to berth. Measures only; never pass/fail.
#
#   tests/bench/exec.sh [N]        (default 50)
#
# The peers run as one batch each under tests/bench/lib/peer-cgroup-ns.sh
# (crun refuses this host's hybrid cgroups); berth runs as it is.
set -euo pipefail

N="${1:-50}"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BERTH="${BERTH:-$REPO/build/berth}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"

[ -x "$BERTH" ] || { echo "build berth first (make)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

WORK=$(mktemp -d /tmp/berth-bench-exec.XXXXXX)
cleanup() {
	"$BERTH" --root "$WORK/berth-root" delete --force bx >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT
B="$WORK/bundle"
mkdir -p "$B/rootfs/bin" "$B/rootfs/proc" "$B/rootfs/sys" "$B/rootfs/dev" "$B/rootfs/tmp"
cp "$BUSYBOX" "$B/rootfs/bin/busybox"
for a in true sleep sh; do ln -s busybox "$B/rootfs/bin/$a"; done
(cd "$B" && "$BERTH" spec)
jq '.ociVersion = "1.0.2" | .process.terminal = false | .process.args = ["/bin/sleep", "1000"]' \
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
    line += f"   berth/{name} = {float(sys.argv[3]) / med:.2f}"
print(line)
PY
}

echo "exec bench: $N x exec /bin/true into a running busybox container, $(nproc) CPUs"
"$BERTH" --root "$WORK/berth-root" run -d --bundle "$B" bx
"$BERTH" --root "$WORK/berth-root" exec bx /bin/true
berth_json=$(python3 "$HERE/lib/runloop.py" "$N" "$BERTH" --root "$WORK/berth-root" exec bx /bin/true)
bm=$(python3 -c 'import json,statistics,sys; print(statistics.median(json.loads(sys.argv[1])["times"]))' "$berth_json")
stats berth "$berth_json"
for rt in runc crun; do
	command -v $rt >/dev/null || continue
	out=$("$HERE/lib/peer-cgroup-ns.sh" sh -c '
		rt=$1; n=$2; work=$3; bundle=$4; here=$5
		$rt --root "$work/$rt-root" run -d --bundle "$bundle" px >/dev/null 2>&1 </dev/null || exit 1
		$rt --root "$work/$rt-root" exec px /bin/true >/dev/null 2>&1 || true
		python3 "$here/lib/runloop.py" "$n" $rt --root "$work/$rt-root" exec px /bin/true
		$rt --root "$work/$rt-root" delete --force px >/dev/null 2>&1 || true
	' sh "$rt" "$N" "$WORK" "$B" "$HERE" 2>/dev/null) || out=""
	if [ -n "$out" ]; then stats "$rt" "$out" "$bm"; else echo "$rt    could not run here"; fi
done
