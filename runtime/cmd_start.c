/* berth start ID: let a created container run its process. */
#include <errno.h>

#include "commands.h"
#include "container/container.h"
#include "id_arg.h"

int cmd_start(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        const char *id;

        if (parse_id_arg(argc, argv, NULL, &id, err) < 0)
                return err->status;
        return container_start(g->root, id, err);
}
