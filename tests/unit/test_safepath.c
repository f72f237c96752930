/* lib/safepath against a hostile tree: symlinks to "/", ".." chains,
 * absolute symlinks, loops, dangling links used with O_CREAT. Every case
 * runs twice: with openat2 and with the component-by-component fallback. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "safepath.h"

static char root[PATH_MAX];
static int rootfd = -1;
/* A directory next to root, standing for "the host": nothing may land here. */
static char outside[PATH_MAX];

static void put(const char *rel, const char *content)
{
        char p[PATH_MAX * 2];
        snprintf(p, sizeof(p), "%s/%s", root, rel);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs(content, f);
        fclose(f);
}

static void link_(const char *target, const char *rel)
{
        char p[PATH_MAX * 2];
        snprintf(p, sizeof(p), "%s/%s", root, rel);
        assert_int_equal(symlink(target, p), 0);
}

static void dir(const char *rel)
{
        char p[PATH_MAX * 2];
        snprintf(p, sizeof(p), "%s/%s", root, rel);
        assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
        (void)state;
        char base[] = "/tmp/berth-safepath-XXXXXX";
        assert_non_null(mkdtemp(base));
        snprintf(root, sizeof(root), "%s/root", base);
        snprintf(outside, sizeof(outside), "%s/outside", base);
        assert_int_equal(mkdir(root, 0755), 0);
        assert_int_equal(mkdir(outside, 0755), 0);
        dir("dir");
        put("dir/file", "inside");
        dir("etc");
        put("etc/passwd", "container passwd");
        link_("/", "to_root");
        link_("/dir", "abs_dir");
        link_("../../../../../../..", "dotdots");
        link_("/../../../etc/passwd", "abs_escape");
        link_("..", "up");
        link_("loop_b", "loop_a");
        link_("loop_a", "loop_b");
        link_("/created_by_link", "dangling");
        link_("../outside/via_dotdot", "dangling_up");
        link_("/proc/self/root", "magic");
        put("plainfile", "x");
        /* A chain of 45 links. */
        for (int i = 0; i < 45; i++) {
                char t[32], n[32];
                snprintf(t, sizeof(t), "chain%d", i + 1);
                snprintf(n, sizeof(n), "chain%d", i);
                link_(t, n);
        }
        put("chain45", "end of chain");
        rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        assert_true(rootfd >= 0);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        char cmd[PATH_MAX + 32];
        close(rootfd);
        /* root and outside share the mkdtemp parent. */
        snprintf(cmd, sizeof(cmd), "rm -rf '%s/..'", root);
        char *slash = strrchr(root, '/');
        *slash = '\0';
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        return system(cmd) == 0 ? 0 : -1;
}

static int use_fallback(void **state)
{
        safepath_force_fallback = *state != NULL;
        return 0;
}

/* Open REL and return its content (first 63 bytes), or NULL with err. */
static char *read_in_root(const char *rel, struct berr *err)
{
        static char buf[64];
        int fd = safe_openat(rootfd, rel, O_RDONLY, 0, err);
        if (fd < 0)
                return NULL;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        buf[n < 0 ? 0 : n] = '\0';
        return buf;
}

