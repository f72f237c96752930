/* Statistics of a container's cgroup for `berth events`: runc's stats JSON
 * ({cpu, memory, pids, blkio, hugetlb}) from the v2 files, and the OOM kill
 * counter for "oom" events. Owner: cgroup. */
#ifndef BERTH_CGROUP_STATS_H
#define BERTH_CGROUP_STATS_H

#include <stdint.h>

#include "cgroup.h"

/* runc's "data" object of a stats event, malloc'd JSON text. */
int cgroup_stats_json(const struct berth_cgroup *cg, char **out, struct berr *err);
/* oom_kill from memory.events; -ENOENT when the memory controller is off. */
int cgroup_oom_kills(const struct berth_cgroup *cg, uint64_t *count, struct berr *err);

#endif
