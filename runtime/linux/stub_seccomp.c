/* Placeholder until seccomp lands: refuses profiles instead of ignoring them. */
#include <errno.h>

#include "seccomp.h"

__attribute__((weak)) int seccomp_apply(const struct oci_seccomp *sc, const char *cache_dir,
                                        int *notify_fd, struct berr *err)
{
        (void)sc;
        (void)cache_dir;
        *notify_fd = -1;
        return berr_fail(err, ENOSYS, "seccomp: not implemented yet in this berth");
}

__attribute__((weak)) int seccomp_send_to_listener(const struct oci_seccomp *sc, int notify_fd,
                                                   const char *state_json, struct berr *err)
{
        (void)sc;
        (void)notify_fd;
        (void)state_json;
        return berr_fail(err, ENOSYS, "seccomp: not implemented yet in this berth");
}
