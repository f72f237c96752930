/* The OCI runtime configuration (runtime-spec 1.2, Linux part) as typed C
 * structs. oci_config_load() parses config.json with yajl's tree API and
 * validates everything before the runtime touches the system; the structs
 * are then read-only. Absent optional values have `set == false` (scalars)
 * or NULL/0-length (strings, arrays). String arrays are NULL-terminated and
 * also carry their length. */
#ifndef BERTH_OCI_CONFIG_H
#define BERTH_OCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define OCI_VERSION_MIN "1.0.0"
#define OCI_VERSION_MAX "1.2.1"
#define OCI_CONFIG_MAX_BYTES (4u << 20)

typedef struct {
        bool set;
        int64_t value;
} oci_opt_i64;
typedef struct {
        bool set;
        uint64_t value;
} oci_opt_u64;
typedef struct {
        bool set;
        bool value;
} oci_opt_bool;

struct oci_strv {
        char **items; /* NULL-terminated */
        size_t len;
};

struct oci_kv {
        char *key;
        char *value;
};

struct oci_kv_list {
        struct oci_kv *items;
        size_t len;
};

struct oci_idmap {
        uint32_t container_id;
        uint32_t host_id;
        uint32_t size;
};

struct oci_idmap_list {
        struct oci_idmap *items;
        size_t len;
};

/* ---- process ---- */

struct oci_user {
        uint32_t uid;
        uint32_t gid;
        oci_opt_u64 umask;
        uint32_t *additional_gids;
        size_t n_additional_gids;
        char *username; /* informational (Windows); kept for completeness */
};

struct oci_rlimit {
        int resource; /* RLIMIT_* */
        char *type;   /* "RLIMIT_NOFILE" as written */
        uint64_t hard;
        uint64_t soft;
};

/* Capability sets as bitmasks of CAP_* numbers (bit n = capability n). */
struct oci_capabilities {
        bool set;
        uint64_t bounding, effective, inheritable, permitted, ambient;
};

struct oci_io_priority {
        bool set;
        int class; /* IOPRIO_CLASS_RT / _BE / _IDLE */
        int priority;
};

struct oci_scheduler {
        bool set;
        int policy; /* SCHED_* */
        int32_t nice;
        int32_t priority;
        uint64_t flags; /* SCHED_FLAG_* */
        uint64_t runtime, deadline, period;
};

struct oci_cpu_affinity {
        char *initial; /* cpu list strings, e.g. "0-3,7", or NULL */
        char *final;
};

struct oci_process {
        bool terminal;
        bool has_console_size;
        uint32_t console_height, console_width;
        struct oci_user user;
        struct oci_strv args;
        struct oci_strv env;
        char *cwd;
        struct oci_capabilities capabilities;
        struct oci_rlimit *rlimits;
        size_t n_rlimits;
        bool no_new_privileges;
        char *apparmor_profile;
        oci_opt_i64 oom_score_adj;
        char *selinux_label;
        struct oci_io_priority io_priority;
        struct oci_scheduler scheduler;
        struct oci_cpu_affinity exec_cpu_affinity;
};

/* ---- root, mounts ---- */

struct oci_root {
        char *path; /* as written; may be relative to the bundle */
        bool readonly;
};

/* Mount options digested at parse time. */
struct oci_mount_flags {
        unsigned long flags;       /* MS_* to set */
        unsigned long clear;       /* MS_* named by "no..." / "rw" style options */
        unsigned long propagation; /* MS_SHARED/SLAVE/PRIVATE/UNBINDABLE [|MS_REC], 0 = none */
        uint64_t attr_set;         /* MOUNT_ATTR_* from r* options (recursive) */
        uint64_t attr_clr;
        char *data;           /* the options passed to the filesystem, comma-joined, or NULL */
        bool bind;            /* bind or rbind */
        bool recursive;       /* rbind */
        bool tmpcopyup;       /* podman: copy the target's content into a new tmpfs */
        bool idmap;           /* "idmap" / "ridmap" */
        bool idmap_recursive; /* "ridmap": also the submounts of an rbind */
        bool recursive_ro;    /* "rro" */
};

struct oci_mount {
        char *destination;
        char *type;   /* may be NULL (bind mounts) */
        char *source; /* may be NULL */
        struct oci_strv options;
        struct oci_mount_flags parsed;
        struct oci_idmap_list uid_mappings;
        struct oci_idmap_list gid_mappings;
};

