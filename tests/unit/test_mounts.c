/* rootfs_prepare/rootfs_finish on a real kernel: each test forks a child in
 * new namespaces, builds the container's filesystem from a busybox rootfs
 * and checks the result from inside (stat, statfs, /proc/self/mountinfo). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include "rootfs.h"

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif
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

struct run {
        struct oci_config cfg;
        struct rootfs_ctx ctx;
        int (*check)(struct run *r, struct berr *err);
        bool prepare_only;
};

static int do_rootfs(void *arg, struct berr *err)
{
        struct run *r = arg;
        r->ctx.cfg = &r->cfg;
        r->ctx.bundle = B.dir;
        r->ctx.rootfs = B.rootfs;
        if (rootfs_prepare(&r->ctx, err) < 0)
                return -1;
        if (!r->prepare_only) {
                if (rootfs_finish(&r->ctx, err) < 0 || linux_set_uts_names(&r->cfg, err) < 0 ||
                    linux_apply_sysctl(&r->cfg, err) < 0)
                        return -1;
        }
        return r->check ? r->check(r, err) : 0;
}

static int run_child(struct run *r, char *msg, size_t size)
{
        return tb_in_child(do_rootfs, r, msg, size);
}

static bool fs_is(const char *path, long magic)
{
        struct statfs sf;
        return statfs(path, &sf) == 0 && (long)sf.f_type == magic;
}

static bool is_ro(const char *path)
{
        struct statvfs sv;
        return statvfs(path, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

static bool is_chr(const char *path, unsigned ma, unsigned mi)
{
        struct stat st;
        return stat(path, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(ma, mi);
}

static bool link_is(const char *path, const char *target)
{
        char buf[256];
        ssize_t n = readlink(path, buf, sizeof(buf) - 1);
        if (n < 0)
                return false;
        buf[n] = '\0';
        return strcmp(buf, target) == 0;
}

/* ---- the layout of runc's default config ---- */

