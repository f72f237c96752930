/* Internal to the launcher: what the parent prepares before clone3 and the
 * child (a copy of the same memory) reads. */
#ifndef BERTH_LAUNCH_H
#define BERTH_LAUNCH_H

#include <limits.h>
#include <stdbool.h>

#include "cgroup.h"
#include "container.h"
#include "namespaces.h"

struct launch {
        const struct create_opts *o;
        struct oci_config *cfg;
        struct container_state *st;
        struct state_dir *sd;
        struct berth_cgroup *cg;
        struct ns_plan ns;
        int sync_parent, sync_child; /* socketpair ends */
        int fifo_fd;                 /* create: exec fifo, read end for the child */
        int console_fd;              /* parent: connected --console-socket */
        int preserve_fds;            /* --preserve-fds plus LISTEN_FDS */
        struct oci_process proc;     /* cfg->process, env maybe extended */
        char **env_storage;          /* owned env array when extended */
        bool hooks_need_pid;         /* parent tells the child its host pid */
};

/* The container init: never returns. */
__attribute__((noreturn)) void launch_child(struct launch *l);

#endif
