/* Unit tests for runtime/linux/seccomp*.c on the real kernel: each test
 * builds a small profile, forks a child that loads it and makes syscalls,
 * and checks what the kernel answered (actions, operators, errno values,
 * the ENOSYS stub, architectures), plus the filter cache and a notify
 * listener that answers a syscall. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cleanup.h"
#include "json.h"
#include "seccomp.h"
#include "seccomp_internal.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

static char tmpdir[PATH_MAX];

static int setup(void **s)
{
        (void)s;
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/berth-seccomp-test.XXXXXX");
        return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **s)
{
        char cmd[PATH_MAX + 16];

        (void)s;
        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
        return system(cmd) == 0 ? 0 : -1;
}

/* ---- building profiles ---- */

#define PROFILE_CAP 8192

static struct oci_seccomp *prof_new(enum oci_seccomp_action def)
{
        struct oci_seccomp *sc = calloc(1, sizeof(*sc));

        assert_non_null(sc);
        sc->default_action = def;
        sc->syscalls = calloc(PROFILE_CAP, sizeof(*sc->syscalls));
        assert_non_null(sc->syscalls);
        return sc;
}

static void strv_set(struct oci_strv *v, const char *words)
{
        char *copy = strdup(words), *save = NULL;
        size_t n = 0;

        v->items = calloc(strlen(words) + 2, sizeof(char *));
        for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
                v->items[n++] = strdup(w);
        v->len = n;
        free(copy);
}

/* NAMES is space-separated. */
static struct oci_seccomp_syscall *prof_rule(struct oci_seccomp *sc, enum oci_seccomp_action act,
                                             const char *names)
{
        struct oci_seccomp_syscall *s;

        assert_true(sc->n_syscalls < PROFILE_CAP);
        s = &sc->syscalls[sc->n_syscalls++];
        s->action = act;
        strv_set(&s->names, names);
        return s;
}

static void rule_errno(struct oci_seccomp_syscall *s, uint64_t e)
{
        s->errno_ret.set = true;
        s->errno_ret.value = e;
}

static void rule_arg(struct oci_seccomp_syscall *s, uint32_t index, enum oci_seccomp_op op,
                     uint64_t value, uint64_t value_two)
{
        s->args = realloc(s->args, (s->n_args + 1) * sizeof(*s->args));
        s->args[s->n_args++] = (struct oci_seccomp_arg){index, value, value_two, op};
}

/* What every deny-by-default profile must allow for the child to report. */
static void allow_basics(struct oci_seccomp *sc)
{
        prof_rule(sc, OCI_SECCOMP_ALLOW, "exit_group exit write rt_sigreturn getpid");
        /* What AddressSanitizer's runtime calls in the child (all below 231). */
        prof_rule(sc, OCI_SECCOMP_ALLOW,
                  "mmap munmap mprotect madvise sigaltstack rt_sigaction rt_sigprocmask");
}

static void prof_free(struct oci_seccomp *sc)
{
        for (size_t i = 0; i < sc->n_syscalls; i++) {
                strv_free(sc->syscalls[i].names.items);
                free(sc->syscalls[i].args);
        }
        strv_free(sc->architectures.items);
        free(sc->syscalls);
        free(sc->listener_path);
        free(sc->listener_metadata);
        free(sc->json);
        free(sc);
}

/* ---- running under a filter ---- */

typedef int (*child_fn)(void *arg);

/* cmocka catches SIGSYS, SIGSEGV... to report a failed test; a forked child
 * must die of them instead of running the rest of the suite. */
static void child_default_signals(void)
{
        static const int sigs[] = {SIGSYS, SIGSEGV, SIGILL, SIGFPE, SIGBUS, SIGABRT};

        for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
                signal(sigs[i], SIG_DFL);
}

/* Fork; the child sets no_new_privs, loads SC and exits with FN's value.
 * Returns the wait status; exit 121 means the filter did not load. */
