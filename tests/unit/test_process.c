/* process_exec and its steps on a real kernel: PATH lookup and its error,
 * the /proc/self/exe guard (magic link, bind of berth's binary, #! chains),
 * the CAP_SYS_RESOURCE rlimit error, and a full exec in a forked child
 * (user, groups, umask, caps, no_new_privs, oom_score_adj, cwd, fds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>

#include "cleanup.h"
#include "process.h"
#include "process_steps.h"
#include "rootfs.h"
#include "rootfs_testlib.h"

static struct tbundle B;

static int setup(void **state)
{
        (void)state;
        return tb_create(&B);
}

static int teardown(void **state)
{
        (void)state;
        tb_destroy(&B);
        return 0;
}

static void test_find_executable(void **state)
{
        char *env[] = {"PATH=/no/such/dir:/bin", NULL};
        char out[PATH_MAX];
        struct berr err = {0};
        (void)state;

        assert_int_equal(process_find_executable("busybox", env, out, &err), 0);
        assert_string_equal(out, "/bin/busybox");
        assert_true(process_find_executable("no-such-tool-xyz", env, out, &err) < 0);
        assert_string_equal(err.msg,
                            "exec: \"no-such-tool-xyz\": executable file not found in $PATH");
}

static void test_refuses_proc_self_exe(void **state)
{
        char *argv[] = {"/proc/self/exe", NULL};
        char *env[] = {NULL};
        struct exec_target t;
        struct berr err = {0};
        (void)state;

        assert_true(exec_target_open(argv, env, 3, &t, &err) < 0);
        exec_target_free(&t);
        assert_non_null(strstr(err.msg, "refusing a path through a magic link"));
}

static void test_shebang_chain(void **state)
{
        char s1[512], s2[512];
        char *env[] = {NULL};
        struct exec_target t;
        struct berr err = {0};
        (void)state;

        snprintf(s1, sizeof(s1), "%s/s1", B.dir);
        snprintf(s2, sizeof(s2), "%s/s2", B.dir);
        assert_int_equal(tb_run("printf '#!%s  -a  \\n' > %s && printf '#!/bin/busybox sh\\n' > %s "
                                "&& chmod +x %s %s",
                                s2, s1, s2, s1, s2),
                         0);
        char *argv[] = {s1, "arg1", NULL};
        assert_int_equal(exec_target_open(argv, env, 3, &t, &err), 0);
        assert_true(t.fd >= 3);
        const char *want[] = {"/bin/busybox", "sh", s2, "-a", s1, "arg1", NULL};
        for (int i = 0; want[i]; i++)
                assert_string_equal(t.argv[i], want[i]);
        assert_null(t.argv[6]);
        exec_target_free(&t);

        /* Five levels is one too many. */
        assert_int_equal(tb_run("cd %s && for i in 1 2 3 4 5; do printf '#!%s/l%%d\\n' $((i+1)) "
                                "> l$i; chmod +x l$i; done && printf '#!/bin/busybox sh\\n' > l6 "
                                "&& chmod +x l6",
                                B.dir, B.dir),
                         0);
        char l1[512];
        snprintf(l1, sizeof(l1), "%s/l1", B.dir);
        char *argv2[] = {l1, NULL};
        assert_true(exec_target_open(argv2, env, 3, &t, &err) < 0);
        exec_target_free(&t);
        assert_non_null(strstr(err.msg, "more than 4 levels of #!"));
}

/* berth's binary bound into the "container", directly and as a #! interpreter. */
static int bound_self(void *arg, struct berr *err)
{
        char fake[512], script[512], magic[512];
        char *env[] = {NULL};
        struct exec_target t;
        (void)arg;

        snprintf(fake, sizeof(fake), "%s/fake-sh", B.dir);
        snprintf(script, sizeof(script), "%s/script", B.dir);
        snprintf(magic, sizeof(magic), "%s/magic", B.dir);
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n < 0)
                return tb_fail(err, "readlink: %s", strerror(errno));
        self[n] = '\0';
        /* By its path: the magic link would name a mount of the old namespace. */
        if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0 ||
            tb_run("touch %s && printf '#!%s\\n' > %s && printf '#!/proc/self/exe\\n' > %s && "
                   "chmod +x %s %s",
                   fake, fake, script, magic, script, magic) != 0 ||
            mount(self, fake, NULL, MS_BIND, NULL) < 0)
                return tb_fail(err, "setup: %s", strerror(errno));
        char *a1[] = {fake, NULL}, *a2[] = {script, NULL}, *a3[] = {magic, NULL};
        struct berr e = {0};
        if (exec_target_open(a1, env, 3, &t, &e) == 0 || !strstr(e.msg, "CVE-2019-5736"))
                return tb_fail(err, "a bind of berth's binary was not refused: %s", e.msg);
        exec_target_free(&t);
        if (exec_target_open(a2, env, 3, &t, &e) == 0 || !strstr(e.msg, "CVE-2019-5736"))
                return tb_fail(err, "#! to berth's binary was not refused: %s", e.msg);
        exec_target_free(&t);
        if (exec_target_open(a3, env, 3, &t, &e) == 0 || !strstr(e.msg, "magic link"))
                return tb_fail(err, "#!/proc/self/exe was not refused: %s", e.msg);
        exec_target_free(&t);
        return 0;
}

