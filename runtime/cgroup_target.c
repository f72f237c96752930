/* Opening a container's cgroup by id for pause/resume/events/update. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_target.h"

int cgroup_target_open(const char *root, const char *id, struct cgroup_target *t, struct berr *err)
{
        bool frozen = false;

        memset(t, 0, sizeof(*t));
        t->sd.dirfd = -1;
        if (state_validate_id(id, err) < 0)
                return err->status;
        if (state_open(root, id, STATE_LOCK_NONE, &t->sd, err) < 0)
                return err->status;
        if (state_read(&t->sd, &t->st, err) < 0) {
                cgroup_target_close(t);
                return err->status;
        }
        t->status = state_live_status(&t->sd, &t->st);
        if (!t->st.cgroup_path[0])
                return 0;
        if (cgroup_open(t->st.cgroup_path, &t->cg, err) < 0) {
                if (t->status == CONTAINER_STOPPED && err->status == -ENOENT) {
                        berr_clear(err); /* a stopped container's cgroup may be gone */
                        return 0;
                }
                cgroup_target_close(t);
                return berr_wrap(err, "container %s", id);
        }
        if ((t->status == CONTAINER_RUNNING || t->status == CONTAINER_CREATED) &&
            cgroup_is_frozen(t->cg, &frozen, err) == 0 && frozen)
                t->status = CONTAINER_PAUSED;
        berr_clear(err);
        return 0;
}

int cgroup_target_require(const struct cgroup_target *t, const char *what, struct berr *err)
{
        if (!t->cg || cgroup_dirfd(t->cg) < 0)
                return berr_fail(err, ENOTSUP,
                                 "cannot %s container %s: it has no cgroup (cgroup manager "
                                 "disabled)",
                                 what, t->st.id);
        return 0;
}

void cgroup_target_close(struct cgroup_target *t)
{
        cgroup_free(t->cg);
        t->cg = NULL;
        state_clear(&t->st);
        state_close(&t->sd);
}

int cgroup_target_id(int argc, char **argv, const char *cmd, const char **id, struct berr *err)
{
        if (optind != argc - 1)
                return berr_fail(err, EINVAL,
                                 "%s: expected exactly one container id (see berth %s "
                                 "--help)",
                                 cmd, cmd);
        *id = argv[optind];
        return 0;
}

int parse_go_duration(const char *s, uint64_t *ns, struct berr *err)
{
        static const struct {
                const char *unit;
                double ns;
        } units[] = {{"ns", 1},  {"us", 1e3}, {"µs", 1e3},  {"ms", 1e6},
                     {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
        const char *p = s;
        double total = 0;

        if (!*p)
                return berr_fail(err, EINVAL, "invalid duration \"\"");
        if (strcmp(p, "0") == 0) {
                *ns = 0;
                return 0;
        }
        while (*p) {
                char *end;
                if (!((*p >= '0' && *p <= '9') || *p == '.'))
                        return berr_fail(err, EINVAL, "invalid duration %s", s);
                double v = strtod(p, &end);
                if (end == p)
                        return berr_fail(err, EINVAL, "invalid duration %s", s);
                p = end;
                size_t best = 0;
                double mult = 0;
                for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
                        size_t len = strlen(units[i].unit);
                        if (strncmp(p, units[i].unit, len) == 0 && len > best) {
                                best = len;
                                mult = units[i].ns;
                        }
                }
                if (!best)
                        return berr_fail(err, EINVAL, "invalid duration %s (missing unit)", s);
                p += best;
                total += v * mult;
        }
        if (total > 1e18)
                return berr_fail(err, ERANGE, "duration %s is too long", s);
        *ns = (uint64_t)total;
        return 0;
}
