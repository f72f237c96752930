/* berth create [--bundle DIR] [--pid-file F] [--console-socket S]
 * [--no-pivot] [--no-new-keyring] [--preserve-fds N] ID */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "container/container.h"
#include "create_args.h"

int cmd_create(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        struct create_opts o = {0};
        struct container *c = NULL;

        if (parse_create_args(g, argc, argv, &o, NULL, err) < 0)
                return err->status;
        if (container_create(&o, &c, err) < 0)
                return berr_wrap(err, "create %s", o.id);
        container_release(c);
        return 0;
}
