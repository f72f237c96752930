/* See default_spec.h. Written with yajl_gen so the output is always valid
 * JSON; the same defaults runc and crun use, which busybox images expect. */
#include "default_spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

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

static void key_int(yajl_gen g, const char *k, long long v)
{
        str(g, k);
        yajl_gen_integer(g, v);
}

static void key_bool(yajl_gen g, const char *k, bool v)
{
        str(g, k);
        yajl_gen_bool(g, v);
}

/* "key": [items...] from a NULL-terminated list. */
static void key_strv(yajl_gen g, const char *k, const char *const *items)
{
        str(g, k);
        yajl_gen_array_open(g);
        for (; *items; items++)
                str(g, *items);
        yajl_gen_array_close(g);
}

static const char *const default_caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE",
                                           NULL};
static const char *const no_strings[] = {NULL};

static void gen_process(yajl_gen g)
{
        static const char *const args[] = {"sh", NULL};
        static const char *const env[] = {
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
            NULL};

        str(g, "process");
        yajl_gen_map_open(g);
        key_bool(g, "terminal", true);
        str(g, "user");
        yajl_gen_map_open(g);
        key_int(g, "uid", 0);
        key_int(g, "gid", 0);
        yajl_gen_map_close(g);
        key_strv(g, "args", args);
        key_strv(g, "env", env);
        key_str(g, "cwd", "/");
        str(g, "capabilities");
        yajl_gen_map_open(g);
        key_strv(g, "bounding", default_caps);
        key_strv(g, "effective", default_caps);
        key_strv(g, "inheritable", no_strings);
        key_strv(g, "permitted", default_caps);
        key_strv(g, "ambient", no_strings);
        yajl_gen_map_close(g);
        str(g, "rlimits");
        yajl_gen_array_open(g);
        yajl_gen_map_open(g);
        key_str(g, "type", "RLIMIT_NOFILE");
        key_int(g, "hard", 1024);
        key_int(g, "soft", 1024);
        yajl_gen_map_close(g);
        yajl_gen_array_close(g);
        key_bool(g, "noNewPrivileges", true);
        yajl_gen_map_close(g);
}

static void mount(yajl_gen g, const char *dest, const char *type, const char *source,
                  const char *const *options)
{
        yajl_gen_map_open(g);
        key_str(g, "destination", dest);
        key_str(g, "type", type);
        key_str(g, "source", source);
        if (options[0])
                key_strv(g, "options", options);
        yajl_gen_map_close(g);
}

static void gen_mounts(yajl_gen g, bool rootless)
{
        static const char *const dev[] = {"nosuid", "strictatime", "mode=755", "size=65536k", NULL};
        static const char *const pts[] = {"nosuid",    "noexec", "newinstance", "ptmxmode=0666",
                                          "mode=0620", "gid=5",  NULL};
        /* In a user namespace gid 5 may not be mapped: leave the group alone. */
        static const char *const pts_rootless[] = {"nosuid",        "noexec",    "newinstance",
                                                   "ptmxmode=0666", "mode=0620", NULL};
        static const char *const shm[] = {"nosuid",    "noexec",      "nodev",
                                          "mode=1777", "size=65536k", NULL};
        static const char *const mqueue[] = {"nosuid", "noexec", "nodev", NULL};
        static const char *const sys[] = {"nosuid", "noexec", "nodev", "ro", NULL};
        static const char *const sys_rootless[] = {"rbind", "nosuid", "noexec",
                                                   "nodev", "ro",     NULL};
        static const char *const cgroup[] = {"nosuid", "noexec", "nodev", "relatime", "ro", NULL};

        str(g, "mounts");
        yajl_gen_array_open(g);
        mount(g, "/proc", "proc", "proc", no_strings);
        mount(g, "/dev", "tmpfs", "tmpfs", dev);
        mount(g, "/dev/pts", "devpts", "devpts", rootless ? pts_rootless : pts);
        mount(g, "/dev/shm", "tmpfs", "shm", shm);
        mount(g, "/dev/mqueue", "mqueue", "mqueue", mqueue);
        if (rootless)
                mount(g, "/sys", "none", "/sys", sys_rootless);
        else
                mount(g, "/sys", "sysfs", "sysfs", sys);
        mount(g, "/sys/fs/cgroup", "cgroup", "cgroup", cgroup);
        yajl_gen_array_close(g);
}

