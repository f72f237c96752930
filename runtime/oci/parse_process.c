/* The process section of config.json (and the whole of process.json for
 * `exec --process`): args, env, cwd, user, capabilities, rlimits and the
 * scheduling/IO attributes, with their validation. */
#include <errno.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "parse.h"

#define NGROUPS_LIMIT 65536

#ifndef IOPRIO_CLASS_RT
#define IOPRIO_CLASS_RT 1
#define IOPRIO_CLASS_BE 2
#define IOPRIO_CLASS_IDLE 3
#endif

static int parse_console_size(yajl_val proc, const char *parent, struct oci_process *p,
                              struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val cs;

        if (jp_object(proc, "consoleSize", parent, &cs, err) < 0)
                return err->status;
        if (!cs)
                return 0;
        jp_key(path, parent, "consoleSize");
        if (jp_u32_req(cs, "height", path, &p->console_height, err) < 0 ||
            jp_u32_req(cs, "width", path, &p->console_width, err) < 0)
                return err->status;
        p->has_console_size = true;
        return 0;
}

static int parse_user(yajl_val proc, const char *parent, struct oci_user *u, struct berr *err)
{
        char path[OCI_PATH_MAX], gpath[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val user, gids;
        size_t n;

        if (jp_object(proc, "user", parent, &user, err) < 0)
                return err->status;
        if (!user)
                return 0;
        jp_key(path, parent, "user");
        /* Required by the spec, but runc and Go's zero values treat a
         * missing uid/gid as 0; do the same. */
        if (json_get(user, "uid") && jp_u32_req(user, "uid", path, &u->uid, err) < 0)
                return err->status;
        if (json_get(user, "gid") && jp_u32_req(user, "gid", path, &u->gid, err) < 0)
                return err->status;
        if (jp_opt_u64(user, "umask", path, 0777, &u->umask, err) < 0 ||
            jp_string(user, "username", path, &u->username, err) < 0)
                return err->status;
        if (jp_array(user, "additionalGids", path, &gids, &n, err) < 0)
                return err->status;
        if (!gids)
                return 0;
        jp_key(gpath, path, "additionalGids");
        if (n > NGROUPS_LIMIT)
                return berr_fail(err, E2BIG, "%s: more than %d groups", gpath, NGROUPS_LIMIT);
        u->additional_gids = jp_calloc(n, sizeof(uint32_t), err);
        if (!u->additional_gids)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                uint64_t g;
                if (json_expect_uint_max(gids->u.array.values[i], jp_idx(ipath, gpath, i),
                                         UINT32_MAX, &g, err) < 0)
                        return err->status;
                u->additional_gids[i] = (uint32_t)g;
        }
        u->n_additional_gids = n;
        return 0;
}

static int parse_env(yajl_val proc, const char *parent, struct oci_strv *env, struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];

        if (jp_strv(proc, "env", parent, env, err) < 0)
                return err->status;
        jp_key(path, parent, "env");
        for (size_t i = 0; i < env->len; i++) {
                const char *eq = strchr(env->items[i], '=');
                if (!eq)
                        return berr_fail(err, EINVAL, "%s: \"%s\" is not NAME=VALUE",
                                         jp_idx(ipath, path, i), env->items[i]);
                if (eq == env->items[i])
                        return berr_fail(err, EINVAL, "%s: the variable name is empty",
                                         jp_idx(ipath, path, i));
        }
        return 0;
}

static const char *const cap_sets[] = {"bounding", "effective", "inheritable", "permitted",
                                       "ambient"};

