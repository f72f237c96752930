/* Mount options -> struct oci_mount_flags, one option at a time and in
 * combinations; and the name tables (signals, capabilities, rlimits). */
#include <linux/mount.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "config_helpers.h"
#include "names.h"

struct opt_case {
        const char *opt;
        unsigned long flags, clear, propagation;
        uint64_t attr_set, attr_clr;
};

static const struct opt_case cases[] = {
    {"defaults", 0, 0, 0, 0, 0},
    {"ro", MS_RDONLY, 0, 0, 0, 0},
    {"rw", 0, MS_RDONLY, 0, 0, 0},
    {"nosuid", MS_NOSUID, 0, 0, 0, 0},
    {"suid", 0, MS_NOSUID, 0, 0, 0},
    {"nodev", MS_NODEV, 0, 0, 0, 0},
    {"dev", 0, MS_NODEV, 0, 0, 0},
    {"noexec", MS_NOEXEC, 0, 0, 0, 0},
    {"exec", 0, MS_NOEXEC, 0, 0, 0},
    {"sync", MS_SYNCHRONOUS, 0, 0, 0, 0},
    {"async", 0, MS_SYNCHRONOUS, 0, 0, 0},
    {"dirsync", MS_DIRSYNC, 0, 0, 0, 0},
    {"remount", MS_REMOUNT, 0, 0, 0, 0},
    {"mand", MS_MANDLOCK, 0, 0, 0, 0},
    {"nomand", 0, MS_MANDLOCK, 0, 0, 0},
    {"noatime", MS_NOATIME, 0, 0, 0, 0},
    {"atime", 0, MS_NOATIME, 0, 0, 0},
    {"nodiratime", MS_NODIRATIME, 0, 0, 0, 0},
    {"diratime", 0, MS_NODIRATIME, 0, 0, 0},
    {"relatime", MS_RELATIME, 0, 0, 0, 0},
    {"norelatime", 0, MS_RELATIME, 0, 0, 0},
    {"strictatime", MS_STRICTATIME, 0, 0, 0, 0},
    {"nostrictatime", 0, MS_STRICTATIME, 0, 0, 0},
    {"lazytime", MS_LAZYTIME, 0, 0, 0, 0},
    {"nolazytime", 0, MS_LAZYTIME, 0, 0, 0},
    {"silent", MS_SILENT, 0, 0, 0, 0},
    {"loud", 0, MS_SILENT, 0, 0, 0},
    {"nosymfollow", MS_NOSYMFOLLOW, 0, 0, 0, 0},
    {"symfollow", 0, MS_NOSYMFOLLOW, 0, 0, 0},
    {"iversion", MS_I_VERSION, 0, 0, 0, 0},
    {"noiversion", 0, MS_I_VERSION, 0, 0, 0},
    {"private", 0, 0, MS_PRIVATE, 0, 0},
    {"rprivate", 0, 0, MS_PRIVATE | MS_REC, 0, 0},
    {"shared", 0, 0, MS_SHARED, 0, 0},
    {"rshared", 0, 0, MS_SHARED | MS_REC, 0, 0},
    {"slave", 0, 0, MS_SLAVE, 0, 0},
    {"rslave", 0, 0, MS_SLAVE | MS_REC, 0, 0},
    {"unbindable", 0, 0, MS_UNBINDABLE, 0, 0},
    {"runbindable", 0, 0, MS_UNBINDABLE | MS_REC, 0, 0},
    {"rro", 0, 0, 0, MOUNT_ATTR_RDONLY, 0},
    {"rrw", 0, 0, 0, 0, MOUNT_ATTR_RDONLY},
    {"rnosuid", 0, 0, 0, MOUNT_ATTR_NOSUID, 0},
    {"rsuid", 0, 0, 0, 0, MOUNT_ATTR_NOSUID},
    {"rnodev", 0, 0, 0, MOUNT_ATTR_NODEV, 0},
    {"rdev", 0, 0, 0, 0, MOUNT_ATTR_NODEV},
    {"rnoexec", 0, 0, 0, MOUNT_ATTR_NOEXEC, 0},
    {"rexec", 0, 0, 0, 0, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", 0, 0, 0, MOUNT_ATTR_NODIRATIME, 0},
    {"rdiratime", 0, 0, 0, 0, MOUNT_ATTR_NODIRATIME},
    {"rnosymfollow", 0, 0, 0, MOUNT_ATTR_NOSYMFOLLOW, 0},
    {"rsymfollow", 0, 0, 0, 0, MOUNT_ATTR_NOSYMFOLLOW},
    {"rnoatime", 0, 0, 0, MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
    {"rrelatime", 0, 0, 0, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rstrictatime", 0, 0, 0, MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    {"ratime", 0, 0, 0, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnorelatime", 0, 0, 0, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnostrictatime", 0, 0, 0, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
};

static int parse_opts(const char *type, const char **opts, size_t n, struct oci_mount_flags *f,
                      struct berr *err)
{
        char *items[16] = {0};
        struct oci_strv v = {items, n};
        for (size_t i = 0; i < n; i++)
                items[i] = (char *)opts[i];
        memset(f, 0, sizeof(*f));
        return oci_mount_options_parse(&v, type, f, ".mounts[0].options", err);
}

static void each_option(void **state)
{
        (void)state;
        size_t n = sizeof(cases) / sizeof(cases[0]);
        for (size_t i = 0; i < n; i++) {
                struct oci_mount_flags f;
                struct berr err = {0};
                const char *o[] = {cases[i].opt};
                assert_int_equal(parse_opts("tmpfs", o, 1, &f, &err), 0);
                if (f.flags != cases[i].flags || f.clear != cases[i].clear ||
                    f.propagation != cases[i].propagation || f.attr_set != cases[i].attr_set ||
                    f.attr_clr != cases[i].attr_clr || f.data)
                        fail_msg("option %s: flags %lx clear %lx prop %lx set %llx clr %llx",
                                 cases[i].opt, f.flags, f.clear, f.propagation,
                                 (unsigned long long)f.attr_set, (unsigned long long)f.attr_clr);
                assert_int_equal(f.recursive_ro, strcmp(cases[i].opt, "rro") == 0);
        }
        /* Every option is listed for `berth features` (and nothing else is). */
        assert_int_equal(oci_n_mount_option_names, n + 5);
}

static void extras(void **state)
{
        (void)state;
        struct oci_mount_flags f;
        struct berr err = {0};
        const char *bind[] = {"bind"};
        assert_int_equal(parse_opts(NULL, bind, 1, &f, &err), 0);
        assert_true(f.bind);
        assert_false(f.recursive);
        const char *rbind[] = {"rbind", "idmap"};
        assert_int_equal(parse_opts("none", rbind, 2, &f, &err), 0);
        assert_true(f.bind && f.recursive && f.idmap);
        assert_false(f.idmap_recursive);
        const char *ridmap[] = {"rbind", "ridmap"};
        assert_int_equal(parse_opts(NULL, ridmap, 2, &f, &err), 0);
        assert_true(f.idmap && f.idmap_recursive);
        const char *tcu[] = {"tmpcopyup"};
        assert_int_equal(parse_opts("tmpfs", tcu, 1, &f, &err), 0);
        assert_true(f.tmpcopyup);
        assert_int_equal(parse_opts("bind", NULL, 0, &f, &err), 0);
        assert_true(f.bind);
}

static void later_options_win(void **state)
{
        (void)state;
        struct oci_mount_flags f;
        struct berr err = {0};
        const char *o[] = {"ro",     "rw",  "nosuid", "suid",     "noexec",      "rprivate",
                           "shared", "rro", "rrw",    "rnoatime", "rstrictatime"};
        assert_int_equal(parse_opts("tmpfs", o, 11, &f, &err), 0);
        assert_int_equal(f.flags, MS_NOEXEC);
        assert_int_equal(f.clear, MS_RDONLY | MS_NOSUID);
        assert_int_equal(f.propagation, MS_SHARED);
        assert_int_equal(f.attr_set, MOUNT_ATTR_STRICTATIME);
        assert_int_equal(f.attr_clr, MOUNT_ATTR_RDONLY | MOUNT_ATTR__ATIME);
        assert_false(f.recursive_ro);
        const char *o2[] = {"noexec", "ro"};
        assert_int_equal(parse_opts("tmpfs", o2, 2, &f, &err), 0);
        assert_int_equal(f.flags, MS_NOEXEC | MS_RDONLY);
}

static void filesystem_data(void **state)
{
        (void)state;
        struct oci_mount_flags f;
        struct berr err = {0};
        const char *o[] = {"nosuid", "mode=755", "size=64k", "ro", "uid=5", "lowerdir=/a:/b"};
        assert_int_equal(parse_opts("tmpfs", o, 6, &f, &err), 0);
        assert_string_equal(f.data, "mode=755,size=64k,uid=5,lowerdir=/a:/b");
        assert_int_equal(f.flags, MS_NOSUID | MS_RDONLY);
        free(f.data);

        /* Data longer than a page is refused. */
        char big[5000];
        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        const char *o2[] = {big};
        assert_true(parse_opts("tmpfs", o2, 1, &f, &err) < 0);
        assert_string_equal(err.msg, ".mounts[0].options[0]: filesystem options longer than a page "
                                     "(4096 bytes)");
}

static void signals(void **state)
{
        (void)state;
        assert_int_equal(oci_signal_from_name("KILL"), SIGKILL);
        assert_int_equal(oci_signal_from_name("SIGKILL"), SIGKILL);
        assert_int_equal(oci_signal_from_name("sigterm"), SIGTERM);
        assert_int_equal(oci_signal_from_name("9"), 9);
        assert_int_equal(oci_signal_from_name("SIGCHLD"), SIGCHLD);
        assert_int_equal(oci_signal_from_name("SIGRTMIN"), SIGRTMIN);
        assert_int_equal(oci_signal_from_name("SIGRTMIN+3"), SIGRTMIN + 3);
        assert_int_equal(oci_signal_from_name("RTMAX-1"), SIGRTMAX - 1);
        assert_int_equal(oci_signal_from_name("SIGRTMAX"), SIGRTMAX);
        assert_int_equal(oci_signal_from_name("SIGRTMAX+1"), -1);
        assert_int_equal(oci_signal_from_name("SIGRTMIN-1"), -1);
        assert_int_equal(oci_signal_from_name("RTMINX"), -1);
        assert_int_equal(oci_signal_from_name("0"), -1);
        assert_int_equal(oci_signal_from_name("65"), -1);
        assert_int_equal(oci_signal_from_name("9x"), -1);
        assert_int_equal(oci_signal_from_name("SIGFOO"), -1);
        assert_int_equal(oci_signal_from_name(""), -1);
        assert_int_equal(oci_signal_from_name("SIG"), -1);
}

static void caps_rlimits_ns(void **state)
{
        (void)state;
        assert_int_equal(oci_cap_from_name("CAP_CHOWN"), 0);
        assert_int_equal(oci_cap_from_name("CAP_SYS_ADMIN"), 21);
        assert_int_equal(oci_cap_from_name("CAP_CHECKPOINT_RESTORE"), 40);
        assert_int_equal(oci_cap_from_name("CAP_"), -1);
        assert_int_equal(oci_cap_from_name("cap_chown"), -1);
        assert_int_equal(oci_cap_from_name("CAP_chown"), -1);
        assert_int_equal(oci_cap_from_name("CAP_1"), -1);
        assert_int_equal(oci_cap_from_name("CHOWN"), -1);
        assert_int_equal(oci_rlimit_from_name("RLIMIT_NOFILE"), RLIMIT_NOFILE);
        assert_int_equal(oci_rlimit_from_name("RLIMIT_RTTIME"), RLIMIT_RTTIME);
        assert_int_equal(oci_rlimit_from_name("NOFILE"), -1);
        for (int i = 0; i < OCI_NS_COUNT; i++)
                assert_int_equal(oci_ns_from_name(oci_ns_name(i)), i);
        assert_int_equal(oci_ns_from_name("net"), -1);
        assert_string_equal(oci_ns_name(OCI_NS_COUNT), "unknown");
        assert_int_equal(oci_ns_clone_flag(OCI_NS_COUNT), 0);
        for (int k = 0; k < OCI_HOOK_COUNT; k++)
                assert_string_not_equal(oci_hook_name(k), "unknown");
        assert_int_equal(
            oci_name_lookup(oci_seccomp_actions, oci_n_seccomp_actions, "SCMP_ACT_LOG"),
            OCI_SECCOMP_LOG);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(each_option),       cmocka_unit_test(extras),
            cmocka_unit_test(later_options_win), cmocka_unit_test(filesystem_data),
            cmocka_unit_test(signals),           cmocka_unit_test(caps_rlimits_ns),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
