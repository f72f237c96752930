/* berth: command-line entry. Parses the global options (runc's), sets up
 * logging and dispatches to one cmd_NAME() per command. Only this file
 * prints a command's final error. */
#include <errno.h>
#include <getopt.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "version.h"

struct command {
        const char *name;
        const char *help;
        int (*fn)(const struct global_opts *g, int argc, char **argv, struct berr *err);
};

static const struct command commands[] = {
#define X(n, h) {#n, h, cmd_##n},
        BERTH_COMMANDS(X)
#undef X
};

static void print_version(void)
{
        const struct scmp_version *v = seccomp_version();

        printf("berth version %s\nspec: %s\nlibseccomp: %u.%u.%u\n", BERTH_VERSION,
               BERTH_OCI_SPEC_VERSION, v->major, v->minor, v->micro);
}

static void print_usage(FILE *out)
{
        fprintf(out, "Usage: berth [global options] COMMAND [options] [arguments]\n\n"
                     "berth is a minimal OCI container runtime with runc's command line.\n\n"
                     "Commands:\n");
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                fprintf(out, "   %-10s %s\n", commands[i].name, commands[i].help);
        fprintf(out, "\nGlobal options:\n"
                     "   --root DIR            state directory (default " BERTH_DEFAULT_ROOT ")\n"
                     "   --log FILE            write log lines to FILE instead of stderr\n"
                     "   --log-format FORMAT   text (default) or json\n"
                     "   --debug               log debug messages\n"
                     "   --systemd-cgroup      cgroupsPath is slice:prefix:name\n"
                     "   --cgroup-manager MGR  cgroupfs (default), systemd or disabled\n"
                     "   --version, -v         print the version\n"
                     "   --help, -h            print this help\n");
}

bool wants_help(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--") == 0)
                        return false;
                if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0 ||
                    strcmp(argv[i], "-help") == 0)
                        return true;
        }
        return false;
}

enum { OPT_ROOT = 1000, OPT_LOG, OPT_LOG_FORMAT, OPT_DEBUG, OPT_SYSTEMD, OPT_CGMGR, OPT_CRIU,
       OPT_ROOTLESS };

static int parse_global(int argc, char **argv, struct global_opts *g, struct berr *err)
{
        static const struct option opts[] = {
                {"root", required_argument, NULL, OPT_ROOT},
                {"log", required_argument, NULL, OPT_LOG},
                {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
                {"debug", no_argument, NULL, OPT_DEBUG},
                {"systemd-cgroup", no_argument, NULL, OPT_SYSTEMD},
                {"cgroup-manager", required_argument, NULL, OPT_CGMGR},
                {"criu", required_argument, NULL, OPT_CRIU},
                {"rootless", required_argument, NULL, OPT_ROOTLESS},
                {"version", no_argument, NULL, 'v'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        int c;

        opterr = 0;
        while ((c = getopt_long_only(argc, argv, "+vh", opts, NULL)) != -1) {
                switch (c) {
                case OPT_ROOT:
                        g->root = optarg;
                        break;
                case OPT_LOG:
                        g->log_path = optarg;
                        break;
                case OPT_LOG_FORMAT:
                        if (strcmp(optarg, "json") == 0)
                                g->log_format = LOG_FORMAT_JSON;
                        else if (strcmp(optarg, "text") == 0)
                                g->log_format = LOG_FORMAT_TEXT;
                        else
                                return berr_fail(err, EINVAL,
                                                 "--log-format: unknown format %s (text or json)",
                                                 optarg);
                        break;
                case OPT_DEBUG:
                        g->debug = true;
                        break;
                case OPT_SYSTEMD:
                        g->systemd_cgroup = true;
                        g->cgroup_manager = "systemd";
                        break;
                case OPT_CGMGR:
                        if (strcmp(optarg, "cgroupfs") && strcmp(optarg, "systemd") &&
                            strcmp(optarg, "disabled"))
                                return berr_fail(err, EINVAL,
                                                 "--cgroup-manager: unknown manager %s "
                                                 "(cgroupfs, systemd or disabled)",
                                                 optarg);
                        g->cgroup_manager = optarg;
                        g->systemd_cgroup = strcmp(optarg, "systemd") == 0;
                        break;
                case OPT_CRIU:
                case OPT_ROOTLESS:
                        break; /* accepted for runc compatibility; nothing to do */
                case 'v':
                        print_version();
                        exit(0);
                case 'h':
                        print_usage(stdout);
                        exit(0);
                default:
                        return berr_fail(err, EINVAL, "unknown global option %s",
                                         argv[optind - 1]);
                }
        }
        return optind;
}

int main(int argc, char **argv)
{
        struct global_opts g = {
                .root = BERTH_DEFAULT_ROOT,
                .log_format = LOG_FORMAT_TEXT,
                .cgroup_manager = "cgroupfs",
        };
        struct berr err = {0};
        int first;

        first = parse_global(argc, argv, &g, &err);
        if (first < 0) {
                log_berr(&err);
                return 1;
        }
        if (log_init(g.log_path, g.log_format, g.debug, &err) < 0) {
                log_berr(&err);
                return 1;
        }
        if (first >= argc) {
                print_usage(stderr);
                return 1;
        }
        const char *name = argv[first];
        if (strcmp(name, "help") == 0) {
                print_usage(stdout);
                return 0;
        }
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
                if (strcmp(commands[i].name, name) != 0)
                        continue;
                int sub_argc = argc - first;
                char **sub_argv = argv + first;
                if (wants_help(sub_argc, sub_argv) && strcmp(name, "exec") != 0) {
                        print_command_help(name);
                        return 0;
                }
                optind = 0; /* reset getopt for the command's own parsing */
                int r = commands[i].fn(&g, sub_argc, sub_argv, &err);
                if (r < 0) {
                        log_berr(&err);
                        return 1;
                }
                return r;
        }
        berr_fail(&err, EINVAL, "unknown command %s (see berth --help)", name);
        log_berr(&err);
        return 1;
}