static void same_file(int fd, const char *host_path)
{
        struct stat a, b;
        assert_int_equal(fstat(fd, &a), 0);
        assert_int_equal(stat(host_path, &b), 0);
        assert_true(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

static void stays_inside(void **state)
{
        (void)state;
        struct berr err = {0};
        const char *inside[] = {
            "dir/file",          "/dir/file",          "to_root/dir/file",
            "../../../dir/file", "dotdots/dir/file",   "abs_dir/file",
            "up/up/dir/file",    "dir/../../dir/file", "to_root/to_root/abs_dir/../dir/file",
            "./dir//file"};
        for (size_t i = 0; i < sizeof(inside) / sizeof(inside[0]); i++) {
                char *c = read_in_root(inside[i], &err);
                if (!c)
                        fail_msg("%s: %s", inside[i], err.msg);
                assert_string_equal(c, "inside");
        }
        /* Absolute symlinks and ".." land on the container's /etc/passwd. */
        assert_string_equal(read_in_root("abs_escape", &err), "container passwd");
        assert_string_equal(read_in_root("/../etc/passwd", &err), "container passwd");
        assert_string_equal(read_in_root("dotdots/etc/passwd", &err), "container passwd");
}

static void root_links_resolve_to_root(void **state)
{
        (void)state;
        struct berr err = {0};
        const char *names[] = {"to_root", "dotdots", "..", "/", "", "up", "to_root/.."};
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                int fd = safe_openat(rootfd, names[i], O_PATH | O_DIRECTORY, 0, &err);
                if (fd < 0)
                        fail_msg("%s: %s", names[i], err.msg);
                same_file(fd, root);
                close(fd);
        }
}

static void loops_and_errors(void **state)
{
        (void)state;
        struct berr err = {0};
        assert_int_equal(safe_openat(rootfd, "loop_a", O_RDONLY, 0, &err), -ELOOP);
        assert_non_null(strstr(err.msg, "open loop_a"));
        assert_int_equal(safe_openat(rootfd, "loop_a/x", O_RDONLY, 0, &err), -ELOOP);
        /* 45 links is more than the 40 allowed. */
        assert_int_equal(safe_openat(rootfd, "chain0", O_RDONLY, 0, &err), -ELOOP);
        assert_string_equal(read_in_root("chain10", &err), "end of chain");
        assert_int_equal(safe_openat(rootfd, "nothing/here", O_RDONLY, 0, &err), -ENOENT);
        assert_int_equal(safe_openat(rootfd, "plainfile/", O_RDONLY, 0, &err), -ENOTDIR);
        assert_int_equal(safe_openat(rootfd, "plainfile/x", O_RDONLY, 0, &err), -ENOTDIR);
        assert_int_equal(safe_openat(rootfd, "to_root", O_RDONLY | O_NOFOLLOW, 0, &err), -ELOOP);
        /* A magic link target is just a path inside the root, which has no /proc. */
        assert_int_equal(safe_openat(rootfd, "magic/dir", O_RDONLY, 0, &err), -ENOENT);
        assert_int_equal(safe_openat(rootfd, "dir/file", O_CREAT | O_EXCL | O_WRONLY, 0644, &err),
                         -EEXIST);
}

static void nofollow_opath_gives_the_link(void **state)
{
        (void)state;
        struct berr err = {0};
        int fd = safe_openat(rootfd, "to_root", O_PATH | O_NOFOLLOW, 0, &err);
        assert_true(fd >= 0);
        struct stat st;
        assert_int_equal(fstatat(fd, "", &st, AT_EMPTY_PATH), 0);
        assert_true(S_ISLNK(st.st_mode));
        close(fd);
}

static void create_through_links_stays_inside(void **state)
{
        (void)state;
        struct berr err = {0};
        char p[PATH_MAX * 2];
        struct stat st;

        int fd = safe_openat(rootfd, "to_root/dotdots/new_file", O_CREAT | O_WRONLY, 0600, &err);
        assert_true(fd >= 0);
        close(fd);
        snprintf(p, sizeof(p), "%s/new_file", root);
        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        unlink(p);

        /* A dangling absolute link is created inside the root... */
        fd = safe_openat(rootfd, "dangling", O_CREAT | O_WRONLY, 0644, &err);
        if (fd >= 0) {
                close(fd);
                snprintf(p, sizeof(p), "%s/created_by_link", root);
                assert_int_equal(stat(p, &st), 0);
                unlink(p);
        }
        assert_int_equal(stat("/created_by_link", &st), -1);
        /* ...and a dangling relative one with ".." cannot reach the sibling dir. */
        fd = safe_openat(rootfd, "dangling_up", O_CREAT | O_WRONLY, 0644, &err);
        if (fd >= 0)
                close(fd);
        snprintf(p, sizeof(p), "%s/via_dotdot", outside);
        assert_int_equal(stat(p, &st), -1);
}

static void mkdir_p(void **state)
{
        (void)state;
        struct berr err = {0};
        char p[PATH_MAX * 2];

        int fd = safe_mkdir_p(rootfd, "to_root/a/b/../c/./d", 0755, &err);
        if (fd < 0)
                fail_msg("%s", err.msg);
        snprintf(p, sizeof(p), "%s/a/c/d", root);
        same_file(fd, p);
        close(fd);
        struct stat st;
        assert_int_equal(stat("/a/c/d", &st) == 0 && stat("/a/b", &st) == 0, 0);

        fd = safe_mkdir_p(rootfd, "dotdots/abs_dir/sub", 0700, &err);
        assert_true(fd >= 0);
        snprintf(p, sizeof(p), "%s/dir/sub", root);
        same_file(fd, p);
        close(fd);
        /* Existing path: just opened. */
        fd = safe_mkdir_p(rootfd, "/dir/sub", 0700, &err);
        assert_true(fd >= 0);
        close(fd);

        assert_int_equal(safe_mkdir_p(rootfd, "plainfile/x", 0755, &err), -ENOTDIR);
        assert_int_equal(safe_mkdir_p(rootfd, "loop_a/x", 0755, &err), -ELOOP);

        /* Through a dangling symlink: the directory appears inside, never outside. */
        fd = safe_mkdir_p(rootfd, "dangling_up/x", 0755, &err);
        if (fd >= 0)
                close(fd);
        snprintf(p, sizeof(p), "%s/via_dotdot", outside);
        assert_int_equal(stat(p, &st), -1);

        snprintf(p, sizeof(p), "rm -rf '%s/a' '%s/dir/sub' '%s/via_dotdot' '%s/created_by_link'",
                 root, root, root, root);
        assert_int_equal(system(p), 0);
}

static void open_parent(void **state)
{
        (void)state;
        struct berr err = {0};
        char name[NAME_MAX + 1], p[PATH_MAX * 2];

        int fd = safe_open_parent(rootfd, "dotdots/abs_dir/file", name, sizeof(name), &err);
        assert_true(fd >= 0);
        assert_string_equal(name, "file");
        snprintf(p, sizeof(p), "%s/dir", root);
        same_file(fd, p);
        close(fd);

        fd = safe_open_parent(rootfd, "/top//", name, sizeof(name), &err);
        assert_true(fd >= 0);
        assert_string_equal(name, "top");
        same_file(fd, root);
        close(fd);

        const char *bad[] = {"/", "", "dir/..", "dir/.", ".", ".."};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_int_equal(safe_open_parent(rootfd, bad[i], name, sizeof(name), &err),
                                 -EINVAL);
        char small[3];
        assert_int_equal(safe_open_parent(rootfd, "/dir/file", small, sizeof(small), &err),
                         -EINVAL);
}

static void fd_paths(void **state)
{
        (void)state;
        char buf[FD_PATH_MAX];
        assert_string_equal(fd_path(7, buf), "/proc/self/fd/7");
        assert_string_equal(fd_path(2147483647, buf), "/proc/self/fd/2147483647");
}

#define BOTH(t)                                                                                    \
        cmocka_unit_test_prestate_setup_teardown(t, use_fallback, NULL, NULL),                     \
            cmocka_unit_test_prestate_setup_teardown(t, use_fallback, NULL, (void *)1)

int main(void)
{
        const struct CMUnitTest tests[] = {
            BOTH(stays_inside),
            BOTH(root_links_resolve_to_root),
            BOTH(loops_and_errors),
            BOTH(nofollow_opath_gives_the_link),
            BOTH(create_through_links_stays_inside),
            BOTH(mkdir_p),
            BOTH(open_parent),
            cmocka_unit_test(fd_paths),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
