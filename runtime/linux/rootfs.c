/* rootfs_prepare() and rootfs_finish(): the order of the filesystem steps
 * in the container's child, each step in its own file. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cleanup.h"
#include "mntutil.h"
#include "rootfs.h"
#include "rootfs_steps.h"
#include "safepath.h"

/* rootfs_prepare() and rootfs_finish() run in the same child, one after
 * the other; the state the first learns is kept here for the second. */
static struct rootfs_state state;

int rootfs_prepare(const struct rootfs_ctx *ctx, struct berr *err)
{
        const struct oci_config *cfg = ctx->cfg;
        unsigned long prop =
            cfg->lnx.rootfs_propagation ? cfg->lnx.rootfs_propagation : MS_SLAVE | MS_REC;
        int r;

        state = (struct rootfs_state){0};
        /* Nothing done below may propagate back to the host. */
        if (mount(NULL, "/", NULL, prop, NULL) < 0)
                return berr_sys(err, "set propagation of / (rootfsPropagation)");
        if (prop & (MS_SHARED | MS_UNBINDABLE)) {
                r = rootfs_parent_private(ctx->rootfs, err);
                if (r < 0)
                        return r;
        }
        /* A mount of its own, so pivot_root takes it and mounts below stay in. */
        if (mount(ctx->rootfs, ctx->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
                return berr_sys(err, "bind mount the rootfs %s", ctx->rootfs);
        _cleanup_close_ int rootfd = open(ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return berr_sys(err, "open rootfs %s", ctx->rootfs);

        r = mounts_apply(ctx, rootfd, &state, err);
        if (r < 0)
                return r;
        return devices_setup(ctx, rootfd, &state, err);
}

static int make_cwd(const struct oci_config *cfg, int rootfd, struct berr *err)
{
        if (!cfg->process || !cfg->process->cwd || !*cfg->process->cwd)
                return 0;
        int fd = mnt_open_target(rootfd, cfg->process->cwd, false, err);
        if (fd < 0)
                return berr_wrap(err, "create process.cwd");
        close(fd);
        return 0;
}

int rootfs_finish(const struct rootfs_ctx *ctx, struct berr *err)
{
        const struct oci_config *cfg = ctx->cfg;
        int r;

        r = ctx->no_pivot ? rootfs_move_chroot(ctx->rootfs, err) : rootfs_pivot(ctx->rootfs, err);
        if (r < 0)
                return r;
        _cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return berr_sys(err, "open / after pivot_root");

        r = make_cwd(cfg, rootfd, err);
        if (r < 0)
                return r;
        /* Before readonlyPaths makes /proc/sys read-only, as runc. */
        r = sysctl_apply_in(cfg, rootfd, err);
        if (r < 0)
                return r;
        r = readonly_paths_apply(&cfg->lnx, rootfd, err);
        if (r < 0)
                return r;
        r = masks_apply(&cfg->lnx, rootfd, err);
        if (r < 0)
                return r;
        if (state.dev_readonly) {
                _cleanup_close_ int dev = safe_openat(rootfd, "/dev", O_PATH | O_DIRECTORY, 0, err);
                if (dev < 0 || mnt_make_readonly(dev, false, "/dev", err) < 0)
                        return berr_wrap(err, "read-only /dev");
        }
        if (cfg->root.readonly) {
                r = mnt_make_readonly(rootfd, false, "the root (root.readonly)", err);
                if (r < 0)
                        return r;
        }
        if (cfg->lnx.rootfs_propagation &&
            mount(NULL, "/", NULL, cfg->lnx.rootfs_propagation, NULL) < 0)
                return berr_sys(err, "set propagation of / (rootfsPropagation)");
        if (chdir("/") < 0)
                return berr_sys(err, "chdir /");
        return 0;
}
