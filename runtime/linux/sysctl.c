/* linux.sysctl: each key written through the container's /proc/sys, after
 * fstatfs shows both the directory and the opened file are on procfs (so a
 * rootfs cannot point the write at a file of its own or of the host). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>

#include "cleanup.h"
#include "mntutil.h"
#include "rootfs.h"
#include "rootfs_steps.h"
#include "safepath.h"

static bool sysctl_done;

/* "net.ipv4.ip_forward" -> "net/ipv4/ip_forward"; a key already written
 * with slashes ("net/ipv4/conf/eth0.1/forwarding") is kept as it is. */
static int key_to_path(const char *key, char *out, size_t size)
{
        size_t n = strlen(key);

        if (n == 0 || n >= size || key[0] == '/' || key[0] == '.')
                return -EINVAL;
        memcpy(out, key, n + 1);
        if (!strchr(out, '/'))
                for (char *c = out; *c; c++)
                        if (*c == '.')
                                *c = '/';
        if (strstr(out, ".."))
                return -EINVAL;
        return 0;
}

static int write_all(int fd, const char *s)
{
        size_t len = strlen(s);

        while (len > 0) {
                ssize_t w = write(fd, s, len);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return -1;
                s += w;
                len -= (size_t)w;
        }
        return 0;
}

int sysctl_apply_in(const struct oci_config *cfg, int rootfd, struct berr *err)
{
        const struct oci_kv_list *l = &cfg->lnx.sysctl;
        char rel[PATH_MAX];

        if (l->len == 0)
                return 0;
        _cleanup_close_ int sys = safe_openat(rootfd, "/proc/sys", O_PATH | O_DIRECTORY, 0, err);
        if (sys < 0)
                return berr_wrap(err, "sysctl");
        if (!fd_on_fs(sys, PROC_SUPER_MAGIC))
                return berr_fail(err, EPERM, "sysctl: /proc/sys in the container is not procfs");
        for (size_t i = 0; i < l->len; i++) {
                const struct oci_kv *kv = &l->items[i];
                if (key_to_path(kv->key, rel, sizeof(rel)) < 0)
                        return berr_fail(err, EINVAL, "sysctl %s: invalid key", kv->key);
                _cleanup_close_ int fd = safe_openat(sys, rel, O_WRONLY | O_TRUNC, 0, err);
                if (fd < 0)
                        return berr_wrap(err, "sysctl %s", kv->key);
                if (!fd_on_fs(fd, PROC_SUPER_MAGIC))
                        return berr_fail(err, EPERM, "sysctl %s: /proc/sys/%s is not on procfs",
                                         kv->key, rel);
                if (write_all(fd, kv->value) < 0)
                        return berr_sys(err, "sysctl %s=%s", kv->key, kv->value);
        }
        sysctl_done = true;
        return 0;
}

/* rootfs_finish() already wrote them (before /proc/sys turned read-only);
 * a caller that builds the root otherwise gets them written here. */
int linux_apply_sysctl(const struct oci_config *cfg, struct berr *err)
{
        if (sysctl_done || cfg->lnx.sysctl.len == 0)
                return 0;
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return berr_sys(err, "sysctl: open /");
        return sysctl_apply_in(cfg, root, err);
}
