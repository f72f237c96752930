/* linux.resources: device rules, memory, cpu, pids, blockIO, hugepage
 * limits, network, rdma and the cgroup v2 `unified` map. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static int parse_device_rules(yajl_val res, const char *parent, struct oci_resources *r,
                              struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(res, "devices", parent, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(path, parent, "devices");
        r->devices = jp_calloc(n, sizeof(struct oci_device_rule), err);
        if (!r->devices)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                yajl_val v = arr->u.array.values[i];
                struct oci_device_rule *d = &r->devices[i];
                _cleanup_free_ char *type = NULL, *access = NULL;
                yajl_val allow;

                jp_idx(ipath, path, i);
                r->n_devices = i + 1;
                if (json_expect_object(v, ipath, err) < 0)
                        return err->status;
                allow = json_get(v, "allow");
                if (!allow)
                        return jp_missing(ipath, "allow", err);
                if (jp_bool(v, "allow", ipath, &d->allow, err) < 0 ||
                    jp_string(v, "type", ipath, &type, err) < 0 ||
                    jp_string(v, "access", ipath, &access, err) < 0)
                        return err->status;
                /* -1 is how Go-built configs write a wildcard. */
                if (jp_opt_i64(v, "major", ipath, -1, INT64_MAX, &d->major, err) < 0 ||
                    jp_opt_i64(v, "minor", ipath, -1, INT64_MAX, &d->minor, err) < 0)
                        return err->status;
                if (d->major.set && d->major.value == -1)
                        d->major.set = false;
                if (d->minor.set && d->minor.value == -1)
                        d->minor.set = false;
                if (!type || !type[0])
                        d->type = 'a';
                else if (strlen(type) == 1 && strchr("acb", type[0]))
                        d->type = type[0];
                else
                        return berr_fail(err, EINVAL,
                                         "%s.type: unknown device type \"%.16s\" (a, c or b)",
                                         ipath, type);
                if (!access || !access[0]) {
                        strcpy(d->access, "rwm");
                        continue;
                }
                size_t k = 0;
                for (const char *a = access; *a; a++) {
                        if (!strchr("rwm", *a))
                                return berr_fail(err, EINVAL,
                                                 "%s.access: \"%.16s\" is not a subset of \"rwm\"",
                                                 ipath, access);
                        if (!memchr(d->access, *a, k))
                                d->access[k++] = *a;
                }
                d->access[k] = '\0';
        }
        return 0;
}

