/* Switching the root: pivot_root(".", ".") with the old root detached from
 * on top of the new one, or (--no-pivot) MS_MOVE + chroot. Also the
 * private-parent fix pivot_root needs under shared propagation. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "rootfs_steps.h"

int rootfs_pivot(const char *rootfs, struct berr *err)
{
        _cleanup_close_ int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        _cleanup_close_ int newroot = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);

        if (oldroot < 0 || newroot < 0)
                return berr_sys(err, "pivot_root: open %s", oldroot < 0 ? "/" : rootfs);
        if (fchdir(newroot) < 0)
                return berr_sys(err, "pivot_root: chdir %s", rootfs);
        /* The old root ends up mounted on top of the new one, at ".". */
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return berr_sys(err, "pivot_root %s%s", rootfs,
                                errno == EINVAL ? " (on an initramfs root, use --no-pivot)" : "");
        if (fchdir(oldroot) < 0)
                return berr_sys(err, "pivot_root: chdir to the old root");
        /* Keep the detach from propagating back to the host. */
        if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                return berr_sys(err, "pivot_root: make the old root rslave");
        if (umount2(".", MNT_DETACH) < 0)
                return berr_sys(err, "pivot_root: detach the old root");
        if (chdir("/") < 0)
                return berr_sys(err, "pivot_root: chdir /");
        return 0;
}

int rootfs_move_chroot(const char *rootfs, struct berr *err)
{
        if (chdir(rootfs) < 0)
                return berr_sys(err, "chdir %s", rootfs);
        if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
                return berr_sys(err, "move %s to /", rootfs);
        if (chroot(".") < 0)
                return berr_sys(err, "chroot %s", rootfs);
        if (chdir("/") < 0)
                return berr_sys(err, "chdir /");
        return 0;
}

/* Is PREFIX a path-component prefix of PATH? */
static bool path_has_prefix(const char *path, const char *prefix)
{
        size_t n = strlen(prefix);

        if (strcmp(prefix, "/") == 0)
                return true;
        return strncmp(path, prefix, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

int rootfs_parent_private(const char *rootfs, struct berr *err)
{
        _cleanup_free_ char *real = realpath(rootfs, NULL);
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        _cleanup_free_ char *line = NULL;
        char best[PATH_MAX] = "";
        bool best_shared = false;
        size_t cap = 0;

        if (!real)
                return berr_sys(err, "resolve %s", rootfs);
        if (!f)
                return berr_sys(err, "open /proc/self/mountinfo");
        /* The bind of the rootfs onto itself will sit on the mount that holds
         * the rootfs now (the rootfs itself when it is a mount point, as an
         * overlay's merged directory is), and pivot_root checks the parent of
         * the old root ("/") too: both must not be shared. */
        if (mount(NULL, "/", NULL, MS_PRIVATE, NULL) < 0)
                return berr_sys(err, "make / private for pivot_root");
        while (getline(&line, &cap, f) > 0) {
                char mp[PATH_MAX];
                if (sscanf(line, "%*d %*d %*s %*s %4095s", mp) != 1)
                        continue;
                if (!path_has_prefix(real, mp) || strlen(mp) < strlen(best))
                        continue;
                snprintf(best, sizeof(best), "%s", mp);
                char *sep = strstr(line, " - ");
                char *shared = strstr(line, " shared:");
                best_shared = shared && sep && shared < sep;
        }
        if (best[0] && best_shared && mount(NULL, best, NULL, MS_PRIVATE, NULL) < 0)
                return berr_sys(err, "make %s private for pivot_root", best);
        return 0;
}
