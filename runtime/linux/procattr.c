/* Process attributes set before the user switch: oomScoreAdj (written
 * through /proc/self verified to be procfs), ioPriority, scheduler,
 * execCPUAffinity.final and personality. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "mntutil.h"
#include "process_steps.h"
#include "safepath.h"

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

struct sched_attr_v1 {
        uint32_t size;
        uint32_t sched_policy;
        uint64_t sched_flags;
        int32_t sched_nice;
        uint32_t sched_priority;
        uint64_t sched_runtime;
        uint64_t sched_deadline;
        uint64_t sched_period;
};

static int set_oom_score_adj(int64_t v, struct berr *err)
{
        char buf[32];

        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return berr_sys(err, "oomScoreAdj: open /");
        _cleanup_close_ int fd = safe_openat(root, "/proc/self/oom_score_adj", O_WRONLY, 0, err);
        if (fd < 0)
                return berr_wrap(err, "oomScoreAdj (is /proc mounted in the container?)");
        if (!fd_on_fs(fd, PROC_SUPER_MAGIC))
                return berr_fail(err, EPERM,
                                 "oomScoreAdj: /proc/self/oom_score_adj is not on procfs");
        int n = snprintf(buf, sizeof(buf), "%lld", (long long)v);
        if (write(fd, buf, (size_t)n) != n)
                return berr_sys(err, "oomScoreAdj %lld%s", (long long)v,
                                errno == EACCES ? " (lowering it needs CAP_SYS_RESOURCE)" : "");
        return 0;
}

int cpulist_parse(const char *list, cpu_set_t *set, struct berr *err)
{
        const char *p = list;

        CPU_ZERO(set);
        while (*p) {
                char *end;
                errno = 0;
                unsigned long a = strtoul(p, &end, 10), b;
                if (end == p || errno)
                        goto bad;
                b = a;
                p = end;
                if (*p == '-') {
                        p++;
                        b = strtoul(p, &end, 10);
                        if (end == p || b < a)
                                goto bad;
                        p = end;
                }
                if (b >= CPU_SETSIZE)
                        goto bad;
                for (unsigned long c = a; c <= b; c++)
                        CPU_SET(c, set);
                if (*p == ',')
                        p++;
                else if (*p)
                        goto bad;
        }
        return 0;
bad:
        return berr_fail(err, EINVAL, "invalid cpu list \"%s\"", list);
}

static int set_scheduler(const struct oci_scheduler *s, struct berr *err)
{
        struct sched_attr_v1 a = {
            .size = sizeof(a),
            .sched_policy = (uint32_t)s->policy,
            .sched_flags = s->flags,
            .sched_nice = s->nice,
            .sched_priority = (uint32_t)s->priority,
            .sched_runtime = s->runtime,
            .sched_deadline = s->deadline,
            .sched_period = s->period,
        };

        if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
                return berr_sys(err, "scheduler (policy %d, priority %d, nice %d)", s->policy,
                                s->priority, s->nice);
        return 0;
}

int procattr_apply(const struct oci_process *p, const struct oci_personality *pers,
                   struct berr *err)
{
        int r;

        if (p->oom_score_adj.set) {
                r = set_oom_score_adj(p->oom_score_adj.value, err);
                if (r < 0)
                        return r;
        }
        if (p->io_priority.set) {
                int v = (p->io_priority.class << IOPRIO_CLASS_SHIFT) | p->io_priority.priority;
                if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, v) < 0)
                        return berr_sys(err, "ioPriority (class %d, priority %d)",
                                        p->io_priority.class, p->io_priority.priority);
        }
        if (p->scheduler.set) {
                r = set_scheduler(&p->scheduler, err);
                if (r < 0)
                        return r;
        }
        if (p->exec_cpu_affinity.final && *p->exec_cpu_affinity.final) {
                cpu_set_t set;
                r = cpulist_parse(p->exec_cpu_affinity.final, &set, err);
                if (r < 0)
                        return berr_wrap(err, "execCPUAffinity.final");
                if (sched_setaffinity(0, sizeof(set), &set) < 0)
                        return berr_sys(err, "execCPUAffinity.final %s",
                                        p->exec_cpu_affinity.final);
        }
        if (pers && pers->set && personality(pers->domain) < 0)
                return berr_sys(err, "personality %#lx", pers->domain);
        return 0;
}
