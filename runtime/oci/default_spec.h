/* The default config.json of `berth spec`: a busybox-friendly container
 * (sh on a terminal, the usual namespaces, mounts, masked and read-only
 * paths, a small capability set with empty inheritable and ambient sets). */
#ifndef BERTH_OCI_DEFAULT_SPEC_H
#define BERTH_OCI_DEFAULT_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Write the default spec as indented JSON into a new heap buffer *OUT (NUL-
 * terminated, *LEN bytes). ROOTLESS adds a user namespace mapping root to
 * UID/GID, drops the network namespace and cgroup resources, and bind-mounts
 * /sys instead of mounting sysfs. */
int oci_default_spec(bool rootless, uid_t uid, gid_t gid, char **out, size_t *len,
                     struct berr *err);

#endif
