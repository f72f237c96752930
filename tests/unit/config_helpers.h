/* Shared by the config unit tests: parse a JSON text (given as a C string
 * literal with single quotes for double quotes, to keep the tests readable)
 * and expect success or an error with a given message. */
#ifndef BERTH_TEST_CONFIG_HELPERS_H
#define BERTH_TEST_CONFIG_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"

/* 'x' -> "x": JSON written with single quotes. */
static inline char *dq(const char *s)
{
        char *c = strdup(s);
        for (char *p = c; *p; p++)
                if (*p == '\'')
                        *p = '"';
        return c;
}

static inline struct oci_config *parse_ok(const char *json)
{
        struct berr err = {0};
        struct oci_config *cfg = NULL;
        char *j = dq(json);
        int r = oci_config_parse(j, strlen(j), &cfg, &err);
        if (r < 0)
                fail_msg("unexpected error: %s\nfor: %s", err.msg, j);
        free(j);
        return cfg;
}

/* Expect an error whose message contains WANT. */
static inline void parse_fails(const char *json, const char *want)
{
        struct berr err = {0};
        struct oci_config *cfg = NULL;
        char *j = dq(json);
        int r = oci_config_parse(j, strlen(j), &cfg, &err);
        if (r >= 0)
                fail_msg("parsed, expected error \"%s\"\nfor: %s", want, j);
        assert_null(cfg);
        if (!strstr(err.msg, want))
                fail_msg("error \"%s\" does not contain \"%s\"", err.msg, want);
        if (strchr(err.msg, '\n'))
                fail_msg("error \"%s\" spans lines", err.msg);
        free(j);
}

/* A minimal valid config with EXTRA members added at the top level
 * (EXTRA begins with a comma, or is empty). */
#define MINIMAL_HEAD "{'ociVersion':'1.2.0','root':{'path':'rootfs'}"
#define CFG(extra) MINIMAL_HEAD extra "}"
#define PROC(extra) CFG(",'process':{'args':['sh'],'cwd':'/'" extra "}")
#define LINUX(extra) CFG(",'linux':{" extra "}")

#endif
