/* The parts of a default OCI config.json that `berth spec` and berth-unpack
 * both write: the capability set, rlimits and noNewPrivileges of the
 * process, the standard mounts and the linux section (namespaces, device
 * deny-all, masked and read-only paths), and turning a yajl generator into
 * a NUL-terminated buffer. Each caller adds its own process fields, root
 * and annotations. */
#ifndef BERTH_SPEC_DEFAULTS_H
#define BERTH_SPEC_DEFAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <yajl/yajl_gen.h>

#include "error.h"

/* Members of the current map: "K": V, and "K": [ITEMS...] from a
 * NULL-terminated list; spec_str emits one string. */
void spec_str(yajl_gen g, const char *s);
void spec_key_str(yajl_gen g, const char *k, const char *v);
void spec_key_int(yajl_gen g, const char *k, long long v);
void spec_key_bool(yajl_gen g, const char *k, bool v);
void spec_key_strv(yajl_gen g, const char *k, const char *const *items);

/* A generator for indented JSON (two spaces), or NULL when out of memory. */
yajl_gen spec_gen_alloc(void);

/* Inside "process": the "capabilities", "rlimits" and "noNewPrivileges" members. */
void spec_gen_process_defaults(yajl_gen g);

/* The "mounts" member. ROOTLESS leaves devpts' gid alone and bind-mounts
 * /sys instead of mounting sysfs. */
void spec_gen_mounts(yajl_gen g, bool rootless);

/* The "linux" member. ROOTLESS maps root to UID/GID in a user namespace,
 * drops the network namespace and the cgroup device rule. */
void spec_gen_linux(yajl_gen g, bool rootless, uid_t uid, gid_t gid);

/* Copy the generated JSON into a new heap buffer *OUT ending in a newline
 * and NUL (*LEN bytes without the NUL). Does not free G. */
int spec_gen_finish(yajl_gen g, char **out, size_t *len, struct berr *err);

#endif
