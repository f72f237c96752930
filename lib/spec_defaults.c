/* See spec_defaults.h. The same defaults runc and crun use, which busybox
 * images expect. */
#include "spec_defaults.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void spec_str(yajl_gen g, const char *s)
{
        yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

void spec_key_str(yajl_gen g, const char *k, const char *v)
{
        spec_str(g, k);
        spec_str(g, v);
}

void spec_key_int(yajl_gen g, const char *k, long long v)
{
        spec_str(g, k);
        yajl_gen_integer(g, v);
}

void spec_key_bool(yajl_gen g, const char *k, bool v)
{
        spec_str(g, k);
        yajl_gen_bool(g, v);
}

/* "key": [items...] from a NULL-terminated list. */
void spec_key_strv(yajl_gen g, const char *k, const char *const *items)
{
        spec_str(g, k);
        yajl_gen_array_open(g);
        for (; *items; items++)
                spec_str(g, *items);
        yajl_gen_array_close(g);
}

static const char *const no_strings[] = {NULL};

yajl_gen spec_gen_alloc(void)
{
        yajl_gen g = yajl_gen_alloc(NULL);

        if (g) {
                yajl_gen_config(g, yajl_gen_beautify, 1);
                yajl_gen_config(g, yajl_gen_indent_string, "  ");
        }
        return g;
}

void spec_gen_process_defaults(yajl_gen g)
{
        static const char *const caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE",
                                           NULL};

        spec_str(g, "capabilities");
        yajl_gen_map_open(g);
        spec_key_strv(g, "bounding", caps);
        spec_key_strv(g, "effective", caps);
        spec_key_strv(g, "inheritable", no_strings);
        spec_key_strv(g, "permitted", caps);
        spec_key_strv(g, "ambient", no_strings);
        yajl_gen_map_close(g);
        spec_str(g, "rlimits");
        yajl_gen_array_open(g);
        yajl_gen_map_open(g);
        spec_key_str(g, "type", "RLIMIT_NOFILE");
        spec_key_int(g, "hard", 1024);
        spec_key_int(g, "soft", 1024);
        yajl_gen_map_close(g);
        yajl_gen_array_close(g);
        spec_key_bool(g, "noNewPrivileges", true);
}

static void mount(yajl_gen g, const char *dest, const char *type, const char *source,
                  const char *const *options)
{
        yajl_gen_map_open(g);
        spec_key_str(g, "destination", dest);
        spec_key_str(g, "type", type);
        spec_key_str(g, "source", source);
        if (options[0])
                spec_key_strv(g, "options", options);
        yajl_gen_map_close(g);
}

void spec_gen_mounts(yajl_gen g, bool rootless)
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

        spec_str(g, "mounts");
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
        spec_str(g, key);
        yajl_gen_array_open(g);
        yajl_gen_map_open(g);
        spec_key_int(g, "containerID", 0);
        spec_key_int(g, "hostID", (long long)host_id);
        spec_key_int(g, "size", 1);
        yajl_gen_map_close(g);
        yajl_gen_array_close(g);
}

void spec_gen_linux(yajl_gen g, bool rootless, uid_t uid, gid_t gid)
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

        spec_str(g, "linux");
        yajl_gen_map_open(g);
        if (rootless) {
                idmap(g, "uidMappings", uid);
                idmap(g, "gidMappings", gid);
        } else {
                spec_str(g, "resources");
                yajl_gen_map_open(g);
                spec_str(g, "devices");
                yajl_gen_array_open(g);
                yajl_gen_map_open(g);
                spec_key_bool(g, "allow", false);
                spec_key_str(g, "access", "rwm");
                yajl_gen_map_close(g);
                yajl_gen_array_close(g);
                yajl_gen_map_close(g);
        }
        spec_str(g, "namespaces");
        yajl_gen_array_open(g);
        for (const char *const *ns = rootless ? namespaces_rootless : namespaces; *ns; ns++) {
                yajl_gen_map_open(g);
                spec_key_str(g, "type", *ns);
                yajl_gen_map_close(g);
        }
        yajl_gen_array_close(g);
        spec_key_strv(g, "maskedPaths", masked);
        spec_key_strv(g, "readonlyPaths", readonly);
        yajl_gen_map_close(g);
}

int spec_gen_finish(yajl_gen g, char **out, size_t *len, struct berr *err)
{
        const unsigned char *buf;
        size_t n;

        if (yajl_gen_get_buf(g, &buf, &n) != yajl_gen_status_ok)
                return berr_fail(err, EINVAL, "JSON generation failed");
        *out = malloc(n + 2);
        if (!*out)
                return berr_fail(err, ENOMEM, "out of memory");
        memcpy(*out, buf, n);
        /* yajl's beautified output already ends in a newline. */
        if (n == 0 || buf[n - 1] != '\n')
                (*out)[n++] = '\n';
        (*out)[n] = '\0';
        *len = n;
        return 0;
}
