/* The cgroup commands (pause, resume, events) against a stand-in container:
 * a state directory whose init is a child born in a real cgroup with
 * clone3(CLONE_INTO_CGROUP). Needs root and a cgroup2 mount (else skips).
 * Also the Go duration parser of --interval. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>

#include <cmocka.h>

#include "cgroup_internal.h"
#include "cgroup_target.h"
#include "cleanup.h"
#include "commands.h"
#include "json.h"
#include "state.h"

static char root[256];
static char base[128];
static struct cgroup_hier hier;
static struct global_opts g;

static int setup(void **s)
{
        struct berr err = {0};
        (void)s;
        snprintf(root, sizeof(root), "/tmp/berth-cgcmd-test.XXXXXX");
        if (!mkdtemp(root))
                return -1;
        snprintf(base, sizeof(base), "/berth-cmdtest-%d", (int)getpid());
        if (geteuid() != 0 || cgroup_hier_find(&hier, &err) < 0)
                hier.mount[0] = '\0';
        g.root = root;
        g.cgroup_manager = "cgroupfs";
        return 0;
}

static int teardown(void **s)
{
        char cmd[600];
        (void)s;
        if (hier.mount[0]) {
                snprintf(cmd, sizeof(cmd), "%s%s", hier.mount, base);
                rmdir(cmd);
        }
        snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
        return system(cmd) == 0 ? 0 : -1;
}

static int run_cmd(int (*fn)(const struct global_opts *, int, char **, struct berr *),
                   struct berr *err, ...)
{
        char *argv[8];
        int argc = 0;
        va_list ap;

        va_start(ap, err);
        for (char *a; (a = va_arg(ap, char *)) && argc < 7;)
                argv[argc++] = a;
        va_end(ap);
        argv[argc] = NULL;
        optind = 0;
        berr_clear(err);
        return fn(&g, argc, argv, err);
}

struct fake {
        struct berth_cgroup *cg;
        pid_t pid;
        struct state_dir sd;
};

/* A "running" container ID whose init spins for LIFE_MS (0 = forever). */
static void fake_container(struct fake *f, const char *id, long life_ms)
{
        struct berr err = {0};
        char path[256];
        struct cgroup_opts o = {"cgroupfs", path, id};
        struct container_state st = {0};
        struct clone_args args;

        snprintf(path, sizeof(path), "%s/%s", base, id);
        if (cgroup_create(&o, NULL, &f->cg, &err) < 0)
                fail_msg("%s", err.msg);
        memset(&args, 0, sizeof(args));
        args.flags = CLONE_INTO_CGROUP;
        args.exit_signal = SIGCHLD;
        args.cgroup = (uint64_t)cgroup_dirfd(f->cg);
        long pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid == 0) {
                struct timespec t0, t;
                clock_gettime(CLOCK_MONOTONIC, &t0);
                for (;;) {
                        clock_gettime(CLOCK_MONOTONIC, &t);
                        if (life_ms &&
                            (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >
                                life_ms)
                                _exit(0);
                }
        }
        assert_true(pid > 0);
        f->pid = (pid_t)pid;
        snprintf(st.id, sizeof(st.id), "%s", id);
        st.status = CONTAINER_RUNNING;
        st.pid = f->pid;
        assert_int_equal(proc_stat_start_time(f->pid, &st.start_time, NULL), 0);
        snprintf(st.cgroup_path, sizeof(st.cgroup_path), "%s", cgroup_fs_path(f->cg));
        f->sd = (struct state_dir)STATE_DIR_INIT;
        assert_int_equal(state_create(root, &st, &f->sd, &err), 0);
        assert_int_equal(state_write(&f->sd, &st, &err), 0);
        state_close(&f->sd); /* drop the lock, like a created container */
}

static void fake_remove(struct fake *f, const char *id)
{
        struct berr err = {0};

        cgroup_freeze(f->cg, false, &err);
        kill(f->pid, SIGKILL);
        waitpid(f->pid, NULL, 0);
        assert_int_equal(cgroup_destroy(f->cg, &err), 0);
        cgroup_free(f->cg);
        assert_int_equal(state_open(root, id, STATE_LOCK_EXCLUSIVE, &f->sd, &err), 0);
        assert_int_equal(state_remove(&f->sd, &err), 0);
}

