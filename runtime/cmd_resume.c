/* `berth resume ID`: thaw a paused container (cgroup.freeze 0). */
#include <errno.h>
#include <getopt.h>

#include "cgroup_target.h"
#include "commands.h"

int cmd_resume(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        struct cgroup_target t;
        const char *id;
        int r;

        if (getopt_long(argc, argv, "+", (const struct option[]){{0}}, NULL) != -1)
                return berr_fail(err, EINVAL, "resume: unknown option %s", argv[optind - 1]);
        if (cgroup_target_id(argc, argv, "resume", &id, err) < 0)
                return err->status;
        if (cgroup_target_open(g->root, id, &t, err) < 0)
                return err->status;
        if (t.status != CONTAINER_PAUSED)
                r = berr_fail(err, EINVAL, "container %s is not paused (status %s)", id,
                              container_status_name(t.status));
        else if ((r = cgroup_freeze(t.cg, false, err)) < 0)
                berr_wrap(err, "resume %s", id);
        cgroup_target_close(&t);
        return r < 0 ? r : 0;
}
