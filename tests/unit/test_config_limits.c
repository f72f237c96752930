/* Hostile-input limits of the config parser (size, nesting, array and
 * string lengths), process.json, unknown fields, null members, duplicate
 * keys, and the default spec of `berth spec` parsing back. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "config_helpers.h"
#include "default_spec.h"

/* Build "PREFIX" + N copies of ITEM joined by commas + "SUFFIX". */
static char *repeat(const char *prefix, const char *item, size_t n, const char *suffix)
{
        size_t il = strlen(item), pl = strlen(prefix), sl = strlen(suffix);
        char *buf = malloc(pl + n * (il + 1) + sl + 1), *p = buf;
        assert_non_null(buf);
        memcpy(p, prefix, pl);
        p += pl;
        for (size_t i = 0; i < n; i++) {
                if (i)
                        *p++ = ',';
                memcpy(p, item, il);
                p += il;
        }
        memcpy(p, suffix, sl + 1);
        return buf;
}

static void expect_error(const char *json, const char *want)
{
        struct berr err = {0};
        struct oci_config *cfg = NULL;
        assert_true(oci_config_parse(json, strlen(json), &cfg, &err) < 0);
        assert_null(cfg);
        if (!strstr(err.msg, want))
                fail_msg("error \"%s\" does not contain \"%s\"", err.msg, want);
}

static void huge_array(void **state)
{
        (void)state;
        char *j = repeat(
            "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"maskedPaths\":[",
            "\"/a\"", 100001, "]}}");
        expect_error(j, "config.json: invalid JSON: an array or object with more than 100000 "
                        "members");
        free(j);
#ifndef __SANITIZE_ADDRESS__ /* yajl's per-member realloc is slow under ASan */
        /* 100000 is still fine. */
        j = repeat(
            "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"maskedPaths\":[",
            "\"/a\"", 100000, "]}}");
        struct berr err = {0};
        struct oci_config *cfg = NULL;
        assert_int_equal(oci_config_parse(j, strlen(j), &cfg, &err), 0);
        assert_int_equal(cfg->lnx.masked_paths.len, 100000);
        oci_config_free(cfg);
        free(j);
#endif
}

static void huge_object(void **state)
{
        (void)state;
        /* 100001 distinct annotation keys. */
        size_t n = 100001;
        char *j = malloc(n * 16 + 100), *p = j;
        p += sprintf(p, "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"annotations\":{");
        for (size_t i = 0; i < n; i++)
                p += sprintf(p, "%s\"k%zu\":\"v\"", i ? "," : "", i);
        strcpy(p, "}}");
        expect_error(j, "config.json: invalid JSON: an array or object with more than 100000 "
                        "members");
        free(j);
}

/* 100000 members with many duplicates: linear-ish, not quadratic (a
 * quadratic duplicate check would take minutes here). */
static void many_keys_fast(void **state)
{
        (void)state;
#ifdef __SANITIZE_ADDRESS__
        size_t n = 20000; /* yajl's per-member realloc is slow under ASan */
#else
        size_t n = 100000;
#endif
        char *j = malloc(n * 24 + 200), *p = j;
        p += sprintf(p, "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"annotations\":{");
        for (size_t i = 0; i < n; i++)
                p += sprintf(p, "%s\"k%zu\":\"v%zu\"", i ? "," : "", i % (n / 2), i);
        p += sprintf(p, "},\"linux\":{\"resources\":{\"rdma\":{");
        for (size_t i = 0; i < 1000; i++)
                p += sprintf(p, "%s\"d%zu\":{}", i ? "," : "", i % 10);
        strcpy(p, "}}}}");
        struct berr err = {0};
        struct oci_config *cfg = NULL;
        if (oci_config_parse(j, strlen(j), &cfg, &err) < 0)
                fail_msg("%s", err.msg);
        assert_int_equal(cfg->annotations.len, n / 2);
        /* Document order of the last occurrences; the last value wins. */
        char want[32];
        assert_string_equal(cfg->annotations.items[0].key, "k0");
        snprintf(want, sizeof(want), "v%zu", n / 2);
        assert_string_equal(cfg->annotations.items[0].value, want);
        snprintf(want, sizeof(want), "v%zu", n - 1);
        assert_string_equal(cfg->annotations.items[n / 2 - 1].value, want);
        assert_int_equal(cfg->lnx.resources.n_rdma, 10);
        assert_string_equal(cfg->lnx.resources.rdma[9].device, "d9");
        oci_config_free(cfg);
        free(j);

        /* 100000 rlimits: the duplicate check is not quadratic either. */
        j = repeat("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":"
                   "[\"a\"],\"cwd\":\"/\",\"rlimits\":[",
                   "{\"type\":\"RLIMIT_CORE\",\"hard\":1,\"soft\":1}", n, "]}}");
        expect_error(j, ".process.rlimits[1].type: RLIMIT_CORE is given twice");
        free(j);
}