/* ---- hooks ---- */

enum oci_hook_kind {
        OCI_HOOK_PRESTART,
        OCI_HOOK_CREATE_RUNTIME,
        OCI_HOOK_CREATE_CONTAINER,
        OCI_HOOK_START_CONTAINER,
        OCI_HOOK_POSTSTART,
        OCI_HOOK_POSTSTOP,
        OCI_HOOK_COUNT
};

struct oci_hook {
        char *path;
        struct oci_strv args;
        struct oci_strv env;
        oci_opt_i64 timeout; /* seconds, > 0 when set */
};

struct oci_hook_list {
        struct oci_hook *items;
        size_t len;
};

/* ---- linux ---- */

enum oci_ns_type {
        OCI_NS_PID,
        OCI_NS_NETWORK,
        OCI_NS_MOUNT,
        OCI_NS_IPC,
        OCI_NS_UTS,
        OCI_NS_USER,
        OCI_NS_CGROUP,
        OCI_NS_TIME,
        OCI_NS_COUNT
};

struct oci_namespace {
        enum oci_ns_type type;
        int clone_flag; /* CLONE_NEW* */
        char *path;     /* join this namespace instead of creating one, or NULL */
};

struct oci_time_offset {
        bool set;
        int64_t secs;
        uint32_t nanosecs;
};

struct oci_device {
        char *path;
        char type; /* 'c', 'b', 'u', 'p' */
        int64_t major, minor;
        oci_opt_u64 file_mode;
        oci_opt_u64 uid, gid;
};

struct oci_device_rule {
        bool allow;
        char type;                /* 'a', 'c', 'b' */
        oci_opt_i64 major, minor; /* unset = wildcard */
        char access[4];           /* subset of "rwm", NUL-terminated */
};

struct oci_weight_device {
        int64_t major, minor;
        oci_opt_u64 weight, leaf_weight;
};

struct oci_throttle_device {
        int64_t major, minor;
        uint64_t rate;
};

struct oci_throttle_list {
        struct oci_throttle_device *items;
        size_t len;
};

struct oci_hugepage_limit {
        char *page_size; /* "2MB", "1GB" */
        uint64_t limit;
};

struct oci_net_priority {
        char *name;
        uint32_t priority;
};

struct oci_rdma_limit {
        char *device;
        oci_opt_u64 hca_handles, hca_objects;
};

struct oci_resources {
        struct oci_device_rule *devices;
        size_t n_devices;

        bool has_memory;
        struct {
                oci_opt_i64 limit, reservation, swap, kernel, kernel_tcp;
                oci_opt_u64 swappiness;
                oci_opt_bool disable_oom_killer, use_hierarchy, check_before_update;
        } memory;

        bool has_cpu;
        struct {
                oci_opt_u64 shares, period, realtime_period, burst;
                oci_opt_i64 quota, realtime_runtime, idle;
                char *cpus, *mems;
        } cpu;

        bool has_pids;
        struct {
                oci_opt_i64 limit;
        } pids;

        bool has_block_io;
        struct {
                oci_opt_u64 weight, leaf_weight;
                struct oci_weight_device *weight_device;
                size_t n_weight_device;
                struct oci_throttle_list throttle_read_bps, throttle_write_bps, throttle_read_iops,
                    throttle_write_iops;
        } block_io;

        struct oci_hugepage_limit *hugepage_limits;
        size_t n_hugepage_limits;

        bool has_network;
        struct {
                oci_opt_u64 class_id;
                struct oci_net_priority *priorities;
                size_t n_priorities;
        } network;

        struct oci_rdma_limit *rdma;
        size_t n_rdma;

        struct oci_kv_list unified;
};

enum oci_seccomp_action {
        OCI_SECCOMP_KILL, /* = KILL_THREAD */
        OCI_SECCOMP_KILL_PROCESS,
        OCI_SECCOMP_KILL_THREAD,
        OCI_SECCOMP_TRAP,
        OCI_SECCOMP_ERRNO,
        OCI_SECCOMP_TRACE,
        OCI_SECCOMP_ALLOW,
        OCI_SECCOMP_LOG,
        OCI_SECCOMP_NOTIFY,
};

