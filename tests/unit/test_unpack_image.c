/* Unit tests for berth-unpack's image side: digests, platforms, JSON
 * documents (index, manifest, docker manifest.json, config), the outer tar
 * index, /etc/passwd and /etc/group lookups, config.json generation. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "digest.h"
#include "image_json.h"
#include "json.h"
#include "platform.h"
#include "spec.h"
#include "tar_index.h"
#include "user.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_digest(void **s)
{
        struct berr err = {0};
        char out[DIGEST_STR_MAX];
        (void)s;
        assert_int_equal(digest_check("sha256:" D64, "x", &err), 0);
        assert_int_equal(digest_check("sha512:" D64, "x", &err), -ENOTSUP);
        assert_int_equal(digest_check("sha256:" D64 "0", "x", &err), -EINVAL);
        assert_int_equal(digest_check("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef"
                                      "0123456789abcdef",
                                      "x", &err),
                         -EINVAL);
        assert_int_equal(digest_check("nocolon", "x", &err), -EINVAL);
        assert_int_equal(sha256_buf("abc", 3, out, &err), 0);
        assert_string_equal(out, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff6"
                                 "1f20015ad");
}

static void test_platform(void **s)
{
        struct berr err = {0};
        struct platform want, have = {0};
        (void)s;
        assert_int_equal(platform_parse("linux/arm64", &want, &err), 0);
        have.os = "linux";
        have.arch = "arm64";
        have.variant = "v8";
        assert_int_equal(platform_match(&want, &have), 2);
        have.variant = "v9";
        assert_int_equal(platform_match(&want, &have), 0);
        have.arch = "amd64";
        assert_int_equal(platform_match(&want, &have), 0);
        platform_free(&want);
        assert_int_equal(platform_parse("linux/amd64", &want, &err), 0);
        have.variant = NULL;
        assert_int_equal(platform_match(&want, &have), 1);
        platform_free(&want);
        assert_true(platform_parse("linux", &want, &err) < 0);
        assert_true(platform_parse("linux/", &want, &err) < 0);
        assert_true(platform_parse("/amd64", &want, &err) < 0);
        assert_true(platform_parse("a/b/c/d", &want, &err) < 0);
        platform_free(&want);
}

static yajl_val parse(const char *s)
{
        struct berr err = {0};
        yajl_val v = NULL;
        assert_int_equal(json_parse(s, strlen(s), &v, &err), 0);
        return v;
}

static void test_index_manifest(void **s)
{
        struct berr err = {0};
        struct index ix;
        struct manifest m;
        (void)s;
        yajl_val v = parse("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" MT_OCI_MANIFEST
                           "\",\"digest\":\"sha256:" D64 "\",\"size\":12,\"platform\":{\"os\":"
                           "\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"},"
                           "\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]}");
        assert_int_equal(index_parse(v, "index.json", &ix, &err), 0);
        assert_int_equal(ix.n, 1);
        assert_string_equal(ix.manifests[0].ref_name, "t");
        assert_string_equal(ix.manifests[0].platform.variant, "v7");
        assert_int_equal(ix.manifests[0].size, 12);
        index_free(&ix);
        yajl_tree_free(v);

        v = parse("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:"
                  "abc\",\"size\":1}]}");
        assert_true(index_parse(v, "index.json", &ix, &err) < 0);
        assert_non_null(strstr(err.msg, ".manifests[0].digest"));
        index_free(&ix);
        yajl_tree_free(v);

        v = parse(
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:" D64
            "\",\"size\":-1}]}");
        assert_true(index_parse(v, "index.json", &ix, &err) < 0);
        assert_non_null(strstr(err.msg, ".manifests[0].size"));
        index_free(&ix);
        yajl_tree_free(v);

        v = parse("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG
                  "\",\"digest\":\"sha256:" D64 "\",\"size\":3},\"layers\":[]}");
        assert_int_equal(manifest_parse(v, "m", &m, &err), 0);
        assert_int_equal(m.n, 0);
        manifest_free(&m);
        assert_int_equal(document_check_media_type(v, MT_OCI_MANIFEST, "m", &err), 0);
        yajl_tree_free(v);
        v = parse("{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\"}");
        assert_true(document_check_media_type(v, MT_OCI_MANIFEST, "m", &err) < 0);
        yajl_tree_free(v);
        v = parse("{\"schemaVersion\":1}");
        assert_true(manifest_parse(v, "m", &m, &err) < 0);
        assert_non_null(strstr(err.msg, "schemaVersion"));
        manifest_free(&m);
        yajl_tree_free(v);
}

static void test_docker_and_config(void **s)
{
        struct berr err = {0};
        struct docker_manifest dm = {0};
        (void)s;
        yajl_val v = parse("[{\"Config\":\"c.json\",\"RepoTags\":[\"a:1\",\"b:2\"],"
                           "\"Layers\":[\"x/layer.tar\"]}]");
        assert_int_equal(docker_manifest_parse(v, &dm, &err), 0);
        assert_int_equal(dm.n, 1);
        assert_int_equal(dm.images[0].n_tags, 2);
        assert_string_equal(dm.images[0].layers[0], "x/layer.tar");
        docker_manifest_free(&dm);
        yajl_tree_free(v);
        v = parse("[{\"Config\":1,\"Layers\":[]}]");
        assert_true(docker_manifest_parse(v, &dm, &err) < 0);
        assert_non_null(strstr(err.msg, "[0].Config"));
        docker_manifest_free(&dm);
        yajl_tree_free(v);

        const char **ids = NULL;
        size_t n = 0;
        v = parse("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" D64 "\"]}}");
        assert_int_equal(config_diff_ids(v, &ids, &n, &err), 0);
        assert_int_equal(n, 1);
        free(ids);
        yajl_tree_free(v);
        v = parse("{\"rootfs\":{\"type\":\"other\",\"diff_ids\":[]}}");
        assert_true(config_diff_ids(v, &ids, &n, &err) < 0);
        yajl_tree_free(v);
}

static void test_tar_index(void **s)
{
        struct berr err = {0};
        struct tar_index idx;
        (void)s;
        int fd = memfd_create("outer", MFD_CLOEXEC);
        struct archive *a = archive_write_new();
        archive_write_set_format_pax_restricted(a);
        archive_write_open_fd(a, fd);
        const char *names[] = {
            "./manifest.json", "blobs/sha256/abc",
            "long/"
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
        for (int i = 0; i < 3; i++) {
                struct archive_entry *e = archive_entry_new();
                archive_entry_set_pathname(e, names[i]);
                archive_entry_set_filetype(e, AE_IFREG);
                archive_entry_set_perm(e, 0644);
                archive_entry_set_size(e, 5);
                archive_write_header(a, e);
                archive_write_data(a, "hello", 5);
                archive_entry_free(e);
        }
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, "x/layer.tar");
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_perm(e, 0777);
        archive_entry_set_symlink(e, "../blobs/sha256/abc");
        archive_write_header(a, e);
        archive_entry_free(e);
        archive_write_close(a);
        archive_write_free(a);
        off_t size = lseek(fd, 0, SEEK_END);
        assert_int_equal(tar_index_build(fd, (uint64_t)size, &idx, &err), 0);
        const struct tar_member *m = tar_index_find(&idx, "manifest.json");
        assert_non_null(m);
        char buf[6] = "";
        assert_int_equal(pread(fd, buf, 5, (off_t)m->offset), 5);
        assert_string_equal(buf, "hello");
        m = tar_index_find(&idx, "x/layer.tar");
        assert_non_null(m);
        assert_string_equal(m->name, "blobs/sha256/abc");
        assert_non_null(tar_index_find(&idx, names[2]));
        assert_null(tar_index_find(&idx, "nope"));
        tar_index_free(&idx);
        /* a cut archive */
        assert_int_equal(ftruncate(fd, 515), 0);
        assert_true(tar_index_build(fd, 515, &idx, &err) < 0);
        tar_index_free(&idx);
        close(fd);
}

