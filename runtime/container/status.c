/* The live status of a container: the recorded one corrected for the
 * init's liveness (state.h), and "paused" from the cgroup freezer. This is
 * the hook through which pause/resume show up in state and list. */
#include <errno.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "container.h"

int container_cgroup_open(const struct container_state *st, struct berth_cgroup **cg,
                          struct berr *err)
{
        struct stat sb;

        if (!st->cgroup_path[0])
                return berr_fail(err, ENOENT, "container %s has no cgroup", st->id);
        if (stat(st->cgroup_path, &sb) < 0)
                return berr_sys(err, "cgroup %s", st->cgroup_path);
        if (st->cgroup_ino && (uint64_t)sb.st_ino != st->cgroup_ino)
                return berr_fail(err, ENOENT,
                                 "cgroup %s now belongs to another container with the same id",
                                 st->cgroup_path);
        return cgroup_open(st->cgroup_path, cg, err);
}

enum container_status container_status(const struct state_dir *sd, const struct container_state *st)
{
        enum container_status s = state_live_status(sd, st);
        struct berth_cgroup *cg = NULL;
        struct berr err = {0};
        bool frozen = false;

        if ((s != CONTAINER_RUNNING && s != CONTAINER_CREATED) || !st->cgroup_path[0])
                return s;
        if (container_cgroup_open(st, &cg, &err) < 0)
                return s;
        if (cgroup_is_frozen(cg, &frozen, &err) < 0)
                frozen = false;
        cgroup_free(cg);
        return frozen ? CONTAINER_PAUSED : s;
}
