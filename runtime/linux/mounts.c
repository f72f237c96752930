/* config.mounts, in order, inside the rootfs: bind/rbind with their flags
 * and recursive attributes, tmpfs, proc, sysfs, mqueue, devpts, cgroup2,
 * tmpcopyup. Every target is created and resolved with lib/safepath and
 * mounted onto through its fd. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "copyup.h"
#include "idmap.h"
#include "log.h"
#include "mntutil.h"
#include "rootfs_steps.h"
#include "safepath.h"

/* Flags a bind remount can change on the new mount. */
#define BIND_REMOUNT_FLAGS                                                                         \
        (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | \
         MS_STRICTATIME | MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK)

bool mount_dest_is(const char *dest, const char *path)
{
        for (;;) {
                while (dest[0] == '/' && dest[1] == '/')
                        dest++;
                while (path[0] == '/' && path[1] == '/')
                        path++;
                if (*dest == '\0' || *path == '\0')
                        break;
                if (*dest != *path)
                        return false;
                dest++;
                path++;
        }
        while (*dest == '/')
                dest++;
        while (*path == '/')
                path++;
        return *dest == '\0' && *path == '\0';
}

static bool type_is(const struct oci_mount *m, const char *t)
{
        return m->type && strcmp(m->type, t) == 0;
}

/* A bind source: absolute, or relative to the bundle. */
int mount_open_bind_source(const struct rootfs_ctx *ctx, const struct oci_mount *m,
                           struct berr *err)
{
        char buf[PATH_MAX];
        const char *src = m->source;

        if (!src || !*src)
                return berr_fail(err, EINVAL, "mount %s: a bind mount needs a source",
                                 m->destination);
        if (src[0] != '/') {
                if (snprintf(buf, sizeof(buf), "%s/%s", ctx->bundle, src) >= (int)sizeof(buf))
                        return berr_fail(err, ENAMETOOLONG, "mount %s: source too long",
                                         m->destination);
                src = buf;
        }
        int fd = open(src, O_PATH | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(err, "mount %s on %s: source", m->source, m->destination);
        return fd;
}

/* After mounting, reopen the destination so the fd is the new mount's root. */
static int reopen_top(int rootfd, const char *dest, int flags, struct berr *err)
{
        return safe_openat(rootfd, dest, flags, 0, err);
}

static int apply_after(int rootfd, const struct oci_mount *m, const char *what, int topfd,
                       struct berr *err)
{
        const struct oci_mount_flags *pf = &m->parsed;
        int r;

        if (pf->attr_set || pf->attr_clr) {
                r = mnt_setattr(topfd, pf->attr_set, pf->attr_clr, true, what, err);
                if (r < 0)
                        return r;
        }
        if (pf->propagation) {
                r = mnt_propagation(topfd, pf->propagation, what, err);
                if (r < 0)
                        return r;
        }
        (void)rootfd;
        return 0;
}

static int mount_bind_entry(const struct rootfs_ctx *ctx, int rootfd, const struct oci_mount *m,
                            const char *what, struct berr *err)
{
        const struct oci_mount_flags *pf = &m->parsed;
        struct stat st;

        _cleanup_close_ int srcfd = mount_open_bind_source(ctx, m, err);
        if (srcfd < 0)
                return srcfd;
        if (fstat(srcfd, &st) < 0)
                return berr_sys(err, "mount %s: stat source", what);
        _cleanup_close_ int dstfd =
            mnt_open_target(rootfd, m->destination, !S_ISDIR(st.st_mode), err);
        if (dstfd < 0)
                return berr_wrap(err, "mount %s", what);

        int r;
        if (pf->idmap) {
                /* Made by the launcher's parent (rootfs_premount) when it could:
                 * inside a user namespace the child lacks the privileges. */
                _cleanup_close_ int tree = idmap_take_premade((size_t)(m - ctx->cfg->mounts));
                if (tree < 0 && ctx->in_userns)
                        return berr_fail(err, EPERM,
                                         "mount %s: an idmapped mount in a user namespace must "
                                         "be prepared before the namespace is entered "
                                         "(rootfs_premount)",
                                         what);
                if (tree < 0)
                        tree = idmap_make_tree(ctx, m, err);
                if (tree < 0)
                        return tree;
                r = idmap_attach(tree, dstfd, what, err);
        } else {
                r = mnt_bind_fd(srcfd, dstfd, pf->recursive, what, err);
        }
        if (r < 0)
                return r;
        _cleanup_close_ int topfd = reopen_top(rootfd, m->destination, O_PATH, err);
        if (topfd < 0)
                return berr_wrap(err, "mount %s", what);
        unsigned long flags = pf->flags & BIND_REMOUNT_FLAGS;
        if (flags) {
                r = mnt_remount_bind(topfd, flags, what, err);
                if (r < 0)
                        return r;
        }
        return apply_after(rootfd, m, what, topfd, err);
}

/* proc and sysfs must land on a real directory: a symlink there would move
 * them somewhere the masks and LSM rules do not expect. */
static int check_not_symlink(int rootfd, const struct oci_mount *m, const char *what,
                             struct berr *err)
{
        char name[NAME_MAX + 1];
        struct stat st;

