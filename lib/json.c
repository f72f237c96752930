/* See json.h. */
#include "json.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

/* Nesting depth of [ and { outside strings, and the most members of any
 * one array or object (commas + 1). yajl's tree builder would otherwise
 * grow its stack for as long as the input nests, and it grows arrays and
 * objects one realloc per member, which is quadratic for huge ones. */
static void scan_shape(const char *buf, size_t len, int *max_depth, size_t *max_members)
{
        size_t commas[JSON_MAX_DEPTH + 2] = {0};
        int depth = 0;
        bool in_string = false;

        *max_depth = 0;
        *max_members = 0;
        for (size_t i = 0; i < len; i++) {
                char c = buf[i];
                if (in_string) {
                        if (c == '\\')
                                i++;
                        else if (c == '"')
                                in_string = false;
                        continue;
                }
                if (c == '"') {
                        in_string = true;
                } else if (c == '[' || c == '{') {
                        if (++depth > *max_depth)
                                *max_depth = depth;
                        if (depth > JSON_MAX_DEPTH)
                                return;
                        commas[depth] = 0;
                } else if (c == ']' || c == '}') {
                        if (depth > 0)
                                depth--;
                } else if (c == ',' && depth > 0) {
                        if (++commas[depth] + 1 > *max_members)
                                *max_members = commas[depth] + 1;
                }
        }
}

/* yajl decodes "\u0000" into a NUL inside a C string, which would cut a
 * path or name short without anyone noticing: refuse it. */
static bool has_escaped_nul(const char *buf, size_t len)
{
        bool in_string = false;

        for (size_t i = 0; i < len; i++) {
                char c = buf[i];
                if (!in_string) {
                        in_string = c == '"';
                        continue;
                }
                if (c == '"') {
                        in_string = false;
                } else if (c == '\\') {
                        if (i + 5 < len && buf[i + 1] == 'u' && memcmp(buf + i + 2, "0000", 4) == 0)
                                return true;
                        i++;
                }
        }
        return false;
}

int json_parse(const char *buf, size_t len, yajl_val *out, struct berr *err)
{
        char errbuf[512] = "";
        _cleanup_free_ char *copy = NULL;

        int depth;
        size_t members;

        scan_shape(buf, len, &depth, &members);
        if (depth > JSON_MAX_DEPTH)
                return berr_fail(err, EINVAL, "invalid JSON: nested deeper than %d levels",
                                 JSON_MAX_DEPTH);
        if (members > JSON_MAX_MEMBERS)
                return berr_fail(err, E2BIG,
                                 "invalid JSON: an array or object with more than %d members",
                                 JSON_MAX_MEMBERS);
        if (memchr(buf, '\0', len))
                return berr_fail(err, EINVAL, "invalid JSON: contains a NUL byte");
        if (has_escaped_nul(buf, len))
                return berr_fail(err, EINVAL, "invalid JSON: a string contains \\u0000");
        copy = malloc(len + 1);
        if (!copy)
                return berr_fail(err, ENOMEM, "out of memory");
        memcpy(copy, buf, len);
        copy[len] = '\0';
        *out = yajl_tree_parse(copy, errbuf, sizeof(errbuf));
        if (!*out) {
                /* yajl's message spans lines; keep the first one. */
                char *nl = strchr(errbuf, '\n');
                if (nl)
                        *nl = '\0';
                return berr_fail(err, EINVAL, "invalid JSON: %s",
                                 errbuf[0] ? errbuf : "parse error");
        }
        return 0;
}

int read_fd_limited(int fd, size_t max_bytes, char **out, size_t *len, struct berr *err)
{
        size_t cap = 4096, n = 0;
        _cleanup_free_ char *buf = malloc(cap + 1);

        if (!buf)
                return berr_fail(err, ENOMEM, "out of memory");
        for (;;) {
                if (n == cap) {
                        if (cap > max_bytes)
                                return berr_fail(err, EFBIG, "larger than %zu bytes", max_bytes);
                        cap *= 2;
                        char *nb = realloc(buf, cap + 1);
                        if (!nb)
                                return berr_fail(err, ENOMEM, "out of memory");
                        buf = nb;
                }
                ssize_t r = read(fd, buf + n, cap - n);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return berr_sys(err, "read");
                }
                if (r == 0)
                        break;
                n += (size_t)r;
                if (n > max_bytes)
                        return berr_fail(err, EFBIG, "larger than %zu bytes", max_bytes);
        }
        buf[n] = '\0';
        *len = n;
        *out = steal_ptr(&buf);
        return 0;
}

