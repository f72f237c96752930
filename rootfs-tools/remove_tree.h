/* rm -rf inside a tree being unpacked, through fds, never following a
 * symlink, with one open directory at a time whatever the depth. */
#ifndef BERTH_UNPACK_REMOVE_TREE_H
#define BERTH_UNPACK_REMOVE_TREE_H

#include "error.h"

/* Remove NAME (one component) in DIRFD and everything below it. A missing
 * NAME is not an error. */
int remove_tree_at(int dirfd, const char *name, struct berr *err);

/* Remove everything inside the directory DIRFD, keeping the directory. */
int empty_dir_at(int dirfd, struct berr *err);

#endif
