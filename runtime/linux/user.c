/* The user switch: supplementary groups, then gid, then uid. Capabilities
 * survive it through PR_SET_KEEPCAPS (caps.c sets the final sets after). */
#include <errno.h>
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "process_steps.h"

int user_switch(const struct oci_user *u, const uint32_t *gids, size_t n_gids, struct berr *err)
{
        gid_t none[1] = {0};

        if (setgroups(n_gids, n_gids ? gids : none) < 0) {
                /* A user namespace with setgroups "deny": fine when the config
                 * asked for no groups (those of /etc/group are dropped, as
                 * runc does). */
                if (!(errno == EPERM && u->n_additional_gids == 0))
                        return berr_sys(err, "setgroups (user.additionalGids)");
        }
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return berr_sys(err, "prctl(PR_SET_KEEPCAPS)");
        if (setresgid(u->gid, u->gid, u->gid) < 0)
                return berr_sys(err, "setresgid %u", u->gid);
        if (setresuid(u->uid, u->uid, u->uid) < 0)
                return berr_sys(err, "setresuid %u", u->uid);
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                return berr_sys(err, "prctl(PR_SET_KEEPCAPS)");
        return 0;
}
