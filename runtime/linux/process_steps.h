/* The steps process_exec() is built from, one concern per file
 * (rlimits.c, procattr.c, user.c, caps.c, execfind.c, fds.c). Internal to
 * runtime/linux. */
#ifndef BERTH_PROCESS_STEPS_H
#define BERTH_PROCESS_STEPS_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "error.h"

/* process.rlimits; a refused raise names the rlimit and CAP_SYS_RESOURCE. */
int rlimits_apply(const struct oci_process *p, struct berr *err);

/* oomScoreAdj (through a verified procfs), ioPriority, scheduler,
 * execCPUAffinity.final, personality. */
int procattr_apply(const struct oci_process *p, const struct oci_personality *pers,
                   struct berr *err);

/* Parse a cpu list ("0-3,7") into SET. */
int cpulist_parse(const char *list, cpu_set_t *set, struct berr *err);

/* The container's /etc/passwd entry of a uid (found == false when none). */
struct passwd_entry {
        bool found;
        char name[256];
        char home[4096];
};
void passwd_by_uid(uint32_t uid, struct passwd_entry *out);
/* Gids of the container's /etc/group entries that list NAME (at most MAX). */
size_t group_memberships(const char *name, uint32_t *gids, size_t max);

/* Supplementary groups (GIDS), gid, uid (capabilities kept with
 * PR_SET_KEEPCAPS). */
int user_switch(const struct oci_user *u, const uint32_t *gids, size_t n_gids, struct berr *err);

/* Drop what is not in the bounding set (needs CAP_SETPCAP: do it first). */
int caps_drop_bounding(const struct oci_capabilities *c, struct berr *err);
/* Set effective, permitted, inheritable (adding EXTRA to effective and
 * permitted), then the ambient set. */
int caps_apply(const struct oci_capabilities *c, uint64_t extra, struct berr *err);
/* capset only, for the final drop of EXTRA after seccomp. */
int caps_set_final(const struct oci_capabilities *c, struct berr *err);

/* The checked executable: an fd to execveat() and the argv to give it
 * (with #! interpreters expanded by berth, each one checked). */
struct exec_target {
        int fd;
        char **argv; /* owned, NULL-terminated */
};
/* Resolve ARGV[0] inside the root, refuse berth's own binary (by device and
 * inode, also along a #! chain of up to 4 levels) and magic links. */
int exec_target_open(char *const *argv, char *const *env, int min_fd, struct exec_target *t,
                     struct berr *err);
void exec_target_free(struct exec_target *t);

/* process.env plus HOME from the container's /etc/passwd when unset. */
int process_env_build(const struct oci_process *p, char ***out, struct berr *err);

/* Mark every fd from FIRST up close-on-exec; clear it on 3..FIRST-1. */
int fds_prepare_for_exec(int preserve, struct berr *err);

#endif
