/* lib/json: limits (depth, NUL, \u0000, size), typed accessors and their
 * error messages, duplicate keys. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "json.h"

static yajl_val parse(const char *s)
{
        struct berr err = {0};
        yajl_val v = NULL;
        if (json_parse(s, strlen(s), &v, &err) < 0)
                fail_msg("%s: %s", s, err.msg);
        return v;
}

static void parse_errors(void **state)
{
        (void)state;
        struct berr err = {0};
        yajl_val v = NULL;

        assert_int_equal(json_parse("{\"a\":", 5, &v, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "invalid JSON: "));
        assert_null(strchr(err.msg, '\n'));
        assert_int_equal(json_parse("{\"a\":1}\0x", 9, &v, &err), -EINVAL);
        assert_string_equal(err.msg, "invalid JSON: contains a NUL byte");
        const char *esc = "{\"a\":\"x\\u0000y\"}";
        assert_int_equal(json_parse(esc, strlen(esc), &v, &err), -EINVAL);
        assert_string_equal(err.msg, "invalid JSON: a string contains \\u0000");
        /* An escaped backslash before u0000 is fine: that is the text "\u0000". */
        v = parse("{\"a\":\"x\\\\u0000y\"}");
        assert_string_equal(json_get(v, "a")->u.string, "x\\u0000y");
        yajl_tree_free(v);
        /* Not counted outside strings, nor brackets inside strings. */
        v = parse(
            "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}");
        yajl_tree_free(v);
}

static void depth_limit(void **state)
{
        (void)state;
        struct berr err = {0};
        yajl_val v = NULL;
        char buf[300];
        size_t n = 0;
        for (int i = 0; i < JSON_MAX_DEPTH; i++)
                buf[n++] = '[';
        for (int i = 0; i < JSON_MAX_DEPTH; i++)
                buf[n++] = ']';
        assert_int_equal(json_parse(buf, n, &v, &err), 0);
        yajl_tree_free(v);
        n = 0;
        for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
                buf[n++] = '{';
        assert_int_equal(json_parse(buf, n, &v, &err), -EINVAL);
        assert_string_equal(err.msg, "invalid JSON: nested deeper than 64 levels");
}

static void member_limit(void **state)
{
        (void)state;
        struct berr err = {0};
        yajl_val v = NULL;
        size_t n = JSON_MAX_MEMBERS + 1;
        char *buf = malloc(n * 2 + 10), *p = buf;
        *p++ = '[';
        for (size_t i = 0; i < n; i++) {
                *p++ = i ? ',' : ' ';
                *p++ = '0';
        }
        *p++ = ']';
        assert_int_equal(json_parse(buf, (size_t)(p - buf), &v, &err), -E2BIG);
        assert_string_equal(err.msg, "invalid JSON: an array or object with more than 100000 "
                                     "members");
        /* Commas inside strings and in nested containers do not count. */
        strcpy(buf, "[\",,,,,,\", [1,2], {\"a\":1,\"b\":2}]");
        assert_int_equal(json_parse(buf, strlen(buf), &v, &err), 0);
        yajl_tree_free(v);
        /* A nested container closes: its commas are not its parent's. */
        p = buf;
        *p++ = '[';
        for (size_t i = 0; i < 60000; i++) {
                *p++ = '0';
                *p++ = ',';
        }
        p += sprintf(p, "[1,2],");
        for (size_t i = 0; i < 39000; i++) {
                *p++ = '0';
                *p++ = ',';
        }
        strcpy(p, "0]");
        assert_int_equal(json_parse(buf, strlen(buf), &v, &err), 0);
        assert_int_equal(v->u.array.len, 99002);
        yajl_tree_free(v);
        free(buf);
}

