/* BUNDLE/config.json from the image config, by the image-spec conversion
 * rules (args = Entrypoint + Cmd, env with a default PATH, cwd, user
 * through the image's /etc/passwd and /etc/group, StopSignal, labels and
 * image facts as annotations), on a default runtime spec like `berth spec`
 * makes (terminal false). */
#ifndef BERTH_UNPACK_SPEC_H
#define BERTH_UNPACK_SPEC_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

#include "error.h"

/* Generate the config for CONFIG (the image config tree) with the users
 * resolved in ROOTFD; *out is a NUL-terminated heap string. */
int spec_generate(yajl_val config, int rootfd, char **out, size_t *len, struct berr *err);

#endif
