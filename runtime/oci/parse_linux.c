/* The linux section of config.json, except resources and seccomp (their
 * own files): namespaces, id mappings, time offsets, devices, propagation,
 * masked/readonly paths, sysctl, personality, intelRdt, memoryPolicy. */
#include <errno.h>
#include <linux/mempolicy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>

#include "names.h"
#include "parse.h"

#define IDMAP_MAX 340

static int parse_namespaces(yajl_val lnx, const char *parent, struct oci_linux *l, struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(lnx, "namespaces", parent, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(path, parent, "namespaces");
        if (n > OCI_NS_COUNT * 4)
                return berr_fail(err, E2BIG, "%s: too many namespaces (%zu)", path, n);
        l->namespaces = jp_calloc(n, sizeof(struct oci_namespace), err);
        if (!l->namespaces)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                yajl_val v = arr->u.array.values[i];
                struct oci_namespace *ns = &l->namespaces[i];
                _cleanup_free_ char *type = NULL;
                char fpath[OCI_PATH_MAX];

                jp_idx(ipath, path, i);
                if (json_expect_object(v, ipath, err) < 0 ||
                    jp_string_req(v, "type", ipath, &type, err) < 0)
                        return err->status;
                int t = oci_ns_from_name(type);
                if (t < 0)
                        return berr_fail(err, EINVAL,
                                         "%s.type: unknown namespace type \"%.64s\" (pid, network, "
                                         "mount, ipc, uts, user, cgroup or time)",
                                         ipath, type);
                for (size_t j = 0; j < i; j++)
                        if (l->namespaces[j].type == (enum oci_ns_type)t)
                                return berr_fail(err, EINVAL,
                                                 "%s.type: namespace \"%s\" is given twice", ipath,
                                                 type);
                ns->type = t;
                ns->clone_flag = oci_ns_clone_flag(t);
                l->n_namespaces = i + 1;
                if (jp_string(v, "path", ipath, &ns->path, err) < 0)
                        return err->status;
                if (ns->path && jp_check_absolute(ns->path, jp_key(fpath, ipath, "path"), err) < 0)
                        return err->status;
        }
        return 0;
}

static int parse_time_offset(yajl_val offs, const char *key, const char *parent,
                             struct oci_time_offset *t, struct berr *err)
{
        char path[OCI_PATH_MAX];
        oci_opt_i64 secs = {0};
        oci_opt_u64 ns = {0};
        yajl_val v;

