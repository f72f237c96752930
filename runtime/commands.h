/* The command table of berth: one small front-end file per command
 * (runtime/cmd_NAME.c) over the container library. A command returns the
 * process exit status (>= 0) or < 0 with err filled; main prints errors. */
#ifndef BERTH_COMMANDS_H
#define BERTH_COMMANDS_H

#include <stdbool.h>

#include "error.h"
#include "log.h"

#define BERTH_DEFAULT_ROOT "/run/berth"

struct global_opts {
        const char *root;         /* state root, default /run/berth */
        const char *log_path;     /* --log, NULL = stderr */
        enum log_format log_format;
        bool debug;
        bool systemd_cgroup;      /* --systemd-cgroup */
        const char *cgroup_manager; /* "cgroupfs" (default), "systemd", "disabled" */
};

#define BERTH_COMMANDS(X)                                                                  \
        X(create, "create a container")                                                    \
        X(start, "start a created container")                                              \
        X(run, "create and start a container")                                             \
        X(state, "print the state of a container")                                         \
        X(kill, "send a signal to the container's init process")                           \
        X(delete, "delete a container and its resources")                                  \
        X(list, "list containers")                                                         \
        X(ps, "list the processes of a container")                                         \
        X(exec, "run a new process inside a container")                                    \
        X(pause, "freeze all processes of a container")                                    \
        X(resume, "thaw a paused container")                                               \
        X(events, "show container events and statistics")                                  \
        X(update, "change the resource limits of a container")                             \
        X(spec, "write a default config.json")                                             \
        X(features, "print the features this runtime supports")

#define X(name, help) int cmd_##name(const struct global_opts *g, int argc, char **argv, struct berr *err);
BERTH_COMMANDS(X)
#undef X

/* Print "Usage: berth NAME ..." help for a command (cmd_help.c). */
void print_command_help(const char *name);

/* True when ARGV has -h/--help before any "--". Commands call it first. */
bool wants_help(int argc, char **argv);

#endif
