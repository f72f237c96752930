/* `berth features`: the OCI runtime features document (runtime-spec
 * features.md) on stdout: what this berth, its libseccomp and libcap and
 * the running kernel support. */
#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "commands.h"
#include "config.h"
#include "names.h"
#include "version.h"

static void str(yajl_gen g, const char *s)
{
        yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void key_str(yajl_gen g, const char *k, const char *v)
{
        str(g, k);
        str(g, v);
}

static void key_bool(yajl_gen g, const char *k, bool v)
{
        str(g, k);
        yajl_gen_bool(g, v);
}

/* {"enabled": V} under K. */
static void key_enabled(yajl_gen g, const char *k, bool v)
{
        str(g, k);
        yajl_gen_map_open(g);
        key_bool(g, "enabled", v);
        yajl_gen_map_close(g);
}

/* Every capability libcap has a name for, as "CAP_NAME". */
static void gen_capabilities(yajl_gen g)
{
        str(g, "capabilities");
        yajl_gen_array_open(g);
        for (int c = 0; c < 64; c++) {
                char *name = cap_to_name(c);
                char upper[64];
                size_t i;
                if (!name)
                        continue;
                if (strncmp(name, "cap_", 4) == 0) {
                        for (i = 0; name[i] && i < sizeof(upper) - 1; i++)
                                upper[i] = (char)toupper((unsigned char)name[i]);
                        upper[i] = '\0';
                        str(g, upper);
                }
                cap_free(name);
        }
        yajl_gen_array_close(g);
}

/* libseccomp API level an action or flag needs (seccomp_api_get(3)). */
static unsigned action_api(long action)
{
        switch (action) {
        case OCI_SECCOMP_KILL_PROCESS:
        case OCI_SECCOMP_LOG:
                return 3;
        case OCI_SECCOMP_NOTIFY:
                return 5;
        default:
                return 1;
        }
}

static unsigned flag_api(long flag)
{
        switch (flag) {
        case OCI_SECCOMP_FLAG_TSYNC:
                return 2;
        case OCI_SECCOMP_FLAG_LOG:
                return 3;
        case OCI_SECCOMP_FLAG_SPEC_ALLOW:
                return 4;
        default: /* WAIT_KILLABLE_RECV */
                return 7;
        }
}

static void gen_seccomp(yajl_gen g)
{
        unsigned api = seccomp_api_get();

        str(g, "seccomp");
        yajl_gen_map_open(g);
        key_bool(g, "enabled", true);
        str(g, "actions");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < oci_n_seccomp_actions; i++)
                if (api >= action_api(oci_seccomp_actions[i].value))
                        str(g, oci_seccomp_actions[i].name);
        yajl_gen_array_close(g);
        str(g, "operators");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < oci_n_seccomp_ops; i++)
                str(g, oci_seccomp_ops[i].name);
        yajl_gen_array_close(g);
        str(g, "archs");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < oci_n_seccomp_archs; i++) {
                char lower[32];
                const char *p = oci_seccomp_archs[i] + strlen("SCMP_ARCH_");
                size_t k;
                for (k = 0; p[k] && k < sizeof(lower) - 1; k++)
                        lower[k] = (char)tolower((unsigned char)p[k]);
                lower[k] = '\0';
                if (seccomp_arch_resolve_name(lower))
                        str(g, oci_seccomp_archs[i]);
        }
        yajl_gen_array_close(g);
        str(g, "knownFlags");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < oci_n_seccomp_flags; i++)
                str(g, oci_seccomp_flags[i].name);
        yajl_gen_array_close(g);
        str(g, "supportedFlags");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < oci_n_seccomp_flags; i++)
                if (api >= flag_api(oci_seccomp_flags[i].value))
                        str(g, oci_seccomp_flags[i].name);
        yajl_gen_array_close(g);
        yajl_gen_map_close(g);
}

/* mount_setattr(2) (Linux 5.12) is what idmapped mounts need. */
static bool kernel_has_mount_setattr(void)
{
        long r = syscall(SYS_mount_setattr, -1, "", 0, NULL, 0);
        return !(r < 0 && errno == ENOSYS);
}

static void gen_linux(yajl_gen g)
{
        str(g, "linux");
        yajl_gen_map_open(g);
        str(g, "namespaces");
        yajl_gen_array_open(g);
        for (int i = 0; i < OCI_NS_COUNT; i++)
                str(g, oci_ns_name(i));
        yajl_gen_array_close(g);
        gen_capabilities(g);
        str(g, "cgroup");
        yajl_gen_map_open(g);
        key_bool(g, "v1", false);
        key_bool(g, "v2", true);
        key_bool(g, "systemd", true);
        key_bool(g, "systemdUser", false);
        key_bool(g, "rdma", true);
        yajl_gen_map_close(g);
        gen_seccomp(g);
        key_enabled(g, "apparmor", false);
        key_enabled(g, "selinux", false);
        key_enabled(g, "intelRdt", false);
        str(g, "mountExtensions");
        yajl_gen_map_open(g);
        key_enabled(g, "idmap", kernel_has_mount_setattr());
        yajl_gen_map_close(g);
        yajl_gen_map_close(g);
}

static void gen_annotations(yajl_gen g)
{
        const struct scmp_version *v = seccomp_version();
        char buf[64];

        str(g, "annotations");
        yajl_gen_map_open(g);
        snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
        key_str(g, "io.github.seccomp.libseccomp.version", buf);
        key_str(g, "org.opencontainers.runc.checkpoint.enabled", "false");
        key_str(g, "org.berth.version", BERTH_VERSION);
        yajl_gen_map_close(g);
}

int cmd_features(const struct global_opts *gopts, int argc, char **argv, struct berr *err)
{
        const unsigned char *buf;
        size_t len;
        yajl_gen g;

        (void)gopts;
        if (argc > 1)
                return berr_fail(err, EINVAL, "features: unexpected argument %s", argv[1]);
        g = yajl_gen_alloc(NULL);
        if (!g)
                return berr_fail(err, ENOMEM, "out of memory");
        yajl_gen_config(g, yajl_gen_beautify, 1);
        yajl_gen_config(g, yajl_gen_indent_string, "    ");
        yajl_gen_map_open(g);
        key_str(g, "ociVersionMin", OCI_VERSION_MIN);
        key_str(g, "ociVersionMax", OCI_VERSION_MAX);
        str(g, "hooks");
        yajl_gen_array_open(g);
        for (int k = 0; k < OCI_HOOK_COUNT; k++)
                str(g, oci_hook_name(k));
        yajl_gen_array_close(g);
        str(g, "mountOptions");
        yajl_gen_array_open(g);
        for (size_t i = 0; i < oci_n_mount_option_names; i++)
                str(g, oci_mount_option_names[i]);
        yajl_gen_array_close(g);
        gen_linux(g);
        gen_annotations(g);
        yajl_gen_map_close(g);
        if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) {
                yajl_gen_free(g);
                return berr_fail(err, EINVAL, "features: JSON generation failed");
        }
        fwrite(buf, 1, len, stdout);
        yajl_gen_free(g);
        if (fflush(stdout) != 0)
                return berr_sys(err, "features: write");
        return 0;
}
