/* linux.seccomp with libseccomp: compile (or take from the cache) and load
 * the filter as the very last step before execve. Owner: seccomp. */
#ifndef BERTH_SECCOMP_H
#define BERTH_SECCOMP_H

#include "config.h"
#include "error.h"

/* Load SC (must not be NULL). CACHE_DIR (may be NULL) holds compiled
 * filters. When the profile uses SCMP_ACT_NOTIFY, *notify_fd gets the
 * listener fd, else -1. */
int seccomp_apply(const struct oci_seccomp *sc, const char *cache_dir, int *notify_fd,
                  struct berr *err);

/* Send NOTIFY_FD and the container state JSON to sc->listener_path, as the
 * runtime-spec describes. */
int seccomp_send_to_listener(const struct oci_seccomp *sc, int notify_fd, const char *state_json,
                             struct berr *err);

#endif
