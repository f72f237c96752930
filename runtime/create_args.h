/* The options create and run share (runc's), parsed in any order. */
#ifndef BERTH_CREATE_ARGS_H
#define BERTH_CREATE_ARGS_H

#include <stdbool.h>

#include "commands.h"
#include "container/container.h"

struct run_flags {
        bool detach;
        bool keep;
};

/* RUN is NULL for create (then --detach/--keep are unknown options). */
int parse_create_args(const struct global_opts *g, int argc, char **argv, struct create_opts *o,
                      struct run_flags *run, struct berr *err);

#endif
