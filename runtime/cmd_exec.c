/* berth exec [options] ID [COMMAND [ARG...]]: runc's flags; options stop
 * at the id, so the command's own options are left alone. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "container/exec.h"
#include "container/unsupported.h"

enum {
        OPT_PROCESS = 1000,
        OPT_DETACH,
        OPT_PIDFILE,
        OPT_TTY,
        OPT_CONSOLE,
        OPT_CWD,
        OPT_ENV,
        OPT_USER,
        OPT_GIDS,
        OPT_CAP,
        OPT_NNP,
        OPT_PRESERVE,
        OPT_IGNORE_PAUSED,
        OPT_CGROUP,
        OPT_APPARMOR,
        OPT_PROCESS_LABEL,
        OPT_IGNORED_ARG
};

static int push(char ***v, int *n, char *s, struct berr *err)
{
        char **nv = realloc(*v, (size_t)(*n + 2) * sizeof(char *));
        if (!nv)
                return berr_fail(err, ENOMEM, "out of memory");
        nv[(*n)++] = s;
        nv[*n] = NULL;
        *v = nv;
        return 0;
}

int cmd_exec(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        static const struct option opts[] = {
            {"process", required_argument, NULL, 'p'},
            {"detach", no_argument, NULL, 'd'},
            {"pid-file", required_argument, NULL, OPT_PIDFILE},
            {"tty", no_argument, NULL, 't'},
            {"console-socket", required_argument, NULL, OPT_CONSOLE},
            {"cwd", required_argument, NULL, OPT_CWD},
            {"env", required_argument, NULL, 'e'},
            {"user", required_argument, NULL, 'u'},
            {"additional-gids", required_argument, NULL, 'g'},
            {"cap", required_argument, NULL, 'c'},
            {"no-new-privs", no_argument, NULL, OPT_NNP},
            {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
            {"ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED},
            {"cgroup", required_argument, NULL, OPT_CGROUP},
            {"apparmor", required_argument, NULL, OPT_APPARMOR},
            {"process-label", required_argument, NULL, OPT_PROCESS_LABEL},
            {"pidfd-socket", required_argument, NULL, OPT_IGNORED_ARG},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        struct exec_opts o = {.root = g->root};
        char **env = NULL, **caps = NULL;
        int n_env = 0, n_caps = 0, c, r = 0;
        unsigned int gids[64];
        const char *apparmor = NULL, *process_label = NULL;

        opterr = 0;
        while ((c = getopt_long_only(argc, argv, "+p:dte:u:g:c:h", opts, NULL)) != -1) {
                switch (c) {
                case 'p':
                        o.process_json = optarg;
                        break;
                case 'd':
                        o.detach = true;
                        break;
                case OPT_PIDFILE:
                        o.pid_file = optarg;
                        break;
                case 't':
                        o.tty = true;
                        break;
                case OPT_CONSOLE:
                        o.console_socket = optarg;
                        break;
                case OPT_CWD:
                        o.cwd = optarg;
                        break;
                case 'e':
                        r = push(&env, &n_env, optarg, err);
                        if (r < 0)
                                goto out;
                        break;
                case 'u':
                        o.user = optarg;
                        break;
                case 'g': {
                        char *end;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (*end || end == optarg || o.n_additional_gids >= 64) {
                                r = berr_fail(err, EINVAL, "--additional-gids: invalid gid %s",
                                              optarg);
                                goto out;
                        }
                        gids[o.n_additional_gids++] = (unsigned int)v;
                        break;
                }
                case 'c':
                        r = push(&caps, &n_caps, optarg, err);
                        if (r < 0)
                                goto out;
                        break;
                case OPT_NNP:
                        o.no_new_privs = true;
                        break;
                case OPT_PRESERVE: {
                        char *end;
                        long v = strtol(optarg, &end, 10);
                        if (*end || v < 0 || v > 65536) {
                                r = berr_fail(err, EINVAL, "--preserve-fds: invalid number %s",
                                              optarg);
                                goto out;
                        }
                        o.preserve_fds = (int)v;
                        break;
                }
                case OPT_IGNORE_PAUSED:
                        o.ignore_paused = true;
                        break;
                case OPT_CGROUP:
                        o.sub_cgroup = optarg;
                        break;
                case OPT_APPARMOR:
                        apparmor = optarg;
                        break;
                case OPT_PROCESS_LABEL:
                        process_label = optarg;
                        break;
                case OPT_IGNORED_ARG:
                        break;
                case 'h':
                        print_command_help("exec");
                        r = 0;
                        goto out;
                default:
                        r = berr_fail(err, EINVAL, "exec: unknown option %s", argv[optind - 1]);
                        goto out;
                }
        }
        if (optind >= argc) {
                r = berr_fail(err, EINVAL, "exec: requires at least 1 argument: the container id");
                goto out;
        }
        if ((r = refuse_unsupported_exec_flags(apparmor, process_label, err)) < 0)
                goto out;
        o.id = argv[optind];
        o.argv = argv + optind + 1;
        o.env = env;
        o.caps = caps;
        o.additional_gids = gids;
        r = container_exec(&o, err);
out:
        free(env);
        free(caps);
        return r;
}
