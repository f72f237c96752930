/* The cgroup of a container named by id, for the commands that act on it
 * (pause, resume, events, update): its state, its live status (with
 * "paused" read from the freezer) and its reopened cgroup. Owner: cgroup. */
#ifndef BERTH_CGROUP_TARGET_H
#define BERTH_CGROUP_TARGET_H

#include <stdint.h>

#include "cgroup.h"
#include "state.h"

struct cgroup_target {
        struct state_dir sd;
        struct container_state st;
        enum container_status status;
        struct berth_cgroup *cg; /* NULL when the container has no cgroup */
};

/* Open the container ID under ROOT (no lock: these commands only act on the
 * cgroup). A container without a cgroup (manager disabled) has cg NULL. */
int cgroup_target_open(const char *root, const char *id, struct cgroup_target *t, struct berr *err);
/* Refuses a container without a cgroup, naming the command. */
int cgroup_target_require(const struct cgroup_target *t, const char *what, struct berr *err);
void cgroup_target_close(struct cgroup_target *t);

/* The single ID argument after the options, or an error naming the usage. */
int cgroup_target_id(int argc, char **argv, const char *cmd, const char **id, struct berr *err);

/* A Go duration as runc takes it ("5s", "100ms", "1m30s", "1.5h") in ns. */
int parse_go_duration(const char *s, uint64_t *ns, struct berr *err);

/* runc's update sizes: "-1", "1024", "100k", "64m", "1.5g", "2MiB". */
int parse_update_bytes(const char *s, int64_t *out, struct berr *err);

#endif
