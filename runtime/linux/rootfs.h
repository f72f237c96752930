/* The container's filesystem view, built in the child inside its new mount
 * namespace: propagation, rootfs bind, every mount, /dev and devices,
 * then pivot_root, masked and read-only paths. Owner: rootfs. */
#ifndef BERTH_ROOTFS_H
#define BERTH_ROOTFS_H

#include <stdbool.h>

#include "config.h"
#include "error.h"

struct rootfs_ctx {
        const struct oci_config *cfg;
        const char *bundle; /* absolute bundle directory */
        const char *rootfs; /* absolute host path of root.path */
        bool no_pivot;      /* --no-pivot: MS_MOVE + chroot */
        bool terminal;      /* process.terminal: create the /dev/console target */
        bool in_userns;     /* a new user namespace: bind devices instead of mknod */
};

/* In the launcher's parent, before clone (and before entering any
 * namespace): make the idmapped bind mounts of the config as detached
 * trees, which needs privileges over the host's filesystems that a child in
 * a user namespace lacks. The child inherits them and rootfs_prepare()
 * attaches them. A no-op without idmapped mounts. */
int rootfs_premount(const struct rootfs_ctx *ctx, struct berr *err);
/* Close the premade trees (the parent, after clone). */
void rootfs_premount_release(void);

/* Everything up to (not including) pivot_root: after it the createContainer
 * hooks run. Call in the child, in the new mount namespace. */
int rootfs_prepare(const struct rootfs_ctx *ctx, struct berr *err);

/* pivot_root (or move+chroot), then masked paths, read-only paths,
 * root.readonly and the final rootfsPropagation. cwd is "/" afterwards. */
int rootfs_finish(const struct rootfs_ctx *ctx, struct berr *err);

/* hostname and domainname (in the new UTS namespace). */
int linux_set_uts_names(const struct oci_config *cfg, struct berr *err);
/* linux.sysctl, written through /proc/sys verified to be procfs. */
int linux_apply_sysctl(const struct oci_config *cfg, struct berr *err);

#endif