static const char *seccomp_key(const char *json)
{
        static char key[1024];
        struct oci_config *cfg = parse_ok(json);
        snprintf(key, sizeof(key), "%s", cfg->lnx.seccomp->json);
        oci_config_free(cfg);
        return key;
}

static void seccomp_canonical_json(void **state)
{
        (void)state;
        char a[1024];
        snprintf(a, sizeof(a), "%s",
                 seccomp_key(LINUX("'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','syscalls':"
                                   "[{'names':['read'],'action':'SCMP_ACT_ALLOW','errnoRet':1}],"
                                   "'architectures':['SCMP_ARCH_X86_64']}")));
        assert_string_equal(a, "{\"architectures\":[\"SCMP_ARCH_X86_64\"],\"defaultAction\":"
                               "\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\","
                               "\"errnoRet\":1,\"names\":[\"read\"]}]}");
        /* Other key order, spaces, a duplicate key: the same cache key. */
        assert_string_equal(
            seccomp_key(LINUX("'seccomp':{ 'architectures' : [ 'SCMP_ARCH_X86_64' ],"
                              "'syscalls':[{'errnoRet':1,'action':'SCMP_ACT_ALLOW',"
                              "'names':['read']}],'defaultAction':'SCMP_ACT_KILL',"
                              "'defaultAction':'SCMP_ACT_ERRNO'}")),
            a);
        /* A different value: a different key. */
        assert_string_not_equal(
            seccomp_key(LINUX("'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','syscalls':"
                              "[{'names':['read'],'action':'SCMP_ACT_ALLOW','errnoRet':2}],"
                              "'architectures':['SCMP_ARCH_X86_64']}")),
            a);
}

static void long_string(void **state)
{
        (void)state;
        size_t n = (1u << 20) + 1;
        char *s = malloc(n + 1);
        memset(s, 'a', n);
        s[n] = '\0';
        char *j = malloc(n + 200);
        sprintf(
            j,
            "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"%s\"],"
            "\"cwd\":\"/\"}}",
            s);
        expect_error(j, ".process.args[0]: string of 1048577 bytes is longer than 1048576");
        /* A path longer than PATH_MAX. */
        s[5000] = '\0';
        sprintf(j, "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"%s\"}}", s);
        expect_error(j, ".root.path: path longer than 4095 bytes");
        sprintf(
            j,
            "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"sh\"],"
            "\"cwd\":\"/%s\"}}",
            s);
        expect_error(j, ".process.cwd: path longer than 4095 bytes");
        free(s);
        free(j);
}

static void deep_nesting(void **state)
{
        (void)state;
        char *j = malloc(1000);
        char *p = j + sprintf(j, "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"x\":");
        for (int i = 0; i < 100; i++)
                *p++ = '[';
        for (int i = 0; i < 100; i++)
                *p++ = ']';
        strcpy(p, "}");
        expect_error(j, "config.json: invalid JSON: nested deeper than 64 levels");
        free(j);
}

