# cgroup v2 (runtime/linux/cgroup*.c): the systemd cgroup manager talks to
# systemd over D-Bus with sd-bus from libsystemd, opened with dlopen() only
# when it is used (cgroup_systemd.c says why): headers at build time only.
RUNTIME_CFLAGS += $(shell $(PKG_CONFIG) --cflags libsystemd)

# The VM tier (tests/vm/cgroups-limits.bats) needs a block device for io.max: have the VM
# load the loop driver (its 8 default devices suffice). Additive to the vm tier's own list.
BERTH_VM_MODULES += loop
export BERTH_VM_MODULES
