/* The container's namespaces: which to create with clone3, which to join
 * by path, and the parts that must happen in the parent (joining a pid
 * namespace and a new time namespace with offsets only affect children, so
 * the parent enters them just around clone3 and then steps back), and the
 * user namespace id maps the parent writes. */
#ifndef BERTH_NAMESPACES_H
#define BERTH_NAMESPACES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

struct ns_plan {
        uint64_t clone_flags;      /* CLONE_NEW* created by clone3 */
        int join_fd[OCI_NS_COUNT]; /* namespaces joined by path, else -1 */
        bool new_user;
        bool new_time;                   /* created by the parent with unshare */
        int saved_pid_fd, saved_time_fd; /* the parent's own, to step back */
};

/* Work out the plan and open every namespace path (errors name the path). */
int ns_plan_make(const struct oci_config *cfg, struct ns_plan *p, struct berr *err);
void ns_plan_close(struct ns_plan *p);

/* Parent, just before clone3: join a pid namespace by path, make a new time
 * namespace with its offsets (or join one by path). */
int ns_parent_enter(const struct oci_config *cfg, struct ns_plan *p, struct berr *err);
/* Parent, just after clone3: back to its own pid and time namespaces. */
int ns_parent_leave(struct ns_plan *p, struct berr *err);

/* Parent: write uid_map and gid_map of PID from the config. */
int ns_write_id_maps(const struct oci_config *cfg, pid_t pid, struct berr *err);

/* Child: join the namespaces given by path (user first; pid/time are done). */
int ns_child_join(const struct ns_plan *p, struct berr *err);

#endif