        if (jp_object(offs, key, parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, key);
        if (jp_opt_i64(v, "secs", path, INT64_MIN, INT64_MAX, &secs, err) < 0 ||
            jp_opt_u64(v, "nanosecs", path, 999999999, &ns, err) < 0)
                return err->status;
        t->set = true;
        t->secs = secs.value;
        t->nanosecs = (uint32_t)ns.value;
        return 0;
}

static int parse_time_offsets(yajl_val lnx, const char *parent, struct oci_linux *l,
                              struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val offs;

        if (jp_object(lnx, "timeOffsets", parent, &offs, err) < 0)
                return err->status;
        if (!offs)
                return 0;
        jp_key(path, parent, "timeOffsets");
        if (parse_time_offset(offs, "monotonic", path, &l->time_monotonic, err) < 0 ||
            parse_time_offset(offs, "boottime", path, &l->time_boottime, err) < 0)
                return err->status;
        return 0;
}

static int parse_device(yajl_val v, const char *path, struct oci_device *d, struct berr *err)
{
        char fpath[OCI_PATH_MAX];
        _cleanup_free_ char *type = NULL;

        if (json_expect_object(v, path, err) < 0 ||
            jp_string_req(v, "path", path, &d->path, err) < 0 ||
            jp_string_req(v, "type", path, &type, err) < 0 ||
            jp_opt_u64(v, "fileMode", path, 07777, &d->file_mode, err) < 0 ||
            jp_opt_u64(v, "uid", path, UINT32_MAX, &d->uid, err) < 0 ||
            jp_opt_u64(v, "gid", path, UINT32_MAX, &d->gid, err) < 0)
                return err->status;
        if (jp_check_absolute(d->path, jp_key(fpath, path, "path"), err) < 0)
                return err->status;
        if (strlen(type) != 1 || !strchr("cbup", type[0]))
                return berr_fail(err, EINVAL,
                                 "%s.type: unknown device type \"%.16s\" (c, b, u or p)", path,
                                 type);
        d->type = type[0];
        if (d->type == 'p') {
                /* A FIFO has no numbers; take them if given. */
                oci_opt_i64 maj = {0}, min = {0};
                if (jp_opt_i64(v, "major", path, 0, UINT32_MAX, &maj, err) < 0 ||
                    jp_opt_i64(v, "minor", path, 0, UINT32_MAX, &min, err) < 0)
                        return err->status;
                d->major = maj.value;
                d->minor = min.value;
                return 0;
        }
        if (jp_i64_req(v, "major", path, &d->major, err) < 0 ||
            jp_i64_req(v, "minor", path, &d->minor, err) < 0)
                return err->status;
        if (d->major < 0 || d->major > 4095)
                return berr_fail(err, ERANGE, "%s.major: %lld is out of range (0 to 4095)", path,
                                 (long long)d->major);
        if (d->minor < 0 || d->minor > 1048575)
                return berr_fail(err, ERANGE, "%s.minor: %lld is out of range (0 to 1048575)", path,
                                 (long long)d->minor);
        return 0;
}

static int parse_devices(yajl_val lnx, const char *parent, struct oci_linux *l, struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(lnx, "devices", parent, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(path, parent, "devices");
        l->devices = jp_calloc(n, sizeof(struct oci_device), err);
        if (!l->devices)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                l->n_devices = i + 1;
                if (parse_device(arr->u.array.values[i], jp_idx(ipath, path, i), &l->devices[i],
                                 err) < 0)
                        return err->status;
        }
        return 0;
}

static const struct oci_name_value propagations[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

static int parse_propagation(yajl_val lnx, const char *parent, struct oci_linux *l,
                             struct berr *err)
{
        char path[OCI_PATH_MAX];
        _cleanup_free_ char *prop = NULL;

        if (jp_string(lnx, "rootfsPropagation", parent, &prop, err) < 0)
                return err->status;
        if (!prop || !prop[0])
                return 0;
        long v = oci_name_lookup(propagations, 8, prop);
        if (v < 0)
                return berr_fail(err, EINVAL,
                                 "%s: unknown propagation \"%.64s\" (private, shared, slave, "
                                 "unbindable or their r* forms)",
                                 jp_key(path, parent, "rootfsPropagation"), prop);
        l->rootfs_propagation = (unsigned long)v;
        return 0;
}

static int parse_path_list(yajl_val lnx, const char *key, const char *parent, struct oci_strv *out,
                           struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];

        if (jp_strv(lnx, key, parent, out, err) < 0)
                return err->status;
        jp_key(path, parent, key);
        for (size_t i = 0; i < out->len; i++)
                if (jp_check_absolute(out->items[i], jp_idx(ipath, path, i), err) < 0)
                        return err->status;
        return 0;
}

/* "net.ipv4.ip_forward" or "net/ipv4/ip_forward": written below /proc/sys,
 * so no component may be empty, "." or "..". */
static int check_sysctl_key(const char *key, const char *path, struct berr *err)
{
        const char *p = key;

        for (;;) {
                size_t len = strcspn(p, "./");
                if (len == 0)
                        return berr_fail(err, EINVAL, "%s: \"%.128s\" is not a sysctl name", path,
                                         key);
                p += len;
                if (*p == '\0')
                        return 0;
                /* "./" ".." "//" would make an empty component next. */
                p++;
        }
}

static int parse_sysctl(yajl_val lnx, const char *parent, struct oci_linux *l, struct berr *err)
{
        char path[OCI_PATH_MAX], kpath[OCI_PATH_MAX];

        if (jp_kv_map(lnx, "sysctl", parent, &l->sysctl, err) < 0)
                return err->status;
        jp_key(path, parent, "sysctl");
        for (size_t i = 0; i < l->sysctl.len; i++) {
                snprintf(kpath, sizeof(kpath), "%s[\"%s\"]", path, l->sysctl.items[i].key);
                if (check_sysctl_key(l->sysctl.items[i].key, kpath, err) < 0)
                        return err->status;
        }
        return 0;
}

static int parse_personality(yajl_val lnx, const char *parent, struct oci_personality *p,
                             struct berr *err)
{
        char path[OCI_PATH_MAX];
        _cleanup_free_ char *domain = NULL;
        yajl_val v;

