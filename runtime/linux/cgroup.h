/* The container's cgroup (v2 only): placement, freeze, kill, listing,
 * removal, and (cgroup_apply_resources) linux.resources. Owner: cgroups. */
#ifndef BERTH_CGROUP_H
#define BERTH_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

struct berth_cgroup;

struct cgroup_opts {
        const char *manager;      /* "cgroupfs" (default), "systemd" or "disabled" */
        const char *cgroups_path; /* linux.cgroupsPath, or NULL for the default /berth/ID */
        const char *id;           /* container id */
};

/* Create the container's cgroup (and enable the controllers RES needs in
 * every ancestor), apply RES (may be NULL). With manager "disabled" the
 * handle is valid but empty: dirfd -1, path "". */
int cgroup_create(const struct cgroup_opts *o, const struct oci_resources *res,
                  struct berth_cgroup **out, struct berr *err);
/* Reopen a cgroup from the path saved in the state ("" = disabled). */
int cgroup_open(const char *fs_path, struct berth_cgroup **out, struct berr *err);

/* An O_DIRECTORY fd of the cgroup for clone3(CLONE_INTO_CGROUP), or -1. */
int cgroup_dirfd(const struct berth_cgroup *cg);
/* Absolute path on the cgroup filesystem, "" when disabled. */
const char *cgroup_fs_path(const struct berth_cgroup *cg);
/* The path as seen from the cgroup root, e.g. "/berth/c1" (for state/clients). */
const char *cgroup_rel_path(const struct berth_cgroup *cg);

int cgroup_apply_resources(const struct berth_cgroup *cg, const struct oci_resources *res,
                           struct berr *err);
int cgroup_kill_all(const struct berth_cgroup *cg, struct berr *err); /* cgroup.kill */
int cgroup_freeze(const struct berth_cgroup *cg, bool frozen, struct berr *err);
int cgroup_is_frozen(const struct berth_cgroup *cg, bool *frozen, struct berr *err);
/* Pids in cgroup.procs (malloc'd array). */
int cgroup_pids(const struct berth_cgroup *cg, pid_t **pids, size_t *n, struct berr *err);
/* Wait (bounded) for the cgroup to empty and remove it. */
int cgroup_destroy(struct berth_cgroup *cg, struct berr *err);
void cgroup_free(struct berth_cgroup *cg);

#endif
