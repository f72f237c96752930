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

/* Is PREFIX a path-component prefix of PATH? */
static bool path_has_prefix(const char *path, const char *prefix);

/* With chroot the host's own procfs and sysfs stay in the mount namespace,
 * and the kernel lets a fresh proc or sysfs be mounted as long as one fully
 * visible instance exists anywhere in it, so a container could mount an
 * unmasked procfs. Detach them (or cover them when that is refused). */
static int hide_host_proc_sys(const char *rootfs, struct berr *err)
{
        _cleanup_free_ char *real = realpath(rootfs, NULL);
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        _cleanup_free_ char *line = NULL;
        char(*todo)[PATH_MAX] = NULL;
        size_t n = 0, cap = 0;
        int r = 0;

        if (!real || !f)
                return berr_sys(err, "--no-pivot: read the mount table");
        while (getline(&line, &cap, f) > 0) {
                char root[PATH_MAX], mp[PATH_MAX], fstype[64];
                char *sep = strstr(line, " - ");
                if (!sep || sscanf(line, "%*d %*d %*s %4095s %4095s", root, mp) != 2 ||
                    sscanf(sep + 3, "%63s", fstype) != 1)
                        continue;
                if (strcmp(root, "/") != 0 || path_has_prefix(mp, real) ||
                    (strcmp(fstype, "proc") != 0 && strcmp(fstype, "sysfs") != 0))
                        continue;
                void *nt = realloc(todo, (n + 1) * sizeof(*todo));
                if (!nt) {
                        free(todo);
                        return berr_fail(err, ENOMEM, "--no-pivot");
                }
                todo = nt;
                snprintf(todo[n++], PATH_MAX, "%s", mp);
        }
        /* Deepest first, so a mount is not detached with its parent still
         * hiding it. */
        for (size_t i = n; i-- > 0 && r == 0;) {
                if (mount(NULL, todo[i], NULL, MS_SLAVE | MS_REC, NULL) < 0 && errno != EINVAL) {
                        r = berr_sys(err, "--no-pivot: make %s rslave", todo[i]);
                        break;
                }
                if (umount2(todo[i], MNT_DETACH) == 0)
                        continue;
                if ((errno == EINVAL || errno == EPERM) &&
                    mount("tmpfs", todo[i], "tmpfs", MS_RDONLY, NULL) == 0)
                        continue;
                r = berr_sys(err, "--no-pivot: hide the host's %s", todo[i]);
        }
        free(todo);
        return r;
}

int rootfs_move_chroot(const char *rootfs, struct berr *err)
{
        int r = hide_host_proc_sys(rootfs, err);
        if (r < 0)
                return r;
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
                char *unbindable = strstr(line, " unbindable");
                /* An unbindable mount cannot be the source of the bind. */
                best_shared = sep && ((shared && shared < sep) || (unbindable && unbindable < sep));
        }
        if (best[0] && best_shared && mount(NULL, best, NULL, MS_PRIVATE, NULL) < 0)
                return berr_sys(err, "make %s private for pivot_root", best);
        return 0;
}
