/* `berth update ID`: change the resource limits of a running (or paused)
 * container. --resources FILE|- reads a linux.resources JSON object (as
 * runc); the single-value flags (--memory, --cpu-quota, ...) set one field
 * each and override the file. Only what is given is written. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "cgroup_target.h"
#include "cleanup.h"
#include "commands.h"
#include "json.h"
#include "parse.h"

#define RESOURCES_MAX_BYTES (1u << 20)

enum {
        OPT_RESOURCES = 1000,
        OPT_MEMORY,
        OPT_SWAP,
        OPT_RESERVATION,
        OPT_KMEM,
        OPT_KMEM_TCP,
        OPT_SHARES,
        OPT_QUOTA,
        OPT_PERIOD,
        OPT_RT_PERIOD,
        OPT_RT_RUNTIME,
        OPT_CPUS,
        OPT_MEMS,
        OPT_PIDS,
        OPT_BLKIO,
        OPT_L3,
        OPT_MEMBW,
};

int parse_update_bytes(const char *s, int64_t *out, struct berr *err)
{
        char *end;
        double v;

        if (strcmp(s, "-1") == 0) {
                *out = -1;
                return 0;
        }
        errno = 0;
        v = strtod(s, &end);
        if (errno || end == s || v < 0 || s[0] == '-' || s[0] == '+')
                return berr_fail(err, EINVAL, "invalid size %s", s);
        double mult = 1;
        switch (*end) {
        case 'b':
        case 'B':
                mult = 1;
                end++;
                break;
        case 'k':
        case 'K':
                mult = 1024.0;
                end++;
                break;
        case 'm':
        case 'M':
                mult = 1024.0 * 1024;
                end++;
                break;
        case 'g':
        case 'G':
                mult = 1024.0 * 1024 * 1024;
                end++;
                break;
        case 't':
        case 'T':
                mult = 1024.0 * 1024 * 1024 * 1024;
                end++;
                break;
        case 'p':
        case 'P':
                mult = 1024.0 * 1024 * 1024 * 1024 * 1024;
                end++;
                break;
        case '\0':
                break;
        default:
                return berr_fail(err, EINVAL, "invalid size %s", s);
        }
        if (mult > 1 && (*end == 'i' || *end == 'I'))
                end++;
        if (mult > 1 && (*end == 'b' || *end == 'B'))
                end++;
        if (*end)
                return berr_fail(err, EINVAL, "invalid size %s", s);
        v *= mult;
        if (v > (double)INT64_MAX)
                return berr_fail(err, ERANGE, "size %s is too large", s);
        *out = (int64_t)v;
        return 0;
}

static int parse_i64(const char *flag, const char *s, int64_t *out, struct berr *err)
{
        char *end;

        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno || end == s || *end)
                return berr_fail(err, EINVAL, "update: %s: invalid number %s", flag, s);
        *out = v;
        return 0;
}

static int parse_u64(const char *flag, const char *s, uint64_t *out, struct berr *err)
{
        char *end;

        errno = 0;
        if (s[0] == '-')
                return berr_fail(err, EINVAL, "update: %s: invalid number %s", flag, s);
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || end == s || *end)
                return berr_fail(err, EINVAL, "update: %s: invalid number %s", flag, s);
        *out = v;
        return 0;
}

static int load_resources(const char *file, struct oci_resources *r, struct berr *err)
{
        _cleanup_close_ int fd = -1;
        yajl_val v = NULL;
        int ret;

        if (strcmp(file, "-") == 0)
                ret = json_load_fd(STDIN_FILENO, RESOURCES_MAX_BYTES, &v, err);
        else
                ret = json_load_file(file, RESOURCES_MAX_BYTES, &v, err);
        if (ret < 0)
                return berr_wrap(err, "update: --resources %s", file);
        ret = json_expect_object(v, "resources", err);
        if (ret == 0)
                ret = oci_parse_resources(v, "resources", r, err);
        yajl_tree_free(v);
        return ret;
}

/* memory.swap.max needs the memory limit: take the cgroup's when the update
 * sets only the swap. */