static void test_refuses_own_binary(void **state)
{
        char msg[4096];
        (void)state;
        assert_int_equal(tb_in_child(bound_self, NULL, msg, sizeof(msg)), 0);
}

static int raise_hard(void *arg, struct berr *err)
{
        struct rlimit low = {256, 512};
        struct oci_rlimit rl = {RLIMIT_NOFILE, "RLIMIT_NOFILE", 4096, 1024};
        struct oci_process p;
        (void)arg;

        memset(&p, 0, sizeof(p));
        p.rlimits = &rl;
        p.n_rlimits = 1;
        if (setrlimit(RLIMIT_NOFILE, &low) < 0)
                return tb_fail(err, "setrlimit: %s", strerror(errno));
        return rlimits_apply(&p, err);
}

static void test_rlimit_needs_cap_sys_resource(void **state)
{
        char msg[4096];
        (void)state;

        if (prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE, 0, 0, 0) == 1) {
                /* Only a process without CAP_SYS_RESOURCE gets the error. */
                skip();
        }
        assert_int_equal(tb_in_child(raise_hard, NULL, msg, sizeof(msg)), 1);
        assert_non_null(strstr(msg, "rlimit RLIMIT_NOFILE: raising the hard limit from 512 to "
                                    "4096 needs CAP_SYS_RESOURCE"));
}

/* ---- a whole exec in a container ---- */

struct exec_run {
        struct oci_process proc;
        struct oci_config cfg;
        int out; /* write end for the container's stdout */
        int preserve;
};

static int do_exec(void *arg, struct berr *err)
{
        struct exec_run *x = arg;
        struct oci_mount m[2];
        struct rootfs_ctx ctx = {.cfg = &x->cfg, .bundle = B.dir, .rootfs = B.rootfs};

        m[0] = tb_mount("/proc", "proc", "proc", 0, NULL);
        x->cfg.mounts = m;
        x->cfg.n_mounts = 1;
        x->cfg.process = &x->proc;
        if (rootfs_prepare(&ctx, err) < 0 || rootfs_finish(&ctx, err) < 0)
                return -1;
        /* fd 3 is preserved, fd 9 is a leak berth must not pass on. */
        if (dup2(x->out, 1) < 0 || dup2(x->out, 3) < 0 || dup2(x->out, 9) < 0)
                return tb_fail(err, "dup2: %s", strerror(errno));
        struct process_exec_opts o = {.proc = &x->proc, .preserve_fds = x->preserve};
        return process_exec(&o, err);
}

static int run_exec(struct exec_run *x, char *out, size_t size, char *msg, size_t msgsize)
{
        int p[2];
        if (pipe(p) < 0)
                return -1;
        x->out = p[1];
        int st = tb_in_child(do_exec, x, msg, msgsize);
        close(p[1]);
        size_t n = 0;
        ssize_t r;
        while (n < size - 1 && (r = read(p[0], out + n, size - 1 - n)) > 0)
                n += (size_t)r;
        out[n] = '\0';
        close(p[0]);
        return st;
}

static void test_exec_user_caps_fds(void **state)
{
        static uint32_t gids[] = {2000, 3000};
        static char *args[] = {"sh", "-c",
                               "grep -E '^(Uid|Gid|Groups|Cap...|NoNewPrivs):' /proc/self/status; "
                               "echo umask=$(umask); echo cwd=$(pwd); "
                               "echo oom=$(cat /proc/self/oom_score_adj); "
                               "[ -e /proc/self/fd/3 ] && echo fd3=yes; "
                               "[ -e /proc/self/fd/9 ] || echo fd9=no",
                               NULL};
        static char *env[] = {"PATH=/bin", NULL};
        struct exec_run x;
        char out[8192], msg[4096];
        (void)state;

        memset(&x, 0, sizeof(x));
        x.proc.args = (struct oci_strv){args, 3};
        x.proc.env = (struct oci_strv){env, 1};
        x.proc.cwd = "/work/dir";
        x.proc.user = (struct oci_user){.uid = 1000, .gid = 1001};
        x.proc.user.additional_gids = gids;
        x.proc.user.n_additional_gids = 2;
        x.proc.user.umask = (oci_opt_u64){true, 077};
        uint64_t caps = (1ull << CAP_NET_BIND_SERVICE) | (1ull << CAP_CHOWN);
        uint64_t amb = 1ull << CAP_NET_BIND_SERVICE;
        /* A non-root user keeps across execve only what is ambient. */
        x.proc.capabilities = (struct oci_capabilities){.set = true,
                                                        .bounding = caps,
                                                        .effective = caps,
                                                        .permitted = caps,
                                                        .inheritable = amb,
                                                        .ambient = amb};
        x.proc.no_new_privileges = true;
        x.proc.oom_score_adj = (oci_opt_i64){true, 500};
        x.preserve = 1;
        assert_int_equal(run_exec(&x, out, sizeof(out), msg, sizeof(msg)), 0);
        assert_non_null(strstr(out, "Uid:\t1000\t1000\t1000\t1000"));
        assert_non_null(strstr(out, "Gid:\t1001\t1001\t1001\t1001"));
        assert_non_null(strstr(out, "Groups:\t2000 3000"));
        assert_non_null(strstr(out, "CapInh:\t0000000000000400"));
        assert_non_null(strstr(out, "CapPrm:\t0000000000000400"));
        assert_non_null(strstr(out, "CapEff:\t0000000000000400"));
        assert_non_null(strstr(out, "CapBnd:\t0000000000000401"));
        assert_non_null(strstr(out, "CapAmb:\t0000000000000400"));
        assert_non_null(strstr(out, "NoNewPrivs:\t1"));
        assert_non_null(strstr(out, "umask=0077"));
        assert_non_null(strstr(out, "cwd=/work/dir"));
        assert_non_null(strstr(out, "oom=500"));
        assert_non_null(strstr(out, "fd3=yes"));
        assert_non_null(strstr(out, "fd9=no"));
}