static void test_user_lookup(void **s)
{
        uid_t u;
        gid_t g;
        (void)s;
        const char *pw = "root:x:0:0::/:/bin/sh\n#comment\nbad line\napp:x:1000:1001::/:/bin/sh\n";
        assert_int_equal(passwd_lookup(pw, "app", 0, &u, &g), 0);
        assert_int_equal(u, 1000);
        assert_int_equal(g, 1001);
        assert_int_equal(passwd_lookup(pw, NULL, 1000, &u, &g), 0);
        assert_int_equal(passwd_lookup(pw, "nobody", 0, &u, &g), -ENOENT);
        assert_int_equal(passwd_lookup(NULL, "app", 0, &u, &g), -ENOENT);
        assert_int_equal(group_lookup("wheel:x:10:app\n", "wheel", 0, &g), 0);
        assert_int_equal(g, 10);
}

static void test_spec(void **s)
{
        struct berr err = {0};
        char *out = NULL;
        size_t len = 0;
        (void)s;
        yajl_val v = parse("{\"config\":{\"Cmd\":[\"a\",\"b\"],\"Env\":[\"PATH=/x\"],"
                           "\"User\":\"12:34\"}}");
        assert_int_equal(spec_generate(v, -1, &out, &len, &err), 0);
        yajl_val c = parse(out);
        const char *path[] = {"process", "args", NULL};
        yajl_val args = yajl_tree_get(c, path, yajl_t_array);
        assert_non_null(args);
        assert_int_equal(args->u.array.len, 2);
        const char *env[] = {"process", "env", NULL};
        assert_int_equal(yajl_tree_get(c, env, yajl_t_array)->u.array.len, 1);
        const char *gid[] = {"process", "user", "gid", NULL};
        assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(c, gid, yajl_t_number)), 34);
        yajl_tree_free(c);
        free(out);
        yajl_tree_free(v);
        v = parse("{\"config\":{\"Cmd\":\"not an array\"}}");
        assert_true(spec_generate(v, -1, &out, &len, &err) < 0);
        assert_non_null(strstr(err.msg, ".config.Cmd"));
        yajl_tree_free(v);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_digest),         cmocka_unit_test(test_platform),
            cmocka_unit_test(test_index_manifest), cmocka_unit_test(test_docker_and_config),
            cmocka_unit_test(test_tar_index),      cmocka_unit_test(test_user_lookup),
            cmocka_unit_test(test_spec),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