        if (jp_object(lnx, "personality", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "personality");
        if (jp_string_req(v, "domain", path, &domain, err) < 0 ||
            jp_strv(v, "flags", path, &p->flags, err) < 0)
                return err->status;
        if (strcmp(domain, "LINUX") == 0)
                p->domain = PER_LINUX;
        else if (strcmp(domain, "LINUX32") == 0)
                p->domain = PER_LINUX32;
        else
                return berr_fail(err, EINVAL,
                                 "%s.domain: unknown domain \"%.64s\" (LINUX or LINUX32)", path,
                                 domain);
        p->set = true;
        return 0;
}

static int parse_intel_rdt(yajl_val lnx, const char *parent, struct oci_intel_rdt *r,
                           struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v;

        if (jp_object(lnx, "intelRdt", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "intelRdt");
        if (jp_string(v, "closID", path, &r->clos_id, err) < 0 ||
            jp_string(v, "l3CacheSchema", path, &r->l3_cache_schema, err) < 0 ||
            jp_string(v, "memBwSchema", path, &r->mem_bw_schema, err) < 0 ||
            jp_bool(v, "enableCMT", path, &r->enable_cmt, err) < 0 ||
            jp_bool(v, "enableMBM", path, &r->enable_mbm, err) < 0)
                return err->status;
        /* closID names a directory under /sys/fs/resctrl. */
        if (r->clos_id && (strchr(r->clos_id, '/') || strcmp(r->clos_id, ".") == 0 ||
                           strcmp(r->clos_id, "..") == 0))
                return berr_fail(err, EINVAL, "%s.closID: \"%.64s\" is not a plain name", path,
                                 r->clos_id);
        r->set = true;
        return 0;
}

#ifndef MPOL_WEIGHTED_INTERLEAVE
#define MPOL_WEIGHTED_INTERLEAVE 6
#endif
#ifndef MPOL_PREFERRED_MANY
#define MPOL_PREFERRED_MANY 5
#endif

static const struct oci_name_value mpol_modes[] = {
    {"MPOL_DEFAULT", MPOL_DEFAULT},
    {"MPOL_PREFERRED", MPOL_PREFERRED},
    {"MPOL_BIND", MPOL_BIND},
    {"MPOL_INTERLEAVE", MPOL_INTERLEAVE},
    {"MPOL_LOCAL", MPOL_LOCAL},
    {"MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY},
    {"MPOL_WEIGHTED_INTERLEAVE", MPOL_WEIGHTED_INTERLEAVE},
};

static const struct oci_name_value mpol_flags[] = {
    {"MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING},
    {"MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES},
    {"MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES},
};

static int parse_memory_policy(yajl_val lnx, const char *parent, struct oci_memory_policy *m,
                               struct berr *err)
{
        char path[OCI_PATH_MAX], fpath[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        _cleanup_free_ char *mode = NULL;
        yajl_val v, flags;
        size_t n;

        if (jp_object(lnx, "memoryPolicy", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "memoryPolicy");
        if (jp_string_req(v, "mode", path, &mode, err) < 0 ||
            jp_string(v, "nodes", path, &m->nodes, err) < 0 ||
            jp_array(v, "flags", path, &flags, &n, err) < 0)
                return err->status;
        long md = oci_name_lookup(mpol_modes, sizeof(mpol_modes) / sizeof(mpol_modes[0]), mode);
        if (md < 0)
                return berr_fail(err, EINVAL, "%s.mode: unknown mode \"%.64s\"", path, mode);
        if (m->nodes && jp_check_cpu_list(m->nodes, jp_key(fpath, path, "nodes"), err) < 0)
                return err->status;
        jp_key(fpath, path, "flags");
        for (size_t i = 0; i < n; i++) {
                const char *name;
                if (json_expect_string(flags->u.array.values[i], jp_idx(ipath, fpath, i), &name,
                                       err) < 0)
                        return err->status;
                long f = oci_name_lookup(mpol_flags, 3, name);
                if (f < 0)
                        return berr_fail(err, EINVAL, "%s: unknown flag \"%.64s\"", ipath, name);
                m->flags |= (unsigned)f;
        }
        m->set = true;
        m->mode = (int)md;
        return 0;
}

int oci_parse_linux(yajl_val v, const char *parent, struct oci_linux *l, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val sc, res;

        if (parse_namespaces(v, parent, l, err) < 0 ||
            jp_idmaps(v, "uidMappings", parent, IDMAP_MAX, &l->uid_mappings, err) < 0 ||
            jp_idmaps(v, "gidMappings", parent, IDMAP_MAX, &l->gid_mappings, err) < 0 ||
            parse_time_offsets(v, parent, l, err) < 0 || parse_devices(v, parent, l, err) < 0 ||
            jp_string(v, "cgroupsPath", parent, &l->cgroups_path, err) < 0 ||
            parse_propagation(v, parent, l, err) < 0 ||
            parse_path_list(v, "maskedPaths", parent, &l->masked_paths, err) < 0 ||
            parse_path_list(v, "readonlyPaths", parent, &l->readonly_paths, err) < 0 ||
            jp_string(v, "mountLabel", parent, &l->mount_label, err) < 0 ||
            parse_sysctl(v, parent, l, err) < 0 ||
            parse_personality(v, parent, &l->personality, err) < 0 ||
            parse_intel_rdt(v, parent, &l->intel_rdt, err) < 0 ||
            parse_memory_policy(v, parent, &l->memory_policy, err) < 0)
                return err->status;
        if (l->cgroups_path &&
            jp_check_no_dotdot(l->cgroups_path, jp_key(path, parent, "cgroupsPath"), err) < 0)
                return err->status;

        if (jp_object(v, "resources", parent, &res, err) < 0)
                return err->status;
        if (res) {
                l->has_resources = true;
                if (oci_parse_resources(res, jp_key(path, parent, "resources"), &l->resources,
                                        err) < 0)
                        return err->status;
        }
        if (jp_object(v, "seccomp", parent, &sc, err) < 0)
                return err->status;
        if (sc) {
                l->seccomp = jp_calloc(1, sizeof(*l->seccomp), err);
                if (!l->seccomp)
                        return err->status;
                if (oci_parse_seccomp(sc, jp_key(path, parent, "seccomp"), l->seccomp, err) < 0)
                        return err->status;
        }
        return 0;
}
