/* `berth exec`: a new process in a running container's namespaces and
 * cgroup, with the container's process attributes or process.json. */
#ifndef BERTH_EXEC_H
#define BERTH_EXEC_H

#include <stdbool.h>

#include "error.h"

struct exec_opts {
        const char *root;
        const char *id;
        const char *process_json; /* --process, or NULL */
        char **argv;              /* COMMAND ARGS (NULL-terminated) when no --process */
        bool detach;
        const char *pid_file;
        bool tty;
        const char *console_socket;
        const char *cwd;
        char **env;       /* --env K=V, NULL-terminated */
        const char *user; /* "uid[:gid]" */
        unsigned int *additional_gids;
        int n_additional_gids;
        char **caps; /* --cap NAME */
        bool no_new_privs;
        int preserve_fds;
        bool ignore_paused;
        const char *sub_cgroup; /* --cgroup: a path below the container's cgroup */
};

/* Returns the exit status of the process (foreground), 0 (detached) or < 0. */
int container_exec(const struct exec_opts *o, struct berr *err);

#endif
