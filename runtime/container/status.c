/* The live status of a container: the recorded one corrected for the
 * init's liveness (state.h), and "paused" from the cgroup freezer. This is
 * the hook through which pause/resume show up in state and list. */
#include "cgroup.h"
#include "container.h"

enum container_status container_status(const struct state_dir *sd, const struct container_state *st)
{
        enum container_status s = state_live_status(sd, st);
        struct berth_cgroup *cg = NULL;
        struct berr err = {0};
        bool frozen = false;

        if ((s != CONTAINER_RUNNING && s != CONTAINER_CREATED) || !st->cgroup_path[0])
                return s;
        if (cgroup_open(st->cgroup_path, &cg, &err) < 0)
                return s;
        if (cgroup_is_frozen(cg, &frozen, &err) < 0)
                frozen = false;
        cgroup_free(cg);
        return frozen ? CONTAINER_PAUSED : s;
}