static void too_big(void **state)
{
        (void)state;
        size_t n = OCI_CONFIG_MAX_BYTES + 1;
        char *j = malloc(n);
        memset(j, ' ', n);
        j[0] = '{';
        j[n - 1] = '}';
        struct berr err = {0};
        struct oci_config *cfg = NULL;
        assert_true(oci_config_parse(j, n, &cfg, &err) < 0);
        assert_non_null(strstr(err.msg, "larger than 4194304 bytes"));

        /* The same through a file. */
        char path[] = "/tmp/berth-test-config-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, j, n), (ssize_t)n);
        close(fd);
        berr_clear(&err);
        assert_true(oci_config_load(path, &cfg, &err) < 0);
        if (!strstr(err.msg, path) || !strstr(err.msg, "larger than 4194304 bytes"))
                fail_msg("%s", err.msg);
        unlink(path);
        free(j);
}

static void missing_file(void **state)
{
        (void)state;
        struct berr err = {0};
        struct oci_config *cfg = NULL;
        assert_int_equal(oci_config_load("/nonexistent/config.json", &cfg, &err), -ENOENT);
        assert_string_equal(err.msg, "/nonexistent/config.json: open: No such file or directory");
}

static void unknown_fields_and_nulls(void **state)
{
        (void)state;
        struct oci_config *cfg =
            parse_ok("{'ociVersion':'1.0.2-dev','root':{'path':'r','extra':[1]},'windows':{},"
                     "'solaris':{'x':1},'vm':null,'hostname':null,'process':{'args':['a'],"
                     "'cwd':'/','user':null,'commandLine':'x','rlimits':null},"
                     "'linux':{'resources':{'memory':{'limit':null}},'netDevices':{'eth0':{}}}}");
        assert_string_equal(cfg->oci_version, "1.0.2-dev");
        assert_null(cfg->hostname);
        assert_int_equal(cfg->process->n_rlimits, 0);
        assert_true(cfg->lnx.resources.has_memory);
        assert_false(cfg->lnx.resources.memory.limit.set);
        oci_config_free(cfg);
}

static void duplicate_keys_last_wins(void **state)
{
        (void)state;
        struct oci_config *cfg =
            parse_ok("{'ociVersion':'1.2.0','root':{'path':'a'},'root':{'path':'b'},"
                     "'annotations':{'k':'1','j':'2','k':'3'}}");
        assert_string_equal(cfg->root.path, "b");
        assert_int_equal(cfg->annotations.len, 2);
        assert_string_equal(cfg->annotations.items[0].key, "j");
        assert_string_equal(cfg->annotations.items[1].value, "3");
        oci_config_free(cfg);
}

static void versions(void **state)
{
        (void)state;
        const char *ok[] = {"1.0.0", "1.0.2", "1.1.0",     "1.2.0",
                            "1.2.1", "1.2.9", "1.0.0-rc5", "1.1.0+dev"};
        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
                char j[200];
                snprintf(j, sizeof(j), "{'ociVersion':'%s','root':{'path':'r'}}", ok[i]);
                oci_config_free(parse_ok(j));
        }
}

static void process_json(void **state)
{
        (void)state;
        struct berr err = {0};
        struct oci_process *p = NULL;
        const char *ok = "{\"args\":[\"ls\",\"-l\"],\"cwd\":\"/tmp\",\"env\":[\"A=1\"],"
                         "\"user\":{\"uid\":5,\"gid\":6},\"terminal\":true,"
                         "\"capabilities\":{\"bounding\":[\"CAP_KILL\"]}}";
        assert_int_equal(oci_process_parse(ok, strlen(ok), &p, &err), 0);
        assert_string_equal(p->args.items[1], "-l");
        assert_string_equal(p->cwd, "/tmp");
        assert_int_equal(p->user.uid, 5);
        assert_true(p->terminal);
        assert_true(p->capabilities.set);
        oci_process_free(p);

        const char *bad = "{\"args\":[\"ls\"],\"cwd\":\"tmp\"}";
        assert_true(oci_process_parse(bad, strlen(bad), &p, &err) < 0);
        assert_null(p);
        assert_string_equal(err.msg, "process.json: .cwd: must be an absolute path, got \"tmp\"");
        bad = "{\"args\":\"ls\"}";
        assert_true(oci_process_parse(bad, strlen(bad), &p, &err) < 0);
        assert_string_equal(err.msg, "process.json: .args: expected an array, got a string");
        bad = "[]";
        assert_true(oci_process_parse(bad, strlen(bad), &p, &err) < 0);
        assert_string_equal(err.msg, "process.json: .: expected an object, got an array");

        char path[] = "/tmp/berth-test-process-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, ok, strlen(ok)), (ssize_t)strlen(ok));
        close(fd);
        assert_int_equal(oci_process_load(path, &p, &err), 0);
        assert_string_equal(p->args.items[0], "ls");
        oci_process_free(p);
        unlink(path);
}