        _cleanup_close_ int parent =
            safe_open_parent(rootfd, m->destination, name, sizeof(name), err);
        if (parent < 0)
                return parent == -ENOENT ? (berr_clear(err), 0) : parent;
        if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : berr_sys(err, "mount %s", what);
        if (S_ISLNK(st.st_mode))
                return berr_fail(err, ELOOP, "mount %s: the destination is a symlink", what);
        if (!S_ISDIR(st.st_mode))
                return berr_fail(err, ENOTDIR, "mount %s: the destination is not a directory",
                                 what);
        return 0;
}

static int mount_fs_entry(const struct rootfs_ctx *ctx, int rootfd, const struct oci_mount *m,
                          const char *what, struct rootfs_state *st, struct berr *err)
{
        const struct oci_mount_flags *pf = &m->parsed;
        const char *type = m->type;
        const char *src = m->source && *m->source ? m->source : type;
        unsigned long flags = pf->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
        bool ro_later = false;
        int r;

        (void)ctx;
        if (type_is(m, "cgroup") || type_is(m, "cgroup2")) {
                /* cgroup v2 only: inside the container's cgroup namespace the
                 * root of this mount is the container's own cgroup. */
                type = "cgroup2";
                src = "cgroup2";
        }
        if (type_is(m, "proc") || type_is(m, "sysfs")) {
                r = check_not_symlink(rootfd, m, what, err);
                if (r < 0)
                        return r;
        }
        _cleanup_close_ int dstfd = mnt_open_target(rootfd, m->destination, false, err);
        if (dstfd < 0)
                return berr_wrap(err, "mount %s", what);

        /* /dev gets its nodes after all mounts, and tmpcopyup its copy:
         * mount writable, make read-only afterwards. */
        bool is_dev = mount_dest_is(m->destination, "/dev");
        if ((is_dev || pf->tmpcopyup) && (flags & MS_RDONLY)) {
                flags &= ~MS_RDONLY;
                ro_later = true;
        }
        _cleanup_close_ int oldfd = -1;
        if (pf->tmpcopyup) {
                oldfd = safe_openat(rootfd, m->destination, O_RDONLY | O_DIRECTORY, 0, err);
                if (oldfd < 0)
                        return berr_wrap(err, "mount %s: tmpcopyup", what);
        }

        r = mnt_onto_fd(src, dstfd, type, flags, pf->data, what, err);
        if (r == -EPERM && type_is(m, "sysfs")) {
                /* No network namespace of our own (or a user namespace that
                 * does not own it): bind the host's /sys instead, as runc. */
                log_debug("mount %s: sysfs refused, binding /sys", what);
                berr_clear(err);
                _cleanup_close_ int sysfd = open("/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (sysfd < 0)
                        return berr_sys(err, "mount %s: open /sys", what);
                r = mnt_bind_fd(sysfd, dstfd, true, what, err);
                if (r == 0 && (flags & BIND_REMOUNT_FLAGS)) {
                        _cleanup_close_ int t = reopen_top(rootfd, m->destination, O_PATH, err);
                        r = t < 0 ? t : mnt_remount_bind(t, flags & BIND_REMOUNT_FLAGS, what, err);
                }
        }
        if (r < 0)
                return r;

        if (!pf->tmpcopyup && !ro_later && !pf->attr_set && !pf->attr_clr && !pf->propagation)
                return 0;
        _cleanup_close_ int topfd = reopen_top(rootfd, m->destination, O_RDONLY | O_DIRECTORY, err);
        if (topfd < 0)
                return berr_wrap(err, "mount %s", what);
        if (pf->tmpcopyup) {
                r = copyup_tree(oldfd, topfd, what, err);
                if (r < 0)
                        return r;
        }
        if (ro_later && is_dev) {
                st->dev_readonly = true;
        } else if (ro_later) {
                r = mnt_remount_bind(topfd, (flags & BIND_REMOUNT_FLAGS) | MS_RDONLY, what, err);
                if (r < 0)
                        return r;
        }
        return apply_after(rootfd, m, what, topfd, err);
}

int mount_entry(const struct rootfs_ctx *ctx, int rootfd, const struct oci_mount *m,
                struct rootfs_state *st, struct berr *err)
{
        char what[PATH_MAX + 64];
        bool bind = m->parsed.bind || type_is(m, "bind");

        snprintf(what, sizeof(what), "%s on %s",
                 m->source ? m->source : (m->type ? m->type : "none"), m->destination);
        if (!m->destination || m->destination[0] != '/')
                return berr_fail(err, EINVAL, "mount %s: the destination must be absolute", what);
        if (m->parsed.idmap && !bind)
                return berr_fail(err, ENOTSUP, "mount %s: idmap needs a bind mount", what);
        if (mount_dest_is(m->destination, "/"))
                return berr_fail(err, EINVAL, "mount %s: cannot mount over the root", what);
        if (mount_dest_is(m->destination, "/dev")) {
                st->dev_mounted = true;
                st->dev_is_bind = bind;
        }
        if (bind)
                return mount_bind_entry(ctx, rootfd, m, what, err);
        if (!m->type || !*m->type)
                return berr_fail(err, EINVAL, "mount %s: no type", what);
        return mount_fs_entry(ctx, rootfd, m, what, st, err);
}

static bool config_mounts_dev(const struct oci_config *cfg)
{
        for (size_t i = 0; i < cfg->n_mounts; i++)
                if (cfg->mounts[i].destination && mount_dest_is(cfg->mounts[i].destination, "/dev"))
                        return true;
        return false;
}

int mounts_apply(const struct rootfs_ctx *ctx, int rootfd, struct rootfs_state *st,
                 struct berr *err)
{
        const struct oci_config *cfg = ctx->cfg;
        int r;

        if (!config_mounts_dev(cfg)) {
                /* Never create device nodes in the rootfs on disk. */
                _cleanup_close_ int devfd = mnt_open_target(rootfd, "/dev", false, err);
                if (devfd < 0)
                        return berr_wrap(err, "mount tmpfs on /dev");
                r = mnt_onto_fd("tmpfs", devfd, "tmpfs", MS_NOSUID | MS_STRICTATIME,
                                "mode=755,size=65536k", "tmpfs on /dev", err);
                if (r < 0)
                        return r;
                st->dev_mounted = true;
        }
        for (size_t i = 0; i < cfg->n_mounts; i++) {
                r = mount_entry(ctx, rootfd, &cfg->mounts[i], st, err);
                if (r < 0)
                        return r;
        }
        return 0;
}
