/* Commands that take flags without values and one container id
 * (start, state, delete): parse them in any order. */
#ifndef BERTH_ID_ARG_H
#define BERTH_ID_ARG_H

#include <stdbool.h>

#include "error.h"

/* FORCE (may be NULL) is set by --force/-f; else that flag is unknown. */
int parse_id_arg(int argc, char **argv, bool *force, const char **id, struct berr *err);

#endif
