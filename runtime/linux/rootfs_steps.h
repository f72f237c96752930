/* The steps rootfs_prepare() and rootfs_finish() are built from, one file
 * each (mounts.c, devices.c, masks.c, sysctl.c, pivot.c). Internal to
 * runtime/linux. */
#ifndef BERTH_ROOTFS_STEPS_H
#define BERTH_ROOTFS_STEPS_H

#include <stdbool.h>

#include "config.h"
#include "error.h"
#include "rootfs.h"

/* What the mount step learnt that later steps need. */
struct rootfs_state {
        bool dev_mounted;  /* config.mounts has a /dev mount */
        bool dev_is_bind;  /* ... and it is a bind (host /dev): no device nodes */
        bool dev_readonly; /* the /dev mount asked "ro": remount after the nodes */
};

/* True when DEST names PATH once "//" and a trailing "/" are ignored. */
bool mount_dest_is(const char *dest, const char *path);

/* Every entry of config.mounts, in order, inside ROOTFD (the rootfs). A
 * tmpfs /dev is mounted first when the config has none. */
int mounts_apply(const struct rootfs_ctx *ctx, int rootfd, struct rootfs_state *st,
                 struct berr *err);

/* One config.mounts entry (exposed for the unit tests). */
int mount_entry(const struct rootfs_ctx *ctx, int rootfd, const struct oci_mount *m,
                struct rootfs_state *st, struct berr *err);

/* Open a bind mount's source (absolute, or relative to the bundle), O_PATH. */
int mount_open_bind_source(const struct rootfs_ctx *ctx, const struct oci_mount *m,
                           struct berr *err);

/* Device nodes, /dev symlinks and the console target in ROOTFD's /dev. */
int devices_setup(const struct rootfs_ctx *ctx, int rootfd, const struct rootfs_state *st,
                  struct berr *err);

/* maskedPaths and readonlyPaths, resolved inside ROOTFD. */
int masks_apply(const struct oci_linux *lnx, int rootfd, struct berr *err);
int readonly_paths_apply(const struct oci_linux *lnx, int rootfd, struct berr *err);

/* linux.sysctl through ROOTFD's /proc/sys (verified procfs). */
int sysctl_apply_in(const struct oci_config *cfg, int rootfd, struct berr *err);

/* pivot_root(".", ".") + detach of the old root, or MS_MOVE + chroot. */
int rootfs_pivot(const char *rootfs, struct berr *err);
int rootfs_move_chroot(const char *rootfs, struct berr *err);

/* Make the mount holding ROOTFS's parent private when it is shared (so
 * pivot_root accepts it under rshared rootfsPropagation). */
int rootfs_parent_private(const char *rootfs, struct berr *err);

#endif
