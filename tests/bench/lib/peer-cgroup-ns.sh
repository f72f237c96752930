#!/bin/sh
# peer-cgroup-ns.sh CMD [ARG...]
# Project copy of ../shared/tools/peer-cgroup-ns.sh (used by tests/bench/*.sh).
# Run CMD in a private mount namespace + new cgroup namespace where
# /sys/fs/cgroup looks like a pure cgroup-v1 ("legacy") host:
#   * every cgroup2 mount under /sys/fs/cgroup (the hybrid "unified" one) is
#     unmounted -- crun 1.8 refuses hybrid hosts whose cgroup2 has controllers
#     ("cgroups in hybrid mode not supported");
#   * each v1 hierarchy in which the caller is NOT at the root cgroup is
#     re-mounted from inside the new cgroup namespace, so its root is the
#     caller's own cgroup: containers then land *below* the caller's cgroups,
#     for runc and crun alike.
# Used to benchmark runc and crun side by side with berth on a hybrid host
# (crun refuses hybrid hosts). berth itself needs the cgroup2 mount: run it
# outside this wrapper.
# Only this private namespace's mount table changes; the host's cgroup mounts
# are untouched (propagation private). Needs root. Costs ~20 ms, paid once:
# wrap a whole batch of peer runs with it, not each run.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 CMD [ARG...]" >&2; exit 2; }
if [ "${CGV1NS_INNER:-}" != 1 ]; then
    # Controllers (v1 lines of /proc/self/cgroup) where we sit below the root.
    nonroot=$(awk -F: '$2 != "" && $3 != "/" {printf "%s%s", sep, $2; sep=","}' /proc/self/cgroup)
    CGV1NS_INNER=1 CGV1NS_NONROOT=$nonroot \
        exec unshare --mount --cgroup --propagation private -- "$0" "$@"
fi
nonroot=${CGV1NS_NONROOT:-}
unset CGV1NS_INNER CGV1NS_NONROOT
# /proc/self/mounts: field 2 = mount point, 3 = type, 4 = options.
awk '$2 ~ "^/sys/fs/cgroup/" && $3 == "cgroup2" {print $2}' /proc/self/mounts |
while read -r mp; do umount "$mp"; done
awk -v want="$nonroot" '
    BEGIN { n = split(want, w, ",") }
    $2 ~ "^/sys/fs/cgroup/" && $3 == "cgroup" {
        m = split($4, o, ",")
        for (i = 1; i <= m; i++) for (j = 1; j <= n; j++)
            if (o[i] == w[j]) { print $2, $4; next }
    }' /proc/self/mounts |
while read -r mp opts; do
    umount "$mp"
    mount -t cgroup -o "$opts" cgroup "$mp"
done
exec "$@"