static int parse_capabilities(yajl_val proc, const char *parent, struct oci_capabilities *c,
                              struct berr *err)
{
        char path[OCI_PATH_MAX], spath[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        uint64_t *masks[] = {&c->bounding, &c->effective, &c->inheritable, &c->permitted,
                             &c->ambient};
        yajl_val caps;

        if (jp_object(proc, "capabilities", parent, &caps, err) < 0)
                return err->status;
        if (!caps)
                return 0;
        jp_key(path, parent, "capabilities");
        c->set = true;
        for (size_t s = 0; s < 5; s++) {
                yajl_val arr;
                size_t n;
                if (jp_array(caps, cap_sets[s], path, &arr, &n, err) < 0)
                        return err->status;
                jp_key(spath, path, cap_sets[s]);
                for (size_t i = 0; i < n; i++) {
                        const char *name;
                        if (json_expect_string(arr->u.array.values[i], jp_idx(ipath, spath, i),
                                               &name, err) < 0)
                                return err->status;
                        int cap = oci_cap_from_name(name);
                        if (cap < 0)
                                return berr_fail(err, EINVAL, "%s: unknown capability \"%.64s\"",
                                                 ipath, name);
                        *masks[s] |= UINT64_C(1) << cap;
                }
        }
        return 0;
}

static int parse_rlimits(yajl_val proc, const char *parent, struct oci_process *p, struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        uint32_t seen = 0; /* RLIMIT_* < RLIMIT_NLIMITS (16) */
        yajl_val arr;
        size_t n;

        if (jp_array(proc, "rlimits", parent, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(path, parent, "rlimits");
        p->rlimits = jp_calloc(n, sizeof(struct oci_rlimit), err);
        if (!p->rlimits)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                yajl_val r = arr->u.array.values[i];
                struct oci_rlimit *rl = &p->rlimits[i];
                jp_idx(ipath, path, i);
                if (json_expect_object(r, ipath, err) < 0)
                        return err->status;
                p->n_rlimits = i + 1;
                if (jp_string_req(r, "type", ipath, &rl->type, err) < 0 ||
                    jp_u64_req(r, "hard", ipath, &rl->hard, err) < 0 ||
                    jp_u64_req(r, "soft", ipath, &rl->soft, err) < 0)
                        return err->status;
                rl->resource = oci_rlimit_from_name(rl->type);
                if (rl->resource < 0)
                        return berr_fail(err, EINVAL, "%s.type: unknown rlimit \"%.64s\"", ipath,
                                         rl->type);
                if (rl->soft > rl->hard)
                        return berr_fail(err, EINVAL,
                                         "%s: soft limit %" PRIu64 " is above hard limit %" PRIu64,
                                         ipath, rl->soft, rl->hard);
                if (seen & (UINT32_C(1) << rl->resource))
                        return berr_fail(err, EINVAL, "%s.type: %s is given twice", ipath,
                                         rl->type);
                seen |= UINT32_C(1) << rl->resource;
        }
        return 0;
}

static const struct oci_name_value io_classes[] = {
    {"IOPRIO_CLASS_RT", IOPRIO_CLASS_RT},
    {"IOPRIO_CLASS_BE", IOPRIO_CLASS_BE},
    {"IOPRIO_CLASS_IDLE", IOPRIO_CLASS_IDLE},
};

static int parse_io_priority(yajl_val proc, const char *parent, struct oci_io_priority *io,
                             struct berr *err)
{
        char path[OCI_PATH_MAX];
        _cleanup_free_ char *cls = NULL;
        oci_opt_i64 prio = {0};
        yajl_val v;

        if (jp_object(proc, "ioPriority", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "ioPriority");
        if (jp_string_req(v, "class", path, &cls, err) < 0 ||
            jp_opt_i64(v, "priority", path, 0, 7, &prio, err) < 0)
                return err->status;
        long c = oci_name_lookup(io_classes, 3, cls);
        if (c < 0)
                return berr_fail(err, EINVAL,
                                 "%s.class: unknown class \"%.64s\" (IOPRIO_CLASS_RT, "
                                 "IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)",
                                 path, cls);
        io->set = true;
        io->class = (int)c;
        io->priority = (int)prio.value;
        return 0;
}

static const struct oci_name_value sched_policies[] = {
    {"SCHED_OTHER", SCHED_NORMAL},      {"SCHED_FIFO", SCHED_FIFO}, {"SCHED_RR", SCHED_RR},
    {"SCHED_BATCH", SCHED_BATCH},       {"SCHED_ISO", 4},           {"SCHED_IDLE", SCHED_IDLE},
    {"SCHED_DEADLINE", SCHED_DEADLINE},
};

static const struct oci_name_value sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK},
    {"SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM},
    {"SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN},
    {"SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY},
    {"SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX},
};

static int parse_scheduler(yajl_val proc, const char *parent, struct oci_scheduler *s,
                           struct berr *err)
{
        char path[OCI_PATH_MAX], fpath[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        _cleanup_free_ char *policy = NULL;
        oci_opt_i64 nice = {0}, prio = {0};
        oci_opt_u64 rt = {0}, dl = {0}, per = {0};
        yajl_val v, flags;
        size_t n;

        if (jp_object(proc, "scheduler", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "scheduler");
        if (jp_string_req(v, "policy", path, &policy, err) < 0 ||
            jp_opt_i64(v, "nice", path, -20, 19, &nice, err) < 0 ||
            jp_opt_i64(v, "priority", path, 0, 99, &prio, err) < 0 ||
            jp_opt_u64(v, "runtime", path, UINT64_MAX, &rt, err) < 0 ||
            jp_opt_u64(v, "deadline", path, UINT64_MAX, &dl, err) < 0 ||
            jp_opt_u64(v, "period", path, UINT64_MAX, &per, err) < 0 ||
            jp_array(v, "flags", path, &flags, &n, err) < 0)
                return err->status;
        long pol = oci_name_lookup(sched_policies,
                                   sizeof(sched_policies) / sizeof(sched_policies[0]), policy);
        if (pol < 0)
                return berr_fail(err, EINVAL, "%s.policy: unknown policy \"%.64s\"", path, policy);
        jp_key(fpath, path, "flags");
        for (size_t i = 0; i < n; i++) {
                const char *name;
                if (json_expect_string(flags->u.array.values[i], jp_idx(ipath, fpath, i), &name,
                                       err) < 0)
                        return err->status;
                long f = oci_name_lookup(sched_flags, sizeof(sched_flags) / sizeof(sched_flags[0]),
                                         name);
                if (f < 0)
                        return berr_fail(err, EINVAL, "%s: unknown flag \"%.64s\"", ipath, name);
                s->flags |= (uint64_t)f;
        }
        s->set = true;
        s->policy = (int)pol;
        s->nice = (int32_t)nice.value;
        s->priority = (int32_t)prio.value;
        s->runtime = rt.value;
        s->deadline = dl.value;
        s->period = per.value;
        return 0;
}

static int parse_cpu_affinity(yajl_val proc, const char *parent, struct oci_cpu_affinity *a,
                              struct berr *err)
{
        char path[OCI_PATH_MAX], fpath[OCI_PATH_MAX];
        yajl_val v;

        if (jp_object(proc, "execCPUAffinity", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "execCPUAffinity");
        if (jp_string(v, "initial", path, &a->initial, err) < 0 ||
            jp_string(v, "final", path, &a->final, err) < 0)
                return err->status;
        if (a->initial && jp_check_cpu_list(a->initial, jp_key(fpath, path, "initial"), err) < 0)
                return err->status;
        if (a->final && jp_check_cpu_list(a->final, jp_key(fpath, path, "final"), err) < 0)
                return err->status;
        return 0;
}

int oci_parse_process(yajl_val v, const char *parent, struct oci_process *p, struct berr *err)
{
        char path[OCI_PATH_MAX];
        const char *where = parent[0] ? parent : ".";

        if (json_expect_object(v, where, err) < 0)
                return err->status;
        if (jp_bool(v, "terminal", parent, &p->terminal, err) < 0 ||
            parse_console_size(v, parent, p, err) < 0 || parse_user(v, parent, &p->user, err) < 0 ||
            jp_strv(v, "args", parent, &p->args, err) < 0 ||
            parse_env(v, parent, &p->env, err) < 0 ||
            jp_string(v, "cwd", parent, &p->cwd, err) < 0 ||
            parse_capabilities(v, parent, &p->capabilities, err) < 0 ||
            parse_rlimits(v, parent, p, err) < 0 ||
            jp_bool(v, "noNewPrivileges", parent, &p->no_new_privileges, err) < 0 ||
            jp_string(v, "apparmorProfile", parent, &p->apparmor_profile, err) < 0 ||
            jp_opt_i64(v, "oomScoreAdj", parent, -1000, 1000, &p->oom_score_adj, err) < 0 ||
            jp_string(v, "selinuxLabel", parent, &p->selinux_label, err) < 0 ||
            parse_io_priority(v, parent, &p->io_priority, err) < 0 ||
            parse_scheduler(v, parent, &p->scheduler, err) < 0 ||
            parse_cpu_affinity(v, parent, &p->exec_cpu_affinity, err) < 0)
                return err->status;

        if (p->args.len == 0)
                return berr_fail(err, EINVAL, "%s: must name the program to run (non-empty array)",
                                 jp_key(path, parent, "args"));
        if (p->args.items[0][0] == '\0')
                return berr_fail(err, EINVAL, "%s[0]: the program name is empty",
                                 jp_key(path, parent, "args"));
        if (!p->cwd)
                return jp_missing(parent, "cwd", err);
        return jp_check_absolute(p->cwd, jp_key(path, parent, "cwd"), err);
}
