/* maskedPaths and readonlyPaths, applied after pivot_root. Files are masked
 * with the container's /dev/null only once fstat shows it is the real
 * character device 1:3; directories with an empty read-only tmpfs.
 * Paths resolve inside the root with lib/safepath (no magic links). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "mntutil.h"
#include "rootfs_steps.h"
#include "safepath.h"

static int open_verified_devnull(int rootfd, struct berr *err)
{
        struct stat st;

        _cleanup_close_ int fd = safe_openat(rootfd, "/dev/null", O_PATH, 0, err);
        if (fd < 0)
                return berr_wrap(err, "masked paths: need /dev/null");
        if (fstat(fd, &st) < 0)
                return berr_sys(err, "masked paths: stat /dev/null");
        if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                return berr_fail(err, EPERM,
                                 "masked paths: /dev/null in the container is not the null "
                                 "device (char 1:3); refusing to mask with it");
        return steal_fd(&fd);
}

/* An empty read-only tmpfs over directory FD. */
static int mask_dir(int fd, const char *path, struct berr *err)
{
        _cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
        if (fs < 0 && errno == ENOSYS)
                return mnt_onto_fd("tmpfs", fd, "tmpfs", MS_RDONLY, NULL, path, err);
        if (fs < 0)
                return berr_sys(err, "mask %s: fsopen tmpfs", path);
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return berr_sys(err, "mask %s: create tmpfs", path);
        _cleanup_close_ int mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
        if (mnt < 0)
                return berr_sys(err, "mask %s: fsmount", path);
        if (move_mount(mnt, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return berr_sys(err, "mask %s", path);
        return 0;
}

int masks_apply(const struct oci_linux *lnx, int rootfd, struct berr *err)
{
        _cleanup_close_ int devnull = -1;
        struct stat st;
        int r;

        for (size_t i = 0; i < lnx->masked_paths.len; i++) {
                const char *p = lnx->masked_paths.items[i];
                _cleanup_close_ int fd = safe_openat(rootfd, p, O_PATH, 0, err);
                if (fd < 0 && err->status == -ENOENT) {
                        berr_clear(err);
                        continue;
                }
                if (fd < 0)
                        return berr_wrap(err, "mask %s", p);
                if (fstat(fd, &st) < 0)
                        return berr_sys(err, "mask %s", p);
                if (S_ISDIR(st.st_mode)) {
                        r = mask_dir(fd, p, err);
                } else {
                        if (devnull < 0) {
                                devnull = open_verified_devnull(rootfd, err);
                                if (devnull < 0)
                                        return devnull;
                        }
                        r = mnt_bind_fd(devnull, fd, false, p, err);
                }
                if (r < 0)
                        return berr_wrap(err, "mask %s", p);
        }
        return 0;
}

int readonly_paths_apply(const struct oci_linux *lnx, int rootfd, struct berr *err)
{
        for (size_t i = 0; i < lnx->readonly_paths.len; i++) {
                const char *p = lnx->readonly_paths.items[i];
                _cleanup_close_ int fd = safe_openat(rootfd, p, O_PATH, 0, err);
                if (fd < 0 && err->status == -ENOENT) {
                        berr_clear(err);
                        continue;
                }
                if (fd < 0)
                        return berr_wrap(err, "read-only path %s", p);
                /* Bind the path onto itself, then make that bind read-only. */
                int r = mnt_bind_fd(fd, fd, true, p, err);
                if (r < 0)
                        return berr_wrap(err, "read-only path %s", p);
                _cleanup_close_ int top = safe_openat(rootfd, p, O_PATH, 0, err);
                if (top < 0)
                        return berr_wrap(err, "read-only path %s", p);
                r = mnt_make_readonly(top, true, p, err);
                if (r < 0)
                        return r;
        }
        return 0;
}
