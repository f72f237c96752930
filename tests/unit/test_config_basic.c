/* The config parser on small documents: the minimum, versions, limits. */
#include "config_helpers.h"

static void minimal(void **state)
{
        (void)state;
        struct oci_config *cfg = parse_ok(CFG(""));
        assert_string_equal(cfg->oci_version, "1.2.0");
        assert_string_equal(cfg->root.path, "rootfs");
        assert_false(cfg->root.readonly);
        assert_null(cfg->process);
        assert_false(cfg->has_linux);
        oci_config_free(cfg);
}

static void type_error_names_path(void **state)
{
        (void)state;
        parse_fails(
            LINUX("'resources':{'memory':{'limit':'1G'}}"),
            "config.json: .linux.resources.memory.limit: expected an integer, got a string");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(minimal),
            cmocka_unit_test(type_error_names_path),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
