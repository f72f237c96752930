/* /dev inside the container: the default device nodes, linux.devices
 * (mknod, or a bind from the host inside a user namespace), the /dev/fd,
 * /dev/std* and /dev/ptmx symlinks and the /dev/console target. Every node
 * is created below a parent resolved with lib/safepath, so a /dev symlink
 * in the rootfs can only lead elsewhere inside it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "mntutil.h"
#include "rootfs_steps.h"
#include "safepath.h"

struct devnode {
        const char *path;
        char type;
        unsigned major, minor;
        mode_t mode;
        uid_t uid;
        gid_t gid;
};

static const struct devnode default_devices[] = {
    {"/dev/null", 'c', 1, 3, 0666, 0, 0},    {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
    {"/dev/full", 'c', 1, 7, 0666, 0, 0},    {"/dev/random", 'c', 1, 8, 0666, 0, 0},
    {"/dev/urandom", 'c', 1, 9, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
};

static const struct {
        const char *target, *name;
} dev_symlinks[] = {
    {"/proc/self/fd", "fd"},
    {"/proc/self/fd/0", "stdin"},
    {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"},
};

static mode_t type_bits(char type)
{
        switch (type) {
        case 'b':
                return S_IFBLK;
        case 'p':
                return S_IFIFO;
        default: /* 'c', 'u' */
                return S_IFCHR;
        }
}

/* mknod PATH inside ROOTFD, replacing whatever is there. */
static int make_node(int rootfd, const struct devnode *d, struct berr *err)
{
        char name[NAME_MAX + 1];
        _cleanup_free_ char *dir = strdup(d->path);

        if (!dir)
                return berr_fail(err, ENOMEM, "device %s", d->path);
        *strrchr(dir, '/') = '\0';
        _cleanup_close_ int made = safe_mkdir_p(rootfd, *dir ? dir : "/", 0755, err);
        if (made < 0)
                return berr_wrap(err, "device %s", d->path);
        _cleanup_close_ int parent = safe_open_parent(rootfd, d->path, name, sizeof(name), err);
        if (parent < 0)
                return berr_wrap(err, "device %s", d->path);
        dev_t dev = d->type == 'p' ? 0 : makedev(d->major, d->minor);
        if (mknodat(parent, name, type_bits(d->type) | (d->mode & 07777), dev) < 0) {
                if (errno != EEXIST)
                        return berr_sys(err, "mknod %s", d->path);
                if (unlinkat(parent, name, 0) < 0 ||
                    mknodat(parent, name, type_bits(d->type) | (d->mode & 07777), dev) < 0)
                        return berr_sys(err, "mknod %s", d->path);
        }
        /* The node is ours and fresh: set exact mode (no umask) and owner. */
        if (fchmodat(parent, name, d->mode & 07777, 0) < 0 ||
            fchownat(parent, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(err, "device %s: chmod/chown", d->path);
        return 0;
}

/* In a user namespace mknod is refused: bind the host's node instead. */
static int bind_node(int rootfd, const struct devnode *d, struct berr *err)
{
        _cleanup_close_ int src = open(d->path, O_PATH | O_CLOEXEC);
        struct stat st;

        if (src < 0)
                return berr_sys(err, "device %s: open on the host", d->path);
        if (fstat(src, &st) < 0)
                return berr_sys(err, "device %s", d->path);
        if ((st.st_mode & S_IFMT) != type_bits(d->type) ||
            (d->type != 'p' && st.st_rdev != makedev(d->major, d->minor)))
                return berr_fail(err, ENODEV,
                                 "device %s: the host's node is not %c %u:%u, cannot bind it",
                                 d->path, d->type, d->major, d->minor);
        _cleanup_close_ int dst = mnt_open_target(rootfd, d->path, true, err);
        if (dst < 0)
                return berr_wrap(err, "device %s", d->path);
        return mnt_bind_fd(src, dst, false, d->path, err);
}

static int create_node(const struct rootfs_ctx *ctx, int rootfd, const struct devnode *d,
                       struct berr *err)
{
        if (strncmp(d->path, "/dev/", 5) != 0 || strstr(d->path, "/../"))
                return berr_fail(err, EINVAL, "device %s: path must be below /dev", d->path);
        return ctx->in_userns ? bind_node(rootfd, d, err) : make_node(rootfd, d, err);
}

static bool config_has_device(const struct oci_config *cfg, const char *path)
{
        for (size_t i = 0; i < cfg->lnx.n_devices; i++)
                if (mount_dest_is(cfg->lnx.devices[i].path, path))
                        return true;
        return false;
}

static int make_symlinks(int rootfd, struct berr *err)
{
        _cleanup_close_ int dev = safe_openat(rootfd, "/dev", O_PATH | O_DIRECTORY, 0, err);

        if (dev < 0)
                return berr_wrap(err, "/dev symlinks");
        for (size_t i = 0; i < sizeof(dev_symlinks) / sizeof(dev_symlinks[0]); i++)
                if (symlinkat(dev_symlinks[i].target, dev, dev_symlinks[i].name) < 0 &&
                    errno != EEXIST)
                        return berr_sys(err, "symlink /dev/%s", dev_symlinks[i].name);
        if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev, "core") < 0 &&
            errno != EEXIST)
                return berr_sys(err, "symlink /dev/core");
        /* /dev/ptmx always points at the devpts instance of the container. */
        if (unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT)
                return berr_sys(err, "remove /dev/ptmx");
        if (symlinkat("pts/ptmx", dev, "ptmx") < 0)
                return berr_sys(err, "symlink /dev/ptmx");
        return 0;
}

int devices_setup(const struct rootfs_ctx *ctx, int rootfd, const struct rootfs_state *st,
                  struct berr *err)
{
        const struct oci_config *cfg = ctx->cfg;
        int r;

        if (st->dev_is_bind)
                return 0; /* the host's /dev, as the config asked */
        for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
                if (config_has_device(cfg, default_devices[i].path))
                        continue;
                r = create_node(ctx, rootfd, &default_devices[i], err);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < cfg->lnx.n_devices; i++) {
                const struct oci_device *c = &cfg->lnx.devices[i];
                struct devnode d = {
                    .path = c->path,
                    .type = c->type,
                    .major = (unsigned)c->major,
                    .minor = (unsigned)c->minor,
                    .mode = c->file_mode.set ? (mode_t)c->file_mode.value : 0666,
                    .uid = c->uid.set ? (uid_t)c->uid.value : 0,
                    .gid = c->gid.set ? (gid_t)c->gid.value : 0,
                };
                r = create_node(ctx, rootfd, &d, err);
                if (r < 0)
                        return r;
        }
        r = make_symlinks(rootfd, err);
        if (r < 0)
                return r;
        if (ctx->terminal) {
                /* The launcher binds the pty slave onto this file. */
                _cleanup_close_ int c = mnt_open_target(rootfd, "/dev/console", true, err);
                if (c < 0)
                        return berr_wrap(err, "/dev/console");
        }
        return 0;
}
