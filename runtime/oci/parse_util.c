/* The typed member readers of the config parser (see parse.h): type,
 * range and length checks with the JSON path in every error. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

const char *jp_key(char buf[OCI_PATH_MAX], const char *parent, const char *key)
{
        snprintf(buf, OCI_PATH_MAX, "%s.%s", parent, key);
        return buf;
}

const char *jp_idx(char buf[OCI_PATH_MAX], const char *parent, size_t i)
{
        snprintf(buf, OCI_PATH_MAX, "%s[%zu]", parent, i);
        return buf;
}

yajl_val jp_member(yajl_val obj, const char *key)
{
        yajl_val v = json_get(obj, key);
        return v && YAJL_IS_NULL(v) ? NULL : v;
}

int jp_missing(const char *parent, const char *key, struct berr *err)
{
        return berr_fail(err, EINVAL, "%s.%s: required field is missing", parent, key);
}

void *jp_calloc(size_t n, size_t size, struct berr *err)
{
        void *p = calloc(n ? n : 1, size);
        if (!p)
                berr_fail(err, ENOMEM, "out of memory");
        return p;
}

char *jp_strdup(const char *s, struct berr *err)
{
        char *p = strdup(s);
        if (!p)
                berr_fail(err, ENOMEM, "out of memory");
        return p;
}

static int string_value(yajl_val v, const char *path, char **out, struct berr *err)
{
        const char *s;

        if (json_expect_string(v, path, &s, err) < 0)
                return err->status;
        size_t len = strlen(s);
        if (len > OCI_STRING_MAX)
                return berr_fail(err, E2BIG, "%s: string of %zu bytes is longer than %u", path, len,
                                 OCI_STRING_MAX);
        char *copy = jp_strdup(s, err);
        if (!copy)
                return err->status;
        free(*out);
        *out = copy;
        return 0;
}

int jp_string(yajl_val obj, const char *key, const char *parent, char **out, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = jp_member(obj, key);

        return v ? string_value(v, jp_key(path, parent, key), out, err) : 0;
}

int jp_string_req(yajl_val obj, const char *key, const char *parent, char **out, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = json_get(obj, key);

        if (!v)
                return jp_missing(parent, key, err);
        return string_value(v, jp_key(path, parent, key), out, err);
}

int jp_bool(yajl_val obj, const char *key, const char *parent, bool *out, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = jp_member(obj, key);

        return v ? json_expect_bool(v, jp_key(path, parent, key), out, err) : 0;
}

int jp_opt_bool(yajl_val obj, const char *key, const char *parent, oci_opt_bool *out,
                struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = jp_member(obj, key);

        if (!v)
                return 0;
        if (json_expect_bool(v, jp_key(path, parent, key), &out->value, err) < 0)
                return err->status;
        out->set = true;
        return 0;
}

static int i64_value(yajl_val v, const char *path, int64_t min, int64_t max, int64_t *out,
                     struct berr *err)
{
        if (json_expect_i64(v, path, out, err) < 0)
                return err->status;
        if (*out < min || *out > max)
                return berr_fail(err, ERANGE,
                                 "%s: %" PRId64 " is out of range (%" PRId64 " to %" PRId64 ")",
                                 path, *out, min, max);
        return 0;
}

int jp_opt_i64(yajl_val obj, const char *key, const char *parent, int64_t min, int64_t max,
               oci_opt_i64 *out, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = jp_member(obj, key);

        if (!v)
                return 0;
        if (i64_value(v, jp_key(path, parent, key), min, max, &out->value, err) < 0)
                return err->status;
        out->set = true;
        return 0;
}

int jp_opt_u64(yajl_val obj, const char *key, const char *parent, uint64_t max, oci_opt_u64 *out,
               struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = jp_member(obj, key);

        if (!v)
                return 0;
        if (json_expect_uint_max(v, jp_key(path, parent, key), max, &out->value, err) < 0)
                return err->status;
        out->set = true;
        return 0;
}

int jp_u32_req(yajl_val obj, const char *key, const char *parent, uint32_t *out, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = json_get(obj, key);
        uint64_t x;

        if (!v)
                return jp_missing(parent, key, err);
        if (json_expect_uint_max(v, jp_key(path, parent, key), UINT32_MAX, &x, err) < 0)
                return err->status;
        *out = (uint32_t)x;
        return 0;
}

int jp_i64_req(yajl_val obj, const char *key, const char *parent, int64_t *out, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = json_get(obj, key);

        if (!v)
                return jp_missing(parent, key, err);
        return json_expect_i64(v, jp_key(path, parent, key), out, err);
}

int jp_u64_req(yajl_val obj, const char *key, const char *parent, uint64_t *out, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = json_get(obj, key);

        if (!v)
                return jp_missing(parent, key, err);
        return json_expect_u64(v, jp_key(path, parent, key), out, err);
}

int jp_object(yajl_val obj, const char *key, const char *parent, yajl_val *out, struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = jp_member(obj, key);

        *out = NULL;
        if (!v)
                return 0;
        if (json_expect_object(v, jp_key(path, parent, key), err) < 0)
                return err->status;
        if (v->u.object.len > OCI_ARRAY_MAX)
                return berr_fail(err, E2BIG, "%s: more than %d members", path, OCI_ARRAY_MAX);
        *out = v;
        return 0;
}

int jp_array(yajl_val obj, const char *key, const char *parent, yajl_val *out, size_t *len,
             struct berr *err)
{
        char path[OCI_PATH_MAX];
        yajl_val v = jp_member(obj, key);

        *out = NULL;
        *len = 0;
        if (!v)
                return 0;
        if (json_expect_array(v, jp_key(path, parent, key), err) < 0)
                return err->status;
        if (v->u.array.len > OCI_ARRAY_MAX)
                return berr_fail(err, E2BIG, "%s: more than %d elements", path, OCI_ARRAY_MAX);
        *out = v;
        *len = v->u.array.len;
        return 0;
}

int jp_strv(yajl_val obj, const char *key, const char *parent, struct oci_strv *out,
            struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(obj, key, parent, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(path, parent, key);
        oci_strv_clear(out);
        out->items = jp_calloc(n + 1, sizeof(char *), err);
        if (!out->items)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                if (string_value(arr->u.array.values[i], jp_idx(ipath, path, i), &out->items[i],
                                 err) < 0)
                        return err->status;
                out->len = i + 1;
        }
        return 0;
}

static int cmp_size(const void *a, const void *b)
{
        size_t x = *(const size_t *)a, y = *(const size_t *)b;
        return x < y ? -1 : x > y;
}

struct key_ref {
        const char *key;
        size_t index;
};

static int cmp_key_ref(const void *a, const void *b)
{
        const struct key_ref *x = a, *y = b;
        int c = strcmp(x->key, y->key);
        if (c)
                return c;
        return x->index < y->index ? -1 : x->index > y->index;
}

size_t *jp_key_order(yajl_val obj, bool doc_order, size_t *n_out, struct berr *err)
{
        size_t n = obj->u.object.len, k = 0;
        _cleanup_free_ struct key_ref *refs = jp_calloc(n, sizeof(*refs), err);
        size_t *order = jp_calloc(n, sizeof(size_t), err);

        if (!refs || !order) {
                free(order);
                return NULL;
        }
        for (size_t i = 0; i < n; i++)
                refs[i] = (struct key_ref){obj->u.object.keys[i], i};
        qsort(refs, n, sizeof(*refs), cmp_key_ref);
        for (size_t i = 0; i < n; i++)
                if (i + 1 == n || strcmp(refs[i].key, refs[i + 1].key) != 0)
                        order[k++] = refs[i].index;
        if (doc_order)
                qsort(order, k, sizeof(*order), cmp_size);
        *n_out = k;
        return order;
}

int jp_kv_map(yajl_val obj, const char *key, const char *parent, struct oci_kv_list *out,
              struct berr *err)
{
        char path[OCI_PATH_MAX], kpath[OCI_PATH_MAX];
        yajl_val map;

        if (jp_object(obj, key, parent, &map, err) < 0)
                return err->status;
        if (!map)
                return 0;
        jp_key(path, parent, key);
        size_t n;
        _cleanup_free_ size_t *order = jp_key_order(map, true, &n, err);
        if (!order)
                return err->status;
        oci_kv_list_clear(out);
        out->items = jp_calloc(n, sizeof(struct oci_kv), err);
        if (!out->items)
                return err->status;
        for (size_t j = 0; j < n; j++) {
                size_t i = order[j];
                const char *k = map->u.object.keys[i];
                snprintf(kpath, sizeof(kpath), "%s[\"%s\"]", path, k);
                if (strlen(k) > OCI_STRING_MAX)
                        return berr_fail(err, E2BIG, "%s: key longer than %u bytes", path,
                                         OCI_STRING_MAX);
                struct oci_kv *kv = &out->items[out->len];
                kv->key = jp_strdup(k, err);
                if (!kv->key)
                        return err->status;
                out->len++;
                if (string_value(map->u.object.values[i], kpath, &kv->value, err) < 0)
                        return err->status;
        }
        return 0;
}

int jp_idmaps(yajl_val obj, const char *key, const char *parent, size_t max,
              struct oci_idmap_list *out, struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(obj, key, parent, &arr, &n, err) < 0)
                return err->status;
        if (!arr)
                return 0;
        jp_key(path, parent, key);
        if (n > max)
                return berr_fail(err, E2BIG, "%s: more than %zu mappings", path, max);
        free(out->items);
        out->len = 0;
        out->items = jp_calloc(n, sizeof(struct oci_idmap), err);
        if (!out->items)
                return err->status;
        for (size_t i = 0; i < n; i++) {
                yajl_val m = arr->u.array.values[i];
                struct oci_idmap *im = &out->items[i];
                jp_idx(ipath, path, i);
                if (json_expect_object(m, ipath, err) < 0 ||
                    jp_u32_req(m, "containerID", ipath, &im->container_id, err) < 0 ||
                    jp_u32_req(m, "hostID", ipath, &im->host_id, err) < 0 ||
                    jp_u32_req(m, "size", ipath, &im->size, err) < 0)
                        return err->status;
                if (im->size == 0)
                        return berr_fail(err, EINVAL, "%s.size: must be greater than 0", ipath);
                if ((uint64_t)im->container_id + im->size - 1 > UINT32_MAX ||
                    (uint64_t)im->host_id + im->size - 1 > UINT32_MAX)
                        return berr_fail(err, ERANGE, "%s: the range goes past 4294967295", ipath);
                out->len = i + 1;
        }
        return 0;
}

int jp_check_absolute(const char *value, const char *path, struct berr *err)
{
        if (value[0] != '/')
                return berr_fail(err, EINVAL, "%s: must be an absolute path, got \"%s\"", path,
                                 value);
        return jp_check_path_len(value, path, err);
}

int jp_check_path_len(const char *value, const char *path, struct berr *err)
{
        if (strlen(value) >= PATH_MAX)
                return berr_fail(err, ENAMETOOLONG, "%s: path longer than %d bytes", path,
                                 PATH_MAX - 1);
        return 0;
}

int jp_check_no_dotdot(const char *value, const char *path, struct berr *err)
{
        for (const char *p = value; *p;) {
                const char *end = strchrnul(p, '/');
                if (end - p == 2 && p[0] == '.' && p[1] == '.')
                        return berr_fail(err, EINVAL, "%s: \"..\" is not allowed in \"%s\"", path,
                                         value);
                p = *end ? end + 1 : end;
        }
        return 0;
}

/* "0-3,7,9-10": numbers and ascending ranges separated by commas. */
int jp_check_cpu_list(const char *value, const char *path, struct berr *err)
{
        const char *p = value;

        if (*p == '\0')
                return 0;
        for (;;) {
                char *end;
                if (*p < '0' || *p > '9')
                        goto bad;
                unsigned long a = strtoul(p, &end, 10), b = a;
                p = end;
                if (*p == '-') {
                        p++;
                        if (*p < '0' || *p > '9')
                                goto bad;
                        b = strtoul(p, &end, 10);
                        p = end;
                }
                if (b < a || b > 1u << 20)
                        goto bad;
                if (*p == '\0')
                        return 0;
                if (*p != ',')
                        goto bad;
                p++;
        }
bad:
        return berr_fail(err, EINVAL, "%s: \"%s\" is not a CPU or node list like \"0-3,7\"", path,
                         value);
}
