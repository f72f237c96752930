/* Option parsing shared by `create` and `run`. */
#include "create_args.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum {
        OPT_BUNDLE = 1000,
        OPT_PIDFILE,
        OPT_CONSOLE,
        OPT_NOPIVOT,
        OPT_NOKEYRING,
        OPT_PRESERVE,
        OPT_DETACH,
        OPT_KEEP,
        OPT_IGNORED_ARG,
        OPT_IGNORED
};

int parse_create_args(const struct global_opts *g, int argc, char **argv, struct create_opts *o,
                      struct run_flags *run, struct berr *err)
{
        static const struct option opts[] = {
            {"bundle", required_argument, NULL, OPT_BUNDLE},
            {"pid-file", required_argument, NULL, OPT_PIDFILE},
            {"console-socket", required_argument, NULL, OPT_CONSOLE},
            {"no-pivot", no_argument, NULL, OPT_NOPIVOT},
            {"no-new-keyring", no_argument, NULL, OPT_NOKEYRING},
            {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
            {"detach", no_argument, NULL, OPT_DETACH},
            {"keep", no_argument, NULL, OPT_KEEP},
            {"pidfd-socket", required_argument, NULL, OPT_IGNORED_ARG},
            {"no-subreaper", no_argument, NULL, OPT_IGNORED},
            {0},
        };
        const char *cmd = argv[0];
        int c;

        o->root = g->root;
        o->cgroup_manager = g->cgroup_manager;
        o->systemd = g->systemd_cgroup;
        opterr = 0;
        while ((c = getopt_long_only(argc, argv, "b:d", opts, NULL)) != -1) {
                switch (c) {
                case 'b':
                case OPT_BUNDLE:
                        o->bundle = optarg;
                        break;
                case OPT_PIDFILE:
                        o->pid_file = optarg;
                        break;
                case OPT_CONSOLE:
                        o->console_socket = optarg;
                        break;
                case OPT_NOPIVOT:
                        o->no_pivot = true;
                        break;
                case OPT_NOKEYRING:
                        o->no_new_keyring = true;
                        break;
                case OPT_PRESERVE: {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 0 || n > 65536)
                                return berr_fail(err, EINVAL, "--preserve-fds: invalid number %s",
                                                 optarg);
                        o->preserve_fds = (int)n;
                        break;
                }
                case 'd':
                case OPT_DETACH:
                        if (!run)
                                goto unknown;
                        run->detach = true;
                        break;
                case OPT_KEEP:
                        if (!run)
                                goto unknown;
                        run->keep = true;
                        break;
                case OPT_IGNORED:
                case OPT_IGNORED_ARG:
                        break;
                case ':':
                        return berr_fail(err, EINVAL, "%s: option %s needs a value", cmd,
                                         argv[optind - 1]);
                default:
                unknown:
                        return berr_fail(err, EINVAL, "%s: unknown option %s", cmd,
                                         argv[optind - 1]);
                }
        }
        if (optind >= argc)
                return berr_fail(err, EINVAL, "%s: requires exactly 1 argument: the container id",
                                 cmd);
        if (argc - optind > 1)
                return berr_fail(err, EINVAL, "%s: requires exactly 1 argument, got %d", cmd,
                                 argc - optind);
        o->id = argv[optind];
        return 0;
}
