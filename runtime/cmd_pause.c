/* `berth pause ID`: freeze every process of the container (cgroup.freeze,
 * waiting for cgroup.events "frozen 1"); `state` then says "paused". */
#include <errno.h>
#include <getopt.h>

#include "cgroup_target.h"
#include "commands.h"

int cmd_pause(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        struct cgroup_target t;
        const char *id;
        int r;

        if (getopt_long(argc, argv, "+", (const struct option[]){{0}}, NULL) != -1)
                return berr_fail(err, EINVAL, "pause: unknown option %s", argv[optind - 1]);
        if (cgroup_target_id(argc, argv, "pause", &id, err) < 0)
                return err->status;
        if (cgroup_target_open(g->root, id, &t, err) < 0)
                return err->status;
        if (t.status == CONTAINER_PAUSED)
                r = berr_fail(err, EINVAL, "container %s is already paused", id);
        else if (t.status != CONTAINER_RUNNING && t.status != CONTAINER_CREATED)
                r = berr_fail(err, EINVAL, "container %s is not running (status %s)", id,
                              container_status_name(t.status));
        else if ((r = cgroup_target_require(&t, "pause", err)) == 0 &&
                 (r = cgroup_freeze(t.cg, true, err)) < 0)
                berr_wrap(err, "pause %s", id);
        cgroup_target_close(&t);
        return r < 0 ? r : 0;
}
