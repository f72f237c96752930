#!/usr/bin/env bats
# The test harness itself: a bundle is made, its config is valid JSON with
# our args, and the helper runs from the rootfs.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_berth
}

@test "harness: bundle has a busybox rootfs, the helper and a config" {
	[ -x "$ROOTFS/bin/busybox" ]
	[ -x "$ROOTFS/bin/berth-testhelper" ]
	run jq -r '.process.args | join(" ")' "$BUNDLE/config.json"
	[ "$status" -eq 0 ]
	[ "$output" = "berth-testhelper id" ]
	set_args berth-testhelper exit 3
	run jq -r '.process.args | join(" ")' "$BUNDLE/config.json"
	[ "$output" = "berth-testhelper exit 3" ]
}

@test "harness: the static helper runs inside the rootfs" {
	run chroot "$ROOTFS" /bin/berth-testhelper echo hello
	[ "$status" -eq 0 ]
	[ "$output" = "hello" ]
	run chroot "$ROOTFS" /bin/berth-testhelper exit 7
	[ "$status" -eq 7 ]
}