static int run_filtered(const struct oci_seccomp *sc, child_fn fn, void *arg)
{
        int status;
        pid_t pid = fork();

        assert_true(pid >= 0);
        if (pid == 0) {
                struct berr err = {0};
                int nfd;

                child_default_signals();
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        _exit(120);
                if (seccomp_apply(sc, NULL, &nfd, &err) < 0) {
                        dprintf(2, "seccomp_apply: %s\n", err.msg);
                        _exit(121);
                }
                _exit(fn(arg));
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        return status;
}

static void assert_exit(int status, int code)
{
        if (!WIFEXITED(status))
                fail_msg("child did not exit: status %#x (signal %d)", status,
                         WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        assert_int_equal(WEXITSTATUS(status), code);
}

static void assert_signal(int status, int sig)
{
        if (!WIFSIGNALED(status))
                fail_msg("child was not killed: status %#x (exit %d)", status,
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        assert_int_equal(WTERMSIG(status), sig);
}

/* The errno of a raw syscall, 0 on success (fits an exit status). */
static int errno_of(long nr, long a0)
{
        errno = 0;
        return syscall(nr, a0, 0, 0, 0, 0, 0) < 0 ? errno : 0;
}

struct call {
        long nr;
        uint64_t a0;
};

static int child_call(void *arg)
{
        const struct call *c = arg;

        return errno_of(c->nr, (long)c->a0);
}

static int call_errno(const struct oci_seccomp *sc, long nr, uint64_t a0)
{
        struct call c = {nr, a0};
        int status = run_filtered(sc, child_call, &c);

        if (!WIFEXITED(status))
                fail_msg("child died: status %#x", status);
        return WEXITSTATUS(status);
}

/* ---- actions ---- */

static void test_errno_action(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);

        (void)s;
        rule_errno(prof_rule(sc, OCI_SECCOMP_ERRNO, "getpgid"), EDOM);
        prof_rule(sc, OCI_SECCOMP_ERRNO, "getsid"); /* no errnoRet: EPERM */
        assert_int_equal(call_errno(sc, SYS_getpgid, 0), EDOM);
        assert_int_equal(call_errno(sc, SYS_getsid, 0), EPERM);
        assert_int_equal(call_errno(sc, SYS_getppid, 0), 0);
        prof_free(sc);
}

static void test_default_errno_ret(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ERRNO);

        (void)s;
        sc->default_errno_ret = (oci_opt_u64){true, EXDEV};
        allow_basics(sc);
        prof_rule(sc, OCI_SECCOMP_ALLOW, "getppid");
        assert_int_equal(call_errno(sc, SYS_getppid, 0), 0);
        assert_int_equal(call_errno(sc, SYS_getuid, 0), EXDEV);
        prof_free(sc);
}

/* Syscalls above the highest one the profile names get ENOSYS; those
 * below get the default errno. */
static void test_enosys_for_newer_syscalls(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ERRNO);

        (void)s;
        allow_basics(sc); /* highest: exit_group, 231 */
        assert_int_equal(call_errno(sc, SYS_getuid, 0), EPERM);
        assert_int_equal(call_errno(sc, SYS_clone3, 0), ENOSYS);
        assert_int_equal(call_errno(sc, SYS_openat, 0), ENOSYS);
        assert_int_equal(call_errno(sc, 1000, 0), ENOSYS);

        /* Naming fchmodat2 (452) moves the line up. */
        rule_errno(prof_rule(sc, OCI_SECCOMP_ERRNO, "fchmodat2"), EACCES);
        assert_int_equal(call_errno(sc, SYS_clone3, 0), EPERM);
        assert_int_equal(call_errno(sc, 452, 0), EACCES);
        assert_int_equal(call_errno(sc, 453, 0), ENOSYS);
        assert_int_equal(call_errno(sc, 462, 0), ENOSYS); /* mseal */
        prof_free(sc);
}

/* A default errno of ENOSYS, or a permissive default, needs no stub. */
static void test_enosys_stub_only_when_wanted(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ERRNO);
        struct seccomp_prog p = {0};
        struct seccomp_prog with_stub = {0};
        struct berr err = {0};

        (void)s;
        allow_basics(sc);
        assert_int_equal(seccomp_compile(sc, &with_stub, &err), 0);
        sc->default_errno_ret = (oci_opt_u64){true, ENOSYS};
        assert_false(seccomp_wants_enosys_stub(sc));
        assert_int_equal(seccomp_compile(sc, &p, &err), 0);
        assert_true(p.len < with_stub.len);
        assert_int_equal(call_errno(sc, SYS_getuid, 0), ENOSYS);
        sc->default_action = OCI_SECCOMP_ALLOW;
        sc->default_errno_ret.set = false;
        assert_false(seccomp_wants_enosys_stub(sc));
        sc->default_action = OCI_SECCOMP_KILL_PROCESS;
        assert_true(seccomp_wants_enosys_stub(sc));
        seccomp_prog_free(&p);
        seccomp_prog_free(&with_stub);
        prof_free(sc);
}

static volatile sig_atomic_t trapped_nr = -1;
static volatile sig_atomic_t trapped_code = -1;

static void on_sigsys(int sig, siginfo_t *info, void *uc)
{
        (void)sig;
        (void)uc;
        trapped_nr = info->si_syscall;
        trapped_code = info->si_code;
}

static int child_trap(void *arg)
{
        struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};

        (void)arg;
        sigaction(SIGSYS, &sa, NULL);
        syscall(SYS_getpgid, 0);
        return trapped_nr == SYS_getpgid && trapped_code == SYS_SECCOMP ? 0 : 1;
}

