/* See namespaces.h. */
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const char *ns_label(enum oci_ns_type t)
{
        static const char *const names[] = {"pid", "network", "mount",  "ipc",
                                            "uts", "user",    "cgroup", "time"};
        return (unsigned)t < OCI_NS_COUNT ? names[t] : "?";
}

static int ns_flag(enum oci_ns_type t)
{
        static const int flags[] = {CLONE_NEWPID, CLONE_NEWNET,  CLONE_NEWNS,     CLONE_NEWIPC,
                                    CLONE_NEWUTS, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME};
        return (unsigned)t < OCI_NS_COUNT ? flags[t] : 0;
}

int ns_plan_make(const struct oci_config *cfg, struct ns_plan *p, struct berr *err)
{
        memset(p, 0, sizeof(*p));
        for (int i = 0; i < OCI_NS_COUNT; i++)
                p->join_fd[i] = -1;
        p->saved_pid_fd = p->saved_time_fd = -1;
        for (size_t i = 0; i < cfg->lnx.n_namespaces; i++) {
                const struct oci_namespace *ns = &cfg->lnx.namespaces[i];
                if ((unsigned)ns->type >= OCI_NS_COUNT)
                        continue;
                if (ns->path && *ns->path) {
                        int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
                        if (fd < 0)
                                return berr_sys(err, "open %s namespace %s", ns_label(ns->type),
                                                ns->path);
                        safe_close(p->join_fd[ns->type]);
                        p->join_fd[ns->type] = fd;
                        continue;
                }
                if (ns->type == OCI_NS_TIME) {
                        p->new_time = true;
                        continue;
                }
                p->clone_flags |= (uint64_t)ns_flag(ns->type);
                if (ns->type == OCI_NS_USER)
                        p->new_user = true;
        }
        if ((cfg->lnx.time_monotonic.set || cfg->lnx.time_boottime.set) && !p->new_time)
                return berr_fail(err, EINVAL,
                                 "linux.timeOffsets need a new time namespace in linux.namespaces");
        return 0;
}

void ns_plan_close(struct ns_plan *p)
{
        for (int i = 0; i < OCI_NS_COUNT; i++)
                p->join_fd[i] = safe_close(p->join_fd[i]);
        p->saved_pid_fd = safe_close(p->saved_pid_fd);
        p->saved_time_fd = safe_close(p->saved_time_fd);
}

static int write_time_offsets(const struct oci_config *cfg, struct berr *err)
{
        char buf[128];
        int n = 0;
        _cleanup_close_ int fd = -1;

        if (cfg->lnx.time_monotonic.set)
                n += snprintf(buf + n, sizeof(buf) - n, "monotonic %" PRId64 " %u\n",
                              cfg->lnx.time_monotonic.secs, cfg->lnx.time_monotonic.nanosecs);
        if (cfg->lnx.time_boottime.set)
                n += snprintf(buf + n, sizeof(buf) - n, "boottime %" PRId64 " %u\n",
                              cfg->lnx.time_boottime.secs, cfg->lnx.time_boottime.nanosecs);
        if (n == 0)
                return 0;
        fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, buf, (size_t)n) != n)
                return berr_sys(err, "write time namespace offsets");
        return 0;
}

int ns_parent_enter(const struct oci_config *cfg, struct ns_plan *p, struct berr *err)
{
        if (p->join_fd[OCI_NS_PID] >= 0) {
                p->saved_pid_fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
                if (p->saved_pid_fd < 0)
                        return berr_sys(err, "open /proc/self/ns/pid");
                if (setns(p->join_fd[OCI_NS_PID], CLONE_NEWPID) < 0)
                        return berr_sys(err, "join pid namespace");
        }
        if (p->new_time || p->join_fd[OCI_NS_TIME] >= 0) {
                p->saved_time_fd = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
                if (p->saved_time_fd < 0)
                        return berr_sys(err, "open /proc/self/ns/time");
                if (p->join_fd[OCI_NS_TIME] >= 0) {
                        if (setns(p->join_fd[OCI_NS_TIME], CLONE_NEWTIME) < 0)
                                return berr_sys(err, "join time namespace");
                } else {
                        if (unshare(CLONE_NEWTIME) < 0)
                                return berr_sys(err, "create time namespace");
                        if (write_time_offsets(cfg, err) < 0)
                                return err->status;
                }
        }
        return 0;
}

int ns_parent_leave(struct ns_plan *p, struct berr *err)
{
        int r = 0;

        if (p->saved_pid_fd >= 0 && setns(p->saved_pid_fd, CLONE_NEWPID) < 0)
                r = berr_sys(err, "return to the runtime's pid namespace");
        if (p->saved_time_fd >= 0 && setns(p->saved_time_fd, CLONE_NEWTIME) < 0)
                r = berr_sys(err, "return to the runtime's time namespace");
        p->saved_pid_fd = safe_close(p->saved_pid_fd);
        p->saved_time_fd = safe_close(p->saved_time_fd);
        return r;
}

static int write_map(pid_t pid, const char *file, const struct oci_idmap_list *l, struct berr *err)
{
        char path[64], buf[4096];
        size_t n = 0;
        _cleanup_close_ int fd = -1;

        if (l->len == 0)
                return 0;
        for (size_t i = 0; i < l->len && n < sizeof(buf); i++)
                n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%u %u %u\n",
                                      l->items[i].container_id, l->items[i].host_id,
                                      l->items[i].size);
        if (n >= sizeof(buf))
                return berr_fail(err, E2BIG, "%s: too many mappings", file);
        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(err, "open %s", path);
        if (write(fd, buf, n) != (ssize_t)n)
                return berr_sys(err, "write %s", path);
        return 0;
}

int ns_write_id_maps(const struct oci_config *cfg, pid_t pid, struct berr *err)
{
        if (write_map(pid, "uid_map", &cfg->lnx.uid_mappings, err) < 0)
                return err->status;
        return write_map(pid, "gid_map", &cfg->lnx.gid_mappings, err);
}

int ns_child_join(const struct ns_plan *p, struct berr *err)
{
        /* The user namespace first: it owns the others. */
        static const enum oci_ns_type order[] = {OCI_NS_USER,    OCI_NS_IPC,    OCI_NS_UTS,
                                                 OCI_NS_NETWORK, OCI_NS_CGROUP, OCI_NS_MOUNT};

        for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
                enum oci_ns_type t = order[i];
                if (p->join_fd[t] < 0)
                        continue;
                if (setns(p->join_fd[t], ns_flag(t)) < 0)
                        return berr_sys(err, "join %s namespace", ns_label(t));
        }
        return 0;
}
