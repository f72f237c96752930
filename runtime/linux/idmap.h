/* Idmapped bind mounts (mount_setattr MOUNT_ATTR_IDMAP): a user namespace
 * carrying the mount's uid/gid mappings, and the idmapped clone of a tree. */
#ifndef BERTH_IDMAP_H
#define BERTH_IDMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "error.h"

/* A user namespace fd whose maps are UIDS and GIDS ("containerID hostID
 * size" lines, as runc writes them). */
int idmap_userns_fd(const struct oci_idmap_list *uids, const struct oci_idmap_list *gids,
                    struct berr *err);

struct rootfs_ctx;

/* A detached idmapped clone of M's source (the mount's own mappings, else
 * the container's user namespace mappings, as runc). Returns the tree fd. */
int idmap_make_tree(const struct rootfs_ctx *ctx, const struct oci_mount *m, struct berr *err);

/* The tree rootfs_premount() made for config.mounts[INDEX], or -1. */
int idmap_take_premade(size_t index);

/* Attach TREE onto DSTFD. */
int idmap_attach(int tree, int dstfd, const char *what, struct berr *err);

#endif