static void default_spec_parses(void **state)
{
        (void)state;
        for (int rootless = 0; rootless < 2; rootless++) {
                struct berr err = {0};
                struct oci_config *cfg = NULL;
                char *json;
                size_t len;
                assert_int_equal(oci_default_spec(rootless, 1234, 5678, &json, &len, &err), 0);
                assert_int_equal(strlen(json), len);
                if (oci_config_parse(json, len, &cfg, &err) < 0)
                        fail_msg("default spec (rootless=%d): %s", rootless, err.msg);
                assert_true(cfg->process->terminal);
                assert_string_equal(cfg->process->args.items[0], "sh");
                assert_int_equal(cfg->process->capabilities.inheritable, 0);
                assert_int_equal(cfg->process->capabilities.ambient, 0);
                assert_true(cfg->process->capabilities.bounding != 0);
                assert_true(cfg->process->no_new_privileges);
                assert_string_equal(cfg->root.path, "rootfs");
                assert_non_null(oci_config_namespace(cfg, OCI_NS_PID));
                assert_non_null(oci_config_namespace(cfg, OCI_NS_MOUNT));
                assert_true(cfg->lnx.masked_paths.len > 5);
                assert_true(cfg->lnx.readonly_paths.len > 3);
                if (rootless) {
                        assert_non_null(oci_config_namespace(cfg, OCI_NS_USER));
                        assert_null(oci_config_namespace(cfg, OCI_NS_NETWORK));
                        assert_int_equal(cfg->lnx.uid_mappings.items[0].host_id, 1234);
                        assert_int_equal(cfg->lnx.gid_mappings.items[0].host_id, 5678);
                        assert_false(cfg->lnx.has_resources);
                } else {
                        assert_null(oci_config_namespace(cfg, OCI_NS_USER));
                        assert_non_null(oci_config_namespace(cfg, OCI_NS_NETWORK));
                        assert_int_equal(cfg->lnx.resources.n_devices, 1);
                        assert_false(cfg->lnx.resources.devices[0].allow);
                }
                oci_config_free(cfg);
                free(json);
        }
}

static void example_config_parses(void **state)
{
        (void)state;
        struct berr err = {0};
        struct oci_config *cfg = NULL;
        if (oci_config_load("config.example.json", &cfg, &err) < 0)
                fail_msg("%s", err.msg);
        assert_false(cfg->process->terminal);
        assert_string_equal(cfg->hostname, "berth-demo");
        oci_config_free(cfg);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(huge_array),
            cmocka_unit_test(huge_object),
            cmocka_unit_test(many_keys_fast),
            cmocka_unit_test(seccomp_canonical_json),
            cmocka_unit_test(long_string),
            cmocka_unit_test(deep_nesting),
            cmocka_unit_test(too_big),
            cmocka_unit_test(missing_file),
            cmocka_unit_test(unknown_fields_and_nulls),
            cmocka_unit_test(duplicate_keys_last_wins),
            cmocka_unit_test(versions),
            cmocka_unit_test(process_json),
            cmocka_unit_test(default_spec_parses),
            cmocka_unit_test(example_config_parses),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
