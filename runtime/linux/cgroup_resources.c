/* linux.resources -> cgroup v2 files. cgroup_plan_resources() validates and
 * translates everything first (runc's conversions: shares -> cpu.weight,
 * memory+swap -> memory.swap.max, blkio weight -> io.weight), so a bad value
 * writes nothing; cgroup_apply_resources() then writes the plan. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "log.h"

static const char *const ctrl_names[CG_NCTRL] = {
    [CG_CPU] = "cpu",       [CG_CPUSET] = "cpuset",   [CG_IO] = "io",
    [CG_MEMORY] = "memory", [CG_HUGETLB] = "hugetlb", [CG_PIDS] = "pids",
    [CG_RDMA] = "rdma",     [CG_MISC] = "misc",       [CG_NONE] = "cgroup",
};

const char *cgroup_ctrl_name(enum cgroup_ctrl c)
{
        return c < CG_NCTRL ? ctrl_names[c] : "?";
}

int cgroup_ctrl_of_file(const char *file)
{
        const char *dot = strchr(file, '.');

        if (!dot)
                return -1;
        for (int c = 0; c < CG_NCTRL; c++) {
                size_t len = strlen(ctrl_names[c]);
                if ((size_t)(dot - file) == len && memcmp(file, ctrl_names[c], len) == 0)
                        return c;
        }
        return -1;
}

uint64_t cgroup_shares_to_weight(uint64_t shares)
{
        if (shares == 0)
                return 0;
        return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cgroup_blkio_to_io_weight(uint64_t weight)
{
        if (weight == 0)
                return 0;
        return 1 + ((weight - 10) * 9999) / 990;
}

int cgroup_swap_v2(int64_t swap, int64_t memory, int64_t *out, struct berr *err)
{
        /* memory unlimited and swap unset: unlimited swap too (cgroup v1 habit) */
        if (memory == -1 && swap == 0) {
                *out = -1;
                return 0;
        }
        if (swap == -1 || swap == 0) {
                *out = swap;
                return 0;
        }
        if (swap < 0)
                return berr_fail(err, EINVAL, "linux.resources.memory.swap: invalid value %" PRId64,
                                 swap);
        if (memory == 0 || memory == -1)
                return berr_fail(err, EINVAL,
                                 "linux.resources.memory.swap: a swap limit needs a memory limit");
        if (memory < 0)
                return berr_fail(err, EINVAL,
                                 "linux.resources.memory.limit: invalid value %" PRId64, memory);
        if (swap < memory)
                return berr_fail(err, EINVAL,
                                 "linux.resources.memory.swap (%" PRId64
                                 ") must be at least linux.resources.memory.limit (%" PRId64 ")",
                                 swap, memory);
        *out = swap - memory;
        return 0;
}

