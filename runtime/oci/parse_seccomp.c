/* linux.seccomp: default action, architectures (checked against
 * libseccomp), flags, listener, syscall rules; plus a canonical JSON text
 * of the whole section (sorted keys, no spaces) that the seccomp code uses
 * as the key of its compiled-filter cache. */
#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "names.h"
#include "parse.h"

static int lookup_action(yajl_val obj, const char *key, const char *parent, bool required,
                         bool *present, enum oci_seccomp_action *out, struct berr *err)
{
        char path[OCI_PATH_MAX];
        _cleanup_free_ char *name = NULL;

        *present = false;
        if (required ? jp_string_req(obj, key, parent, &name, err) < 0
                     : jp_string(obj, key, parent, &name, err) < 0)
                return err->status;
        if (!name)
                return 0;
        long a = oci_name_lookup(oci_seccomp_actions, oci_n_seccomp_actions, name);
        if (a < 0)
                return berr_fail(err, EINVAL, "%s: unknown seccomp action \"%.64s\"",
                                 jp_key(path, parent, key), name);
        *present = true;
        *out = (enum oci_seccomp_action)a;
        return 0;
}

/* "SCMP_ARCH_X86_64" -> "x86_64" for libseccomp's resolver. */
static bool arch_known_to_libseccomp(const char *name)
{
        char lower[32];
        const char *p = name + strlen("SCMP_ARCH_");
        size_t i;

        for (i = 0; p[i] && i < sizeof(lower) - 1; i++)
                lower[i] = (char)tolower((unsigned char)p[i]);
        lower[i] = '\0';
        return seccomp_arch_resolve_name(lower) != 0;
}

static int parse_archs(yajl_val sc, const char *parent, struct oci_seccomp *s, struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];

        if (jp_strv(sc, "architectures", parent, &s->architectures, err) < 0)
                return err->status;
        jp_key(path, parent, "architectures");
        for (size_t i = 0; i < s->architectures.len; i++) {
                const char *a = s->architectures.items[i];
                bool listed = false;
                for (size_t k = 0; k < oci_n_seccomp_archs; k++)
                        listed = listed || strcmp(oci_seccomp_archs[k], a) == 0;
                if (!listed)
                        return berr_fail(err, EINVAL, "%s: unknown architecture \"%.64s\"",
                                         jp_idx(ipath, path, i), a);
                if (!arch_known_to_libseccomp(a)) {
                        const struct scmp_version *v = seccomp_version();
                        return berr_fail(err, EINVAL,
                                         "%s: architecture %s is not supported by libseccomp "
                                         "%u.%u.%u",
                                         jp_idx(ipath, path, i), a, v->major, v->minor, v->micro);
                }
        }
        return 0;
}

static int parse_flags(yajl_val sc, const char *parent, struct oci_seccomp *s, struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;

        if (jp_array(sc, "flags", parent, &arr, &n, err) < 0)
                return err->status;
        jp_key(path, parent, "flags");
        for (size_t i = 0; i < n; i++) {
                const char *name;
                if (json_expect_string(arr->u.array.values[i], jp_idx(ipath, path, i), &name, err) <
                    0)
                        return err->status;
                long f = oci_name_lookup(oci_seccomp_flags, oci_n_seccomp_flags, name);
                if (f < 0)
                        return berr_fail(err, EINVAL, "%s: unknown seccomp flag \"%.64s\"", ipath,
                                         name);
                s->flags |= (unsigned)f;
        }
        return 0;
}

static int parse_arg(yajl_val v, const char *path, struct oci_seccomp_arg *a, struct berr *err)
{
        _cleanup_free_ char *op = NULL;
        oci_opt_u64 two = {0};

        if (json_expect_object(v, path, err) < 0 ||
            jp_u32_req(v, "index", path, &a->index, err) < 0 ||
            jp_u64_req(v, "value", path, &a->value, err) < 0 ||
            jp_opt_u64(v, "valueTwo", path, UINT64_MAX, &two, err) < 0 ||
            jp_string_req(v, "op", path, &op, err) < 0)
                return err->status;
        if (a->index > 5)
                return berr_fail(err, ERANGE, "%s.index: %u is out of range (0 to 5)", path,
                                 a->index);
        a->value_two = two.value;
        long o = oci_name_lookup(oci_seccomp_ops, oci_n_seccomp_ops, op);
        if (o < 0)
                return berr_fail(err, EINVAL, "%s.op: unknown operator \"%.64s\"", path, op);
        a->op = (enum oci_seccomp_op)o;
        return 0;
}

