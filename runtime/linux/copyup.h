/* tmpcopyup (podman): copy a directory's existing content into the tmpfs
 * just mounted over it. */
#ifndef BERTH_COPYUP_H
#define BERTH_COPYUP_H

#include "error.h"

/* Copy everything below directory SRCFD into directory DSTFD: files,
 * directories, symlinks, device nodes and fifos with mode, owner and times.
 * Never follows a symlink. */
int copyup_tree(int srcfd, int dstfd, const char *what, struct berr *err);

#endif
