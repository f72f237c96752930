/* Placeholders until cgroups lands: each refuses clearly instead of pretending.
 * The owner deletes this file when the real functions exist. */
#include <errno.h>

#include "cgroup.h"

__attribute__((weak)) int cgroup_create(const struct cgroup_opts *o,
                                        const struct oci_resources *res, struct berth_cgroup **out,
                                        struct berr *err)
{
        (void)o;
        (void)res;
        (void)out;
        return berr_fail(err, ENOSYS, "cgroup_create: not implemented yet in this berth");
}

__attribute__((weak)) int cgroup_open(const char *fs_path, struct berth_cgroup **out,
                                      struct berr *err)
{
        (void)fs_path;
        (void)out;
        return berr_fail(err, ENOSYS, "cgroup_open: not implemented yet in this berth");
}

__attribute__((weak)) int cgroup_apply_resources(const struct berth_cgroup *cg,
                                                 const struct oci_resources *res, struct berr *err)
{
        (void)cg;
        (void)res;
        return berr_fail(err, ENOSYS, "cgroup_apply_resources: not implemented yet in this berth");
}

__attribute__((weak)) int cgroup_kill_all(const struct berth_cgroup *cg, struct berr *err)
{
        (void)cg;
        return berr_fail(err, ENOSYS, "cgroup_kill_all: not implemented yet in this berth");
}

__attribute__((weak)) int cgroup_freeze(const struct berth_cgroup *cg, bool frozen,
                                        struct berr *err)
{
        (void)cg;
        (void)frozen;
        return berr_fail(err, ENOSYS, "cgroup_freeze: not implemented yet in this berth");
}

__attribute__((weak)) int cgroup_is_frozen(const struct berth_cgroup *cg, bool *frozen,
                                           struct berr *err)
{
        (void)cg;
        (void)frozen;
        return berr_fail(err, ENOSYS, "cgroup_is_frozen: not implemented yet in this berth");
}

__attribute__((weak)) int cgroup_pids(const struct berth_cgroup *cg, pid_t **pids, size_t *n,
                                      struct berr *err)
{
        (void)cg;
        (void)pids;
        (void)n;
        return berr_fail(err, ENOSYS, "cgroup_pids: not implemented yet in this berth");
}

__attribute__((weak)) int cgroup_destroy(struct berth_cgroup *cg, struct berr *err)
{
        (void)cg;
        return berr_fail(err, ENOSYS, "cgroup_destroy: not implemented yet in this berth");
}
__attribute__((weak)) int cgroup_dirfd(const struct berth_cgroup *cg)
{
        (void)cg;
        return -1;
}

__attribute__((weak)) const char *cgroup_fs_path(const struct berth_cgroup *cg)
{
        (void)cg;
        return "";
}

__attribute__((weak)) const char *cgroup_rel_path(const struct berth_cgroup *cg)
{
        (void)cg;
        return "";
}

__attribute__((weak)) void cgroup_free(struct berth_cgroup *cg)
{
        (void)cg;
}
