#!/usr/bin/env bats
# `berth features`: the runtime-spec features document.

load helpers

setup() {
	[ -x "$BERTH" ] || skip "berth not built (make)"
	"$BERTH" features >"$BATS_TEST_TMPDIR/features.json"
	F="$BATS_TEST_TMPDIR/features.json"
}

@test "features is valid JSON with the spec's version range and hooks" {
	jq -e . "$F" >/dev/null
	jq -e '.ociVersionMin == "1.0.0" and .ociVersionMax == "1.2.1"' "$F"
	jq -e '.hooks == ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]' "$F"
}

@test "features lists mount options, namespaces and every libcap capability" {
	jq -e '.mountOptions | index("rro") and index("rbind") and index("idmap") and index("ridmap") and index("tmpcopyup") and index("rnoatime") and index("strictatime")' "$F"
	jq -e '.linux.namespaces | sort == ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"]' "$F"
	jq -e '.linux.capabilities | length >= 41' "$F"
	jq -e '.linux.capabilities | all(startswith("CAP_"))' "$F"
	jq -e '.linux.capabilities | index("CAP_SYS_ADMIN") and index("CAP_BPF") and index("CAP_CHECKPOINT_RESTORE")' "$F"
	# No duplicates anywhere.
	jq -e '(.mountOptions | length) == (.mountOptions | unique | length)' "$F"
	jq -e '(.linux.capabilities | length) == (.linux.capabilities | unique | length)' "$F"
}

@test "features describes cgroup v2, seccomp from libseccomp, no LSMs" {
	jq -e '.linux.cgroup.v1 == false and .linux.cgroup.v2 == true' "$F"
	jq -e '.linux.seccomp.enabled == true' "$F"
	jq -e '.linux.seccomp.actions | index("SCMP_ACT_ERRNO") and index("SCMP_ACT_ALLOW") and index("SCMP_ACT_KILL_PROCESS")' "$F"
	jq -e '.linux.seccomp.operators | length == 7' "$F"
	jq -e '.linux.seccomp.archs | index("SCMP_ARCH_X86_64") and index("SCMP_ARCH_AARCH64")' "$F"
	jq -e '.linux.seccomp.supportedFlags - .linux.seccomp.knownFlags == []' "$F"
	jq -e '.linux.apparmor.enabled == false and .linux.selinux.enabled == false' "$F"
	jq -e '.linux.mountExtensions.idmap.enabled | type == "boolean"' "$F"
}

@test "features annotations carry the libseccomp version that --version reports" {
	v=$(jq -r '.annotations["io.github.seccomp.libseccomp.version"]' "$F")
	[[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
	run "$BERTH" --version
	[ "$status" -eq 0 ]
	[[ "$output" == *"libseccomp: $v"* ]]
	[[ "$output" == *"spec: 1.2.1"* ]]
}

@test "features takes no arguments" {
	run "$BERTH" features extra
	[ "$status" -eq 1 ]
	run "$BERTH" features --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: berth features"* ]]
}