static void test_trap(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);

        (void)s;
        prof_rule(sc, OCI_SECCOMP_TRAP, "getpgid");
        assert_exit(run_filtered(sc, child_trap, NULL), 0);
        /* Without a handler, SIGSYS ends the process. */
        assert_signal(run_filtered(sc, child_call, &(struct call){SYS_getpgid, 0}), SIGSYS);
        prof_free(sc);
}

static void *thread_getpgid(void *arg)
{
        (void)arg;
        syscall(SYS_getpgid, 0);
        return NULL;
}

/* The blocked syscall runs in a second thread: KILL_THREAD ends that
 * thread only, KILL_PROCESS the whole process. */
static int child_thread_call(void *arg)
{
        pthread_t t;

        (void)arg;
        if (pthread_create(&t, NULL, thread_getpgid, NULL) != 0)
                return 2;
        pthread_join(t, NULL);
        return 0;
}

static void test_kill_actions(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);
        struct oci_seccomp_syscall *r = prof_rule(sc, OCI_SECCOMP_KILL_PROCESS, "getpgid");

        (void)s;
        assert_signal(run_filtered(sc, child_thread_call, NULL), SIGSYS);
        r->action = OCI_SECCOMP_KILL_THREAD;
        assert_exit(run_filtered(sc, child_thread_call, NULL), 0);
        r->action = OCI_SECCOMP_KILL;
        assert_exit(run_filtered(sc, child_thread_call, NULL), 0);
        assert_signal(run_filtered(sc, child_call, &(struct call){SYS_getpgid, 0}), SIGSYS);
        prof_free(sc);
}

static void test_trace_without_tracer(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);

        (void)s;
        prof_rule(sc, OCI_SECCOMP_TRACE, "getpgid");
        /* No tracer attached: the kernel fails the syscall with ENOSYS. */
        assert_int_equal(call_errno(sc, SYS_getpgid, 0), ENOSYS);
        prof_free(sc);
}

static void test_log_action_and_flags(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);

        (void)s;
        prof_rule(sc, OCI_SECCOMP_LOG, "getpgid");
        assert_int_equal(call_errno(sc, SYS_getpgid, 0), 0);
        sc->flags = OCI_SECCOMP_FLAG_LOG | OCI_SECCOMP_FLAG_SPEC_ALLOW | OCI_SECCOMP_FLAG_TSYNC;
        assert_int_equal(seccomp_load_flags(sc), SECCOMP_FILTER_FLAG_LOG |
                                                     SECCOMP_FILTER_FLAG_SPEC_ALLOW |
                                                     SECCOMP_FILTER_FLAG_TSYNC);
        assert_int_equal(call_errno(sc, SYS_getpgid, 0), 0);
        /* Default action LOG: everything allowed and logged. */
        sc->default_action = OCI_SECCOMP_LOG;
        sc->n_syscalls = 0;
        assert_int_equal(call_errno(sc, SYS_getpgid, 0), 0);
        sc->n_syscalls = 1;
        prof_free(sc);
}

/* ---- operators ---- */

struct op_case {
        enum oci_seccomp_op op;
        uint64_t value, value_two;
        uint64_t matching, other;
};

static void test_operators(void **s)
{
        static const struct op_case cases[] = {
            {OCI_SECCOMP_OP_NE, 10, 0, 11, 10},
            {OCI_SECCOMP_OP_LT, 10, 0, 9, 10},
            {OCI_SECCOMP_OP_LE, 10, 0, 10, 11},
            {OCI_SECCOMP_OP_EQ, 10, 0, 10, 9},
            {OCI_SECCOMP_OP_GE, 10, 0, 10, 9},
            {OCI_SECCOMP_OP_GT, 10, 0, 11, 10},
            {OCI_SECCOMP_OP_MASKED_EQ, 0xf0, 0x20, 0x2f, 0x3f},
            /* 64-bit values: both halves count. */
            {OCI_SECCOMP_OP_EQ, 0x100000005ull, 0, 0x100000005ull, 5},
            {OCI_SECCOMP_OP_GT, 0xffffffffull, 0, 0x100000000ull, 0xffffffffull},
            {OCI_SECCOMP_OP_MASKED_EQ, 0xff00000000ull, 0x1200000000ull, 0x12deadbeefull,
             0x13deadbeefull},
        };

        (void)s;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const struct op_case *c = &cases[i];
                struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);
                struct oci_seccomp_syscall *r = prof_rule(sc, OCI_SECCOMP_ERRNO, "getpgid");

                rule_errno(r, EDOM);
                rule_arg(r, 0, c->op, c->value, c->value_two);
                if (call_errno(sc, SYS_getpgid, c->matching) != EDOM)
                        fail_msg("case %zu: %#llx should match", i,
                                 (unsigned long long)c->matching);
                if (call_errno(sc, SYS_getpgid, c->other) == EDOM)
                        fail_msg("case %zu: %#llx should not match", i,
                                 (unsigned long long)c->other);
                prof_free(sc);
        }
}