static int check_default(struct run *r, struct berr *err)
{
        char buf[256];
        struct stat st;
        (void)r;

        if (!is_chr("/dev/null", 1, 3) || stat("/dev/null", &st) < 0 ||
            (st.st_mode & 07777) != 0666)
                return tb_fail(err, "/dev/null is not a 0666 char 1:3");
        if (!is_chr("/dev/zero", 1, 5) || !is_chr("/dev/urandom", 1, 9) ||
            !is_chr("/dev/tty", 5, 0))
                return tb_fail(err, "a default device is missing");
        if (!link_is("/dev/fd", "/proc/self/fd") || !link_is("/dev/stdin", "/proc/self/fd/0") ||
            !link_is("/dev/stderr", "/proc/self/fd/2") || !link_is("/dev/ptmx", "pts/ptmx"))
                return tb_fail(err, "a /dev symlink is wrong");
        if (!fs_is("/proc", PROC_SUPER_MAGIC) || !fs_is("/dev", TMPFS_MAGIC) ||
            !fs_is("/dev/pts", DEVPTS_SUPER_MAGIC) || !fs_is("/dev/shm", TMPFS_MAGIC) ||
            !fs_is("/dev/mqueue", MQUEUE_MAGIC) || !fs_is("/sys", SYSFS_MAGIC) ||
            !fs_is("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC))
                return tb_fail(err, "a filesystem is not mounted where it should be");
        if (!is_ro("/sys") || !is_ro("/sys/fs/cgroup") || is_ro("/dev/shm") || is_ro("/"))
                return tb_fail(err, "read-only flags are wrong");
        if (!is_chr("/proc/keys", 1, 3))
                return tb_fail(err, "/proc/keys is not masked with /dev/null");
        if (!fs_is("/sys/firmware", TMPFS_MAGIC) || !is_ro("/sys/firmware"))
                return tb_fail(err, "/sys/firmware is not masked with a read-only tmpfs");
        if (open("/proc/sys/kernel/hostname", O_WRONLY | O_CLOEXEC) >= 0 || errno != EROFS)
                return tb_fail(err, "/proc/sys is writable");
        if (open("/proc/timer_list", O_WRONLY | O_CLOEXEC) >= 0 || errno != EROFS)
                return tb_fail(err, "/proc/timer_list is writable (%s)", strerror(errno));
        if (gethostname(buf, sizeof(buf)) < 0 || strcmp(buf, "berthhost") != 0)
                return tb_fail(err, "hostname is %s", buf);
        if (getdomainname(buf, sizeof(buf)) < 0 || strcmp(buf, "viasysctl") != 0)
                return tb_fail(err, "domainname (from the sysctl) is %s", buf);
        if (!getcwd(buf, sizeof(buf)) || strcmp(buf, "/") != 0)
                return tb_fail(err, "cwd is %s", buf);
        if (access("/bin/busybox", X_OK) < 0)
                return tb_fail(err, "not inside the rootfs");
        /* The old root is gone from the mount table. */
        FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[1024];
        int n = 0;
        while (f && fgets(line, sizeof(line), f)) {
                char mp[512];
                if (sscanf(line, "%*d %*d %*s %*s %511s", mp) == 1 && strstr(mp, "berth-ut-"))
                        n++;
        }
        if (f)
                fclose(f);
        if (n != 0)
                return tb_fail(err, "host paths still in mountinfo");
        return 0;
}

static void default_config(struct run *r, struct oci_mount *m, size_t *nm)
{
        static char *masked[] = {"/proc/keys", "/sys/firmware", "/proc/no-such-thing", NULL};
        static char *ro[] = {"/proc/sys", "/proc/timer_list", NULL};
        static struct oci_kv sysctl[] = {{"kernel.domainname", "viasysctl"}};
        static struct oci_namespace ns[] = {{OCI_NS_UTS, CLONE_NEWUTS, NULL}};
        size_t n = 0;

        m[n++] = tb_mount("/proc", "proc", "proc", 0, NULL);
        m[n++] =
            tb_mount("/dev", "tmpfs", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
        m[n++] = tb_mount("/dev/pts", "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
                          "newinstance,ptmxmode=0666,mode=0620,gid=5");
        m[n++] = tb_mount("/dev/shm", "tmpfs", "shm", MS_NOSUID | MS_NOEXEC | MS_NODEV,
                          "mode=1777,size=65536k");
        m[n++] =
            tb_mount("/dev/mqueue", "mqueue", "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL);
        m[n++] =
            tb_mount("/sys", "sysfs", "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, NULL);
        m[n++] = tb_mount("/sys/fs/cgroup", "cgroup", "cgroup",
                          MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY, NULL);
        *nm = n;
        memset(r, 0, sizeof(*r));
        r->cfg.mounts = m;
        r->cfg.n_mounts = n;
        r->cfg.hostname = "berthhost";
        r->cfg.lnx.masked_paths = (struct oci_strv){masked, 3};
        r->cfg.lnx.readonly_paths = (struct oci_strv){ro, 2};
        r->cfg.lnx.sysctl = (struct oci_kv_list){sysctl, 1};
        r->cfg.lnx.namespaces = ns;
        r->cfg.lnx.n_namespaces = 1;
}

static void test_default_layout(void **state)
{
        struct oci_mount m[16];
        struct run r;
        size_t n;
        char msg[4096];
        (void)state;

        default_config(&r, m, &n);
        r.check = check_default;
        assert_int_equal(run_child(&r, msg, sizeof(msg)), 0);
        assert_string_equal(msg, "");
}

static void test_no_pivot(void **state)
{
        struct oci_mount m[16];
        struct run r;
        size_t n;
        char msg[4096];
        (void)state;

        default_config(&r, m, &n);
        r.ctx.no_pivot = true;
        r.check = check_default;
        assert_int_equal(run_child(&r, msg, sizeof(msg)), 0);
        assert_string_equal(msg, "");
}

static int check_readonly_root(struct run *r, struct berr *err)
{
        (void)r;
        if (!is_ro("/") || is_ro("/dev"))
                return tb_fail(err, "root.readonly not applied as asked");
        if (mkdir("/newdir", 0755) == 0 || errno != EROFS)
                return tb_fail(err, "could create a directory in a read-only root");
        return 0;
}

static void test_readonly_root_rshared(void **state)
{
        struct oci_mount m[16];
        struct run r;
        size_t n;
        char msg[4096];
        (void)state;

        default_config(&r, m, &n);
        r.cfg.root.readonly = true;
        r.cfg.lnx.rootfs_propagation = MS_SHARED | MS_REC;
        r.check = check_readonly_root;
        assert_int_equal(run_child(&r, msg, sizeof(msg)), 0);
        assert_string_equal(msg, "");
}

/* ---- bind mounts ---- */

static int check_binds(struct run *r, struct berr *err)
{
        struct statvfs sv;
        char buf[64] = "";
        (void)r;

        if (statvfs("/mnt/data", &sv) < 0 || !(sv.f_flag & ST_RDONLY) || !(sv.f_flag & ST_NOSUID) ||
            !(sv.f_flag & ST_NODEV))
                return tb_fail(err, "bind ro,nosuid,nodev flags missing");
        if (access("/mnt/data/file", R_OK) < 0)
                return tb_fail(err, "bind content missing");
        if (!fs_is("/mnt/rdata/sub", TMPFS_MAGIC) || !is_ro("/mnt/rdata/sub") ||
            !is_ro("/mnt/rdata"))
                return tb_fail(err, "rbind + rro did not reach the submount");
        if (!fs_is("/mnt/plain/sub", TMPFS_MAGIC) == false && is_ro("/mnt/plain"))
                return tb_fail(err, "plain bind became read-only");
        int fd = open("/etc/hosts", O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
            read(fd, buf, sizeof(buf) - 1) < 0 || strncmp(buf, "127.0.0.1 berth", 15) != 0)
                return tb_fail(err, "file bind of /etc/hosts wrong");
        close(fd);
        return 0;
}

static int prepare_submount(void *arg, struct berr *err)
{
        char sub[512];
        snprintf(sub, sizeof(sub), "%s/data/sub", B.dir);
        if (mount("tmpfs", sub, "tmpfs", 0, NULL) < 0)
                return tb_fail(err, "mount sub: %s", strerror(errno));
        return do_rootfs(arg, err);
}

static void test_bind_flags(void **state)
{
        struct oci_mount m[8];
        struct run r;
        char msg[4096];
        (void)state;

        assert_int_equal(tb_run("mkdir -p %s/data/sub && touch %s/data/file && "
                                "echo '127.0.0.1 berth' > %s/hosts",
                                B.dir, B.dir, B.dir),
                         0);
        memset(&r, 0, sizeof(r));
        m[0] = tb_mount("/mnt/data", "bind", "data", MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
        m[1] = tb_mount("/mnt/rdata", "bind", "data", 0, NULL);
        m[1].parsed.recursive = true;
        m[1].parsed.attr_set = MOUNT_ATTR_RDONLY;
        m[2] = tb_mount("/mnt/plain", "none", "data", 0, NULL);
        m[2].parsed.bind = true;
        m[3] = tb_mount("/etc/hosts", "bind", "hosts", 0, NULL);
        m[4] = tb_mount("/proc", "proc", "proc", 0, NULL);
        r.cfg.mounts = m;
        r.cfg.n_mounts = 5;
        r.check = check_binds;
        assert_int_equal(tb_in_child(prepare_submount, &r, msg, sizeof(msg)), 0);
        assert_string_equal(msg, "");
}

/* ---- hostile rootfs: symlinks, "..", fake devices ---- */

static int check_outside_untouched(struct run *r, struct berr *err)
{
        char p[600];
        (void)r;
        /* Still before pivot_root: host paths are visible here. */
        snprintf(p, sizeof(p), "%s/outside", B.dir);
        struct stat in, out;
        if (stat(p, &out) < 0 || stat(B.dir, &in) < 0 || out.st_dev != in.st_dev)
                return tb_fail(err, "the host directory behind the symlink got a mount");
        snprintf(p, sizeof(p), "%s/outside/null", B.dir);
        if (access(p, F_OK) == 0)
                return tb_fail(err, "a device node was created outside the rootfs");
        snprintf(p, sizeof(p), "%s%s/outside", B.rootfs, B.dir);
        if (!fs_is(p, TMPFS_MAGIC))
                return tb_fail(err, "the mount did not land inside the rootfs (%s)", p);
        snprintf(p, sizeof(p), "%s/escaped", B.rootfs);
        if (!fs_is(p, TMPFS_MAGIC))
                return tb_fail(err, "a destination with .. did not land inside the rootfs");
        snprintf(p, sizeof(p), "%s/escaped", B.dir);
        if (access(p, F_OK) == 0)
                return tb_fail(err, "a destination with .. escaped the rootfs");
        return 0;
}

static void test_symlinked_target_stays_inside(void **state)
{
        struct oci_mount m[4];
        struct run r;
        char msg[4096];
        (void)state;

        /* The same path exists inside the rootfs: the symlink must resolve there. */
        assert_int_equal(tb_run("mkdir -p %s/outside %s%s/outside && ln -sfn %s/outside %s/evil",
                                B.dir, B.rootfs, B.dir, B.dir, B.rootfs),
                         0);
        memset(&r, 0, sizeof(r));
        m[0] = tb_mount("/evil", "tmpfs", "tmpfs", 0, NULL);
        m[1] = tb_mount("/../../../../../escaped", "tmpfs", "tmpfs", 0, NULL);
        r.cfg.mounts = m;
        r.cfg.n_mounts = 2;
        r.prepare_only = true;
        r.check = check_outside_untouched;
        assert_int_equal(run_child(&r, msg, sizeof(msg)), 0);
        assert_string_equal(msg, "");
        tb_run("rm -f %s/evil", B.rootfs);
}

static void test_dev_symlink_stays_inside(void **state)
{
        struct oci_mount m[4];
        struct run r;
        char msg[4096];
        (void)state;

        /* rootfs/dev -> <host>/outside: /dev's tmpfs and nodes must land in
         * rootfs/<host>/outside, and the host directory stay empty. */
        assert_int_equal(tb_run("mkdir -p %s/outside %s%s/outside && mv %s/dev %s/dev.real && "
                                "ln -s %s/outside %s/dev && mkdir -p %s/escaped",
                                B.dir, B.rootfs, B.dir, B.rootfs, B.rootfs, B.dir, B.rootfs,
                                B.rootfs),
                         0);
        memset(&r, 0, sizeof(r));
        m[0] = tb_mount("/../escaped", "tmpfs", "tmpfs", 0, NULL);
        r.cfg.mounts = m;
        r.cfg.n_mounts = 1;
        r.prepare_only = true;
        r.check = check_outside_untouched;
        int st = run_child(&r, msg, sizeof(msg));
        tb_run("rm -f %s/dev && mv %s/dev.real %s/dev", B.rootfs, B.rootfs, B.rootfs);
        assert_int_equal(st, 0);
        assert_string_equal(msg, "");
}

static int check_dangling(struct run *r, struct berr *err)
{
        char p[600];
        (void)r;
        snprintf(p, sizeof(p), "%s/hostonly", B.dir);
        if (access(p, F_OK) == 0)
                return tb_fail(err, "the symlink's target was created on the host");
        snprintf(p, sizeof(p), "%s%s/hostonly/sub", B.rootfs, B.dir);
        if (!fs_is(p, TMPFS_MAGIC))
                return tb_fail(err, "the mount did not land at the symlink's target inside");
        return 0;
}

static void test_dangling_symlink_target_created_inside(void **state)
{
        struct oci_mount m[2];
        struct run r;
        char msg[4096];
        (void)state;

        /* A dangling symlink (its target exists nowhere): the target is
         * created inside the rootfs, as runc's securejoin does. */
        assert_int_equal(tb_run("ln -sfn %s/hostonly %s/dangling", B.dir, B.rootfs), 0);
        memset(&r, 0, sizeof(r));
        m[0] = tb_mount("/dangling/sub", "tmpfs", "tmpfs", 0, NULL);
        r.cfg.mounts = m;
        r.cfg.n_mounts = 1;
        r.prepare_only = true;
        r.check = check_dangling;
        int st = run_child(&r, msg, sizeof(msg));
        tb_run("rm -f %s/dangling", B.rootfs);
        assert_int_equal(st, 0);
        assert_string_equal(msg, "");
}

static void test_proc_on_symlink_refused(void **state)
{
        struct oci_mount m[2];
        struct run r;
        char msg[4096];
        (void)state;

        assert_int_equal(
            tb_run("mv %s/proc %s/proc.real && ln -s tmp %s/proc", B.rootfs, B.rootfs, B.rootfs),
            0);
        memset(&r, 0, sizeof(r));
        m[0] = tb_mount("/proc", "proc", "proc", 0, NULL);
        r.cfg.mounts = m;
        r.cfg.n_mounts = 1;
        int st = run_child(&r, msg, sizeof(msg));
        tb_run("rm -f %s/proc && mv %s/proc.real %s/proc", B.rootfs, B.rootfs, B.rootfs);
        assert_int_equal(st, 1);
        assert_non_null(strstr(msg, "mount proc on /proc: the destination is a symlink"));
}

static void test_fake_devnull_refused(void **state)
{
        static char *masked[] = {"/proc/keys", NULL};
        struct oci_mount m[3];
        struct run r;
        char msg[4096];
        (void)state;

        assert_int_equal(tb_run("mkdir -p %s/fakedev && echo fake > %s/fakedev/null", B.dir, B.dir),
                         0);
        memset(&r, 0, sizeof(r));
        m[0] = tb_mount("/proc", "proc", "proc", 0, NULL);
        m[1] = tb_mount("/dev", "bind", "fakedev", 0, NULL);
        r.cfg.mounts = m;
        r.cfg.n_mounts = 2;
        r.cfg.lnx.masked_paths = (struct oci_strv){masked, 1};
        assert_int_equal(run_child(&r, msg, sizeof(msg)), 1);
        assert_non_null(strstr(msg, "is not the null device"));
}

/* ---- tmpcopyup, devices ---- */

static int check_copyup_devices(struct run *r, struct berr *err)
{
        struct stat st;
        char buf[32] = "";
        (void)r;

        if (!fs_is("/etc", TMPFS_MAGIC))
                return tb_fail(err, "/etc is not a tmpfs");
        int fd = open("/etc/motd", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0 || strncmp(buf, "hello", 5) != 0)
                return tb_fail(err, "tmpcopyup lost /etc/motd");
        close(fd);
        if (lstat("/etc/link", &st) < 0 || !S_ISLNK(st.st_mode) || stat("/etc/sub/deep", &st) < 0 ||
            (st.st_mode & 07777) != 0600)
                return tb_fail(err, "tmpcopyup lost a symlink or a nested file mode");
        if (stat("/dev/mynull", &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3) ||
            (st.st_mode & 07777) != 0600 || st.st_uid != 1000 || st.st_gid != 1001)
                return tb_fail(err, "linux.devices /dev/mynull wrong");
        if (stat("/dev/net/tun", &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(10, 200))
                return tb_fail(err, "linux.devices /dev/net/tun wrong");
        if (stat("/dev/console", &st) < 0 || !S_ISREG(st.st_mode))
                return tb_fail(err, "no /dev/console target with a terminal");
        if (!fs_is("/dev", TMPFS_MAGIC))
                return tb_fail(err, "/dev is not berth's tmpfs");
        return 0;
}

static void test_tmpcopyup_and_devices(void **state)
{
        struct oci_device dev[2];
        struct oci_mount m[2];
        struct run r;
        char msg[4096];
        (void)state;

        assert_int_equal(tb_run("echo hello > %s/etc/motd && ln -sf motd %s/etc/link && "
                                "mkdir -p %s/etc/sub && touch %s/etc/sub/deep && "
                                "chmod 600 %s/etc/sub/deep",
                                B.rootfs, B.rootfs, B.rootfs, B.rootfs, B.rootfs),
                         0);
        memset(&r, 0, sizeof(r));
        memset(dev, 0, sizeof(dev));
        dev[0] = (struct oci_device){.path = "/dev/mynull", .type = 'c', .major = 1, .minor = 3};
        dev[0].file_mode = (oci_opt_u64){true, 0600};
        dev[0].uid = (oci_opt_u64){true, 1000};
        dev[0].gid = (oci_opt_u64){true, 1001};
        dev[1] =
            (struct oci_device){.path = "/dev/net/tun", .type = 'c', .major = 10, .minor = 200};
        m[0] = tb_mount("/etc", "tmpfs", "tmpfs", 0, NULL);
        m[0].parsed.tmpcopyup = true;
        r.cfg.mounts = m;
        r.cfg.n_mounts = 1;
        r.cfg.lnx.devices = dev;
        r.cfg.lnx.n_devices = 2;
        r.ctx.terminal = true;
        r.check = check_copyup_devices;
        assert_int_equal(run_child(&r, msg, sizeof(msg)), 0);
        assert_string_equal(msg, "");
}

static void test_bad_bind_source(void **state)
{
        struct oci_mount m[1];
        struct run r;
        char msg[4096];
        (void)state;

        memset(&r, 0, sizeof(r));
        m[0] = tb_mount("/mnt", "bind", "/no/such/source", 0, NULL);
        r.cfg.mounts = m;
        r.cfg.n_mounts = 1;
        assert_int_equal(run_child(&r, msg, sizeof(msg)), 1);
        assert_non_null(strstr(msg, "mount /no/such/source on /mnt: source: No such file"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_default_layout),
            cmocka_unit_test(test_no_pivot),
            cmocka_unit_test(test_readonly_root_rshared),
            cmocka_unit_test(test_bind_flags),
            cmocka_unit_test(test_symlinked_target_stays_inside),
            cmocka_unit_test(test_dev_symlink_stays_inside),
            cmocka_unit_test(test_dangling_symlink_target_created_inside),
            cmocka_unit_test(test_proc_on_symlink_refused),
            cmocka_unit_test(test_fake_devnull_refused),
            cmocka_unit_test(test_tmpcopyup_and_devices),
            cmocka_unit_test(test_bad_bind_source),
        };
        if (geteuid() != 0) {
                fprintf(stderr, "test_mounts: skipped, needs root (mount namespaces)\n");
                return 0;
        }
        return cmocka_run_group_tests(tests, setup, teardown);
}
