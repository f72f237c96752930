/* Placeholders until rootfs lands: each refuses clearly instead of pretending.
 * The owner deletes this file when the real functions exist. */
#include <errno.h>

#include "rootfs.h"

__attribute__((weak)) int rootfs_prepare(const struct rootfs_ctx *ctx, struct berr *err)
{
        (void)ctx;
        return berr_fail(err, ENOSYS, "rootfs_prepare: not implemented yet in this berth");
}

__attribute__((weak)) int rootfs_finish(const struct rootfs_ctx *ctx, struct berr *err)
{
        (void)ctx;
        return berr_fail(err, ENOSYS, "rootfs_finish: not implemented yet in this berth");
}

__attribute__((weak)) int linux_set_uts_names(const struct oci_config *cfg, struct berr *err)
{
        (void)cfg;
        return berr_fail(err, ENOSYS, "linux_set_uts_names: not implemented yet in this berth");
}

__attribute__((weak)) int linux_apply_sysctl(const struct oci_config *cfg, struct berr *err)
{
        (void)cfg;
        return berr_fail(err, ENOSYS, "linux_apply_sysctl: not implemented yet in this berth");
}
