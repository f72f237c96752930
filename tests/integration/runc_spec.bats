#!/usr/bin/env bats
# berth runs a bundle whose config.json comes from `runc spec`, unchanged
# (terminal: true, args ["sh"], ambient capabilities without inheritable).

load helpers

setup() {
	command -v runc >/dev/null || skip "runc not installed"
	command -v script >/dev/null || skip "script(1) not installed"
	setup_bundle
	rm "$BUNDLE/config.json"
	(cd "$BUNDLE" && runc spec)
}

teardown() {
	teardown_berth
}

@test "runc spec: the unchanged bundle runs its interactive sh on a terminal" {
	run bash -c "printf 'echo inside-\$((6*7))\nexit 3\n' | script -qec \"'$BERTH' --root '$BERTH_ROOT' run --bundle '$BUNDLE' c1\" /dev/null"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *inside-42* ]]
	assert_no_leftovers c1
}