int json_load_fd(int fd, size_t max_bytes, yajl_val *out, struct berr *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (read_fd_limited(fd, max_bytes, &buf, &len, err) < 0)
                return err->status;
        return json_parse(buf, len, out, err);
}

int json_load_file(const char *path, size_t max_bytes, yajl_val *out, struct berr *err)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return berr_sys(err, "open %s", path);
        return json_load_fd(fd, max_bytes, out, err);
}

const char *json_type_name(yajl_val v)
{
        if (!v || YAJL_IS_NULL(v))
                return "null";
        if (YAJL_IS_STRING(v))
                return "a string";
        if (YAJL_IS_INTEGER(v))
                return "an integer";
        if (YAJL_IS_NUMBER(v))
                return "a number";
        if (YAJL_IS_OBJECT(v))
                return "an object";
        if (YAJL_IS_ARRAY(v))
                return "an array";
        return "a boolean";
}

yajl_val json_get(yajl_val obj, const char *key)
{
        if (!obj || !YAJL_IS_OBJECT(obj))
                return NULL;
        /* Last one wins for duplicate keys, like Go's encoding/json. */
        for (size_t i = obj->u.object.len; i-- > 0;)
                if (strcmp(obj->u.object.keys[i], key) == 0)
                        return obj->u.object.values[i];
        return NULL;
}

static int type_error(yajl_val v, const char *path, const char *want, struct berr *err)
{
        return berr_fail(err, EINVAL, "%s: expected %s, got %s", path, want, json_type_name(v));
}

int json_expect_object(yajl_val v, const char *path, struct berr *err)
{
        return v && YAJL_IS_OBJECT(v) ? 0 : type_error(v, path, "an object", err);
}

int json_expect_array(yajl_val v, const char *path, struct berr *err)
{
        return v && YAJL_IS_ARRAY(v) ? 0 : type_error(v, path, "an array", err);
}

int json_expect_string(yajl_val v, const char *path, const char **out, struct berr *err)
{
        if (!v || !YAJL_IS_STRING(v))
                return type_error(v, path, "a string", err);
        *out = v->u.string;
        return 0;
}

int json_expect_bool(yajl_val v, const char *path, bool *out, struct berr *err)
{
        if (YAJL_IS_TRUE(v))
                *out = true;
        else if (YAJL_IS_FALSE(v))
                *out = false;
        else
                return type_error(v, path, "a boolean", err);
        return 0;
}

/* yajl keeps the literal text of every number: parse it ourselves so that
 * "1e3" or "1.5" is refused as an integer and big unsigned values work. */
static const char *number_text(yajl_val v)
{
        if (!v || !YAJL_IS_NUMBER(v))
                return NULL;
        return YAJL_GET_NUMBER(v);
}

int json_expect_i64(yajl_val v, const char *path, int64_t *out, struct berr *err)
{
        const char *s = number_text(v);
        char *end;

        /* yajl flags "5" as both integer and double: judge by the text. */
        if (!s || strpbrk(s, ".eE"))
                return type_error(v, path, "an integer", err);
        errno = 0;
        long long x = strtoll(s, &end, 10);
        if (errno || *end)
                return berr_fail(err, ERANGE, "%s: integer %s out of range", path, s);
        *out = x;
        return 0;
}

int json_expect_u64(yajl_val v, const char *path, uint64_t *out, struct berr *err)
{
        const char *s = number_text(v);
        char *end;

        if (!s || strpbrk(s, ".eE"))
                return type_error(v, path, "an integer", err);
        if (s[0] == '-')
                return berr_fail(err, ERANGE, "%s: expected a non-negative integer, got %s", path,
                                 s);
        errno = 0;
        unsigned long long x = strtoull(s, &end, 10);
        if (errno || *end)
                return berr_fail(err, ERANGE, "%s: integer %s out of range", path, s);
        *out = x;
        return 0;
}

int json_expect_uint_max(yajl_val v, const char *path, uint64_t max, uint64_t *out,
                         struct berr *err)
{
        if (json_expect_u64(v, path, out, err) < 0)
                return err->status;
        if (*out > max)
                return berr_fail(err, ERANGE, "%s: %" PRIu64 " is larger than %" PRIu64, path, *out,
                                 max);
        return 0;
}
