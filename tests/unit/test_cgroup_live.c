/* Unit tests of the cgroup code on the real kernel (root, a cgroup2 mount):
 * a cgroup is created under a test-only path, a child is born in it with
 * clone3(CLONE_INTO_CGROUP), then listed, frozen, thawed, denied a device by
 * the BPF program, killed with cgroup.kill and removed. Also: the clear
 * error for a controller the hierarchy lacks, and the disabled manager. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

#include <cmocka.h>

#include "cgroup_internal.h"
#include "cleanup.h"

static char base[256]; /* "/berth-unit-PID", relative to the cgroup2 mount */
static struct cgroup_hier hier;

static int setup(void **s)
{
        struct berr err = {0};
        (void)s;
        snprintf(base, sizeof(base), "/berth-unit-%d", (int)getpid());
        if (geteuid() != 0 || cgroup_hier_find(&hier, &err) < 0)
                hier.mount[0] = '\0';
        return 0;
}

static int teardown(void **s)
{
        char path[4400];
        (void)s;
        if (hier.mount[0]) {
                snprintf(path, sizeof(path), "%s%s", hier.mount, base);
                rmdir(path); /* the parent berth made and (like runc) left */
        }
        return 0;
}

#define REQUIRE_CGROUP2()                                                                          \
        do {                                                                                       \
                if (!hier.mount[0])                                                                \
                        skip();                                                                    \
        } while (0)

/* A child born in the cgroup: it tries to open DEV (if any) when it gets
 * SIGUSR1 and exits with 0 (opened) or errno; otherwise it spins/sleeps. */
static pid_t spawn_in(int cgfd, bool busy)
{
        struct clone_args args;

        memset(&args, 0, sizeof(args));
        args.flags = CLONE_INTO_CGROUP;
        args.exit_signal = SIGCHLD;
        args.cgroup = (uint64_t)cgfd;
        long pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid == 0) {
                for (;;) {
                        if (!busy)
                                pause();
                }
        }
        return (pid_t)pid;
}

/* Fork a child in the cgroup that opens PATH and exits with 0 or errno. */
static int open_in(int cgfd, const char *path, int flags)
{
        struct clone_args args;
        int status;

        memset(&args, 0, sizeof(args));
        args.flags = CLONE_INTO_CGROUP;
        args.exit_signal = SIGCHLD;
        args.cgroup = (uint64_t)cgfd;
        long pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid == 0) {
                int fd = open(path, flags | O_CLOEXEC);
                _exit(fd < 0 ? errno : 0);
        }
        assert_true(pid > 0);
        assert_int_equal(waitpid((pid_t)pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        return WEXITSTATUS(status);
}

static void test_lifecycle(void **s)
{
        struct berr err = {0};
        struct berth_cgroup *cg = NULL;
        char path[512];
        struct cgroup_opts o = {"cgroupfs", path, "c1"};
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        bool frozen;
        int status;
        (void)s;
        REQUIRE_CGROUP2();

        snprintf(path, sizeof(path), "%s/c1", base);
        if (cgroup_create(&o, NULL, &cg, &err) < 0)
                fail_msg("%s", err.msg);
        assert_true(cgroup_dirfd(cg) >= 0);
        assert_string_equal(cgroup_rel_path(cg), path);
        char want[4400];
        snprintf(want, sizeof(want), "%s%s", hier.mount, path);
        assert_string_equal(cgroup_fs_path(cg), want);

        pid_t child = spawn_in(cgroup_dirfd(cg), true);
        assert_true(child > 0);
        /* the child was born in the cgroup */
        char procfile[64], buf[512] = "";
        snprintf(procfile, sizeof(procfile), "/proc/%d/cgroup", (int)child);
        FILE *f = fopen(procfile, "re");
        assert_non_null(f);
        while (fgets(buf, sizeof(buf), f) && strncmp(buf, "0::", 3) != 0)
                ;
        fclose(f);
        buf[strcspn(buf, "\n")] = '\0';
        assert_string_equal(buf + 3, path);

        assert_int_equal(cgroup_pids(cg, &pids, &n, &err), 0);
        assert_int_equal(n, 1);
        assert_int_equal(pids[0], child);

        /* reopen from the saved path, as later commands do */
        struct berth_cgroup *cg2 = NULL;
        if (cgroup_open(cgroup_fs_path(cg), &cg2, &err) < 0)
                fail_msg("%s", err.msg);
        assert_string_equal(cgroup_rel_path(cg2), path);

        /* freeze a busy process, thaw it */
        assert_int_equal(cgroup_freeze(cg2, true, &err), 0);
        assert_int_equal(cgroup_is_frozen(cg, &frozen, &err), 0);
        assert_true(frozen);
        uint64_t ev = 0;
        assert_int_equal(cgroup_read_key(cgroup_dirfd(cg), "cgroup.events", "frozen", &ev, &err),
                         0);
        assert_int_equal(ev, 1);
        assert_int_equal(cgroup_freeze(cg2, false, &err), 0);
        assert_int_equal(cgroup_is_frozen(cg, &frozen, &err), 0);
        assert_false(frozen);

        /* destroy refuses (bounded wait) while it has processes? kill first */
        assert_int_equal(cgroup_kill_all(cg2, &err), 0);
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGKILL);
        assert_int_equal(cgroup_destroy(cg2, &err), 0);
        assert_int_equal(access(want, F_OK), -1);
        /* a second destroy of the gone cgroup is fine */
        assert_int_equal(cgroup_destroy(cg, &err), 0);
        cgroup_free(cg2);
        cgroup_free(cg);
        /* reopening a removed cgroup fails */
        assert_true(cgroup_open(want, &cg, &err) < 0);
}