static int fill_memory_for_swap(const struct cgroup_target *t, struct oci_resources *r,
                                struct berr *err)
{
        _cleanup_free_ char *text = NULL;

        if (!r->memory.swap.set || r->memory.limit.set)
                return 0;
        if (cgroup_read(cgroup_dirfd(t->cg), "memory.max", &text, err) < 0)
                return berr_wrap(err, "update: --memory-swap");
        r->memory.limit.set = true;
        r->memory.limit.value = strncmp(text, "max", 3) == 0 ? -1 : strtoll(text, NULL, 10);
        return 0;
}

static int check_before_update(const struct cgroup_target *t, const struct oci_resources *r,
                               struct berr *err)
{
        uint64_t cur = 0;
        _cleanup_free_ char *text = NULL;

        if (!r->memory.check_before_update.set || !r->memory.check_before_update.value ||
            !r->memory.limit.set || r->memory.limit.value <= 0)
                return 0;
        if (cgroup_read(cgroup_dirfd(t->cg), "memory.current", &text, err) < 0)
                return err->status;
        cur = strtoull(text, NULL, 10);
        if (cur > (uint64_t)r->memory.limit.value)
                return berr_fail(err, EBUSY,
                                 "update: memory usage %" PRIu64 " is above the new limit %" PRId64
                                 " (checkBeforeUpdate)",
                                 cur, r->memory.limit.value);
        return 0;
}

static int apply_flag(int c, const char *arg, struct oci_resources *r, struct berr *err)
{
        int64_t i;

        switch (c) {
        case OPT_MEMORY:
        case OPT_SWAP:
        case OPT_RESERVATION:
        case OPT_KMEM:
        case OPT_KMEM_TCP:
                if (parse_update_bytes(arg, &i, err) < 0)
                        return berr_wrap(err, "update");
                r->has_memory = true;
                oci_opt_i64 *f = c == OPT_MEMORY        ? &r->memory.limit
                                 : c == OPT_SWAP        ? &r->memory.swap
                                 : c == OPT_RESERVATION ? &r->memory.reservation
                                 : c == OPT_KMEM        ? &r->memory.kernel
                                                        : &r->memory.kernel_tcp;
                *f = (oci_opt_i64){true, i};
                return 0;
        case OPT_SHARES:
                r->has_cpu = true;
                r->cpu.shares.set = true;
                return parse_u64("--cpu-shares", arg, &r->cpu.shares.value, err);
        case OPT_QUOTA:
                r->has_cpu = true;
                r->cpu.quota.set = true;
                return parse_i64("--cpu-quota", arg, &r->cpu.quota.value, err);
        case OPT_PERIOD:
                r->has_cpu = true;
                r->cpu.period.set = true;
                return parse_u64("--cpu-period", arg, &r->cpu.period.value, err);
        case OPT_RT_PERIOD:
                r->has_cpu = true;
                r->cpu.realtime_period.set = true;
                return parse_u64("--cpu-rt-period", arg, &r->cpu.realtime_period.value, err);
        case OPT_RT_RUNTIME:
                r->has_cpu = true;
                r->cpu.realtime_runtime.set = true;
                return parse_i64("--cpu-rt-runtime", arg, &r->cpu.realtime_runtime.value, err);
        case OPT_CPUS:
        case OPT_MEMS: {
                char *copy = strdup(arg);
                if (!copy)
                        return berr_fail(err, ENOMEM, "out of memory");
                r->has_cpu = true;
                char **dst = c == OPT_CPUS ? &r->cpu.cpus : &r->cpu.mems;
                free(*dst);
                *dst = copy;
                return 0;
        }
        case OPT_PIDS:
                r->has_pids = true;
                r->pids.limit.set = true;
                return parse_i64("--pids-limit", arg, &r->pids.limit.value, err);
        case OPT_BLKIO:
                r->has_block_io = true;
                r->block_io.weight.set = true;
                return parse_u64("--blkio-weight", arg, &r->block_io.weight.value, err);
        case OPT_L3:
        case OPT_MEMBW:
                return berr_fail(err, ENOTSUP, "update: Intel RDT is not supported by berth");
        }
        return berr_fail(err, EINVAL, "update: unknown option");
}

