/* Unit tests for berth-unpack's layer apply (apply*.c, remove_tree.c):
 * tars built in memory with libarchive, applied into a temporary root,
 * with openat2 and with lib/safepath's fallback resolver. */
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "apply.h"
#include "cleanup.h"
#include "remove_tree.h"
#include "safepath.h"

static char top[64];
static int rootfd = -1;

struct ent {
        const char *name;
        mode_t type; /* AE_IF*; 0 = hardlink */
        const char *data_or_target;
        mode_t mode;
};

/* A tar of ENTS in a memfd, positioned at 0. */
static int make_tar(const struct ent *ents, size_t n)
{
        int fd = memfd_create("tar", MFD_CLOEXEC);
        struct archive *a = archive_write_new();
        archive_write_set_format_pax_restricted(a);
        archive_write_open_fd(a, fd);
        for (size_t i = 0; i < n; i++) {
                struct archive_entry *e = archive_entry_new();
                archive_entry_set_pathname(e, ents[i].name);
                archive_entry_set_mtime(e, 1700000000, 0);
                if (ents[i].type == 0) {
                        archive_entry_set_filetype(e, AE_IFREG);
                        archive_entry_set_hardlink(e, ents[i].data_or_target);
                } else {
                        archive_entry_set_filetype(e, ents[i].type);
                }
                archive_entry_set_perm(e, ents[i].mode ? ents[i].mode : 0644);
                if (ents[i].type == AE_IFLNK)
                        archive_entry_set_symlink(e, ents[i].data_or_target);
                size_t len = 0;
                if (ents[i].type == AE_IFREG && ents[i].data_or_target)
                        len = strlen(ents[i].data_or_target);
                archive_entry_set_size(e, (la_int64_t)len);
                archive_write_header(a, e);
                if (len)
                        archive_write_data(a, ents[i].data_or_target, len);
                archive_entry_free(e);
        }
        archive_write_close(a);
        archive_write_free(a);
        lseek(fd, 0, SEEK_SET);
        return fd;
}

static int apply(const struct ent *ents, size_t n, struct berr *err)
{
        struct apply_options o = {.max_size = 1 << 30, .n_layers = 1};
        struct applier *ap = NULL;
        _cleanup_close_ int fd = make_tar(ents, n);
        int r = applier_new(rootfd, &o, &ap, err);
        if (r == 0)
                r = apply_tar_fd(ap, fd, "test", err);
        applier_free(ap);
        return r;
}

static char *slurp(const char *rel)
{
        static char buf[256];
        char p[256];
        snprintf(p, sizeof(p), "%s/root/%s", top, rel);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return NULL;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        buf[n < 0 ? 0 : n] = '\0';
        return buf;
}

static bool exists(const char *rel)
{
        char p[256];
        struct stat st;
        snprintf(p, sizeof(p), "%s/root/%s", top, rel);
        return lstat(p, &st) == 0;
}

static int setup(void **s)
{
        (void)s;
        snprintf(top, sizeof(top), "/tmp/berth-unpack-test.XXXXXX");
        if (!mkdtemp(top))
                return -1;
        char p[128];
        snprintf(p, sizeof(p), "%s/root", top);
        mkdir(p, 0755);
        rootfd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return rootfd < 0 ? -1 : 0;
}

static int teardown(void **s)
{
        struct berr err = {0};
        (void)s;
        close(rootfd);
        int dfd = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
        remove_tree_at(dfd, top + 5, &err);
        close(dfd);
        safepath_force_fallback = false;
        return 0;
}

