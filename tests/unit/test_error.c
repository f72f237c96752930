/* lib/error: status sign, errno text, wrapping, truncation of long messages. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "error.h"

static int fails(struct berr *err)
{
        return berr_fail(err, EPERM, "mount %s on %s", "proc", "/proc");
}

static void fail_and_wrap(void **state)
{
        (void)state;
        struct berr err = {0};
        assert_false(berr_is_set(&err));
        assert_int_equal(fails(&err), -EPERM);
        assert_true(berr_is_set(&err));
        assert_int_equal(berr_wrap(&err, "create %s", "c1"), -EPERM);
        assert_string_equal(err.msg, "create c1: mount proc on /proc");
        berr_clear(&err);
        assert_false(berr_is_set(&err));
        assert_string_equal(err.msg, "");
        /* Negative or zero errnos. */
        assert_int_equal(berr_fail(&err, -ENOENT, "x"), -ENOENT);
        assert_int_equal(berr_fail(&err, 0, "x"), -EIO);
        /* Wrapping an unset error still yields a failure status. */
        berr_clear(&err);
        assert_int_equal(berr_wrap(&err, "ctx"), -EIO);
}

static void sys_errors(void **state)
{
        (void)state;
        struct berr err = {0};
        errno = ENOENT;
        assert_int_equal(berr_sys(&err, "open %s", "/x"), -ENOENT);
        assert_string_equal(err.msg, "open /x: No such file or directory");
        assert_int_equal(errno, ENOENT);
}

static void long_messages_are_cut(void **state)
{
        (void)state;
        struct berr err = {0};
        char big[BERR_MSG_MAX * 2];
        memset(big, 'a', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        berr_fail(&err, EINVAL, "%s", big);
        assert_int_equal(strlen(err.msg), BERR_MSG_MAX - 1);
        berr_wrap(&err, "%s", big);
        assert_int_equal(strlen(err.msg), BERR_MSG_MAX - 1);
        errno = EACCES;
        berr_sys(&err, "%s", big);
        assert_int_equal(strlen(err.msg), BERR_MSG_MAX - 1);
        for (int i = 0; i < 100; i++)
                berr_wrap(&err, "level %d", i);
        assert_true(strncmp(err.msg, "level 99: level 98: ", 20) == 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(fail_and_wrap),
            cmocka_unit_test(sys_errors),
            cmocka_unit_test(long_messages_are_cut),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
