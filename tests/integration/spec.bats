#!/usr/bin/env bats
# `berth spec`: writes a valid default config, never over an existing one.

load helpers

setup() {
	[ -x "$BERTH" ] || skip "berth not built (make)"
	DIR="$BATS_TEST_TMPDIR/bundle"
	mkdir -p "$DIR"
}

@test "spec writes a valid busybox-friendly config.json" {
	cd "$DIR"
	run "$BERTH" spec
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	jq -e '.ociVersion == "1.2.1"' config.json
	jq -e '.process.terminal == true and .process.args == ["sh"] and .process.cwd == "/"' config.json
	jq -e '.root == {"path": "rootfs", "readonly": true}' config.json
	jq -e '.process.capabilities.inheritable == [] and .process.capabilities.ambient == []' config.json
	jq -e '.process.capabilities.bounding | index("CAP_KILL")' config.json
	jq -e '.process.noNewPrivileges == true' config.json
	jq -e '[.linux.namespaces[].type] | sort == ["cgroup", "ipc", "mount", "network", "pid", "uts"]' config.json
	jq -e '[.mounts[].destination] | index("/proc") and index("/dev/pts") and index("/sys")' config.json
	jq -e '.linux.maskedPaths | index("/proc/kcore")' config.json
	jq -e '.linux.readonlyPaths | index("/proc/sys")' config.json
	jq -e '.linux.resources.devices == [{"allow": false, "access": "rwm"}]' config.json
}

@test "spec refuses to overwrite an existing config.json" {
	cd "$DIR"
	echo '{"mine": true}' >config.json
	run "$BERTH" spec
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"config.json already exists; remove it first"* ]]
	[ "$(cat config.json)" = '{"mine": true}' ]
	# Nor through a symlink.
	rm config.json
	ln -s "$BATS_TEST_TMPDIR/elsewhere" config.json
	run "$BERTH" spec
	[ "$status" -eq 1 ]
	[ ! -e "$BATS_TEST_TMPDIR/elsewhere" ]
}

@test "spec --bundle DIR writes there" {
	run "$BERTH" spec --bundle "$DIR"
	[ "$status" -eq 0 ]
	jq -e .ociVersion "$DIR/config.json"
	run "$BERTH" spec -b "$DIR"
	[ "$status" -eq 1 ]
	run "$BERTH" spec --bundle "$BATS_TEST_TMPDIR/missing"
	[ "$status" -eq 1 ]
	[[ "$output" == *"missing"*"No such file or directory"* ]]
}

@test "spec --rootless maps root to the caller and drops host-only parts" {
	run "$BERTH" spec --rootless --bundle "$DIR"
	[ "$status" -eq 0 ]
	jq -e --argjson u "$(id -u)" '.linux.uidMappings == [{"containerID": 0, "hostID": $u, "size": 1}]' "$DIR/config.json"
	jq -e --argjson g "$(id -g)" '.linux.gidMappings == [{"containerID": 0, "hostID": $g, "size": 1}]' "$DIR/config.json"
	jq -e '[.linux.namespaces[].type] | index("user") and (index("network") | not)' "$DIR/config.json"
	jq -e '.linux.resources == null' "$DIR/config.json"
	jq -e '.mounts[] | select(.destination == "/sys") | .options | index("rbind")' "$DIR/config.json"
	jq -e '.mounts[] | select(.destination == "/dev/pts") | .options | index("gid=5") | not' "$DIR/config.json"
}

@test "spec: bad arguments and help" {
	run "$BERTH" spec --frobnicate
	[ "$status" -eq 1 ]
	[[ "$output" == *"unknown option"* ]]
	run "$BERTH" spec extra
	[ "$status" -eq 1 ]
	run "$BERTH" spec --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: berth spec"* ]]
}

@test "the written spec and config.example.json are accepted by berth create's parser" {
	# A config error stops create before anything happens, so a missing
	# rootfs is the first thing a valid config trips over.
	cp "$REPO_ROOT/config.example.json" "$DIR/config.json"
	run "$BERTH" --root "$BATS_TEST_TMPDIR/state" create --bundle "$DIR" specok
	[ "$status" -eq 1 ]
	[[ "$output" != *"config.json:"* ]]
	rm "$DIR/config.json"
	"$BERTH" spec --bundle "$DIR"
	run "$BERTH" --root "$BATS_TEST_TMPDIR/state" create --bundle "$DIR" specok
	[ "$status" -eq 1 ]
	[[ "$output" != *"config.json:"* ]]
	[ -z "$(ls "$BATS_TEST_TMPDIR/state" 2>/dev/null)" ]
}
