#!/usr/bin/env bats
# berth-unpack: every image format, tags, digests, platforms, the command line.

load unpack/helpers

setup_file() {
	[ -x "$BERTH_UNPACK" ] || return 0
	export IMG="$BATS_FILE_TMPDIR/img"
	mkimage basic "$IMG"
	mkimage basic-zstd "$BATS_FILE_TMPDIR/img-zstd"
	mkimage basic-plain "$BATS_FILE_TMPDIR/img-plain"
	mkimage tags "$BATS_FILE_TMPDIR/tags"
	mkimage platforms "$BATS_FILE_TMPDIR/platforms"
	"$BERTH_UNPACK" "$IMG" "$BATS_FILE_TMPDIR/ref" >/dev/null
	tree "$BATS_FILE_TMPDIR/ref/rootfs" >"$BATS_FILE_TMPDIR/ref.txt"
}

setup() {
	require_tools
	B="$BATS_TEST_TMPDIR/bundle"
}

same_as_reference() {
	diff -u "$BATS_FILE_TMPDIR/ref.txt" <(tree "$B/rootfs")
}

@test "OCI layout directory, gzip layers" {
	run unpack "$IMG:latest" "$B"
	[ "$status" -eq 0 ]
	[ -f "$B/config.json" ]
	[ "$(cat "$B/rootfs/data/keep")" = "keep v3" ]
	same_as_reference
}

@test "OCI layout directory, zstd layers" {
	unpack "$BATS_FILE_TMPDIR/img-zstd" "$B"
	same_as_reference
}

@test "OCI layout directory, uncompressed layers" {
	unpack "$BATS_FILE_TMPDIR/img-plain" "$B"
	same_as_reference
}

@test "a gzip layer of several concatenated members" {
	mkimage gzip-members "$BATS_TEST_TMPDIR/img"
	unpack "$BATS_TEST_TMPDIR/img" "$B"
	[ "$(cat "$B/rootfs/multi")" = member ]
}

@test "OCI archive, detected from content not name" {
	mkimage oci-archive "$IMG" "$BATS_TEST_TMPDIR/image.json"
	unpack "$BATS_TEST_TMPDIR/image.json:latest" "$B"
	same_as_reference
}

@test "docker save archive, old layout (ID/layer.tar), tag by RepoTags" {
	mkimage docker-old "$IMG" "$BATS_TEST_TMPDIR/d.tar" busybox:latest example/other:v1
	unpack "$BATS_TEST_TMPDIR/d.tar:example/other:v1" "$B"
	same_as_reference
	rm -rf "$B"
	unpack "$BATS_TEST_TMPDIR/d.tar:v1" "$B"
	same_as_reference
}

@test "docker save archive, new layout (blobs/sha256)" {
	mkimage docker-new "$IMG" "$BATS_TEST_TMPDIR/d.tar" busybox:latest
	unpack "$BATS_TEST_TMPDIR/d.tar" "$B"
	same_as_reference
}

@test "docker archive made by skopeo (layer symlinks)" {
	command -v skopeo >/dev/null || skip "skopeo not installed"
	skopeo copy -q "oci:$IMG:latest" "docker-archive:$BATS_TEST_TMPDIR/sk.tar:busy:1"
	unpack "$BATS_TEST_TMPDIR/sk.tar:busy:1" "$B"
	same_as_reference
}

@test "OCI archive made by skopeo" {
	command -v skopeo >/dev/null || skip "skopeo not installed"
	skopeo copy -q "oci:$IMG:latest" "oci-archive:$BATS_TEST_TMPDIR/o.tar:v2"
	unpack "$BATS_TEST_TMPDIR/o.tar:v2" "$B"
	same_as_reference
}

@test "a docker archive whose blob was altered fails on its diff_id" {
	mkimage docker-old "$IMG" "$BATS_TEST_TMPDIR/d.tar" busybox:latest
	python3 - "$BATS_TEST_TMPDIR/d.tar" <<-'PY'
	import sys
	p = sys.argv[1]
	data = bytearray(open(p, "rb").read())
	i = data.find(b"keep v3")
	data[i] = ord("K")
	open(p, "wb").write(bytes(data))
	PY
	run unpack "$BATS_TEST_TMPDIR/d.tar" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not match diff_id"* ]]
	assert_no_bundle "$B"
}

