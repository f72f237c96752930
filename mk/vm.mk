# The VM test tier (tests/vm/): berth's bats tests inside a qemu VM with a pure cgroup v2
# hierarchy. `make check-vm` runs them all and fails when the VM cannot run; `make check`
# runs check-vm-if-available, which runs a part of them (VM_CHECK_TESTS, to fit the CI
# budget) and prints "skip: check-vm: <reason>" instead when qemu or the kernel cannot be
# had. VM_TESTS picks bats files for check-vm (default: tests/integration/*.bats and
# tests/vm/*.bats); VM_TIMEOUT bounds one VM run in seconds.

VM_TIMEOUT ?= 1800
VM_TESTS ?=
# What `make check` runs in the VM: everything would take ~16 minutes under emulation, so
# it runs the tests that need the VM's host (tests/vm/) and the lifecycle, run, exec and
# cgroups files; `make check VM_CHECK_TESTS=` runs them all, as `make check-vm` does.
VM_CHECK_TESTS ?= $(wildcard tests/vm/*.bats tests/integration/lifecycle.bats \
	tests/integration/run.bats tests/integration/exec.bats tests/integration/cgroups.bats)
VM_CHECK_TIMEOUT ?= 900

# What the integration tests need besides `all` (the static test helper...), built first.
# Expanded when the recipe runs, so fragments included after this one count too.
VM_DEPS = $(INTEGRATION_DEPS) $(TESTHELPER)

.PHONY: check-vm check-vm-if-available check-vm-selftest vm-fetch

check-vm: all
	@$(if $(strip $(VM_DEPS)),$(MAKE) --no-print-directory $(VM_DEPS))
	@VM_TIMEOUT=$(VM_TIMEOUT) BUILD=$(BUILD) tests/vm/run-tests.sh $(VM_TESTS)

check-vm-if-available: all
	@$(if $(strip $(VM_DEPS)),$(MAKE) --no-print-directory $(VM_DEPS))
	@VM_TIMEOUT=$(VM_CHECK_TIMEOUT) BUILD=$(BUILD) tests/vm/run-tests.sh --skip-if-unavailable \
		$(VM_CHECK_TESTS)

# run-vm.sh's own exit statuses (pass, fail, timeout, panic, boot failure, unavailable).
check-vm-selftest:
	@tests/vm/selftest.sh

# Fetch the kernel, busybox and qemu into tests/vm/.cache (done by check-vm anyway).
vm-fetch:
	@tests/vm/run-vm.sh --fetch

CHECK_TARGETS += check-vm-if-available
