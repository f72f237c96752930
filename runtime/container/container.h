/* The container lifecycle behind the commands: create (the launcher),
 * start, kill, delete, status. The cmd_*.c files are thin front ends over
 * these. Owner: life. */
#ifndef BERTH_CONTAINER_H
#define BERTH_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"
#include "state.h"

struct create_opts {
        const char *root;
        const char *id;
        const char *bundle;         /* NULL: the current directory */
        const char *pid_file;       /* may be NULL */
        const char *console_socket; /* may be NULL */
        const char *cgroup_manager; /* "cgroupfs", "systemd", "disabled" */
        bool systemd;
        bool no_pivot;
        bool no_new_keyring;
        int preserve_fds;
        bool run;        /* create+start in one process (`run`): no exec fifo */
        bool foreground; /* `run` without --detach: keep the pty for a relay */
};

/* A container this process created (or is running in the foreground). */
struct container {
        struct oci_config *cfg;
        struct container_state st;
        struct state_dir sd; /* locked until container_release() */
        int pidfd;
        int sync_fd;    /* run mode: the sync socket to the init */
        int pty_master; /* foreground run with a terminal, else -1 */
};

/* Parse and validate the bundle's config, then create the container up to
 * "created" (init waits for start). Any failure removes every trace. */
int container_create(const struct create_opts *o, struct container **out, struct berr *err);
/* run: let the init go on and wait until it has exec'd (or failed);
 * records "running" and runs the poststart hooks. */
int container_run_start(struct container *c, struct berr *err);
/* Drop the lock and free the handle (the container lives on). */
void container_release(struct container *c);

/* `start ID`: open the exec fifo, record running, poststart hooks. */
int container_start(const char *root, const char *id, struct berr *err);
/* `kill ID SIG [--all]`. */
int container_kill(const char *root, const char *id, int sig, bool all, struct berr *err);
/* `delete ID [--force]`: poststop hooks, cgroup and state removed. */
int container_delete(const char *root, const char *id, bool force, struct berr *err);
/* Remove a stopped container this process holds (run without --keep). */
int container_destroy_locked(struct state_dir *sd, struct container_state *st, struct berr *err);

/* The live status: recorded status, liveness, and "paused" from the cgroup
 * freezer. */
enum container_status container_status(const struct state_dir *sd,
                                       const struct container_state *st);

/* Open the container's cgroup, but only if the directory at its path is
 * still the one create made (same inode): containers with one id under
 * two --root directories share the default path, and one must never kill
 * or remove the other's. -ENOENT when gone or not ours. */
struct berth_cgroup;
int container_cgroup_open(const struct container_state *st, struct berth_cgroup **cg,
                          struct berr *err);

/* "TERM", "SIGTERM", "15" -> 15; < 0 when unknown. */
int parse_signal(const char *s, struct berr *err);

#endif