static void idmap(yajl_gen g, const char *key, unsigned long host_id)
{
        str(g, key);
        yajl_gen_array_open(g);
        yajl_gen_map_open(g);
        key_int(g, "containerID", 0);
        key_int(g, "hostID", (long long)host_id);
        key_int(g, "size", 1);
        yajl_gen_map_close(g);
        yajl_gen_array_close(g);
}

static void gen_linux(yajl_gen g, bool rootless, uid_t uid, gid_t gid)
{
        static const char *const namespaces[] = {"pid",   "network", "ipc", "uts",
                                                 "mount", "cgroup",  NULL};
        static const char *const namespaces_rootless[] = {"pid",    "ipc",  "uts", "mount",
                                                          "cgroup", "user", NULL};
        static const char *const masked[] = {"/proc/acpi",
                                             "/proc/asound",
                                             "/proc/kcore",
                                             "/proc/keys",
                                             "/proc/latency_stats",
                                             "/proc/timer_list",
                                             "/proc/timer_stats",
                                             "/proc/sched_debug",
                                             "/proc/scsi",
                                             "/sys/firmware",
                                             "/sys/devices/virtual/powercap",
                                             NULL};
        static const char *const readonly[] = {
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL};

        str(g, "linux");
        yajl_gen_map_open(g);
        if (rootless) {
                idmap(g, "uidMappings", uid);
                idmap(g, "gidMappings", gid);
        } else {
                str(g, "resources");
                yajl_gen_map_open(g);
                str(g, "devices");
                yajl_gen_array_open(g);
                yajl_gen_map_open(g);
                key_bool(g, "allow", false);
                key_str(g, "access", "rwm");
                yajl_gen_map_close(g);
                yajl_gen_array_close(g);
                yajl_gen_map_close(g);
        }
        str(g, "namespaces");
        yajl_gen_array_open(g);
        for (const char *const *ns = rootless ? namespaces_rootless : namespaces; *ns; ns++) {
                yajl_gen_map_open(g);
                key_str(g, "type", *ns);
                yajl_gen_map_close(g);
        }
        yajl_gen_array_close(g);
        key_strv(g, "maskedPaths", masked);
        key_strv(g, "readonlyPaths", readonly);
        yajl_gen_map_close(g);
}

int oci_default_spec(bool rootless, uid_t uid, gid_t gid, char **out, size_t *len, struct berr *err)
{
        yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *buf;
        size_t n;
        int r = 0;

        if (!g)
                return berr_fail(err, ENOMEM, "out of memory");
        yajl_gen_config(g, yajl_gen_beautify, 1);
        yajl_gen_config(g, yajl_gen_indent_string, "  ");
        yajl_gen_map_open(g);
        key_str(g, "ociVersion", BERTH_OCI_SPEC_VERSION);
        gen_process(g);
        str(g, "root");
        yajl_gen_map_open(g);
        key_str(g, "path", "rootfs");
        key_bool(g, "readonly", true);
        yajl_gen_map_close(g);
        key_str(g, "hostname", "berth");
        gen_mounts(g, rootless);
        gen_linux(g, rootless, uid, gid);
        yajl_gen_map_close(g);
        if (yajl_gen_get_buf(g, &buf, &n) != yajl_gen_status_ok) {
                r = berr_fail(err, EINVAL, "default spec: JSON generation failed");
        } else if (!(*out = malloc(n + 2))) {
                r = berr_fail(err, ENOMEM, "out of memory");
        } else {
                memcpy(*out, buf, n);
                /* yajl's beautified output already ends in a newline. */
                if (n == 0 || buf[n - 1] != '\n')
                        (*out)[n++] = '\n';
                (*out)[n] = '\0';
                *len = n;
        }
        yajl_gen_free(g);
        return r;
}
