/* The last steps of a container process before execve, in one visible
 * place: rlimits, scheduling, cwd, user and groups, capabilities,
 * no_new_privs, seccomp (last), fd cleanup, execve. Used by create/run and
 * by exec. Owner: rootfs. */
#ifndef BERTH_PROCESS_H
#define BERTH_PROCESS_H

#include <stdbool.h>

#include "config.h"
#include "error.h"

struct process_exec_opts {
        const struct oci_process *proc;
        const struct oci_seccomp *seccomp;         /* NULL: no filter */
        const char *seccomp_cache_dir;             /* may be NULL */
        const struct oci_personality *personality; /* NULL or unset: leave as is */
        int preserve_fds;                          /* fds 3 .. 3+N-1 survive execve */
        /* Called after the seccomp filter is loaded and before execve, with
         * the notify fd (or -1); may be NULL. */
        int (*after_seccomp)(void *arg, int notify_fd, struct berr *err);
        void *arg;
};

/* Apply rlimits, oom_score_adj, ioPriority, scheduler, personality, cwd,
 * user, capabilities, no_new_privs, seccomp, close fds and execve. Never
 * returns on success; on failure returns < 0 with err naming the step. */
int process_exec(const struct process_exec_opts *o, struct berr *err);

/* Resolve ARGV0 along PATH from ENV, inside the current root. Fills out
 * (PATH_MAX). Error: exec: "foo": executable file not found in $PATH. */
int process_find_executable(const char *argv0, char *const *env, char *out, struct berr *err);

#endif
