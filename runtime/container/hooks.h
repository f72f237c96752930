/* OCI hooks: each runs with the container state JSON on stdin, its own
 * args and env, an optional timeout, in the namespaces of whoever calls
 * hooks_run (the runtime for prestart/createRuntime/poststart/poststop, the
 * container init for createContainer/startContainer). */
#ifndef BERTH_HOOKS_H
#define BERTH_HOOKS_H

#include "config.h"
#include "error.h"

/* Run the hooks of KIND from CFG in order; stop at the first failure:
 * "createRuntime hook /usr/bin/x: exit status 3". A failing poststart or
 * poststop hook is only logged as a warning and the rest still run. */
int hooks_run(const struct oci_config *cfg, enum oci_hook_kind kind, const char *state_json,
              struct berr *err);

static inline bool hooks_present(const struct oci_config *cfg, enum oci_hook_kind kind)
{
        return cfg && cfg->hooks[kind].len > 0;
}

#endif
