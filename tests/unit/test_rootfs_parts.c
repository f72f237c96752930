/* Small pieces of the rootfs/process code checked on their own: mount
 * destination matching, cpu lists, HOME from /etc/passwd, fd hygiene
 * before execve, the user namespace behind idmapped mounts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "idmap.h"
#include "process_steps.h"
#include "rootfs_steps.h"

static void test_mount_dest_is(void **state)
{
        (void)state;
        assert_true(mount_dest_is("/dev", "/dev"));
        assert_true(mount_dest_is("/dev/", "/dev"));
        assert_true(mount_dest_is("//dev//", "/dev"));
        assert_false(mount_dest_is("/dev/pts", "/dev"));
        assert_false(mount_dest_is("/devices", "/dev"));
        assert_false(mount_dest_is("/de", "/dev"));
        assert_true(mount_dest_is("/", "/"));
        assert_true(mount_dest_is("///", "/"));
        assert_false(mount_dest_is("/x", "/"));
}

static void test_cpulist(void **state)
{
        struct berr err = {0};
        cpu_set_t set;
        (void)state;

        assert_int_equal(cpulist_parse("0-2,5", &set, &err), 0);
        assert_int_equal(CPU_COUNT(&set), 4);
        assert_true(CPU_ISSET(0, &set) && CPU_ISSET(2, &set) && CPU_ISSET(5, &set));
        assert_false(CPU_ISSET(3, &set));
        assert_int_equal(cpulist_parse("7", &set, &err), 0);
        assert_int_equal(CPU_COUNT(&set), 1);
        assert_true(cpulist_parse("3-1", &set, &err) < 0);
        assert_string_equal(err.msg, "invalid cpu list \"3-1\"");
        assert_true(cpulist_parse("a", &set, &err) < 0);
        assert_true(cpulist_parse("1,,", &set, &err) < 0);
        assert_true(cpulist_parse("99999", &set, &err) < 0);
}

static void test_env_home(void **state)
{
        static char *env[] = {"PATH=/bin", NULL};
        static char *env_home[] = {"HOME=/mine", "A=b", NULL};
        struct oci_process p;
        struct berr err = {0};
        _cleanup_strv_ char **out = NULL;
        (void)state;

        memset(&p, 0, sizeof(p));
        p.env = (struct oci_strv){env, 1};
        p.user.uid = 0; /* root's home in this host's /etc/passwd */
        assert_int_equal(process_env_build(&p, &out, &err), 0);
        assert_string_equal(out[0], "PATH=/bin");
        assert_string_equal(out[1], "HOME=/root");
        assert_null(out[2]);
        strv_free(steal_ptr(&out));

        p.user.uid = 4000000; /* nobody has it: "/" */
        assert_int_equal(process_env_build(&p, &out, &err), 0);
        assert_string_equal(out[1], "HOME=/");
        strv_free(steal_ptr(&out));

        p.env = (struct oci_strv){env_home, 2};
        assert_int_equal(process_env_build(&p, &out, &err), 0);
        assert_string_equal(out[0], "HOME=/mine");
        assert_string_equal(out[1], "A=b");
        assert_null(out[2]);
}

static void test_fds_prepare(void **state)
{
        (void)state;
        pid_t pid = fork();
        if (pid == 0) {
                struct berr err = {0};
                /* 3 and 4 preserved (one of them close-on-exec), 5.. not. */
                for (int fd = 3; fd < 64; fd++)
                        close(fd);
                int a = open("/dev/null", O_RDONLY | O_CLOEXEC);
                int b = open("/dev/null", O_RDONLY);
                int c = open("/dev/null", O_RDONLY);
                if (a != 3 || b != 4 || dup2(c, 9) < 0)
                        _exit(2);
                if (fds_prepare_for_exec(2, &err) < 0)
                        _exit(3);
                if (fcntl(3, F_GETFD) & FD_CLOEXEC)
                        _exit(4);
                if (fcntl(4, F_GETFD) & FD_CLOEXEC)
                        _exit(5);
                if (!(fcntl(9, F_GETFD) & FD_CLOEXEC))
                        _exit(6);
                _exit(0);
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_idmap_userns(void **state)
{
        struct oci_idmap um = {0, 1234, 10}, gm = {0, 4321, 1};
        struct oci_idmap_list u = {&um, 1}, g = {&gm, 1}, none = {NULL, 0};
        struct berr err = {0};
        char path[64], buf[128];
        (void)state;

        if (geteuid() != 0)
                skip();
        int ns = idmap_userns_fd(&u, &g, &err);
        assert_true(ns >= 0);
        /* Look at the maps through a process that joins it. */
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        if (pid == 0) {
                close(p[0]);
                if (setns(ns, CLONE_NEWUSER) < 0)
                        _exit(1);
                int fd = open("/proc/self/uid_map", O_RDONLY);
                ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
                if (n > 0 && write(p[1], buf, (size_t)n) != n)
                        _exit(1);
                _exit(n > 0 ? 0 : 1);
        }
        close(p[1]);
        ssize_t n = read(p[0], buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = '\0';
        close(p[0]);
        int st;
        waitpid(pid, &st, 0);
        close(ns);
        snprintf(path, sizeof(path), "%u %u %u", 0, 1234, 10);
        assert_int_equal(WEXITSTATUS(st), 0);
        /* "         0       1234         10" */
        char a[16], b[16], c[16];
        assert_int_equal(sscanf(buf, "%15s %15s %15s", a, b, c), 3);
        assert_string_equal(a, "0");
        assert_string_equal(b, "1234");
        assert_string_equal(c, "10");

        assert_true(idmap_userns_fd(&none, &g, &err) < 0);
        assert_non_null(strstr(err.msg, "no uid/gid mappings"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_mount_dest_is), cmocka_unit_test(test_cpulist),
            cmocka_unit_test(test_env_home),      cmocka_unit_test(test_fds_prepare),
            cmocka_unit_test(test_idmap_userns),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
