/* Safe path resolution inside an untrusted tree (a container rootfs, an
 * image being unpacked): openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS),
 * with a component-by-component fallback that keeps the same guarantees
 * where openat2 is missing or refused. A symlink or ".." can never lead out
 * of the root; the result is an fd, used through /proc/self/fd/N or *at(). */
#ifndef BERTH_SAFEPATH_H
#define BERTH_SAFEPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Open PATH (absolute or relative, both taken inside rootfd) with open(2)
 * FLAGS (O_CLOEXEC is always added) and MODE for O_CREAT. Returns the fd. */
int safe_openat(int rootfd, const char *path, int flags, mode_t mode, struct berr *err);

/* Like safe_openat, but any symlink on the way, the last component included,
 * is refused with ELOOP: for writers that must never go through a link an
 * untrusted tree put there (berth-unpack). Added for berth-unpack. */
int safe_openat_nolinks(int rootfd, const char *path, int flags, mode_t mode, struct berr *err);

/* mkdir -p inside rootfd; returns an O_PATH|O_DIRECTORY fd of the last
 * directory. A non-directory in the way is ENOTDIR. */
int safe_mkdir_p(int rootfd, const char *path, mode_t mode, struct berr *err);

/* Open the directory that holds PATH's last component (O_PATH|O_DIRECTORY)
 * and copy that last component to NAME. The last component is never "..",
 * "." or empty (EINVAL). */
int safe_open_parent(int rootfd, const char *path, char *name, size_t name_size, struct berr *err);

/* "/proc/self/fd/N" for fd, for mount(2) and friends. */
#define FD_PATH_MAX 32
const char *fd_path(int fd, char buf[FD_PATH_MAX]);

/* Tests set this to exercise the fallback resolver. */
extern bool safepath_force_fallback;

#endif