@test "several tags: name one, or get the list" {
	run unpack "$BATS_FILE_TMPDIR/tags" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"2 images"*"alpha, beta"* ]]
	unpack "$BATS_FILE_TMPDIR/tags:beta" "$B"
	[ "$(cat "$B/rootfs/which")" = b ]
	run unpack "$BATS_FILE_TMPDIR/tags:gamma" "$BATS_TEST_TMPDIR/b2"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no image tagged gamma"* ]]
}

@test "pick a manifest by digest" {
	d=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' \
		"$BATS_FILE_TMPDIR/tags/index.json")
	unpack "$BATS_FILE_TMPDIR/tags@$d" "$B"
	[ "$(cat "$B/rootfs/which")" = a ]
}

@test "a digest names a nested index or a manifest inside it" {
	local ix="$BATS_FILE_TMPDIR/platforms/index.json" d
	d=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$ix")
	unpack --platform linux/arm64 "$BATS_FILE_TMPDIR/platforms@$d" "$B"
	[ "$(cat "$B/rootfs/arch")" = arm64 ]
	d=$(python3 -c 'import json,sys,os; p=os.path.dirname(sys.argv[1]); i=json.load(open(sys.argv[1]))
n=json.load(open(os.path.join(p, "blobs/sha256", i["manifests"][0]["digest"][7:])))
print(n["manifests"][1]["digest"])' "$ix")
	unpack "$BATS_FILE_TMPDIR/platforms@$d" "$BATS_TEST_TMPDIR/b2"
	[ "$(cat "$BATS_TEST_TMPDIR/b2/rootfs/arch")" = arm64 ]
}

@test "an index with two platforms: host default and --platform" {
	[ "$(uname -m)" = x86_64 ] || skip "the host default is checked on amd64"
	unpack "$BATS_FILE_TMPDIR/platforms:multi" "$B"
	[ "$(cat "$B/rootfs/arch")" = amd64 ]
	unpack --platform linux/arm64 "$BATS_FILE_TMPDIR/platforms" "$BATS_TEST_TMPDIR/arm"
	[ "$(cat "$BATS_TEST_TMPDIR/arm/rootfs/arch")" = arm64 ]
	run unpack --platform linux/s390x "$BATS_FILE_TMPDIR/platforms" "$BATS_TEST_TMPDIR/s390"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no manifest for platform linux/s390x"*"linux/arm64/v8"* ]]
}

@test "--platform against a single-platform image checks its config" {
	run unpack --platform linux/arm64 "$IMG" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the image is for linux/amd64, not for --platform linux/arm64"* ]]
	assert_no_bundle "$B"
	unpack --platform linux/amd64 "$IMG" "$B"
}

@test "an existing non-empty rootfs is refused and kept" {
	mkdir -p "$B/rootfs"
	echo mine >"$B/rootfs/file"
	run unpack "$IMG" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"rootfs already exists"* ]]
	[ "$(cat "$B/rootfs/file")" = mine ]
	[ "$(ls -A "$B")" = rootfs ]
}

@test "an empty rootfs directory is filled" {
	mkdir -p "$B/rootfs"
	unpack "$IMG" "$B"
	same_as_reference
}

@test "not an image: clear errors" {
	echo hello >"$BATS_TEST_TMPDIR/notimage"
	run unpack "$BATS_TEST_TMPDIR/notimage" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not an image"* ]]
	gzip -c "$BATS_TEST_TMPDIR/notimage" >"$BATS_TEST_TMPDIR/x.tar.gz"
	run unpack "$BATS_TEST_TMPDIR/x.tar.gz" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"gzip file"* ]]
	mkdir "$BATS_TEST_TMPDIR/emptydir"
	run unpack "$BATS_TEST_TMPDIR/emptydir" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not an OCI image layout"* ]]
	run unpack "$BATS_TEST_TMPDIR/missing" "$B"
	[ "$status" -eq 1 ]
	assert_no_bundle "$B"
}

@test "--help, --version, bad usage" {
	run unpack --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: berth-unpack"*"--platform"*"--max-size"* ]]
	run unpack --version
	[ "$status" -eq 0 ]
	[[ "$output" == "berth-unpack version "* ]]
	run unpack onlyone
	[ "$status" -eq 1 ]
	run unpack --max-size 12Q "$IMG" "$B"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not a size"* ]]
}

@test "no progress bar when stderr is not a terminal" {
	run unpack "$IMG" "$B"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "progress bar on a terminal" {
	command -v script >/dev/null || skip "script(1) not installed"
	script -qec "$BERTH_UNPACK $IMG $B" /dev/null >"$BATS_TEST_TMPDIR/out"
	grep -q "layer 3/3" "$BATS_TEST_TMPDIR/out"
}