static void test_pause_resume(void **s)
{
        struct berr err = {0};
        struct fake f;
        struct cgroup_target t;
        (void)s;
        if (!hier.mount[0])
                skip();

        fake_container(&f, "p1", 0);
        assert_int_equal(run_cmd(cmd_resume, &err, "resume", "p1", NULL), -EINVAL);
        assert_non_null(strstr(err.msg, "is not paused (status running)"));
        assert_int_equal(run_cmd(cmd_pause, &err, "pause", "p1", NULL), 0);
        assert_int_equal(cgroup_target_open(root, "p1", &t, &err), 0);
        assert_int_equal(t.status, CONTAINER_PAUSED);
        cgroup_target_close(&t);
        /* the busy init really stopped running: its cpu time stands still */
        char stat[64];
        unsigned long long u1, u2;
        snprintf(stat, sizeof(stat), "/proc/%d/stat", (int)f.pid);
        FILE *fp = fopen(stat, "re");
        assert_non_null(fp);
        assert_int_equal(
            fscanf(fp, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu", &u1), 1);
        fclose(fp);
        usleep(200000);
        fp = fopen(stat, "re");
        assert_int_equal(
            fscanf(fp, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu", &u2), 1);
        fclose(fp);
        assert_true(u2 - u1 <= 1);
        assert_int_equal(run_cmd(cmd_pause, &err, "pause", "p1", NULL), -EINVAL);
        assert_non_null(strstr(err.msg, "already paused"));
        assert_int_equal(run_cmd(cmd_resume, &err, "resume", "p1", NULL), 0);
        assert_int_equal(cgroup_target_open(root, "p1", &t, &err), 0);
        assert_int_equal(t.status, CONTAINER_RUNNING);
        cgroup_target_close(&t);
        assert_true(run_cmd(cmd_pause, &err, "pause", NULL) < 0);
        assert_true(run_cmd(cmd_pause, &err, "pause", "nosuch", NULL) < 0);
        assert_non_null(strstr(err.msg, "does not exist"));
        fake_remove(&f, "p1");
}

/* Run FN with stdout going to a temp file; returns the output (malloc'd). */
static char *capture(int (*fn)(const struct global_opts *, int, char **, struct berr *),
                     struct berr *err, int *ret, const char *a0, const char *a1, const char *a2,
                     const char *a3)
{
        char tmpl[] = "/tmp/berth-cgcmd-out.XXXXXX";
        int fd = mkstemp(tmpl);
        int saved = dup(1);
        char *buf = calloc(1, 1 << 16);

        unlink(tmpl);
        fflush(stdout);
        dup2(fd, 1);
        *ret = run_cmd(fn, err, a0, a1, a2, a3, NULL);
        fflush(stdout);
        dup2(saved, 1);
        close(saved);
        assert_true(pread(fd, buf, (1 << 16) - 1, 0) >= 0);
        close(fd);
        return buf;
}

static void test_events(void **s)
{
        struct berr err = {0};
        struct fake f;
        int r;
        (void)s;
        if (!hier.mount[0])
                skip();

        fake_container(&f, "e1", 0);
        _cleanup_free_ char *out = capture(cmd_events, &err, &r, "events", "--stats", "e1", NULL);
        assert_int_equal(r, 0);
        assert_non_null(strstr(out, "{\"type\":\"stats\",\"id\":\"e1\",\"data\":{\"cpu\":{"));
        assert_non_null(strstr(out, "\"throttling\":{"));
        assert_int_equal(strchr(out, '\n')[1], '\0'); /* one line */
        yajl_val v = NULL;
        if (json_parse(out, strlen(out), &v, &err) < 0)
                fail_msg("not JSON: %s: %s", err.msg, out);
        const char *cpu_path[] = {"data", "cpu", "usage", "total", NULL};
        assert_true(YAJL_IS_INTEGER(yajl_tree_get(v, cpu_path, yajl_t_number)));
        yajl_tree_free(v);
        fake_remove(&f, "e1");

        /* streaming: a line every 50ms until the init exits after ~400ms (loose
         * bounds: the host may be busy) */
        fake_container(&f, "e2", 400);
        _cleanup_free_ char *lines =
            capture(cmd_events, &err, &r, "events", "--interval", "50ms", "e2");
        assert_int_equal(r, 0);
        int n = 0;
        for (char *p = lines; (p = strstr(p, "\"type\":\"stats\"")); p++)
                n++;
        if (n < 2 || n > 40)
                fail_msg("%d stats lines in 400 ms at 50 ms intervals", n);
        fake_remove(&f, "e2");

        assert_true(run_cmd(cmd_events, &err, "events", "--interval", "5x", "e2", NULL) < 0);
        assert_non_null(strstr(err.msg, "invalid duration"));
}

/* A child of the container's cgroup opens PATH: 0 or errno. */
static int open_in(const struct berth_cgroup *cg, const char *path, int flags)
{
        struct clone_args args;
        int status;

        memset(&args, 0, sizeof(args));
        args.flags = CLONE_INTO_CGROUP;
        args.exit_signal = SIGCHLD;
        args.cgroup = (uint64_t)cgroup_dirfd(cg);
        long pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid == 0) {
                int fd = open(path, flags | O_CLOEXEC);
                _exit(fd < 0 ? errno : 0);
        }
        assert_true(pid > 0);
        waitpid((pid_t)pid, &status, 0);
        return WEXITSTATUS(status);
}

static void test_update(void **s)
{
        struct berr err = {0};
        struct fake f;
        char file[300];
        uint32_t count = 0;
        _cleanup_free_ char *avail = NULL;
        (void)s;
        if (!hier.mount[0])
                skip();

        fake_container(&f, "u1", 0);
        /* the default program: /dev/kmsg (1:11) is not in the standard set */
        assert_int_equal(open_in(f.cg, "/dev/kmsg", O_WRONLY), EPERM);
        snprintf(file, sizeof(file), "%s/res.json", root);
        FILE *fp = fopen(file, "we");
        fputs("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
              "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"w\"}]}",
              fp);
        fclose(fp);
        if (run_cmd(cmd_update, &err, "update", "--resources", file, "u1", NULL) < 0)
                fail_msg("%s", err.msg);
        assert_int_equal(open_in(f.cg, "/dev/kmsg", O_WRONLY), 0);
        assert_int_equal(open_in(f.cg, "/dev/kmsg", O_RDONLY), EPERM);
        assert_int_equal(cgroup_devices_count(cgroup_dirfd(f.cg), &count, &err), 0);
        assert_int_equal(count, 1);

        /* a limit whose controller this host lacks: a clear error, nothing written */
        int rootfd = open(hier.mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(cgroup_read(rootfd, "cgroup.controllers", &avail, &err), 0);
        close(rootfd);
        if (!cgroup_list_has(avail, "pids")) {
                assert_true(run_cmd(cmd_update, &err, "update", "--pids-limit", "10", "u1", NULL) <
                            0);
                assert_non_null(strstr(err.msg,
                                       "cannot apply linux.resources.pids: the pids controller is "
                                       "not available on the cgroup v2 hierarchy"));
        }
        assert_true(run_cmd(cmd_update, &err, "update", "--memory", "12x", "u1", NULL) < 0);
        assert_non_null(strstr(err.msg, "invalid size 12x"));
        assert_true(run_cmd(cmd_update, &err, "update", "u1", NULL) < 0);
        assert_non_null(strstr(err.msg, "nothing to update"));
        assert_true(run_cmd(cmd_update, &err, "update", "--cpu-shares", "1", "u1", NULL) < 0);
        assert_non_null(strstr(err.msg, "shares: 1 is out of range"));
        fake_remove(&f, "u1");
}

static void test_bytes(void **s)
{
        struct berr err = {0};
        int64_t v;
        (void)s;

        assert_int_equal(parse_update_bytes("-1", &v, &err), 0);
        assert_int_equal(v, -1);
        assert_int_equal(parse_update_bytes("1024", &v, &err), 0);
        assert_int_equal(v, 1024);
        assert_int_equal(parse_update_bytes("64m", &v, &err), 0);
        assert_int_equal(v, 64 << 20);
        assert_int_equal(parse_update_bytes("1.5G", &v, &err), 0);
        assert_int_equal(v, 3ll << 29);
        assert_int_equal(parse_update_bytes("2MiB", &v, &err), 0);
        assert_int_equal(v, 2 << 20);
        assert_int_equal(parse_update_bytes("10kb", &v, &err), 0);
        assert_int_equal(v, 10240);
        assert_true(parse_update_bytes("-2", &v, &err) < 0);
        assert_true(parse_update_bytes("m", &v, &err) < 0);
        assert_true(parse_update_bytes("5q", &v, &err) < 0);
}

static void test_duration(void **s)
{
        struct berr err = {0};
        uint64_t ns;
        (void)s;

        assert_int_equal(parse_go_duration("5s", &ns, &err), 0);
        assert_int_equal(ns, 5000000000ull);
        assert_int_equal(parse_go_duration("100ms", &ns, &err), 0);
        assert_int_equal(ns, 100000000ull);
        assert_int_equal(parse_go_duration("1m30s", &ns, &err), 0);
        assert_int_equal(ns, 90000000000ull);
        assert_int_equal(parse_go_duration("1.5h", &ns, &err), 0);
        assert_int_equal(ns, 5400000000000ull);
        assert_int_equal(parse_go_duration("250us", &ns, &err), 0);
        assert_int_equal(ns, 250000ull);
        assert_true(parse_go_duration("5", &ns, &err) < 0);
        assert_true(parse_go_duration("", &ns, &err) < 0);
        assert_true(parse_go_duration("-1s", &ns, &err) < 0);
        assert_true(parse_go_duration("s", &ns, &err) < 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_duration), cmocka_unit_test(test_pause_resume),
            cmocka_unit_test(test_events),   cmocka_unit_test(test_update),
            cmocka_unit_test(test_bytes),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
