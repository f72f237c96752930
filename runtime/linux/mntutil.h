/* Low-level mount helpers for the rootfs steps: every mount lands on an fd
 * resolved inside the rootfs (through /proc/self/fd/N or the new mount
 * API), never on a path string that a symlink could redirect. */
#ifndef BERTH_MNTUTIL_H
#define BERTH_MNTUTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* Create (when missing) and open DEST inside ROOTFD as a mount target:
 * a directory, or an empty regular file when IS_FILE. Returns an O_PATH fd. */
int mnt_open_target(int rootfd, const char *dest, bool is_file, struct berr *err);

/* mount(2) onto the object DSTFD refers to. SRC may be NULL. WHAT names
 * the mount in errors ("proc on /proc"). */
int mnt_onto_fd(const char *src, int dstfd, const char *type, unsigned long flags, const char *data,
                const char *what, struct berr *err);

/* Bind the object SRCFD refers to onto DSTFD (recursively when REC). */
int mnt_bind_fd(int srcfd, int dstfd, bool rec, const char *what, struct berr *err);

/* MS_REMOUNT|MS_BIND with FLAGS on the mount whose root FD is. When the
 * kernel refuses (EPERM: flags locked by a user namespace), retry keeping
 * the mount's locked nosuid/nodev/noexec/rdonly/atime flags. */
int mnt_remount_bind(int fd, unsigned long flags, const char *what, struct berr *err);

/* mount_setattr(2) on FD (recursively when REC); ENOSYS is reported as the
 * kernel lacking it (Linux 5.12). */
int mnt_setattr(int fd, uint64_t set, uint64_t clr, bool rec, const char *what, struct berr *err);

/* Make the mount at FD read-only: mount_setattr when the kernel has it,
 * else a bind remount through /proc/self/fd. */
int mnt_make_readonly(int fd, bool rec, const char *what, struct berr *err);

/* Propagation change (MS_SHARED/SLAVE/PRIVATE/UNBINDABLE [|MS_REC]) at FD. */
int mnt_propagation(int fd, unsigned long prop, const char *what, struct berr *err);

/* True when FD lives on a filesystem with statfs magic MAGIC. */
bool fd_on_fs(int fd, long magic);

#endif