static int add(struct cgroup_plan *plan, enum cgroup_ctrl ctrl, const char *field, unsigned flags,
               const char *file, struct berr *err, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static int add(struct cgroup_plan *plan, enum cgroup_ctrl ctrl, const char *field, unsigned flags,
               const char *file, struct berr *err, const char *fmt, ...)
{
        struct cgroup_write_op *op;
        va_list ap;
        int n;

        if (plan->n == plan->cap) {
                size_t nc = plan->cap ? plan->cap * 2 : 16;
                struct cgroup_write_op *no = realloc(plan->ops, nc * sizeof(*no));
                if (!no)
                        return berr_fail(err, ENOMEM, "cgroup: out of memory");
                plan->ops = no;
                plan->cap = nc;
        }
        op = &plan->ops[plan->n];
        memset(op, 0, sizeof(*op));
        op->ctrl = ctrl;
        op->field = field;
        op->flags = flags;
        if (snprintf(op->file, sizeof(op->file), "%s", file) >= (int)sizeof(op->file))
                return berr_fail(err, EINVAL, "%s: file name %s too long", field, file);
        va_start(ap, fmt);
        n = vsnprintf(op->value, sizeof(op->value), fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= sizeof(op->value))
                return berr_fail(err, EINVAL, "%s: value for %s too long", field, file);
        plan->n++;
        if (ctrl != CG_NONE && !(plan->needed & (1u << ctrl))) {
                plan->needed |= 1u << ctrl;
                plan->field_of[ctrl] = field;
        }
        return 0;
}

void cgroup_plan_free(struct cgroup_plan *plan)
{
        free(plan->ops);
        memset(plan, 0, sizeof(*plan));
}

/* "-1" (or any negative in some fields) as "max". */
static void limit_str(char *buf, size_t size, int64_t v)
{
        if (v < 0)
                snprintf(buf, size, "max");
        else
                snprintf(buf, size, "%" PRId64, v);
}

static int plan_memory(const struct oci_resources *res, int dirfd, struct cgroup_plan *plan,
                       struct berr *err)
{
        const char *F = "linux.resources.memory";
        int64_t mem = res->memory.limit.set ? res->memory.limit.value : 0;
        int64_t swap = res->memory.swap.set ? res->memory.swap.value : 0;
        int64_t swap2;
        char buf[32];

        if (!res->has_memory)
                return 0;
        if (mem < -1)
                return berr_fail(err, EINVAL, "%s.limit: invalid value %" PRId64, F, mem);
        if (res->memory.reservation.set && res->memory.reservation.value < -1)
                return berr_fail(err, EINVAL, "%s.reservation: invalid value %" PRId64, F,
                                 res->memory.reservation.value);
        if (cgroup_swap_v2(swap, mem, &swap2, err) < 0)
                return err->status;
        /* UINT64_MAX is docker's "unset" */
        if (res->memory.swappiness.set && res->memory.swappiness.value != UINT64_MAX)
                return berr_fail(err, ENOTSUP,
                                 "%s.swappiness: not supported on cgroup v2 (remove it)", F);
        if (res->memory.disable_oom_killer.set && res->memory.disable_oom_killer.value)
                log_warn("%s.disableOOMKiller: cgroup v2 has no way to disable the OOM killer; "
                         "ignored (as runc)",
                         F);
        if (res->memory.kernel.set || res->memory.kernel_tcp.set)
                log_debug("%s.kernel/kernelTCP: no cgroup v2 equivalent; ignored", F);
        if (swap2 != 0) {
                unsigned flags = 0;
                /* no swap accounting on the host: unlimited swap is what it has anyway */
                if (swap2 == -1)
                        flags |= CG_WRITE_OPTIONAL;
                limit_str(buf, sizeof(buf), swap2);
                if (add(plan, CG_MEMORY, F, flags, "memory.swap.max", err, "%s", buf) < 0)
                        return err->status;
        }
        if (mem != 0) {
                limit_str(buf, sizeof(buf), mem);
                if (add(plan, CG_MEMORY, F, 0, "memory.max", err, "%s", buf) < 0)
                        return err->status;
        }
        if (res->memory.reservation.set && res->memory.reservation.value != 0) {
                limit_str(buf, sizeof(buf), res->memory.reservation.value);
                if (add(plan, CG_MEMORY, F, 0, "memory.low", err, "%s", buf) < 0)
                        return err->status;
        }
        (void)dirfd;
        return 0;
}

/* A cpu or memory-node list: "0-3,7". */
static bool valid_list(const char *s)
{
        if (!*s)
                return true; /* empty: inherit */
        for (const char *p = s; *p; p++)
                if (!((*p >= '0' && *p <= '9') || *p == ',' || *p == '-'))
                        return false;
        return s[0] != ',' && s[0] != '-';
}

static int plan_cpu(const struct oci_resources *res, struct cgroup_plan *plan, struct berr *err)
{
        const char *F = "linux.resources.cpu";
        uint64_t period = res->cpu.period.set ? res->cpu.period.value : 0;
        int64_t quota = res->cpu.quota.set ? res->cpu.quota.value : 0;

        if (!res->has_cpu)
                return 0;
        if ((res->cpu.realtime_period.set && res->cpu.realtime_period.value) ||
            (res->cpu.realtime_runtime.set && res->cpu.realtime_runtime.value))
                return berr_fail(err, ENOTSUP,
                                 "%s.realtimeRuntime/realtimePeriod: not supported on cgroup v2",
                                 F);
        if (res->cpu.shares.set && res->cpu.shares.value != 0) {
                uint64_t s = res->cpu.shares.value;
                if (s < 2 || s > 262144)
                        return berr_fail(err, EINVAL,
                                         "%s.shares: %" PRIu64 " is out of range (2-262144)", F, s);
                if (add(plan, CG_CPU, F, 0, "cpu.weight", err, "%" PRIu64,
                        cgroup_shares_to_weight(s)) < 0)
                        return err->status;
        }
        if (period != 0 && (period < 1000 || period > 1000000))
                return berr_fail(err, EINVAL,
                                 "%s.period: %" PRIu64 " is out of range (1000-1000000 us)", F,
                                 period);
        if (quota > 0 && quota < 1000)
                return berr_fail(err, EINVAL, "%s.quota: %" PRId64 " is below 1000 us", F, quota);
        if (quota != 0 || period != 0) {
                char q[32];
                if (quota > 0)
                        snprintf(q, sizeof(q), "%" PRId64, quota);
                else
                        snprintf(q, sizeof(q), "max");
                if (period)
                        snprintf(q + strlen(q), sizeof(q) - strlen(q), " %" PRIu64, period);
                if (add(plan, CG_CPU, F, 0, "cpu.max", err, "%s", q) < 0)
                        return err->status;
        }
        if (res->cpu.burst.set) {
                if (quota > 0 && res->cpu.burst.value > (uint64_t)quota)
                        return berr_fail(err, EINVAL,
                                         "%s.burst: %" PRIu64 " is larger than the quota %" PRId64,
                                         F, res->cpu.burst.value, quota);
                if (add(plan, CG_CPU, F, 0, "cpu.max.burst", err, "%" PRIu64,
                        res->cpu.burst.value) < 0)
                        return err->status;
        }
        if (res->cpu.idle.set) {
                if (res->cpu.idle.value != 0 && res->cpu.idle.value != 1)
                        return berr_fail(err, EINVAL, "%s.idle: must be 0 or 1, not %" PRId64, F,
                                         res->cpu.idle.value);
                if (add(plan, CG_CPU, F, 0, "cpu.idle", err, "%" PRId64, res->cpu.idle.value) < 0)
                        return err->status;
        }
        if (res->cpu.cpus && *res->cpu.cpus) {
                if (!valid_list(res->cpu.cpus))
                        return berr_fail(err, EINVAL, "%s.cpus: invalid cpu list %s", F,
                                         res->cpu.cpus);
                if (add(plan, CG_CPUSET, "linux.resources.cpu.cpus", 0, "cpuset.cpus", err, "%s",
                        res->cpu.cpus) < 0)
                        return err->status;
        }
        if (res->cpu.mems && *res->cpu.mems) {
                if (!valid_list(res->cpu.mems))
                        return berr_fail(err, EINVAL, "%s.mems: invalid node list %s", F,
                                         res->cpu.mems);
                if (add(plan, CG_CPUSET, "linux.resources.cpu.mems", 0, "cpuset.mems", err, "%s",
                        res->cpu.mems) < 0)
                        return err->status;
        }
        return 0;
}

static int plan_pids(const struct oci_resources *res, struct cgroup_plan *plan, struct berr *err)
{
        char buf[32];

        if (!res->has_pids || !res->pids.limit.set)
                return 0;
        /* runc: 0 and negative both mean "no limit" */
        limit_str(buf, sizeof(buf), res->pids.limit.value <= 0 ? -1 : res->pids.limit.value);
        return add(plan, CG_PIDS, "linux.resources.pids", 0, "pids.max", err, "%s", buf);
}

static int check_dev(const char *field, int64_t major, int64_t minor, struct berr *err)
{
        if (major < 0 || minor < 0 || major > 0xfff || minor > 0xfffff)
                return berr_fail(err, EINVAL, "%s: invalid device %" PRId64 ":%" PRId64, field,
                                 major, minor);
        return 0;
}

static int plan_throttle(const struct oci_throttle_list *l, const char *key, const char *field,
                         struct cgroup_plan *plan, struct berr *err)
{
        for (size_t i = 0; i < l->len; i++) {
                const struct oci_throttle_device *d = &l->items[i];
                char rate[32];
                if (check_dev(field, d->major, d->minor, err) < 0)
                        return err->status;
                if (d->rate == 0)
                        snprintf(rate, sizeof(rate), "max");
                else
                        snprintf(rate, sizeof(rate), "%" PRIu64, d->rate);
                if (add(plan, CG_IO, field, 0, "io.max", err, "%" PRId64 ":%" PRId64 " %s=%s",
                        d->major, d->minor, key, rate) < 0)
                        return err->status;
        }
        return 0;
}

static int plan_io(const struct oci_resources *res, int dirfd, struct cgroup_plan *plan,
                   struct berr *err)
{
        const char *F = "linux.resources.blockIO";
        /* BFQ takes the blkio weights as they are; without it io.weight (1-10000). */
        bool bfq = dirfd < 0 || cgroup_has_file(dirfd, "io.bfq.weight");

        if (!res->has_block_io)
                return 0;
        if (res->block_io.weight.set && res->block_io.weight.value != 0) {
                uint64_t w = res->block_io.weight.value;
                if (w < 10 || w > 1000)
                        return berr_fail(err, EINVAL,
                                         "%s.weight: %" PRIu64 " is out of range (10-1000)", F, w);
                if (bfq && dirfd >= 0) {
                        if (add(plan, CG_IO, F, 0, "io.bfq.weight", err, "%" PRIu64, w) < 0)
                                return err->status;
                } else if (add(plan, CG_IO, F, 0, "io.weight", err, "%" PRIu64,
                               cgroup_blkio_to_io_weight(w)) < 0) {
                        return err->status;
                }
        }
        if (res->block_io.leaf_weight.set)
                log_debug("%s.leafWeight: no cgroup v2 equivalent; ignored", F);
        for (size_t i = 0; i < res->block_io.n_weight_device; i++) {
                const struct oci_weight_device *d = &res->block_io.weight_device[i];
                if (check_dev("linux.resources.blockIO.weightDevice", d->major, d->minor, err) < 0)
                        return err->status;
                if (!d->weight.set)
                        continue;
                if (d->weight.value < 1 || d->weight.value > 1000)
                        return berr_fail(err, EINVAL,
                                         "%s.weightDevice: weight %" PRIu64
                                         " is out of range (1-1000)",
                                         F, d->weight.value);
                if (!bfq)
                        return berr_fail(err, ENOTSUP,
                                         "%s.weightDevice: needs the BFQ I/O scheduler "
                                         "(io.bfq.weight), which this host does not have",
                                         F);
                if (add(plan, CG_IO, F, 0, "io.bfq.weight", err, "%" PRId64 ":%" PRId64 " %" PRIu64,
                        d->major, d->minor, d->weight.value) < 0)
                        return err->status;
        }
        if (plan_throttle(&res->block_io.throttle_read_bps, "rbps",
                          "linux.resources.blockIO.throttleReadBpsDevice", plan, err) < 0 ||
            plan_throttle(&res->block_io.throttle_write_bps, "wbps",
                          "linux.resources.blockIO.throttleWriteBpsDevice", plan, err) < 0 ||
            plan_throttle(&res->block_io.throttle_read_iops, "riops",
                          "linux.resources.blockIO.throttleReadIOPSDevice", plan, err) < 0 ||
            plan_throttle(&res->block_io.throttle_write_iops, "wiops",
                          "linux.resources.blockIO.throttleWriteIOPSDevice", plan, err) < 0)
                return err->status;
        return 0;
}

/* "2MB", "1GB", "64KB": digits then KB/MB/GB. */
static bool valid_page_size(const char *s)
{
        size_t n = 0;

        while (s[n] >= '0' && s[n] <= '9')
                n++;
        return n > 0 && s[0] != '0' &&
               (strcmp(s + n, "KB") == 0 || strcmp(s + n, "MB") == 0 || strcmp(s + n, "GB") == 0);
}

static int plan_hugetlb(const struct oci_resources *res, int dirfd, struct cgroup_plan *plan,
                        struct berr *err)
{
        const char *F = "linux.resources.hugepageLimits";

        for (size_t i = 0; i < res->n_hugepage_limits; i++) {
                const struct oci_hugepage_limit *h = &res->hugepage_limits[i];
                char file[96];
                if (!h->page_size || !valid_page_size(h->page_size))
                        return berr_fail(err, EINVAL, "%s: invalid pageSize %s", F,
                                         h->page_size ? h->page_size : "");
                snprintf(file, sizeof(file), "hugetlb.%s.max", h->page_size);
                if (dirfd >= 0 && !cgroup_has_file(dirfd, file))
                        return berr_fail(err, ENOTSUP,
                                         "%s: page size %s is not supported by this kernel", F,
                                         h->page_size);
                if (add(plan, CG_HUGETLB, F, 0, file, err, "%" PRIu64, h->limit) < 0)
                        return err->status;
                /* reservations are limited the same, where the kernel has them */
                snprintf(file, sizeof(file), "hugetlb.%s.rsvd.max", h->page_size);
                if (add(plan, CG_HUGETLB, F, CG_WRITE_OPTIONAL, file, err, "%" PRIu64, h->limit) <
                    0)
                        return err->status;
        }
        return 0;
}

static int plan_rdma(const struct oci_resources *res, struct cgroup_plan *plan, struct berr *err)
{
        const char *F = "linux.resources.rdma";

        for (size_t i = 0; i < res->n_rdma; i++) {
                const struct oci_rdma_limit *r = &res->rdma[i];
                char h[32] = "max", o[32] = "max";
                if (!r->device || !*r->device || strpbrk(r->device, " \t\n=/"))
                        return berr_fail(err, EINVAL, "%s: invalid device name %s", F,
                                         r->device ? r->device : "");
                if (!r->hca_handles.set && !r->hca_objects.set)
                        continue;
                if (r->hca_handles.set)
                        snprintf(h, sizeof(h), "%" PRIu64, r->hca_handles.value);
                if (r->hca_objects.set)
                        snprintf(o, sizeof(o), "%" PRIu64, r->hca_objects.value);
                if (add(plan, CG_RDMA, F, 0, "rdma.max", err, "%s hca_handle=%s hca_object=%s",
                        r->device, h, o) < 0)
                        return err->status;
        }
        return 0;
}

static int plan_unified(const struct oci_resources *res, struct cgroup_plan *plan, struct berr *err)
{
        for (size_t i = 0; i < res->unified.len; i++) {
                const char *k = res->unified.items[i].key, *v = res->unified.items[i].value;
                char field[160];
                snprintf(field, sizeof(field), "linux.resources.unified[\"%s\"]", k);
                if (!*k || strchr(k, '/') || strstr(k, ".."))
                        return berr_fail(err, EINVAL, "%s: invalid file name", field);
                int c = cgroup_ctrl_of_file(k);
                if (c < 0)
                        return berr_fail(err, EINVAL,
                                         "%s: unknown controller (expected CONTROLLER.FILE)",
                                         field);
                if (c == CG_NONE &&
                    (strcmp(k, "cgroup.procs") == 0 || strcmp(k, "cgroup.threads") == 0 ||
                     strcmp(k, "cgroup.subtree_control") == 0 || strcmp(k, "cgroup.kill") == 0))
                        return berr_fail(err, EINVAL, "%s: this file cannot be set", field);
                if (add(plan, (enum cgroup_ctrl)c, "linux.resources.unified", 0, k, err, "%s",
                        v ? v : "") < 0)
                        return err->status;
        }
        return 0;
}

int cgroup_plan_resources(const struct oci_resources *res, int dirfd, struct cgroup_plan *plan,
                          struct berr *err)
{
        memset(plan, 0, sizeof(*plan));
        if (!res)
                return 0;
        if (plan_memory(res, dirfd, plan, err) < 0 || plan_cpu(res, plan, err) < 0 ||
            plan_pids(res, plan, err) < 0 || plan_io(res, dirfd, plan, err) < 0 ||
            plan_hugetlb(res, dirfd, plan, err) < 0 || plan_rdma(res, plan, err) < 0 ||
            plan_unified(res, plan, err) < 0) {
                cgroup_plan_free(plan);
                return err->status;
        }
        if (res->has_network)
                log_debug("linux.resources.network: not a cgroup v2 resource; ignored (as runc)");
        return 0;
}

int cgroup_check_controllers(const char *mount, bool hybrid, const struct cgroup_plan *plan,
                             struct berr *err)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *avail = NULL;
        struct cgroup_hier h = {.hybrid = hybrid};

        if (!plan->needed)
                return 0;
        fd = open(mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(err, "cgroup: open %s", mount);
        if (cgroup_read(fd, "cgroup.controllers", &avail, err) < 0)
                return berr_wrap(err, "%s", mount);
        for (int c = 0; c < CG_NONE; c++) {
                if (!(plan->needed & (1u << c)) || cgroup_list_has(avail, cgroup_ctrl_name(c)))
                        continue;
                return berr_fail(err, ENOTSUP,
                                 "cgroup: cannot apply %s: the %s controller is not available on "
                                 "the cgroup v2 hierarchy (%s)",
                                 plan->field_of[c], cgroup_ctrl_name(c), cgroup_hier_mode(&h));
        }
        return 0;
}

int cgroup_apply_limits(const struct berth_cgroup *cg, const struct oci_resources *res,
                        bool devices, struct berr *err)
{
        struct cgroup_plan plan;
        int r = 0;

        if (cg->dirfd >= 0 && !res && devices && cgroup_devices_apply(cg->dirfd, NULL, 0, err) < 0)
                return berr_wrap(err, "cannot apply the default device rules to %s", cg->fs_path);
        if (!res)
                return 0;
        if (cg->dirfd < 0) {
                if (res->has_memory || res->has_cpu || res->has_pids || res->has_block_io ||
                    res->n_hugepage_limits || res->n_rdma || res->unified.len || res->n_devices)
                        log_warn("cgroup manager disabled: linux.resources not enforced");
                return 0;
        }
        if (cgroup_plan_resources(res, cg->dirfd, &plan, err) < 0)
                return err->status;
        /* an update may need a controller the container was created without */
        if (cgroup_check_controllers(cg->mount, cg->hybrid, &plan, err) < 0 ||
            cgroup_enable_controllers(cg->mount, cg->rel_path, plan.needed, false, err) < 0) {
                cgroup_plan_free(&plan);
                return err->status;
        }
        for (size_t i = 0; i < plan.n && r == 0; i++) {
                const struct cgroup_write_op *op = &plan.ops[i];
                if ((op->flags & CG_WRITE_OPTIONAL) && !cgroup_has_file(cg->dirfd, op->file))
                        continue;
                if (op->ctrl != CG_NONE && !cgroup_has_file(cg->dirfd, op->file)) {
                        r = berr_fail(err, ENOTSUP,
                                      "cgroup: cannot apply %s: %s does not exist in %s (is the "
                                      "%s controller enabled?)",
                                      op->field, op->file, cg->fs_path, cgroup_ctrl_name(op->ctrl));
                        break;
                }
                r = cgroup_write(cg->dirfd, op->file, op->value, err);
                if (r < 0)
                        berr_wrap(err, "cannot apply %s to %s", op->field, cg->fs_path);
        }
        cgroup_plan_free(&plan);
        if (r < 0)
                return r;
        if ((devices || res->n_devices) &&
            cgroup_devices_apply(cg->dirfd, res->devices, res->n_devices, err) < 0)
                return berr_wrap(err, "cannot apply linux.resources.devices to %s", cg->fs_path);
        return 0;
}

int cgroup_apply_resources(const struct berth_cgroup *cg, const struct oci_resources *res,
                           struct berr *err)
{
        return cgroup_apply_limits(cg, res, false, err);
}
