/* Per-command usage text for `berth COMMAND --help`. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command_help {
        const char *name;
        const char *usage;
};

static const struct command_help helps[] = {
        {"create", "create [--bundle DIR] [--pid-file FILE] [--console-socket SOCK] [--no-pivot]\n"
                   "       [--no-new-keyring] [--preserve-fds N] ID"},
        {"start", "start ID"},
        {"run", "run [--bundle DIR] [--detach] [--pid-file FILE] [--console-socket SOCK] [--keep]\n"
                "       [--no-pivot] [--no-new-keyring] [--preserve-fds N] ID"},
        {"state", "state ID"},
        {"kill", "kill [--all] ID [SIGNAL]"},
        {"delete", "delete [--force] ID"},
        {"list", "list [--format table|json] [--quiet]"},
        {"ps", "ps [--format table|json] ID [-- PS-ARGS...]"},
        {"exec", "exec [--process FILE] [--detach] [--pid-file FILE] [--tty] [--console-socket SOCK]\n"
                 "       [--cwd DIR] [--env K=V]... [--user UID[:GID]] [--additional-gids GID]...\n"
                 "       [--cap CAP]... [--no-new-privs] [--preserve-fds N] [--ignore-paused]\n"
                 "       ID [COMMAND [ARG...]]"},
        {"pause", "pause ID"},
        {"resume", "resume ID"},
        {"events", "events [--stats] [--interval DURATION] ID"},
        {"update", "update [--resources FILE|-] [--memory N] [--memory-swap N] [--cpu-shares N]\n"
                   "       [--cpu-quota N] [--cpu-period N] [--cpuset-cpus L] [--cpuset-mems L]\n"
                   "       [--pids-limit N] [--blkio-weight N] ID"},
        {"spec", "spec [--bundle DIR] [--rootless]"},
        {"features", "features"},
};

void print_command_help(const char *name)
{
        for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
                if (strcmp(helps[i].name, name) == 0) {
                        printf("Usage: berth %s\n", helps[i].usage);
                        return;
                }
        }
        printf("Usage: berth %s\n", name);
}
