/* See id_arg.h. */
#include "id_arg.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>

int parse_id_arg(int argc, char **argv, bool *force, const char **id, struct berr *err)
{
        static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {0}};
        int c;

        opterr = 0;
        while ((c = getopt_long_only(argc, argv, "f", opts, NULL)) != -1) {
                if (c == 'f' && force) {
                        *force = true;
                        continue;
                }
                return berr_fail(err, EINVAL, "%s: unknown option %s", argv[0], argv[optind - 1]);
        }
        if (argc - optind != 1)
                return berr_fail(err, EINVAL, "%s: requires exactly 1 argument: the container id",
                                 argv[0]);
        *id = argv[optind];
        return 0;
}
