#!/bin/bash
# Runs inside the VM as the payload's "run" (see run-tests.sh): bats --tap over the test
# files listed in /payload/tests.list, TAP on the console, then a summary line
# "N passed, N failed, N skipped" that run-tests.sh checks against the TAP it saw.
cd /payload/src || exit 1
mapfile -t files </payload/tests.list
echo "bats-in-vm: ${#files[@]} files: ${files[*]}"
bats --tap --timing "${files[@]}" 2>&1 | tee /tmp/bats.tap
rc=${PIPESTATUS[0]}
ok=$(grep -c '^ok ' /tmp/bats.tap)
skipped=$(grep -c '^ok .* # skip' /tmp/bats.tap)
failed=$(grep -c '^not ok ' /tmp/bats.tap)
echo "$((ok - skipped)) passed, $failed failed, $skipped skipped"
[ "$rc" = 0 ] || echo "bats-in-vm: bats exited with status $rc"
[ "$rc" = 0 ] && [ "$failed" = 0 ]