static void file_limits(void **state)
{
        (void)state;
        struct berr err = {0};
        yajl_val v = NULL;
        char path[] = "/tmp/berth-test-json-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        const char *doc = "{\"k\": [1, 2, 3]}";
        assert_int_equal(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
        close(fd);
        assert_int_equal(json_load_file(path, 1000, &v, &err), 0);
        assert_int_equal(json_get(v, "k")->u.array.len, 3);
        yajl_tree_free(v);
        assert_int_equal(json_load_file(path, 10, &v, &err), -EFBIG);
        assert_string_equal(err.msg, "larger than 10 bytes");
        /* Exactly the limit is fine, across the buffer's growth steps. */
        assert_int_equal(json_load_file(path, strlen(doc), &v, &err), 0);
        yajl_tree_free(v);
        unlink(path);
        assert_int_equal(json_load_file(path, 10, &v, &err), -ENOENT);
        assert_non_null(strstr(err.msg, "open /tmp/berth-test-json-"));

        /* A 9000-byte file read with the 4096-byte first buffer. */
        char path2[] = "/tmp/berth-test-json-XXXXXX";
        fd = mkstemp(path2);
        assert_true(fd >= 0);
        char *big = malloc(9001);
        memset(big, ' ', 9000);
        big[0] = '[';
        big[8999] = ']';
        assert_int_equal(write(fd, big, 9000), 9000);
        lseek(fd, 0, SEEK_SET);
        char *out;
        size_t len;
        assert_int_equal(read_fd_limited(fd, 9000, &out, &len, &err), 0);
        assert_int_equal(len, 9000);
        assert_int_equal(out[9000], '\0');
        free(out);
        lseek(fd, 0, SEEK_SET);
        assert_int_equal(read_fd_limited(fd, 8999, &out, &len, &err), -EFBIG);
        close(fd);
        unlink(path2);
        free(big);
}

static void accessors(void **state)
{
        (void)state;
        struct berr err = {0};
        yajl_val v = parse("{\"s\":\"x\",\"i\":-5,\"u\":18446744073709551615,\"d\":1.5,\"e\":1e3,"
                           "\"b\":true,\"f\":false,\"n\":null,\"o\":{},\"a\":[],\"big\":"
                           "9223372036854775808,\"neg\":-9223372036854775809,\"over\":"
                           "18446744073709551616,\"dup\":1,\"dup\":2}");
        const char *s;
        int64_t i;
        uint64_t u;
        bool b;

        assert_int_equal(json_expect_string(json_get(v, "s"), ".s", &s, &err), 0);
        assert_string_equal(s, "x");
        assert_int_equal(json_expect_i64(json_get(v, "i"), ".i", &i, &err), 0);
        assert_int_equal(i, -5);
        assert_int_equal(json_expect_u64(json_get(v, "u"), ".u", &u, &err), 0);
        assert_true(u == UINT64_MAX);
        assert_int_equal(json_expect_bool(json_get(v, "b"), ".b", &b, &err), 0);
        assert_true(b);
        assert_int_equal(json_expect_bool(json_get(v, "f"), ".f", &b, &err), 0);
        assert_false(b);
        assert_int_equal(json_expect_object(json_get(v, "o"), ".o", &err), 0);
        assert_int_equal(json_expect_array(json_get(v, "a"), ".a", &err), 0);
        assert_int_equal(json_expect_i64(json_get(v, "dup"), ".dup", &i, &err), 0);
        assert_int_equal(i, 2);

        assert_true(json_expect_i64(json_get(v, "d"), ".d", &i, &err) < 0);
        assert_string_equal(err.msg, ".d: expected an integer, got a number");
        assert_true(json_expect_i64(json_get(v, "e"), ".e", &i, &err) < 0);
        assert_string_equal(err.msg, ".e: expected an integer, got a number");
        assert_true(json_expect_u64(json_get(v, "d"), ".d", &u, &err) < 0);
        assert_string_equal(err.msg, ".d: expected an integer, got a number");
        assert_true(json_expect_i64(json_get(v, "s"), ".s", &i, &err) < 0);
        assert_string_equal(err.msg, ".s: expected an integer, got a string");
        assert_true(json_expect_i64(json_get(v, "big"), ".big", &i, &err) < 0);
        assert_string_equal(err.msg, ".big: integer 9223372036854775808 out of range");
        assert_true(json_expect_i64(json_get(v, "neg"), ".neg", &i, &err) < 0);
        assert_true(json_expect_u64(json_get(v, "over"), ".over", &u, &err) < 0);
        assert_string_equal(err.msg, ".over: integer 18446744073709551616 out of range");
        assert_true(json_expect_u64(json_get(v, "i"), ".i", &u, &err) < 0);
        assert_string_equal(err.msg, ".i: expected a non-negative integer, got -5");
        assert_true(json_expect_uint_max(json_get(v, "u"), ".u", 10, &u, &err) < 0);
        assert_string_equal(err.msg, ".u: 18446744073709551615 is larger than 10");
        assert_true(json_expect_string(json_get(v, "n"), ".n", &s, &err) < 0);
        assert_string_equal(err.msg, ".n: expected a string, got null");
        assert_true(json_expect_string(json_get(v, "missing"), ".missing", &s, &err) < 0);
        assert_string_equal(err.msg, ".missing: expected a string, got null");
        assert_true(json_expect_bool(json_get(v, "i"), ".i", &b, &err) < 0);
        assert_string_equal(err.msg, ".i: expected a boolean, got an integer");
        assert_true(json_expect_object(json_get(v, "a"), ".a", &err) < 0);
        assert_string_equal(err.msg, ".a: expected an object, got an array");
        assert_true(json_expect_array(json_get(v, "o"), ".o", &err) < 0);
        assert_string_equal(err.msg, ".o: expected an array, got an object");
        assert_null(json_get(json_get(v, "a"), "x"));
        assert_null(json_get(NULL, "x"));
        assert_string_equal(json_type_name(json_get(v, "f")), "a boolean");
        yajl_tree_free(v);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(parse_errors),
            cmocka_unit_test(depth_limit),
            cmocka_unit_test(member_limit),
            cmocka_unit_test(file_limits),
            cmocka_unit_test(accessors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
