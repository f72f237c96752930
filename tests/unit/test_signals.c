/* Unit tests for kill's signal parsing: names with and without SIG, any
 * case, numbers, real-time signals, and refusals. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "container/container.h"

static void test_names_and_numbers(void **s)
{
        struct berr err = {0};
        (void)s;

        assert_int_equal(parse_signal("TERM", &err), SIGTERM);
        assert_int_equal(parse_signal("SIGTERM", &err), SIGTERM);
        assert_int_equal(parse_signal("term", &err), SIGTERM);
        assert_int_equal(parse_signal("15", &err), SIGTERM);
        assert_int_equal(parse_signal("KILL", &err), SIGKILL);
        assert_int_equal(parse_signal("9", &err), SIGKILL);
        assert_int_equal(parse_signal("SIGUSR1", &err), SIGUSR1);
        assert_int_equal(parse_signal("RTMIN", &err), SIGRTMIN);
        assert_int_equal(parse_signal("RTMIN+3", &err), SIGRTMIN + 3);
        assert_int_equal(parse_signal("SIGRTMAX-1", &err), SIGRTMAX - 1);
}

static void test_refusals(void **s)
{
        struct berr err = {0};
        (void)s;

        assert_true(parse_signal("NOSUCH", &err) < 0);
        assert_string_equal(err.msg, "invalid signal: NOSUCH");
        assert_true(parse_signal("0", &err) < 0);
        assert_true(parse_signal("65", &err) < 0);
        assert_true(parse_signal("15x", &err) < 0);
        assert_true(parse_signal("RTMIN+99", &err) < 0);
        assert_true(parse_signal("", &err) < 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_names_and_numbers),
            cmocka_unit_test(test_refusals),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
