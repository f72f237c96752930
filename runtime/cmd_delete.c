/* berth delete [--force] ID */
#include "commands.h"
#include "container/container.h"
#include "id_arg.h"

int cmd_delete(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        const char *id;
        bool force = false;

        if (parse_id_arg(argc, argv, &force, &id, err) < 0)
                return err->status;
        return container_delete(g->root, id, force, err);
}