int cmd_update(const struct global_opts *g, int argc, char **argv, struct berr *err)
{
        static const struct option opts[] = {
            {"resources", required_argument, NULL, OPT_RESOURCES},
            {"r", required_argument, NULL, OPT_RESOURCES},
            {"memory", required_argument, NULL, OPT_MEMORY},
            {"memory-swap", required_argument, NULL, OPT_SWAP},
            {"memory-reservation", required_argument, NULL, OPT_RESERVATION},
            {"kernel-memory", required_argument, NULL, OPT_KMEM},
            {"kernel-memory-tcp", required_argument, NULL, OPT_KMEM_TCP},
            {"cpu-shares", required_argument, NULL, OPT_SHARES},
            {"cpu-quota", required_argument, NULL, OPT_QUOTA},
            {"cpu-period", required_argument, NULL, OPT_PERIOD},
            {"cpu-rt-period", required_argument, NULL, OPT_RT_PERIOD},
            {"cpu-rt-runtime", required_argument, NULL, OPT_RT_RUNTIME},
            {"cpuset-cpus", required_argument, NULL, OPT_CPUS},
            {"cpuset-mems", required_argument, NULL, OPT_MEMS},
            {"pids-limit", required_argument, NULL, OPT_PIDS},
            {"blkio-weight", required_argument, NULL, OPT_BLKIO},
            {"l3-cache-schema", required_argument, NULL, OPT_L3},
            {"mem-bw-schema", required_argument, NULL, OPT_MEMBW},
            {0},
        };
        struct oci_resources res;
        struct cgroup_target t;
        const char *file = NULL;
        /* flags are applied after the file, so they win */
        struct {
                int c;
                const char *arg;
        } flags[32];
        size_t nflags = 0;
        const char *id;
        int c, r = 0;

        memset(&res, 0, sizeof(res));
        while ((c = getopt_long(argc, argv, "+r:", opts, NULL)) != -1) {
                if (c == OPT_RESOURCES || c == 'r') {
                        file = optarg;
                } else if (c >= OPT_MEMORY && nflags < sizeof(flags) / sizeof(flags[0])) {
                        flags[nflags].c = c;
                        flags[nflags++].arg = optarg;
                } else {
                        return berr_fail(err, EINVAL, "update: unknown option %s",
                                         argv[optind - 1]);
                }
        }
        if (cgroup_target_id(argc, argv, "update", &id, err) < 0)
                return err->status;
        if (!file && nflags == 0)
                return berr_fail(err, EINVAL,
                                 "update: nothing to update (give --resources or a "
                                 "limit flag)");
        if (file && load_resources(file, &res, err) < 0)
                goto out_res;
        for (size_t i = 0; i < nflags; i++)
                if (apply_flag(flags[i].c, flags[i].arg, &res, err) < 0)
                        goto out_res;
        if (cgroup_target_open(g->root, id, &t, err) < 0)
                goto out_res;
        if (t.status != CONTAINER_RUNNING && t.status != CONTAINER_PAUSED &&
            t.status != CONTAINER_CREATED)
                r = berr_fail(err, EINVAL, "container %s is not running (status %s)", id,
                              container_status_name(t.status));
        else if ((r = cgroup_target_require(&t, "update", err)) == 0 &&
                 (r = fill_memory_for_swap(&t, &res, err)) == 0 &&
                 (r = check_before_update(&t, &res, err)) == 0 &&
                 (r = cgroup_apply_resources(t.cg, &res, err)) < 0)
                berr_wrap(err, "update %s", id);
        cgroup_target_close(&t);
        oci_resources_clear(&res);
        return r < 0 ? r : 0;
out_res:
        oci_resources_clear(&res);
        return err->status;
}