static void test_devices_bpf(void **s)
{
        struct berr err = {0};
        struct berth_cgroup *cg = NULL;
        char path[512];
        struct cgroup_opts o = {"cgroupfs", path, "c2"};
        struct oci_resources r;
        struct oci_device_rule deny_all = {false, 'a', {false, 0}, {false, 0}, "rwm"};
        struct oci_device_rule rules[] = {deny_all, {true, 'c', {true, 1}, {true, 11}, "w"}};
        (void)s;
        REQUIRE_CGROUP2();

        memset(&r, 0, sizeof(r));
        r.devices = &deny_all;
        r.n_devices = 1;
        snprintf(path, sizeof(path), "%s/c2", base);
        if (cgroup_create(&o, &r, &cg, &err) < 0)
                fail_msg("%s", err.msg);
        /* the standard set is allowed, /dev/kmsg (1:11) is not */
        assert_int_equal(open_in(cgroup_dirfd(cg), "/dev/null", O_RDWR), 0);
        assert_int_equal(open_in(cgroup_dirfd(cg), "/dev/kmsg", O_WRONLY), EPERM);
        /* update: allow writing /dev/kmsg; the program is swapped, not stacked */
        r.devices = rules;
        r.n_devices = 2;
        if (cgroup_apply_resources(cg, &r, &err) < 0)
                fail_msg("%s", err.msg);
        assert_int_equal(open_in(cgroup_dirfd(cg), "/dev/kmsg", O_WRONLY), 0);
        assert_int_equal(open_in(cgroup_dirfd(cg), "/dev/kmsg", O_RDONLY), EPERM);
        /* a spec rule denying a device of the standard set wins over it */
        struct oci_device_rule deny_null[] = {deny_all, {false, 'c', {true, 1}, {true, 3}, "w"}};
        r.devices = deny_null;
        r.n_devices = 2;
        if (cgroup_apply_resources(cg, &r, &err) < 0)
                fail_msg("%s", err.msg);
        assert_int_equal(open_in(cgroup_dirfd(cg), "/dev/null", O_WRONLY), EPERM);
        assert_int_equal(open_in(cgroup_dirfd(cg), "/dev/null", O_RDONLY), 0);
        /* exactly one device program on the cgroup */
        uint32_t count = 0;
        assert_int_equal(cgroup_devices_count(cgroup_dirfd(cg), &count, &err), 0);
        assert_int_equal(count, 1);
        assert_int_equal(cgroup_destroy(cg, &err), 0);
        cgroup_free(cg);
}

static void test_unavailable_controller(void **s)
{
        struct berr err = {0};
        struct berth_cgroup *cg = NULL;
        char path[512], fs[4400], want[512];
        struct cgroup_opts o = {"cgroupfs", path, "c3"};
        struct oci_resources r;
        _cleanup_free_ char *avail = NULL;
        (void)s;
        REQUIRE_CGROUP2();

        int rootfd = open(hier.mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(rootfd >= 0);
        assert_int_equal(cgroup_read(rootfd, "cgroup.controllers", &avail, &err), 0);
        close(rootfd);
        if (cgroup_list_has(avail, "memory"))
                skip(); /* this host has it: the VM tier tests the limit itself */
        memset(&r, 0, sizeof(r));
        r.has_memory = true;
        r.memory.limit = (oci_opt_i64){true, 64 << 20};
        snprintf(path, sizeof(path), "%s/c3", base);
        assert_true(cgroup_create(&o, &r, &cg, &err) < 0);
        assert_null(cg);
        snprintf(want, sizeof(want),
                 "cgroup: cannot apply linux.resources.memory: the memory controller is not "
                 "available on the cgroup v2 hierarchy (%s)",
                 cgroup_hier_mode(&hier));
        assert_string_equal(err.msg, want);
        /* nothing left behind */
        snprintf(fs, sizeof(fs), "%s%s", hier.mount, path);
        assert_int_equal(access(fs, F_OK), -1);
}

static void test_disabled(void **s)
{
        struct berr err = {0};
        struct berth_cgroup *cg = NULL;
        struct cgroup_opts o = {"disabled", NULL, "c4"};
        bool frozen = true;
        (void)s;

        assert_int_equal(cgroup_create(&o, NULL, &cg, &err), 0);
        assert_int_equal(cgroup_dirfd(cg), -1);
        assert_string_equal(cgroup_fs_path(cg), "");
        assert_string_equal(cgroup_rel_path(cg), "");
        assert_int_equal(cgroup_is_frozen(cg, &frozen, &err), 0);
        assert_false(frozen);
        assert_true(cgroup_freeze(cg, true, &err) < 0);
        assert_non_null(strstr(err.msg, "disabled"));
        assert_int_equal(cgroup_destroy(cg, &err), 0);
        cgroup_free(cg);
        assert_int_equal(cgroup_open("", &cg, &err), 0);
        assert_int_equal(cgroup_dirfd(cg), -1);
        cgroup_free(cg);
        assert_true(cgroup_open("/etc", &cg, &err) < 0);
        if (hier.mount[0]) {
                /* a saved path may not climb back to the root (or anywhere else) */
                char up[4200];
                snprintf(up, sizeof(up), "%s/x/..", hier.mount);
                assert_true(cgroup_open(up, &cg, &err) < 0);
                assert_non_null(strstr(err.msg, "invalid cgroup path"));
                snprintf(up, sizeof(up), "%s/./x", hier.mount);
                assert_true(cgroup_open(up, &cg, &err) < 0);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_lifecycle),
            cmocka_unit_test(test_devices_bpf),
            cmocka_unit_test(test_unavailable_controller),
            cmocka_unit_test(test_disabled),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
