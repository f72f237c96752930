/* process.rlimits. Raising a hard limit above the current one needs
 * CAP_SYS_RESOURCE; when the kernel refuses, the error says which rlimit
 * and why instead of a bare EPERM. */
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>

#include "process_steps.h"

static void fmt_limit(char *buf, size_t size, rlim_t v)
{
        if (v == RLIM_INFINITY)
                snprintf(buf, size, "unlimited");
        else
                snprintf(buf, size, "%llu", (unsigned long long)v);
}

int rlimits_apply(const struct oci_process *p, struct berr *err)
{
        for (size_t i = 0; i < p->n_rlimits; i++) {
                const struct oci_rlimit *l = &p->rlimits[i];
                struct rlimit want = {.rlim_cur = l->soft, .rlim_max = l->hard};
                struct rlimit old;
                char soft[32], hard[32], cur[32];

                if (prlimit(0, l->resource, &want, &old) == 0)
                        continue;
                int saved = errno;
                fmt_limit(soft, sizeof(soft), want.rlim_cur);
                fmt_limit(hard, sizeof(hard), want.rlim_max);
                if (saved == EPERM && getrlimit(l->resource, &old) == 0 &&
                    want.rlim_max > old.rlim_max) {
                        fmt_limit(cur, sizeof(cur), old.rlim_max);
                        return berr_fail(err, EPERM,
                                         "rlimit %s: raising the hard limit from %s to %s needs "
                                         "CAP_SYS_RESOURCE, which berth does not have: "
                                         "Operation not permitted",
                                         l->type, cur, hard);
                }
                errno = saved;
                return berr_sys(err, "rlimit %s (soft %s, hard %s)", l->type, soft, hard);
        }
        return 0;
}