static int parse_syscall(yajl_val v, const char *path, struct oci_seccomp_syscall *s,
                         struct berr *err)
{
        char apath[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val args;
        size_t n;
        bool present;

        if (json_expect_object(v, path, err) < 0)
                return err->status;
        if (!json_get(v, "names"))
                return jp_missing(path, "names", err);
        if (jp_strv(v, "names", path, &s->names, err) < 0 ||
            lookup_action(v, "action", path, true, &present, &s->action, err) < 0 ||
            jp_opt_u64(v, "errnoRet", path, UINT32_MAX, &s->errno_ret, err) < 0 ||
            jp_array(v, "args", path, &args, &n, err) < 0)
                return err->status;
        if (s->names.len == 0)
                return berr_fail(err, EINVAL, "%s.names: must name at least one syscall", path);
        for (size_t i = 0; i < s->names.len; i++)
                if (!s->names.items[i][0])
                        return berr_fail(err, EINVAL, "%s: empty syscall name",
                                         jp_idx(ipath, jp_key(apath, path, "names"), i));
        if (!args)
                return 0;
        jp_key(apath, path, "args");
        if (n > 6)
                return berr_fail(err, E2BIG, "%s: more than 6 argument rules", apath);
        s->args = jp_calloc(n, sizeof(struct oci_seccomp_arg), err);
        if (!s->args)
                return err->status;
        s->n_args = n;
        for (size_t i = 0; i < n; i++)
                if (parse_arg(args->u.array.values[i], jp_idx(ipath, apath, i), &s->args[i], err) <
                    0)
                        return err->status;
        return 0;
}

/* Write V with object keys sorted (the last of duplicate keys wins). */
static bool gen_canonical(yajl_gen g, yajl_val v)
{
        if (YAJL_IS_STRING(v))
                return yajl_gen_string(g, (const unsigned char *)v->u.string,
                                       strlen(v->u.string)) == yajl_gen_status_ok;
        if (YAJL_IS_NUMBER(v))
                return yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r)) ==
                       yajl_gen_status_ok;
        if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
                return yajl_gen_bool(g, YAJL_IS_TRUE(v)) == yajl_gen_status_ok;
        if (YAJL_IS_ARRAY(v)) {
                if (yajl_gen_array_open(g) != yajl_gen_status_ok)
                        return false;
                for (size_t i = 0; i < v->u.array.len; i++)
                        if (!gen_canonical(g, v->u.array.values[i]))
                                return false;
                return yajl_gen_array_close(g) == yajl_gen_status_ok;
        }
        if (YAJL_IS_OBJECT(v)) {
                struct berr ignored = {0};
                size_t n;
                _cleanup_free_ size_t *order = jp_key_order(v, false, &n, &ignored);
                if (!order)
                        return false;
                if (yajl_gen_map_open(g) != yajl_gen_status_ok)
                        return false;
                for (size_t j = 0; j < n; j++) {
                        const char *k = v->u.object.keys[order[j]];
                        if (yajl_gen_string(g, (const unsigned char *)k, strlen(k)) !=
                                yajl_gen_status_ok ||
                            !gen_canonical(g, v->u.object.values[order[j]]))
                                return false;
                }
                return yajl_gen_map_close(g) == yajl_gen_status_ok;
        }
        return yajl_gen_null(g) == yajl_gen_status_ok;
}

static int canonical_json(yajl_val v, char **out, struct berr *err)
{
        yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *buf;
        size_t len;
        int r = 0;

        if (!g)
                return berr_fail(err, ENOMEM, "out of memory");
        if (!gen_canonical(g, v) || yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok)
                r = berr_fail(err, ENOMEM, "seccomp: cannot serialize the profile");
        else if (!(*out = strndup((const char *)buf, len)))
                r = berr_fail(err, ENOMEM, "out of memory");
        yajl_gen_free(g);
        return r;
}

int oci_parse_seccomp(yajl_val v, const char *parent, struct oci_seccomp *s, struct berr *err)
{
        char path[OCI_PATH_MAX], ipath[OCI_PATH_MAX];
        yajl_val arr;
        size_t n;
        bool present;

        if (lookup_action(v, "defaultAction", parent, true, &present, &s->default_action, err) <
                0 ||
            jp_opt_u64(v, "defaultErrnoRet", parent, UINT32_MAX, &s->default_errno_ret, err) < 0 ||
            parse_archs(v, parent, s, err) < 0 || parse_flags(v, parent, s, err) < 0 ||
            jp_string(v, "listenerPath", parent, &s->listener_path, err) < 0 ||
            jp_string(v, "listenerMetadata", parent, &s->listener_metadata, err) < 0 ||
            jp_array(v, "syscalls", parent, &arr, &n, err) < 0)
                return err->status;
        if (s->default_action == OCI_SECCOMP_NOTIFY)
                return berr_fail(err, EINVAL,
                                 "%s.defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
                                 parent);
        if (s->listener_path &&
            jp_check_absolute(s->listener_path, jp_key(path, parent, "listenerPath"), err) < 0)
                return err->status;
        if (arr) {
                jp_key(path, parent, "syscalls");
                s->syscalls = jp_calloc(n, sizeof(struct oci_seccomp_syscall), err);
                if (!s->syscalls)
                        return err->status;
                for (size_t i = 0; i < n; i++) {
                        s->n_syscalls = i + 1;
                        if (parse_syscall(arr->u.array.values[i], jp_idx(ipath, path, i),
                                          &s->syscalls[i], err) < 0)
                                return err->status;
                }
        }
        bool notify = false;
        for (size_t i = 0; i < s->n_syscalls; i++)
                notify = notify || s->syscalls[i].action == OCI_SECCOMP_NOTIFY;
        if (notify && !s->listener_path)
                return berr_fail(err, EINVAL,
                                 "%s.listenerPath: required when a rule uses SCMP_ACT_NOTIFY",
                                 parent);
        return canonical_json(v, &s->json, err);
}
