#!/bin/bash
# Benchmark of berth-unpack against umoci and the sequential lower bound
# (tar -x of each layer in order, fed by the same decompressor, with
# sha256sum of each blob through tee), on a Debian minbase tree split into
# four layers with whiteouts and an opaque directory, gzip and zstd.
# Prints medians, ratios and peak RSS. Never pass/fail.
#
#   tests/bench/unpack.sh [RUNS]      (default 5 runs each)
#
# The minbase tree (debootstrap --variant=minbase from Debian's archive)
# and the image are cached in tests/bench/.cache (git-ignored).
set -euo pipefail

RUNS="${1:-5}"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="$HERE/.cache"
UNPACK="$REPO/build/berth-unpack"
SUITE="${BENCH_SUITE:-bookworm}"
MIRROR="${BENCH_MIRROR:-http://deb.debian.org/debian}"
WORK="${BENCH_WORK:-$CACHE/work}"

[ -x "$UNPACK" ] || { echo "build berth-unpack first (make)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap, owners)" >&2; exit 1; }
mkdir -p "$CACHE"

if [ ! -d "$CACHE/minbase" ]; then
	command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
	echo "debootstrap --variant=minbase $SUITE (once, cached)"
	rm -rf "$CACHE/minbase.tmp"
	debootstrap --variant=minbase "$SUITE" "$CACHE/minbase.tmp" "$MIRROR" >"$CACHE/debootstrap.log"
	mv "$CACHE/minbase.tmp" "$CACHE/minbase"
fi
if [ ! -f "$CACHE/image/index.json" ]; then
	echo "building the four-layer image (once, cached)"
	python3 "$HERE/unpack_image.py" "$CACHE/minbase" "$CACHE/image"
fi
IMG="$CACHE/image"

layers() { # TAG -> blob paths of the layers, in order
	python3 - "$IMG" "$1" <<-'PY'
	import json, os, sys
	d, tag = sys.argv[1], sys.argv[2]
	for m in json.load(open(os.path.join(d, "index.json")))["manifests"]:
	    if m["annotations"]["org.opencontainers.image.ref.name"] == tag:
	        man = json.load(open(os.path.join(d, "blobs/sha256", m["digest"][7:])))
	        for l in man["layers"]:
	            print(os.path.join(d, "blobs/sha256", l["digest"][7:]))
	PY
}

lower_bound() { # DECOMPRESSOR TAG DEST
	local dec="$1" tag="$2" dest="$3" b
	mkdir -p "$dest"
	for b in $(layers "$tag"); do
		tee >(sha256sum >/dev/null) <"$b" | $dec | tar -x -C "$dest"
	done
}
export -f lower_bound layers
export IMG

# run NAME CMD... : time one command RUNS times into a fresh $WORK/out,
# record wall seconds and peak RSS (KiB).
declare -A WALL RSS CPU
run() {
	local name="$1"
	shift
	local i times=() rss=() cpus=() t m u s
	for ((i = 0; i < RUNS; i++)); do
		rm -rf "$WORK/out"
		mkdir -p "$WORK"
		sync
		if ! /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >"$WORK/log" 2>&1; then
			echo "  $name: failed: $(tail -1 "$WORK/log")"
			WALL[$name]=""
			return 0
		fi
		read -r t m u s <"$WORK/time"
		times+=("$t")
		rss+=("$m")
		cpus+=("$(echo "$u + $s" | bc -l)")
	done
	WALL[$name]=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	RSS[$name]=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
	CPU[$name]=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	printf '  %-20s wall %6.2f s  cpu %6.2f s  peak RSS %5.1f MiB  (wall runs: %s)\n' "$name" \
		"${WALL[$name]}" "${CPU[$name]}" "$(echo "${RSS[$name]}/1024" | bc -l)" "${times[*]}"
}

echo "image: $(du -sh "$IMG" | cut -f1) on disk (gzip and zstd variants); runs: $RUNS; $(nproc) CPUs;" \
	"load average: $(cut -d' ' -f1-3 /proc/loadavg); output in $WORK"
echo "(wall and cpu are medians; cpu is user+sys of all threads and children; RSS the peak)"
for tag in gzip zstd; do
	dec="gzip -dc"
	[ "$tag" = zstd ] && dec="zstd -dc -q"
	echo "== $tag"
	run "lower-bound-$tag" bash -c "lower_bound '$dec' $tag '$WORK/out'"
	run "berth-unpack-$tag" "$UNPACK" --no-progress "$IMG:$tag" "$WORK/out"
	if command -v umoci >/dev/null; then
		run "umoci-$tag" umoci unpack --image "$IMG:$tag" "$WORK/out"
	fi
done
rm -rf "$WORK/out"

echo "== ratios (wall, cpu)"
ratio() {
	if [ -n "${WALL[$1]:-}" ] && [ -n "${WALL[$2]:-}" ]; then
		printf '  %-40s wall %5.2f  cpu %5.2f\n' "$1 / $2" \
			"$(echo "${WALL[$1]} / ${WALL[$2]}" | bc -l)" "$(echo "${CPU[$1]} / ${CPU[$2]}" | bc -l)"
	else
		printf '  %-40s   n/a\n' "$1 / $2"
	fi
}
for tag in gzip zstd; do
	ratio "berth-unpack-$tag" "lower-bound-$tag"
	ratio "umoci-$tag" "lower-bound-$tag"
	ratio "umoci-$tag" "berth-unpack-$tag"
done
