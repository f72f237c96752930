#!/usr/bin/env bats
# A malformed config.json gets a one-line error naming the field, exit
# status 1, and leaves nothing behind (exercised through `berth create`).

load helpers

setup() {
	[ -x "$BERTH" ] || skip "berth not built (make)"
	DIR="$BATS_TEST_TMPDIR/bundle"
	STATE="$BATS_TEST_TMPDIR/state"
	mkdir -p "$DIR/rootfs" "$STATE"
	"$BERTH" spec --bundle "$DIR"
	jq '.process.terminal = false' "$DIR/config.json" >"$DIR/good.json"
}

# expect_config_error JQ-EXPR MESSAGE: apply JQ-EXPR to the default config,
# then create must fail with MESSAGE on one line and leave no state.
expect_config_error() {
	jq "$1" "$DIR/good.json" >"$DIR/config.json"
	run "$BERTH" --root "$STATE" create --bundle "$DIR" bad
	echo "output: $output"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"$2"* ]]
	[ -z "$(ls -A "$STATE")" ]
}

@test "type errors name the JSON path" {
	expect_config_error '.linux.resources.memory = {"limit": "1G"}' \
		"config.json: .linux.resources.memory.limit: expected an integer, got a string"
	expect_config_error '.process.args = "sh"' ".process.args: expected an array, got a string"
	expect_config_error '.mounts[2].options = [1]' ".mounts[2].options[0]: expected a string, got an integer"
}

@test "missing and invalid required fields" {
	expect_config_error 'del(.ociVersion)' ".ociVersion: required field is missing"
	expect_config_error '.process.args = []' ".process.args: must name the program to run"
	expect_config_error '.process.cwd = "tmp"' '.process.cwd: must be an absolute path, got "tmp"'
	expect_config_error 'del(.root.path)' ".root.path: required field is missing"
	expect_config_error '.mounts[0] |= del(.destination)' ".mounts[0].destination: required field is missing"
}

@test "unknown names are refused" {
	expect_config_error '.linux.namespaces += [{"type": "vm"}]' 'unknown namespace type "vm"'
	expect_config_error '.linux.namespaces += [{"type": "pid"}]' 'namespace "pid" is given twice'
	expect_config_error '.process.capabilities.bounding += ["CAP_FLY"]' 'unknown capability "CAP_FLY"'
	expect_config_error '.process.rlimits[0].type = "RLIMIT_FAST"' 'unknown rlimit "RLIMIT_FAST"'
	expect_config_error '.mounts[0].options = [""]' '.mounts[0].options[0]: bad mount option ""'
	expect_config_error '.linux.seccomp = {"defaultAction": "SCMP_ACT_MAYBE"}' 'unknown seccomp action "SCMP_ACT_MAYBE"'
}

@test "ociVersion outside 1.0.0 to 1.2.x is refused" {
	expect_config_error '.ociVersion = "1.3.0"' ".ociVersion: version 1.3.0 is not supported (berth supports 1.0.0 to 1.2.x)"
	expect_config_error '.ociVersion = "0.6.0"' "version 0.6.0 is not supported"
}

@test "invalid JSON and hostile sizes" {
	printf '{"ociVersion": "1.2.0", ' >"$DIR/config.json"
	run "$BERTH" --root "$STATE" create --bundle "$DIR" bad
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"config.json: invalid JSON"* ]]

	head -c 5000000 /dev/zero | tr '\0' ' ' >"$DIR/config.json"
	run "$BERTH" --root "$STATE" create --bundle "$DIR" bad
	[ "$status" -eq 1 ]
	[[ "$output" == *"config.json: larger than 4194304 bytes"* ]]

	printf '%0.s[' $(seq 1 1000) >"$DIR/config.json"
	run "$BERTH" --root "$STATE" create --bundle "$DIR" bad
	[ "$status" -eq 1 ]
	[[ "$output" == *"nested deeper than 64 levels"* ]]
	[ -z "$(ls -A "$STATE")" ]
}

@test "unknown fields are ignored" {
	jq '.futureField = {"x": 1} | .process.futureToo = true' "$DIR/good.json" >"$DIR/config.json"
	run "$BERTH" --root "$STATE" create --bundle "$DIR" fine
	# The empty rootfs (or anything after parsing) may fail; the config may not.
	[[ "$output" != *"config.json:"* ]]
	"$BERTH" --root "$STATE" delete --force fine 2>/dev/null || true
}
