# cgroup v2 (runtime/linux/cgroup*.c): the systemd cgroup manager talks to
# systemd over D-Bus with sd-bus from libsystemd.
RUNTIME_PKGS += libsystemd
