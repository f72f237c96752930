/* berth kill [--all] ID [SIGNAL]: SIGNAL as a name or number, default TERM. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>

#include "commands.h"
#include "container/container.h"

int cmd_kill(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {0}};
        bool all = false;
        int c, sig = SIGTERM;

        opterr = 0;
        while ((c = getopt_long_only(argc, argv, "a", opts, NULL)) != -1) {
                if (c == 'a') {
                        all = true;
                        continue;
                }
                return berr_fail(err, EINVAL, "kill: unknown option %s", argv[optind - 1]);
        }
        if (argc - optind < 1 || argc - optind > 2)
                return berr_fail(err, EINVAL, "kill: requires 1 or 2 arguments: ID [SIGNAL]");
        if (argc - optind == 2) {
                sig = parse_signal(argv[optind + 1], err);
                if (sig < 0)
                        return sig;
        }
        return container_kill(g->root, argv[optind], sig, all, err);
}
