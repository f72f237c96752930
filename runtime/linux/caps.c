/* process.capabilities with libcap: the bounding set is dropped first
 * (while CAP_SETPCAP is still there), then effective, permitted and
 * inheritable are set in one capset, then the ambient set is rebuilt from
 * empty. Inheritable and ambient stay empty unless the config names caps.
 * A process without a "capabilities" object gets none at all (as runc):
 * the sets of an unset struct are all zero. */
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "log.h"
#include "process_steps.h"

static int last_cap(void)
{
        int n = (int)cap_max_bits();
        return n > 64 ? 63 : n - 1;
}

static bool has(uint64_t set, int cap)
{
        return (set >> cap) & 1;
}

int caps_drop_bounding(const struct oci_capabilities *c, struct berr *err)
{
        for (int cap = 0; cap <= last_cap(); cap++) {
                if (has(c->bounding, cap))
                        continue;
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
                        char *name = cap_to_name((cap_value_t)cap);
                        berr_sys(err, "drop %s from the bounding set", name ? name : "?");
                        cap_free(name);
                        return err->status;
                }
        }
        return 0;
}

static int set_sets(uint64_t eff, uint64_t perm, uint64_t inh, struct berr *err)
{
        cap_t caps = cap_init();
        int r = 0;

        if (!caps)
                return berr_sys(err, "capabilities");
        for (int cap = 0; cap <= last_cap(); cap++) {
                cap_value_t v = (cap_value_t)cap;
                if (has(eff, cap))
                        cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET);
                if (has(perm, cap))
                        cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET);
                if (has(inh, cap))
                        cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET);
        }
        if (cap_set_proc(caps) < 0)
                r = berr_sys(err,
                             "set capabilities (effective %#llx, permitted %#llx, "
                             "inheritable %#llx)",
                             (unsigned long long)eff, (unsigned long long)perm,
                             (unsigned long long)inh);
        cap_free(caps);
        return r;
}

int caps_apply(const struct oci_capabilities *c, uint64_t extra, struct berr *err)
{
        int r = set_sets(c->effective | extra, c->permitted | extra, c->inheritable, err);
        if (r < 0)
                return r;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return berr_sys(err, "clear the ambient capabilities");
        for (int cap = 0; cap <= last_cap(); cap++) {
                if (!has(c->ambient, cap))
                        continue;
                if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
                        /* runc only warns here: `runc spec` lists ambient caps that
                         * are not inheritable, and such bundles must still run. */
                        char *name = cap_to_name((cap_value_t)cap);
                        log_debug("cannot raise ambient %s (it must also be permitted and "
                                  "inheritable): %s",
                                  name ? name : "?", strerror(errno));
                        cap_free(name);
                }
        }
        return 0;
}

int caps_set_final(const struct oci_capabilities *c, struct berr *err)
{
        return set_sets(c->effective, c->permitted, c->inheritable, err);
}