/* Two conditions on one argument: one rule each (either matches), as runc. */
static void test_same_argument_twice(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);
        struct oci_seccomp_syscall *r = prof_rule(sc, OCI_SECCOMP_ERRNO, "getpgid");

        (void)s;
        rule_errno(r, EDOM);
        rule_arg(r, 0, OCI_SECCOMP_OP_EQ, 5, 0);
        rule_arg(r, 0, OCI_SECCOMP_OP_EQ, 7, 0);
        assert_int_equal(call_errno(sc, SYS_getpgid, 5), EDOM);
        assert_int_equal(call_errno(sc, SYS_getpgid, 7), EDOM);
        assert_int_not_equal(call_errno(sc, SYS_getpgid, 6), EDOM);
        prof_free(sc);
}

/* ---- names and architectures ---- */

static void test_unknown_syscall_names_skipped(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);

        (void)s;
        rule_errno(prof_rule(sc, OCI_SECCOMP_ERRNO, "no_such_syscall getpgid mseal"), EDOM);
        assert_int_equal(call_errno(sc, SYS_getpgid, 0), EDOM);
        prof_free(sc);
}

/* getpid through the i386 entry (int 0x80, nr 20). */
static int child_int80_getpid(void *arg)
{
        long ret = 20;

        (void)arg;
        __asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
        return ret == getpid() ? 0 : 1;
}

static void test_architectures(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ERRNO);
        struct seccomp_prog p = {0};
        struct berr err = {0};

        (void)s;
        allow_basics(sc);
        /* Only the native arch: a 32-bit syscall is a bad arch, killed. */
        assert_signal(run_filtered(sc, child_int80_getpid, NULL), SIGSYS);
        strv_set(&sc->architectures, "SCMP_ARCH_X86_64 SCMP_ARCH_X86 SCMP_ARCH_X32");
        assert_int_equal(seccomp_compile(sc, &p, &err), 0);
        /* The stub has a section for x86 and one for x86_64 with x32. */
        assert_int_equal(p.insns[0].k, offsetof(struct seccomp_data, arch));
        seccomp_prog_free(&p);
        assert_exit(run_filtered(sc, child_int80_getpid, NULL), 0);
        prof_free(sc);
}

/* ---- sizes ---- */

static void test_empty_syscalls(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);

        (void)s;
        assert_int_equal(call_errno(sc, SYS_getpgid, 0), 0);
        sc->default_action = OCI_SECCOMP_KILL_PROCESS;
        assert_signal(run_filtered(sc, child_call, &(struct call){SYS_getpgid, 0}), SIGSYS);
        prof_free(sc);
}

/* Every syscall libseccomp knows, one rule each, plus thousands of
 * argument rules: the filter either loads and works or the error says the
 * kernel's size limit was hit. */
static void test_thousands_of_rules(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ERRNO);
        struct seccomp_prog p = {0};
        struct berr err = {0};
        size_t named = 0;
        int r;

        (void)s;
        for (int nr = 0; nr < 512; nr++) {
                char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

                if (name && strcmp(name, "getpgid") != 0 && strcmp(name, "getsid") != 0) {
                        prof_rule(sc, OCI_SECCOMP_ALLOW, name);
                        named++;
                }
                free(name);
        }
        assert_true(named > 300);
        rule_errno(prof_rule(sc, OCI_SECCOMP_ERRNO, "getpgid"), EDOM);
        assert_int_equal(call_errno(sc, SYS_getpgid, 0), EDOM);
        assert_int_equal(call_errno(sc, SYS_getppid, 0), 0);

        for (int i = 0; i < 3000; i++) {
                struct oci_seccomp_syscall *rule = prof_rule(sc, OCI_SECCOMP_ERRNO, "getsid");

                rule_errno(rule, ERANGE);
                rule_arg(rule, 0, OCI_SECCOMP_OP_EQ, 1000 + i, 0);
        }
        /* 3000 argument rules share their upper-half checks: it fits. */
        assert_int_equal(call_errno(sc, SYS_getsid, 1000 + 2999), ERANGE);
        assert_int_equal(call_errno(sc, SYS_getsid, 0), EPERM); /* the default */
        assert_int_equal(call_errno(sc, SYS_getpgid, 0), EDOM);

        for (int i = 0; i < 2000; i++) {
                struct oci_seccomp_syscall *rule = prof_rule(sc, OCI_SECCOMP_ERRNO, "getsid");

                rule_errno(rule, ERANGE);
                rule_arg(rule, 0, OCI_SECCOMP_OP_EQ, 100000 + i, 0);
        }
        r = seccomp_compile(sc, &p, &err);
        if (r == 0)
                fail_msg("5000 argument rules compiled to %zu instructions", p.len);
        assert_int_equal(r, -E2BIG);
        assert_non_null(strstr(err.msg, "more than the kernel's limit of 4096"));
        prof_free(sc);
}

