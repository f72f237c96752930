/* Unit tests for berth-unpack's entry name checks (entry_path.c), whiteout
 * classification and the per-layer path set (pathset.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "entry_path.h"
#include "pathset.h"
#include "unpack_limits.h"

static int clean(const char *in, char *out)
{
        struct berr err = {0};
        return entry_path_clean(in, out, UNPACK_PATH_MAX, &err);
}

static void test_clean_ok(void **s)
{
        char out[UNPACK_PATH_MAX];
        (void)s;
        static const char *cases[][2] = {
            {"a", "a"},         {"./a", "a"},       {"a//b/", "a/b"},
            {"./a/./b", "a/b"}, {".", ""},          {"./", ""},
            {"/", ""},          {"//", ""},         {"a/.wh.b", "a/.wh.b"},
            {"...", "..."},     {"a/..b", "a/..b"}, {"..a", "..a"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                assert_int_equal(clean(cases[i][0], out), 0);
                assert_string_equal(out, cases[i][1]);
        }
}

static void test_clean_refused(void **s)
{
        char out[UNPACK_PATH_MAX];
        struct berr err = {0};
        (void)s;
        static const char *bad[] = {"..",          "../a",  "a/../..", "a/..",
                                    "/etc/passwd", "/a/..", "./../x",  ""};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_true(clean(bad[i], out) < 0);
        assert_int_equal(entry_path_clean("../x", out, sizeof(out), &err), -EINVAL);
        assert_non_null(strstr(err.msg, "entry ../x"));
}

static void test_clean_lengths(void **s)
{
        char out[UNPACK_PATH_MAX];
        char name[UNPACK_PATH_MAX + 10];
        struct berr err = {0};
        (void)s;
        memset(name, 'a', 255);
        name[255] = '\0';
        assert_int_equal(clean(name, out), 0);
        memset(name, 'a', 256);
        name[256] = '\0';
        assert_int_equal(entry_path_clean(name, out, sizeof(out), &err), -ENAMETOOLONG);
        /* 4095 bytes is fine, 4096 is not */
        for (int i = 0; i < UNPACK_PATH_MAX + 5; i++)
                name[i] = (i % 100 == 99) ? '/' : 'b';
        name[UNPACK_PATH_MAX - 1] = '\0';
        assert_int_equal(clean(name, out), 0);
        for (int i = 0; i < UNPACK_PATH_MAX + 5; i++)
                name[i] = (i % 100 == 99) ? '/' : 'b';
        name[UNPACK_PATH_MAX] = '\0';
        assert_int_equal(entry_path_clean(name, out, sizeof(out), &err), -ENAMETOOLONG);
        assert_non_null(strstr(err.msg, "longer than"));
}

static void test_whiteouts(void **s)
{
        enum whiteout_kind k;
        struct berr err = {0};
        (void)s;
        assert_int_equal(entry_whiteout("a/b", &k, &err), 0);
        assert_int_equal(k, WHITEOUT_NONE);
        assert_int_equal(entry_whiteout("a/.wh.b", &k, &err), 0);
        assert_int_equal(k, WHITEOUT_FILE);
        assert_string_equal(entry_base("a/.wh.b") + 4, "b");
        assert_int_equal(entry_whiteout(".wh..wh..opq", &k, &err), 0);
        assert_int_equal(k, WHITEOUT_OPAQUE);
        assert_int_equal(entry_whiteout("d/.wh..wh.plnk", &k, &err), 0);
        assert_int_equal(k, WHITEOUT_META);
        assert_true(entry_whiteout("d/.wh...", &k, &err) < 0);
        assert_true(entry_whiteout("d/.wh..", &k, &err) < 0);
        assert_true(entry_whiteout(".wh.", &k, &err) < 0);
        assert_int_equal(entry_dir_len("a/b/c"), 3);
        assert_int_equal(entry_dir_len("c"), 0);
        assert_string_equal(entry_base("a/b/c"), "c");
}

static void test_pathset(void **s)
{
        struct pathset ps = {0};
        (void)s;
        assert_false(pathset_has(&ps, "a", 1));
        assert_int_equal(pathset_add(&ps, "a/b/c"), 0);
        assert_true(pathset_has(&ps, "a/b/c", 5));
        assert_true(pathset_has(&ps, "a/b", 3));
        assert_true(pathset_has(&ps, "a", 1));
        assert_false(pathset_has(&ps, "a/b/d", 5));
        assert_false(pathset_has(&ps, "b", 1));
        /* length-limited lookups: "a/b" as a prefix of a longer buffer */
        assert_true(pathset_has(&ps, "a/bxyz", 3));
        char name[32];
        for (int i = 0; i < 5000; i++) {
                snprintf(name, sizeof(name), "d%d/f%d", i % 50, i);
                assert_int_equal(pathset_add(&ps, name), 0);
        }
        assert_true(pathset_has(&ps, "d7/f4957", 8));
        assert_true(pathset_has(&ps, "d49", 3));
        assert_false(pathset_has(&ps, "d50", 3));
        pathset_clear(&ps);
        assert_false(pathset_has(&ps, "a", 1));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_clean_ok),      cmocka_unit_test(test_clean_refused),
            cmocka_unit_test(test_clean_lengths), cmocka_unit_test(test_whiteouts),
            cmocka_unit_test(test_pathset),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
