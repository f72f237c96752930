/* Pieces of the cgroup v2 code shared between its files (cgroup*.c) and its
 * unit tests: the handle, path mapping, hierarchy discovery, the resource
 * plan, and the device BPF program. Not for use outside runtime/linux/cgroup*. */
#ifndef BERTH_CGROUP_INTERNAL_H
#define BERTH_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"

struct berth_cgroup {
        int dirfd;      /* O_DIRECTORY of the cgroup, -1 when disabled */
        char *fs_path;  /* "/sys/fs/cgroup/unified/berth/c1", "" when disabled */
        char *rel_path; /* "/berth/c1", "" when disabled */
        char *mount;    /* the cgroup2 mount point, "" when disabled */
        bool hybrid;    /* v1 controllers are mounted beside the v2 hierarchy */
};

/* ---- hierarchy (cgroup_hier.c) ---- */

struct cgroup_hier {
        char mount[4096]; /* where cgroup2 is mounted */
        bool hybrid;      /* some cgroup (v1) mounts exist too */
};

/* Find the cgroup2 mount in a mountinfo text. */
int cgroup_hier_parse_mountinfo(const char *text, struct cgroup_hier *h, struct berr *err);
/* Same, from /proc/self/mountinfo. */
int cgroup_hier_find(struct cgroup_hier *h, struct berr *err);
/* "hybrid cgroup host" or "unified cgroup host". */
const char *cgroup_hier_mode(const struct cgroup_hier *h);
/* The v2 path ("0::/x") of a /proc/PID/cgroup text, malloc'd. */
int cgroup_parse_proc_cgroup(const char *text, char **out, struct berr *err);

/* ---- paths (cgroup_path.c) ---- */

/* The cgroup of the container relative to the hierarchy root ("/berth/c1"),
 * from the manager ("cgroupfs" or "systemd"), linux.cgroupsPath (NULL or ""
 * for the default) and the id. OWN is berth's own cgroup ("/" or
 * "/user.slice/x.scope") for relative paths. Refuses "..", empty results and
 * the root itself. */
int cgroup_resolve_path(const char *manager, const char *cgroups_path, const char *id,
                        const char *own, char **out, struct berr *err);
/* systemd "a-b.slice" -> "/a.slice/a-b.slice" ("-.slice" -> ""). */
int cgroup_expand_slice(const char *slice, char *buf, size_t size, struct berr *err);
/* Split "slice:prefix:name" into systemd's slice and unit names. */
int cgroup_systemd_unit(const char *cgroups_path, const char *id, char *slice, size_t slice_size,
                        char *unit, size_t unit_size, struct berr *err);

/* ---- small file I/O relative to a cgroup fd (cgroup_file.c) ---- */

/* Write VALUE to FILE under DIRFD; the error names the file and the value. */
int cgroup_write(int dirfd, const char *file, const char *value, struct berr *err);
/* Read FILE under DIRFD into a malloc'd NUL-terminated buffer. */
int cgroup_read(int dirfd, const char *file, char **out, struct berr *err);
/* The value of KEY in a "key value" lines file (cgroup.events, memory.events). */
int cgroup_read_key(int dirfd, const char *file, const char *key, uint64_t *out, struct berr *err);
bool cgroup_has_file(int dirfd, const char *file);
/* Whether CONTROLLER appears in the space-separated list TEXT. */
bool cgroup_list_has(const char *text, const char *controller);

/* ---- resources (cgroup_resources.c) ---- */

enum cgroup_ctrl {
        CG_CPU,
        CG_CPUSET,
        CG_IO,
        CG_MEMORY,
        CG_HUGETLB,
        CG_PIDS,
        CG_RDMA,
        CG_MISC,
        CG_NONE, /* cgroup.* core files */
        CG_NCTRL
};

const char *cgroup_ctrl_name(enum cgroup_ctrl c);
/* The controller a "controller.file" name belongs to, or -1 when unknown. */
int cgroup_ctrl_of_file(const char *file);

#define CG_WRITE_OPTIONAL 1u /* skip when the file does not exist */

struct cgroup_write_op {
        enum cgroup_ctrl ctrl;
        const char *field; /* "linux.resources.memory", for errors */
        char file[128];
        char value[512];
        unsigned flags;
};

struct cgroup_plan {
        struct cgroup_write_op *ops;
        size_t n, cap;
        unsigned needed;                /* bit per enum cgroup_ctrl */
        const char *field_of[CG_NCTRL]; /* first field needing each controller */
};

/* Translate and validate RES into the writes to do, without touching the
 * system. DIRFD (may be -1) lets the choice depend on which files exist
 * (io.bfq.weight, memory.swap.max, hugetlb.*.rsvd.max). */
int cgroup_plan_resources(const struct oci_resources *res, int dirfd, struct cgroup_plan *plan,
                          struct berr *err);
void cgroup_plan_free(struct cgroup_plan *plan);
/* Refuse a plan needing a controller the hierarchy root at MOUNT does not
 * offer: "cannot apply linux.resources.memory: the memory controller is not
 * available on the cgroup v2 hierarchy (hybrid cgroup host)". */
int cgroup_check_controllers(const char *mount, bool hybrid, const struct cgroup_plan *plan,
                             struct berr *err);
/* +controller in cgroup.subtree_control of every ancestor of REL: those in
 * NEEDED (errors) and, with EXTRAS, every other one an ancestor below the
 * hierarchy root offers (best effort, as runc). */
int cgroup_enable_controllers(const char *mount, const char *rel, unsigned needed, bool extras,
                              struct berr *err);
/* Write RES (may be NULL); DEVICES: install the device program even when RES
 * has no device rules (default deny + the standard set), as on create. */
int cgroup_apply_limits(const struct berth_cgroup *cg, const struct oci_resources *res,
                        bool devices, struct berr *err);

/* runc's conversions. */
uint64_t cgroup_shares_to_weight(uint64_t shares);
uint64_t cgroup_blkio_to_io_weight(uint64_t weight);
/* memory.swap.max from the spec's swap (memory+swap) and memory limit: sets
 * *out to -1 for "max", 0 for "leave alone", else bytes. */
int cgroup_swap_v2(int64_t swap, int64_t memory, int64_t *out, struct berr *err);

/* ---- devices (cgroup_devices.c) ---- */

struct bpf_insn;
/* Compile the rules (the spec's, then the default allowed set) to a
 * BPF_PROG_TYPE_CGROUP_DEVICE program. *out is malloc'd. */
int cgroup_devices_compile(const struct oci_device_rule *rules, size_t n, bool add_defaults,
                           struct bpf_insn **out, size_t *n_insns, struct berr *err);
/* Load the program and attach it to DIRFD, replacing berth's earlier one. */
int cgroup_devices_apply(int dirfd, const struct oci_device_rule *rules, size_t n,
                         struct berr *err);

/* How many device programs are attached directly to DIRFD. */
int cgroup_devices_count(int dirfd, uint32_t *count, struct berr *err);

/* ---- systemd (cgroup_systemd.c) ---- */

bool cgroup_systemd_running(void);
/* Ask systemd for a transient scope UNIT in SLICE holding this process
 * (Delegate=yes); waits until its cgroup exists. */
int cgroup_systemd_start_scope(const char *slice, const char *unit, struct berr *err);

#endif