enum oci_seccomp_op {
        OCI_SECCOMP_OP_NE,
        OCI_SECCOMP_OP_LT,
        OCI_SECCOMP_OP_LE,
        OCI_SECCOMP_OP_EQ,
        OCI_SECCOMP_OP_GE,
        OCI_SECCOMP_OP_GT,
        OCI_SECCOMP_OP_MASKED_EQ,
};

struct oci_seccomp_arg {
        uint32_t index;
        uint64_t value, value_two;
        enum oci_seccomp_op op;
};

struct oci_seccomp_syscall {
        struct oci_strv names;
        enum oci_seccomp_action action;
        oci_opt_u64 errno_ret;
        struct oci_seccomp_arg *args;
        size_t n_args;
};

enum oci_seccomp_flag {
        OCI_SECCOMP_FLAG_LOG = 1 << 0,
        OCI_SECCOMP_FLAG_SPEC_ALLOW = 1 << 1,
        OCI_SECCOMP_FLAG_WAIT_KILLABLE_RECV = 1 << 2,
        OCI_SECCOMP_FLAG_TSYNC = 1 << 3,
};

struct oci_seccomp {
        enum oci_seccomp_action default_action;
        oci_opt_u64 default_errno_ret;
        struct oci_strv architectures; /* "SCMP_ARCH_X86_64" as written, validated */
        unsigned flags;                /* enum oci_seccomp_flag bits */
        char *listener_path;
        char *listener_metadata;
        struct oci_seccomp_syscall *syscalls;
        size_t n_syscalls;
        /* The raw JSON text of the section, canonical form, for the filter cache key. */
        char *json;
};

struct oci_personality {
        bool set;
        unsigned long domain; /* PER_LINUX or PER_LINUX32 */
        struct oci_strv flags;
};

struct oci_intel_rdt {
        bool set;
        char *clos_id, *l3_cache_schema, *mem_bw_schema;
        bool enable_cmt, enable_mbm;
};

struct oci_memory_policy {
        bool set;
        int mode;       /* MPOL_* */
        char *nodes;    /* node list string */
        unsigned flags; /* MPOL_F_* */
};

struct oci_linux {
        struct oci_namespace *namespaces;
        size_t n_namespaces;
        struct oci_idmap_list uid_mappings, gid_mappings;
        struct oci_time_offset time_monotonic, time_boottime;
        struct oci_device *devices;
        size_t n_devices;
        char *cgroups_path;
        bool has_resources;
        struct oci_resources resources;
        unsigned long rootfs_propagation; /* MS_* | MS_REC, 0 when unset */
        struct oci_strv masked_paths;
        struct oci_strv readonly_paths;
        char *mount_label;
        struct oci_seccomp *seccomp; /* NULL when absent */
        struct oci_kv_list sysctl;
        struct oci_personality personality;
        struct oci_intel_rdt intel_rdt;
        struct oci_memory_policy memory_policy;
};

struct oci_config {
        char *oci_version;
        struct oci_root root;
        bool has_root;
        struct oci_process *process; /* NULL when absent */
        char *hostname;
        char *domainname;
        struct oci_mount *mounts;
        size_t n_mounts;
        struct oci_hook_list hooks[OCI_HOOK_COUNT];
        struct oci_kv_list annotations;
        bool has_linux;
        struct oci_linux lnx; /* "linux" is a predefined macro in GNU C */
};

/* Parse and validate config.json at PATH. Errors read
 * "config.json: .process.args: expected an array, got a string". */
int oci_config_load(const char *path, struct oci_config **out, struct berr *err);
int oci_config_parse(const char *buf, size_t len, struct oci_config **out, struct berr *err);
void oci_config_free(struct oci_config *cfg);

/* process.json for `exec --process`: the same rules as .process. */
int oci_process_load(const char *path, struct oci_process **out, struct berr *err);
int oci_process_parse(const char *buf, size_t len, struct oci_process **out, struct berr *err);
void oci_process_free(struct oci_process *p);

/* Lookups shared by the parser, `features` and the runtime. */
const char *oci_ns_name(enum oci_ns_type t);     /* "pid", "network", ... */
const char *oci_hook_name(enum oci_hook_kind k); /* "prestart", ... */
int oci_ns_clone_flag(enum oci_ns_type t);       /* CLONE_NEWPID, ... */

/* Namespace of TYPE in the config, or NULL when the config has none. */
const struct oci_namespace *oci_config_namespace(const struct oci_config *cfg,
                                                 enum oci_ns_type type);

#endif