static void test_exec_root_keeps_caps(void **state)
{
        static char *args[] = {
            "/bin/busybox", "grep", "-E", "^(Uid|Cap...|NoNewPrivs):", "/proc/self/status", NULL};
        static char *env[] = {NULL};
        struct exec_run x;
        char out[8192], msg[4096];
        (void)state;

        memset(&x, 0, sizeof(x));
        x.proc.args = (struct oci_strv){args, 5};
        x.proc.env = (struct oci_strv){env, 0};
        uint64_t caps = (1ull << CAP_NET_BIND_SERVICE) | (1ull << CAP_CHOWN);
        x.proc.capabilities = (struct oci_capabilities){
            .set = true, .bounding = caps, .effective = caps, .permitted = caps};
        assert_int_equal(run_exec(&x, out, sizeof(out), msg, sizeof(msg)), 0);
        assert_non_null(strstr(out, "Uid:\t0\t0\t0\t0"));
        assert_non_null(strstr(out, "CapInh:\t0000000000000000"));
        assert_non_null(strstr(out, "CapPrm:\t0000000000000401"));
        assert_non_null(strstr(out, "CapEff:\t0000000000000401"));
        assert_non_null(strstr(out, "CapBnd:\t0000000000000401"));
        assert_non_null(strstr(out, "CapAmb:\t0000000000000000"));
        assert_non_null(strstr(out, "NoNewPrivs:\t0"));
}

static void test_exec_not_found_in_container(void **state)
{
        static char *args[] = {"no-such-cmd", NULL};
        static char *env[] = {"PATH=/bin:/usr/bin", NULL};
        struct exec_run x;
        char out[256], msg[4096];
        (void)state;

        memset(&x, 0, sizeof(x));
        x.proc.args = (struct oci_strv){args, 1};
        x.proc.env = (struct oci_strv){env, 1};
        x.proc.cwd = "/../../..";
        assert_int_equal(run_exec(&x, out, sizeof(out), msg, sizeof(msg)), 1);
        assert_string_equal(msg, "exec: \"no-such-cmd\": executable file not found in $PATH");
}

/* A seccomp filter that refuses execveat (EPERM), loaded before
 * process_exec: berth must still run the checked file through execve. */
static int exec_without_execveat(void *arg, struct berr *err)
{
        static char *args[] = {"/bin/busybox", "true", NULL};
        static char *env[] = {NULL};
        struct oci_process p;
        struct sock_filter f[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execveat, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
        (void)arg;

        memset(&p, 0, sizeof(p));
        p.args = (struct oci_strv){args, 2};
        p.env = (struct oci_strv){env, 0};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
                return tb_fail(err, "seccomp: %s", strerror(errno));
        struct process_exec_opts o = {.proc = &p};
        return process_exec(&o, err);
}

static void test_exec_falls_back_to_execve(void **state)
{
        char msg[4096];
        (void)state;
        assert_int_equal(tb_in_child(exec_without_execveat, NULL, msg, sizeof(msg)), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_find_executable),
            cmocka_unit_test(test_refuses_proc_self_exe),
            cmocka_unit_test(test_shebang_chain),
            cmocka_unit_test(test_refuses_own_binary),
            cmocka_unit_test(test_rlimit_needs_cap_sys_resource),
            cmocka_unit_test(test_exec_user_caps_fds),
            cmocka_unit_test(test_exec_root_keeps_caps),
            cmocka_unit_test(test_exec_not_found_in_container),
            cmocka_unit_test(test_exec_falls_back_to_execve),
        };
        if (geteuid() != 0) {
                fprintf(stderr, "test_process: skipped, needs root (namespaces, setuid)\n");
                return 0;
        }
        return cmocka_run_group_tests(tests, setup, teardown);
}