static void test_layers_and_whiteouts(void **s)
{
        struct berr err = {0};
        (void)s;
        const struct ent l1[] = {
            {"etc", AE_IFDIR, NULL, 0755},       {"etc/a", AE_IFREG, "A", 0},
            {"etc/b", AE_IFREG, "B", 0},         {"opq", AE_IFDIR, NULL, 0755},
            {"opq/old", AE_IFREG, "old", 0},     {"opq/d", AE_IFDIR, NULL, 0755},
            {"opq/d/deep", AE_IFREG, "deep", 0}, {"f2d", AE_IFREG, "file", 0},
            {"link", AE_IFLNK, "/etc/a", 0777},  {"hard", 0, "etc/a", 0},
        };
        assert_int_equal(apply(l1, sizeof(l1) / sizeof(l1[0]), &err), 0);
        assert_string_equal(slurp("hard"), "A");
        const struct ent l2[] = {
            {"opq/mine", AE_IFREG, "mine", 0},
            {"opq/.wh..wh..opq", AE_IFREG, NULL, 0},
            {"etc/.wh.a", AE_IFREG, NULL, 0},
            {"f2d", AE_IFDIR, NULL, 0700},
            {"f2d/in", AE_IFREG, "in", 0},
            {"link", AE_IFREG, "not a link", 0},
            {"x/y/z", AE_IFREG, "implicit parents", 0},
        };
        assert_int_equal(apply(l2, sizeof(l2) / sizeof(l2[0]), &err), 0);
        assert_false(exists("etc/a"));
        assert_true(exists("etc/b"));
        assert_string_equal(slurp("hard"), "A");
        assert_true(exists("opq/mine"));
        assert_false(exists("opq/old"));
        assert_false(exists("opq/d"));
        assert_string_equal(slurp("f2d/in"), "in");
        assert_string_equal(slurp("link"), "not a link");
        assert_string_equal(slurp("x/y/z"), "implicit parents");
}

static void test_refusals(void **s)
{
        struct berr err = {0};
        (void)s;
        const struct ent sym[] = {{"out", AE_IFLNK, "/tmp", 0777}, {"out/pwn", AE_IFREG, "x", 0}};
        assert_true(apply(sym, 2, &err) < 0);
        assert_non_null(strstr(err.msg, "goes through a symlink"));
        assert_false(exists("tmp/pwn"));
        const struct ent dd[] = {{"a/../../pwn", AE_IFREG, "x", 0}};
        assert_true(apply(dd, 1, &err) < 0);
        assert_non_null(strstr(err.msg, "entry a/../../pwn"));
        const struct ent hl[] = {{"h", 0, "../../etc/passwd", 0}};
        assert_true(apply(hl, 1, &err) < 0);
        const struct ent hm[] = {{"h", 0, "missing", 0}};
        assert_true(apply(hm, 1, &err) < 0);
        assert_non_null(strstr(err.msg, "hardlink to missing"));
        const struct ent wd[] = {{"out2", AE_IFLNK, "..", 0777}, {"out2/.wh.x", AE_IFREG, NULL, 0}};
        assert_true(apply(wd, 2, &err) < 0);
        const struct ent hd[] = {{"d", AE_IFDIR, NULL, 0755}, {"hd", 0, "d", 0}};
        assert_true(apply(hd, 2, &err) < 0);
}

static void test_refusals_fallback(void **s)
{
        safepath_force_fallback = true;
        test_refusals(s);
        test_layers_and_whiteouts(s);
        safepath_force_fallback = false;
}

static void test_max_size(void **s)
{
        struct berr err = {0};
        struct apply_options o = {.max_size = 3, .n_layers = 1};
        struct applier *ap = NULL;
        (void)s;
        const struct ent big[] = {{"big", AE_IFREG, "four", 0}};
        _cleanup_close_ int fd = make_tar(big, 1);
        assert_int_equal(applier_new(rootfd, &o, &ap, &err), 0);
        assert_true(apply_tar_fd(ap, fd, "t", &err) < 0);
        assert_non_null(strstr(err.msg, "would pass --max-size"));
        applier_free(ap);
}

static void test_remove_deep_tree(void **s)
{
        struct berr err = {0};
        (void)s;
        int dfd = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_true(mkdirat(dfd, "deep", 0755) == 0);
        int cur = openat(dfd, "deep", O_PATH | O_DIRECTORY | O_CLOEXEC);
        for (int i = 0; i < 3000; i++) {
                assert_int_equal(mkdirat(cur, "d", 0755), 0);
                int fd = openat(cur, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
                close(fd);
                assert_int_equal(symlinkat("/", cur, "l"), 0);
                int next = openat(cur, "d", O_PATH | O_DIRECTORY | O_CLOEXEC);
                close(cur);
                cur = next;
        }
        close(cur);
        assert_int_equal(remove_tree_at(dfd, "deep", &err), 0);
        assert_false(exists("deep"));
        close(dfd);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_layers_and_whiteouts, setup, teardown),
            cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
            cmocka_unit_test_setup_teardown(test_refusals_fallback, setup, teardown),
            cmocka_unit_test_setup_teardown(test_max_size, setup, teardown),
            cmocka_unit_test_setup_teardown(test_remove_deep_tree, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