static int parse_memory(yajl_val res, const char *parent, struct oci_resources *r, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v;

        if (jp_object(res, "memory", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "memory");
        r->has_memory = true;
        if (jp_opt_i64(v, "limit", path, -1, INT64_MAX, &r->memory.limit, err) < 0 ||
            jp_opt_i64(v, "reservation", path, -1, INT64_MAX, &r->memory.reservation, err) < 0 ||
            jp_opt_i64(v, "swap", path, -1, INT64_MAX, &r->memory.swap, err) < 0 ||
            jp_opt_i64(v, "kernel", path, -1, INT64_MAX, &r->memory.kernel, err) < 0 ||
            jp_opt_i64(v, "kernelTCP", path, -1, INT64_MAX, &r->memory.kernel_tcp, err) < 0 ||
            jp_opt_u64(v, "swappiness", path, UINT64_MAX, &r->memory.swappiness, err) < 0 ||
            jp_opt_bool(v, "disableOOMKiller", path, &r->memory.disable_oom_killer, err) < 0 ||
            jp_opt_bool(v, "useHierarchy", path, &r->memory.use_hierarchy, err) < 0 ||
            jp_opt_bool(v, "checkBeforeUpdate", path, &r->memory.check_before_update, err) < 0)
                return err->status;
        /* Docker writes -1 (as uint64) to mean "unset"; anything else above 100 is wrong. */
        if (r->memory.swappiness.set && r->memory.swappiness.value > 100 &&
            r->memory.swappiness.value != UINT64_MAX)
                return berr_fail(err, ERANGE, "%s.swappiness: %llu is out of range (0 to 100)",
                                 path, (unsigned long long)r->memory.swappiness.value);
        return 0;
}

static int parse_cpu(yajl_val res, const char *parent, struct oci_resources *r, struct berr *err)
{
        char path[OCI_PATH_MAX], fpath[OCI_PATH_MAX];
        yajl_val v;

        if (jp_object(res, "cpu", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "cpu");
        r->has_cpu = true;
        if (jp_opt_u64(v, "shares", path, UINT64_MAX, &r->cpu.shares, err) < 0 ||
            jp_opt_i64(v, "quota", path, -1, INT64_MAX, &r->cpu.quota, err) < 0 ||
            jp_opt_u64(v, "burst", path, UINT64_MAX, &r->cpu.burst, err) < 0 ||
            jp_opt_u64(v, "period", path, UINT64_MAX, &r->cpu.period, err) < 0 ||
            jp_opt_i64(v, "realtimeRuntime", path, INT64_MIN, INT64_MAX, &r->cpu.realtime_runtime,
                       err) < 0 ||
            jp_opt_u64(v, "realtimePeriod", path, UINT64_MAX, &r->cpu.realtime_period, err) < 0 ||
            jp_opt_i64(v, "idle", path, 0, 1, &r->cpu.idle, err) < 0 ||
            jp_string(v, "cpus", path, &r->cpu.cpus, err) < 0 ||
            jp_string(v, "mems", path, &r->cpu.mems, err) < 0)
                return err->status;
        if (r->cpu.cpus && jp_check_cpu_list(r->cpu.cpus, jp_key(fpath, path, "cpus"), err) < 0)
                return err->status;
        if (r->cpu.mems && jp_check_cpu_list(r->cpu.mems, jp_key(fpath, path, "mems"), err) < 0)
                return err->status;
        return 0;
}

static int parse_weight_devices(yajl_val bio, const char *parent, struct oci_resources *r,
                                struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(bio, "weightDevice", parent, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(path, parent, "weightDevice");
        r->block_io.weight_device = jp_calloc(n, sizeof(struct oci_weight_device), err);
        if (!r->block_io.weight_device)
                return err->status;
        r->block_io.n_weight_device = n;
        for (size_t i = 0; i < n; i++) {
                yajl_val v = arr->u.array.values[i];
                struct oci_weight_device *w = &r->block_io.weight_device[i];
                jp_idx(ipath, path, i);
                if (json_expect_object(v, ipath, err) < 0 ||
                    jp_i64_req(v, "major", ipath, &w->major, err) < 0 ||
                    jp_i64_req(v, "minor", ipath, &w->minor, err) < 0 ||
                    jp_opt_u64(v, "weight", ipath, 65535, &w->weight, err) < 0 ||
                    jp_opt_u64(v, "leafWeight", ipath, 65535, &w->leaf_weight, err) < 0)
                        return err->status;
        }
        return 0;
}

static int parse_throttle(yajl_val bio, const char *key, const char *parent,
                          struct oci_throttle_list *list, struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(bio, key, parent, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(path, parent, key);
        list->items = jp_calloc(n, sizeof(struct oci_throttle_device), err);
        if (!list->items)
                return err->status;
        list->len = n;
        for (size_t i = 0; i < n; i++) {
                yajl_val v = arr->u.array.values[i];
                struct oci_throttle_device *t = &list->items[i];
                jp_idx(ipath, path, i);
                if (json_expect_object(v, ipath, err) < 0 ||
                    jp_i64_req(v, "major", ipath, &t->major, err) < 0 ||
                    jp_i64_req(v, "minor", ipath, &t->minor, err) < 0 ||
                    jp_u64_req(v, "rate", ipath, &t->rate, err) < 0)
                        return err->status;
        }
        return 0;
}

static int parse_block_io(yajl_val res, const char *parent, struct oci_resources *r,
                          struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v;

        if (jp_object(res, "blockIO", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "blockIO");
        r->has_block_io = true;
        if (jp_opt_u64(v, "weight", path, 65535, &r->block_io.weight, err) < 0 ||
            jp_opt_u64(v, "leafWeight", path, 65535, &r->block_io.leaf_weight, err) < 0 ||
            parse_weight_devices(v, path, r, err) < 0 ||
            parse_throttle(v, "throttleReadBpsDevice", path, &r->block_io.throttle_read_bps, err) <
                0 ||
            parse_throttle(v, "throttleWriteBpsDevice", path, &r->block_io.throttle_write_bps,
                           err) < 0 ||
            parse_throttle(v, "throttleReadIOPSDevice", path, &r->block_io.throttle_read_iops,
                           err) < 0 ||
            parse_throttle(v, "throttleWriteIOPSDevice", path, &r->block_io.throttle_write_iops,
                           err) < 0)
                return err->status;
        return 0;
}

/* "2MB", "1GB", "64KB": written into hugetlb.<size>.max file names. */
static int check_page_size(const char *s, const char *path, struct berr *err)
{
        size_t i = 0;

        while (s[i] >= '0' && s[i] <= '9')
                i++;
        if (i == 0 || i > 6 || (strcmp(s + i, "KB") && strcmp(s + i, "MB") && strcmp(s + i, "GB")))
                return berr_fail(err, EINVAL, "%s: \"%.32s\" is not a page size like \"2MB\"", path,
                                 s);
        return 0;
}

static int parse_hugepages(yajl_val res, const char *parent, struct oci_resources *r,
                           struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX], fpath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(res, "hugepageLimits", parent, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(path, parent, "hugepageLimits");
        r->hugepage_limits = jp_calloc(n, sizeof(struct oci_hugepage_limit), err);
        if (!r->hugepage_limits)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                yajl_val v = arr->u.array.values[i];
                struct oci_hugepage_limit *h = &r->hugepage_limits[i];
                jp_idx(ipath, path, i);
                r->n_hugepage_limits = i + 1;
                if (json_expect_object(v, ipath, err) < 0 ||
                    jp_string_req(v, "pageSize", ipath, &h->page_size, err) < 0 ||
                    jp_u64_req(v, "limit", ipath, &h->limit, err) < 0 ||
                    check_page_size(h->page_size, jp_key(fpath, ipath, "pageSize"), err) < 0)
                        return err->status;
        }
        return 0;
}

static int parse_network(yajl_val res, const char *parent, struct oci_resources *r,
                         struct berr *err)
{
        char path[OCI_PATH_MAX], ppath[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val v, arr;
        size_t n;

        if (jp_object(res, "network", parent, &v, err) < 0)
                return err->status;
        if (!v)
                return 0;
        jp_key(path, parent, "network");
        r->has_network = true;
        if (jp_opt_u64(v, "classID", path, UINT32_MAX, &r->network.class_id, err) < 0 ||
            jp_array(v, "priorities", path, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(ppath, path, "priorities");
        r->network.priorities = jp_calloc(n, sizeof(struct oci_net_priority), err);
        if (!r->network.priorities)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                yajl_val p = arr->u.array.values[i];
                struct oci_net_priority *np = &r->network.priorities[i];
                jp_idx(ipath, ppath, i);
                r->network.n_priorities = i + 1;
                if (json_expect_object(p, ipath, err) < 0 ||
                    jp_string_req(p, "name", ipath, &np->name, err) < 0 ||
                    jp_u32_req(p, "priority", ipath, &np->priority, err) < 0)
                        return err->status;
        }
        return 0;
}

static int parse_rdma(yajl_val res, const char *parent, struct oci_resources *r, struct berr *err)
{
        char path[OCI_PATH_MAX], kpath[OCI_PATH_MAX];
        yajl_val map;

        if (jp_object(res, "rdma", parent, &map, err) < 0)
                return err->status;
        if (!map)
                return 0;
        jp_key(path, parent, "rdma");
        size_t n;
        _cleanup_free_ size_t *order = jp_key_order(map, true, &n, err);
        if (!order)
                return err->status;
        r->rdma = jp_calloc(n, sizeof(struct oci_rdma_limit), err);
        if (!r->rdma)
                return err->status;
        for (size_t j = 0; j < n; j++) {
                const char *dev = map->u.object.keys[order[j]];
                yajl_val v = map->u.object.values[order[j]];
                struct oci_rdma_limit *l = &r->rdma[r->n_rdma];
                snprintf(kpath, sizeof(kpath), "%s[\"%s\"]", path, dev);
                l->device = jp_strdup(dev, err);
                if (!l->device)
                        return err->status;
                r->n_rdma++;
                if (json_expect_object(v, kpath, err) < 0 ||
                    jp_opt_u64(v, "hcaHandles", kpath, UINT32_MAX, &l->hca_handles, err) < 0 ||
                    jp_opt_u64(v, "hcaObjects", kpath, UINT32_MAX, &l->hca_objects, err) < 0)
                        return err->status;
        }
        return 0;
}

/* unified keys are cgroup file names ("memory.high"): written inside the
 * container's cgroup, so a "/" or ".." could reach outside it. */
static int check_unified(const struct oci_kv_list *u, const char *path, struct berr *err)
{
        char kpath[OCI_PATH_MAX];

        for (size_t i = 0; i < u->len; i++) {
                const char *k = u->items[i].key;
                snprintf(kpath, sizeof(kpath), "%s[\"%s\"]", path, k);
                if (!k[0] || strchr(k, '/') || strcmp(k, ".") == 0 || strcmp(k, "..") == 0 ||
                    !strchr(k, '.'))
                        return berr_fail(err, EINVAL,
                                         "%s: \"%.128s\" is not a cgroup file name like "
                                         "\"memory.high\"",
                                         kpath, k);
        }
        return 0;
}

int oci_parse_resources(yajl_val v, const char *parent, struct oci_resources *r, struct berr *err)
{
        char path[OCI_PATH_MAX];

        if (parse_device_rules(v, parent, r, err) < 0 || parse_memory(v, parent, r, err) < 0 ||
            parse_cpu(v, parent, r, err) < 0 || parse_block_io(v, parent, r, err) < 0 ||
            parse_hugepages(v, parent, r, err) < 0 || parse_network(v, parent, r, err) < 0 ||
            parse_rdma(v, parent, r, err) < 0 ||
            jp_kv_map(v, "unified", parent, &r->unified, err) < 0)
                return err->status;

        yajl_val pids;
        if (jp_object(v, "pids", parent, &pids, err) < 0)
                return err->status;
        if (pids) {
                r->has_pids = true;
                if (jp_opt_i64(pids, "limit", jp_key(path, parent, "pids"), INT64_MIN, INT64_MAX,
                               &r->pids.limit, err) < 0)
                        return err->status;
        }
        return check_unified(&r->unified, jp_key(path, parent, "unified"), err);
}
