/* linux.seccomp with libseccomp: compile (or take from the cache) and load
 * the filter as the very last step before execve. Owner: seccomp. */
#ifndef BERTH_SECCOMP_H
#define BERTH_SECCOMP_H

#include <stdbool.h>

#include "config.h"
#include "error.h"

/* Compile SC, or take it from CACHE_DIR (may be NULL; created 0700), and
 * keep the program for seccomp_apply(SC) in this process or a fork of it.
 * Call it where the host's filesystem is visible (the launcher, before
 * clone3): errors in the profile show up there, before the container
 * exists. Added by seccomp. */
int seccomp_prepare(const struct oci_seccomp *sc, const char *cache_dir, struct berr *err);

/* Drop what seccomp_prepare() kept (program, listener socket): for the
 * launcher once the child has its own copy. Added by seccomp. */
void seccomp_drop_prepared(void);

/* Load SC (must not be NULL): the program seccomp_prepare(SC) made, or,
 * without one, SC compiled here. CACHE_DIR is not read here (after
 * pivot_root a path would name a file inside the container); pass the
 * cache to seccomp_prepare(). When the profile uses SCMP_ACT_NOTIFY,
 * *notify_fd gets the listener fd (O_CLOEXEC), else -1. Needs no_new_privs
 * or CAP_SYS_ADMIN. */
int seccomp_apply(const struct oci_seccomp *sc, const char *cache_dir, int *notify_fd,
                  struct berr *err);

/* Does SC use SCMP_ACT_NOTIFY (and so need a listener)? Added by seccomp. */
bool seccomp_uses_notify(const struct oci_seccomp *sc);

/* For a profile with SCMP_ACT_NOTIFY, seccomp_prepare() connects to
 * sc->listener_path while host paths are visible; this is that socket (or
 * -1). The child must keep it open until seccomp_send_to_listener().
 * Added by seccomp. */
int seccomp_listener_fd(void);

/* Send NOTIFY_FD and the container state JSON (its "pid" is used) to the
 * listener, as the runtime-spec describes: on the socket seccomp_prepare()
 * connected (then closed), else by connecting to sc->listener_path, which
 * only the host's mount namespace may do. */
int seccomp_send_to_listener(const struct oci_seccomp *sc, int notify_fd, const char *state_json,
                             struct berr *err);

#endif