/* ---- invalid profiles ---- */

static void expect_invalid(struct oci_seccomp *sc, const char *needle)
{
        struct berr err = {0};

        assert_true(seccomp_prepare(sc, NULL, &err) < 0);
        if (!strstr(err.msg, needle))
                fail_msg("error \"%s\" does not mention \"%s\"", err.msg, needle);
        prof_free(sc);
}

static void test_invalid_profiles(void **s)
{
        struct oci_seccomp *sc;

        (void)s;
        expect_invalid(prof_new(OCI_SECCOMP_NOTIFY), "defaultAction");

        sc = prof_new(OCI_SECCOMP_ALLOW);
        sc->default_errno_ret = (oci_opt_u64){true, 1};
        expect_invalid(sc, "defaultErrnoRet");

        sc = prof_new(OCI_SECCOMP_ALLOW);
        rule_errno(prof_rule(sc, OCI_SECCOMP_KILL, "getpgid"), 1);
        expect_invalid(sc, "syscalls[0].errnoRet");

        sc = prof_new(OCI_SECCOMP_ALLOW);
        rule_errno(prof_rule(sc, OCI_SECCOMP_ERRNO, "getpgid"), 70000);
        expect_invalid(sc, "syscalls[0].errnoRet");

        sc = prof_new(OCI_SECCOMP_ALLOW);
        strv_set(&sc->architectures, "SCMP_ARCH_X86_64 SCMP_ARCH_PDP11");
        expect_invalid(sc, "architectures[1]");

        sc = prof_new(OCI_SECCOMP_ALLOW);
        strv_set(&sc->architectures, "x86_64");
        expect_invalid(sc, "architectures[0]");

        sc = prof_new(OCI_SECCOMP_ALLOW);
        prof_rule(sc, OCI_SECCOMP_ERRNO, "getpgid");
        rule_arg(prof_rule(sc, OCI_SECCOMP_ERRNO, "getsid"), 6, OCI_SECCOMP_OP_EQ, 1, 0);
        expect_invalid(sc, "syscalls[1].args[0].index");

        sc = prof_new(OCI_SECCOMP_ALLOW);
        rule_arg(prof_rule(sc, OCI_SECCOMP_ERRNO, "getsid"), 0, (enum oci_seccomp_op)42, 1, 0);
        expect_invalid(sc, "syscalls[0].args[0].op");

        sc = prof_new(OCI_SECCOMP_ALLOW);
        prof_rule(sc, OCI_SECCOMP_NOTIFY, "getppid");
        expect_invalid(sc, "listenerPath");

        sc = prof_new(OCI_SECCOMP_ALLOW);
        sc->listener_path = strdup("/tmp/x.sock");
        prof_rule(sc, OCI_SECCOMP_NOTIFY, "getppid write");
        expect_invalid(sc, "\"write\"");
}

/* ---- the cache ---- */

static struct oci_seccomp *cacheable_profile(const char *json)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ERRNO);

        allow_basics(sc);
        prof_rule(sc, OCI_SECCOMP_ALLOW, "getppid");
        sc->json = strdup(json);
        return sc;
}

static void cache_path(const struct oci_seccomp *sc, char *out, size_t size)
{
        uint8_t key[SHA256_PLAIN_SIZE];
        char hex[SHA256_PLAIN_HEX_SIZE];
        struct berr err = {0};

        assert_int_equal(seccomp_cache_key(sc, key, &err), 0);
        sha256_plain_hex(key, hex);
        snprintf(out, size, "%s/cache/%s.bpf", tmpdir, hex);
}

static void flip_byte(const char *path, off_t at)
{
        int fd = open(path, O_RDWR | O_CLOEXEC);
        unsigned char c;

        assert_true(fd >= 0);
        assert_int_equal(pread(fd, &c, 1, at), 1);
        c ^= 0x55;
        assert_int_equal(pwrite(fd, &c, 1, at), 1);
        close(fd);
}

