#!/usr/bin/env bats
# berth-unpack against hostile images: each must fail with a clear error
# naming the entry or blob, write nothing outside the bundle and leave no
# partial rootfs (the bundle directory it made is gone again).

load unpack/helpers

setup() {
	require_tools
	B="$BATS_TEST_TMPDIR/bundle"
	I="$BATS_TEST_TMPDIR/img"
}

# refused SCENARIO EXPECTED-MESSAGE [unpack options...]
refused() {
	local scenario="$1" want="$2"
	shift 2
	mkimage "$scenario" "$I"
	run unpack "$@" "$I" "$B"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$want"* ]]
	assert_no_bundle "$B"
	assert_nothing_outside
}

@test "hostile: ../ in an entry name" {
	refused dotdot 'entry a/../../escape: ".." in a name refused'
}

@test "hostile: absolute entry name" {
	refused absolute "entry /abs_escape: absolute name refused"
}

@test "hostile: symlink, then a write through it" {
	refused symlink-write "entry evil/berth-unpack-pwned: the path evil goes through a symlink"
}

@test "hostile: a chain of symlinks, then a write through it" {
	refused symlink-chain "entry a/berth-unpack-pwned: the path a goes through a symlink"
}

@test "hostile: symlink in a lower layer, write through it in an upper one" {
	refused symlink-later "entry etc/berth-unpack-pwned: the path etc goes through a symlink"
}

@test "hostile: hardlink to a file outside" {
	refused hardlink-outside "entry link: hardlink target: entry ../../../../etc/passwd"
}

@test "hostile: hardlink through a symlinked directory" {
	refused hardlink-symlinked-dir "hardlink to up/passwd: entry link: the path up goes through a symlink"
}

@test "hostile: whiteout of .." {
	refused whiteout-dotdot 'entry x/.wh...: whiteout of ".." refused'
}

@test "hostile: whiteout through a symlinked directory" {
	touch "$BATS_TEST_TMPDIR/victim"
	refused whiteout-symlink-dir "entry dir/.wh.victim: the path dir goes through a symlink"
	[ -e "$BATS_TEST_TMPDIR/victim" ]
}

@test "hostile: a name longer than PATH_MAX" {
	refused long-name "name longer than 4095 bytes"
}

@test "hostile: a component longer than NAME_MAX" {
	refused long-component "a component is longer than 255 bytes"
}

@test "hostile: layer digest mismatch" {
	refused digest-mismatch "digest mismatch: content is sha256:"
}

@test "hostile: truncated layer" {
	refused truncated "truncated gzip input"
}

@test "hostile: missing blob" {
	refused missing-blob "missing blob"
}

@test "hostile: invalid JSON" {
	refused invalid-json "invalid JSON"
}

@test "hostile: a media type that lies about the compression" {
	refused lying-media-type "media type says zstd but the content is gzip"
}

@test "hostile: a descriptor that calls a manifest an index" {
	refused lying-manifest-type "in the document, but application/vnd.oci.image.index.v1+json in its descriptor"
}

@test "hostile: foreign (non-distributable) layer" {
	refused foreign "foreign or non-distributable layer"
}

@test "hostile: gzip bomb, one huge file, stopped at its header" {
	refused bomb-one-file "entry bomb0: 4294967296 bytes would pass --max-size"
}

@test "hostile: gzip bomb of many files, stopped at --max-size" {
	refused bomb-many-files "would pass --max-size (104857600 bytes)" --max-size 100M
}

@test "hostile: a config with a size that lies" {
	mkimage basic "$I"
	python3 - "$I" <<-'PY'
	import hashlib, json, os, sys
	d = sys.argv[1]
	idx = json.load(open(os.path.join(d, "index.json")))
	idx["manifests"][0]["size"] += 1
	json.dump(idx, open(os.path.join(d, "index.json"), "w"))
	PY
	run unpack "$I" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"size mismatch"* ]]
	assert_no_bundle "$B"
}

@test "hostile: JSON nested too deep, and too large" {
	mkdir -p "$I/blobs/sha256"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$I/oci-layout"
	python3 -c 'print("[" * 100000 + "]" * 100000)' >"$I/index.json"
	run unpack "$I" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"index.json"*"nested deeper"* ]]
	head -c $((5 << 20)) /dev/zero | tr '\0' ' ' >"$I/index.json"
	run unpack "$I" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"index.json"*"more than"* ]]
	assert_no_bundle "$B"
}

@test "a failure in a later layer leaves an existing bundle as it was" {
	mkimage digest-mismatch "$I"
	mkdir -p "$B"
	echo keep >"$B/other"
	run unpack "$I" "$B"
	[ "$status" -eq 1 ]
	[ "$(ls -A "$B")" = other ]
}