static void test_cache_hit_miss_tamper(void **s)
{
        struct oci_seccomp *sc = cacheable_profile("{\"defaultAction\":\"SCMP_ACT_ERRNO\"}");
        char dir[PATH_MAX], path[PATH_MAX];
        const struct seccomp_prog *p;
        struct seccomp_prog compiled = {0};
        struct berr err = {0};
        struct stat st;

        (void)s;
        snprintf(dir, sizeof(dir), "%s/cache", tmpdir);
        cache_path(sc, path, sizeof(path));
        assert_int_equal(seccomp_compile(sc, &compiled, &err), 0);

        /* Miss: compiled and stored. */
        assert_int_equal(seccomp_prepare(sc, dir, &err), 0);
        p = seccomp_prepared_prog();
        assert_false(p->from_cache);
        assert_int_equal(stat(dir, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0700);
        assert_int_equal(stat(path, &st), 0);

        /* Hit: the same program, not compiled. */
        assert_int_equal(seccomp_prepare(sc, dir, &err), 0);
        p = seccomp_prepared_prog();
        assert_true(p->from_cache);
        assert_int_equal(p->len, compiled.len);
        assert_memory_equal(p->insns, compiled.insns, compiled.len * sizeof(*p->insns));
        assert_int_equal(p->load_flags, compiled.load_flags);
        /* A prepared program is what a forked child loads. */
        assert_int_equal(call_errno(sc, SYS_getuid, 0), EPERM);

        /* Tampered instructions: refused, recompiled, rewritten. */
        flip_byte(path, st.st_size - 3);
        {
                uint8_t key[SHA256_PLAIN_SIZE];
                struct seccomp_prog bad = {0};

                assert_int_equal(seccomp_cache_key(sc, key, &err), 0);
                assert_int_equal(seccomp_cache_load(dir, key, &bad, &err), -EBADMSG);
                assert_non_null(strstr(err.msg, "digest mismatch"));
        }
        assert_int_equal(seccomp_prepare(sc, dir, &err), 0);
        assert_false(seccomp_prepared_prog()->from_cache);
        assert_int_equal(seccomp_prepare(sc, dir, &err), 0);
        assert_true(seccomp_prepared_prog()->from_cache);

        /* Damaged header, truncation, foreign permissions: all refused. */
        flip_byte(path, 0);
        assert_int_equal(seccomp_prepare(sc, dir, &err), 0);
        assert_false(seccomp_prepared_prog()->from_cache);
        assert_int_equal(truncate(path, st.st_size - 8), 0);
        assert_int_equal(seccomp_prepare(sc, dir, &err), 0);
        assert_false(seccomp_prepared_prog()->from_cache);
        assert_int_equal(chmod(path, 0666), 0);
        {
                uint8_t key[SHA256_PLAIN_SIZE];
                struct seccomp_prog bad = {0};

                assert_int_equal(seccomp_cache_key(sc, key, &err), 0);
                assert_int_equal(seccomp_cache_load(dir, key, &bad, &err), -EBADMSG);
        }

        /* Another profile text, another key. */
        {
                struct oci_seccomp *other = cacheable_profile("{\"defaultAction\":\"x\"}");
                char other_path[PATH_MAX];

                cache_path(other, other_path, sizeof(other_path));
                assert_string_not_equal(path, other_path);
                prof_free(other);
        }
        seccomp_prog_free(&compiled);
        prof_free(sc);
}

/* Writers racing each other and a reader: the reader never sees a torn
 * or damaged file. */
static void test_cache_concurrent_writers(void **s)
{
        struct oci_seccomp *sc = cacheable_profile("{\"concurrent\":true}");
        struct seccomp_prog p = {0};
        uint8_t key[SHA256_PLAIN_SIZE];
        struct berr err = {0};
        char dir[PATH_MAX];
        pid_t writers[6];
        int bad = 0, hits = 0;

        (void)s;
        snprintf(dir, sizeof(dir), "%s/cache-race", tmpdir);
        assert_int_equal(seccomp_compile(sc, &p, &err), 0);
        assert_int_equal(seccomp_cache_key(sc, key, &err), 0);
        for (size_t i = 0; i < 6; i++) {
                writers[i] = fork();
                assert_true(writers[i] >= 0);
                if (writers[i] == 0) {
                        child_default_signals();
                        for (int n = 0; n < 200; n++)
                                if (seccomp_cache_store(dir, key, &p, &err) < 0)
                                        _exit(1);
                        _exit(0);
                }
        }
        for (int n = 0; n < 2000; n++) {
                struct seccomp_prog got = {0};
                int r = seccomp_cache_load(dir, key, &got, &err);

                if (r == 0) {
                        hits++;
                        bad += got.len != p.len ||
                               memcmp(got.insns, p.insns, p.len * sizeof(*p.insns)) != 0;
                        seccomp_prog_free(&got);
                } else if (r != -ENOENT) {
                        bad++;
                }
        }
        for (size_t i = 0; i < 6; i++) {
                int status;

                assert_int_equal(waitpid(writers[i], &status, 0), writers[i]);
                assert_exit(status, 0);
        }
        assert_int_equal(bad, 0);
        assert_true(hits > 0);
        seccomp_prog_free(&p);
        prof_free(sc);
}

static void key_for(int i, uint8_t key[SHA256_PLAIN_SIZE], char *path, size_t size, const char *dir)
{
        char hex[SHA256_PLAIN_HEX_SIZE];

        sha256_plain_digest(&i, sizeof(i), key);
        sha256_plain_hex(key, hex);
        snprintf(path, size, "%s/%s.bpf", dir, hex);
}

/* The cache keeps SECCOMP_CACHE_MAX_ENTRIES programs, dropping the least
 * recently used; a hit counts as a use. */
static void test_cache_prune(void **s)
{
        struct oci_seccomp *sc = cacheable_profile("{\"prune\":true}");
        struct seccomp_prog p = {0}, got = {0};
        uint8_t key[SHA256_PLAIN_SIZE];
        struct berr err = {0};
        char dir[PATH_MAX], path[PATH_MAX];
        int n = SECCOMP_CACHE_MAX_ENTRIES;

        (void)s;
        snprintf(dir, sizeof(dir), "%s/cache-prune", tmpdir);
        assert_int_equal(seccomp_compile(sc, &p, &err), 0);
        for (int i = 0; i < n; i++) {
                struct timespec t[2] = {{1000 + i, 0}, {1000 + i, 0}};

                key_for(i, key, path, sizeof(path), dir);
                assert_int_equal(seccomp_cache_store(dir, key, &p, &err), 0);
                assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
        }
        /* Entry 0 is the oldest, until it is used. */
        key_for(0, key, path, sizeof(path), dir);
        assert_int_equal(seccomp_cache_load(dir, key, &got, &err), 0);
        seccomp_prog_free(&got);
        for (int i = n; i < n + 3; i++) {
                key_for(i, key, path, sizeof(path), dir);
                assert_int_equal(seccomp_cache_store(dir, key, &p, &err), 0);
        }
        for (int i = 0; i < n + 3; i++) {
                bool gone = i >= 1 && i <= 3;

                key_for(i, key, path, sizeof(path), dir);
                if ((access(path, F_OK) < 0) != gone)
                        fail_msg("entry %d: expected %s", i, gone ? "pruned" : "kept");
        }
        seccomp_prog_free(&p);
        prof_free(sc);
}

static void test_sha256_vectors(void **s)
{
        static const char *const abc =
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        static const char *const empty =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        static const char *const long_msg =
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
        static const char *const million_a =
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        uint8_t d[SHA256_PLAIN_SIZE];
        char hex[SHA256_PLAIN_HEX_SIZE];
        struct sha256_plain st;
        char chunk[1001];

        (void)s;
        sha256_plain_digest("abc", 3, d);
        sha256_plain_hex(d, hex);
        assert_string_equal(hex, abc);
        sha256_plain_digest("", 0, d);
        sha256_plain_hex(d, hex);
        assert_string_equal(hex, empty);
        sha256_plain_digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
        sha256_plain_hex(d, hex);
        assert_string_equal(hex, long_msg);
        memset(chunk, 'a', sizeof(chunk));
        sha256_plain_init(&st);
        for (int i = 0; i < 1000; i++)
                sha256_plain_update(&st, chunk, i % 2 ? 999 : 1001);
        sha256_plain_final(&st, d);
        sha256_plain_hex(d, hex);
        assert_string_equal(hex, million_a);
}

/* ---- notify ---- */

struct notify_child {
        const struct oci_seccomp *sc;
};

static int child_notify(void *arg)
{
        const struct oci_seccomp *sc = ((struct notify_child *)arg)->sc;
        (void)sc;
        return 0;
}

/* The child loads a NOTIFY profile, sends its fd to our listener with
 * seccomp_send_to_listener, then calls getppid, which we answer. */
static void test_notify_listener(void **s)
{
        struct oci_seccomp *sc = prof_new(OCI_SECCOMP_ALLOW);
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        char buf[8192];
        union {
                char b[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf) - 1};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = control.b,
                            .msg_controllen = sizeof(control.b)};
        struct seccomp_notif *req = NULL;
        struct seccomp_notif_resp *resp = NULL;
        struct berr err = {0};
        yajl_val msg = NULL;
        int lsock, conn, nfd, status;
        ssize_t n;
        pid_t pid;

        (void)s;
        (void)child_notify;
        snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/listener.sock", tmpdir);
        sc->listener_path = strdup(addr.sun_path);
        sc->listener_metadata = strdup("agent \"meta\"");
        sc->flags = OCI_SECCOMP_FLAG_WAIT_KILLABLE_RECV;
        prof_rule(sc, OCI_SECCOMP_NOTIFY, "getppid");
        lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(lsock >= 0);
        assert_int_equal(bind(lsock, (struct sockaddr *)&addr, sizeof(addr)), 0);
        assert_int_equal(listen(lsock, 1), 0);

        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                char state[256];
                int fd;

                child_default_signals();
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        _exit(120);
                if (seccomp_apply(sc, NULL, &fd, &err) < 0 || fd < 0) {
                        dprintf(2, "seccomp_apply: %s\n", err.msg);
                        _exit(121);
                }
                snprintf(state, sizeof(state),
                         "{\"ociVersion\":\"1.2.1\",\"id\":\"c1\",\"status\":\"creating\","
                         "\"pid\":%d,\"bundle\":\"/b\"}",
                         (int)getpid());
                if (seccomp_send_to_listener(sc, fd, state, &err) < 0) {
                        dprintf(2, "send: %s\n", err.msg);
                        _exit(122);
                }
                close(fd);
                _exit(getppid() == 4242 ? 0 : 1);
        }

        {
                struct pollfd pfd = {.fd = lsock, .events = POLLIN};

                if (poll(&pfd, 1, 10000) != 1) {
                        kill(pid, SIGKILL);
                        waitpid(pid, &status, 0);
                        fail_msg("no connection from the child (status %#x)", status);
                }
        }
        conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
        assert_true(conn >= 0);
        n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
        assert_true(n > 0);
        buf[n] = '\0';
        assert_non_null(CMSG_FIRSTHDR(&mh));
        assert_int_equal(CMSG_FIRSTHDR(&mh)->cmsg_type, SCM_RIGHTS);
        memcpy(&nfd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));

        assert_int_equal(json_parse(buf, (size_t)n, &msg, &err), 0);
        {
                const char *fds_path[] = {"fds", NULL};
                const char *md_path[] = {"metadata", NULL};
                const char *pid_path[] = {"pid", NULL};
                const char *id_path[] = {"state", "id", NULL};
                yajl_val fds = yajl_tree_get(msg, fds_path, yajl_t_array);

                assert_non_null(fds);
                assert_int_equal(fds->u.array.len, 1);
                assert_string_equal(YAJL_GET_STRING(fds->u.array.values[0]), "seccompFd");
                assert_string_equal(YAJL_GET_STRING(yajl_tree_get(msg, md_path, yajl_t_string)),
                                    "agent \"meta\"");
                assert_int_equal(YAJL_GET_INTEGER(yajl_tree_get(msg, pid_path, yajl_t_number)),
                                 pid);
                assert_string_equal(YAJL_GET_STRING(yajl_tree_get(msg, id_path, yajl_t_string)),
                                    "c1");
        }
        yajl_tree_free(msg);

        assert_int_equal(seccomp_notify_alloc(&req, &resp), 0);
        assert_int_equal(seccomp_notify_receive(nfd, req), 0);
        assert_int_equal(req->data.nr, SYS_getppid);
        assert_int_equal(req->pid, pid);
        resp->id = req->id;
        resp->val = 4242;
        resp->error = 0;
        resp->flags = 0;
        assert_int_equal(seccomp_notify_respond(nfd, resp), 0);
        seccomp_notify_free(req, resp);

        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_exit(status, 0);
        close(nfd);
        close(conn);
        close(lsock);
        prof_free(sc);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_errno_action),
            cmocka_unit_test(test_default_errno_ret),
            cmocka_unit_test(test_enosys_for_newer_syscalls),
            cmocka_unit_test(test_enosys_stub_only_when_wanted),
            cmocka_unit_test(test_trap),
            cmocka_unit_test(test_kill_actions),
            cmocka_unit_test(test_trace_without_tracer),
            cmocka_unit_test(test_log_action_and_flags),
            cmocka_unit_test(test_operators),
            cmocka_unit_test(test_same_argument_twice),
            cmocka_unit_test(test_unknown_syscall_names_skipped),
            cmocka_unit_test(test_architectures),
            cmocka_unit_test(test_empty_syscalls),
            cmocka_unit_test(test_thousands_of_rules),
            cmocka_unit_test(test_invalid_profiles),
            cmocka_unit_test(test_cache_hit_miss_tamper),
            cmocka_unit_test(test_cache_concurrent_writers),
            cmocka_unit_test(test_cache_prune),
            cmocka_unit_test(test_sha256_vectors),
            cmocka_unit_test(test_notify_listener),
        };

        if (getenv("TEST_FILTER"))
                cmocka_set_test_filter(getenv("TEST_FILTER"));
        return cmocka_run_group_tests(tests, setup, teardown);
}
