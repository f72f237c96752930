/* Where the cgroup v2 hierarchy is: the cgroup2 mount from mountinfo (pure
 * v2 hosts at /sys/fs/cgroup, hybrid hosts at /sys/fs/cgroup/unified), the
 * host's cgroup mode, and a process's own v2 cgroup from /proc/PID/cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "json.h"

/* Copy a mountinfo field, undoing the kernel's \ooo octal escapes. */
static void unescape_field(const char *src, size_t len, char *dst, size_t size)
{
        size_t o = 0;

        for (size_t i = 0; i < len && o + 1 < size; i++) {
                if (src[i] == '\\' && i + 3 < len && src[i + 1] >= '0' && src[i + 1] <= '3' &&
                    src[i + 2] >= '0' && src[i + 2] <= '7' && src[i + 3] >= '0' &&
                    src[i + 3] <= '7') {
                        dst[o++] = (char)((src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 +
                                          (src[i + 3] - '0'));
                        i += 3;
                } else {
                        dst[o++] = src[i];
                }
        }
        dst[o] = '\0';
}

int cgroup_hier_parse_mountinfo(const char *text, struct cgroup_hier *h, struct berr *err)
{
        bool found = false, v1 = false;

        memset(h, 0, sizeof(*h));
        for (const char *line = text; line && *line;) {
                const char *eol = strchr(line, '\n');
                size_t llen = eol ? (size_t)(eol - line) : strlen(line);
                const char *f[6];
                size_t fl[6];
                size_t nf = 0;
                const char *p = line, *end = line + llen;

                /* fields 0..4: id parent maj:min root mountpoint */
                while (nf < 5 && p < end) {
                        const char *s = p;
                        while (p < end && *p != ' ')
                                p++;
                        f[nf] = s;
                        fl[nf++] = (size_t)(p - s);
                        while (p < end && *p == ' ')
                                p++;
                }
                const char *sep = NULL;
                for (const char *q = p; q + 1 < end; q++) {
                        if (q[0] == '-' && q[1] == ' ' && q[-1] == ' ') {
                                sep = q + 2;
                                break;
                        }
                }
                if (nf == 5 && sep) {
                        const char *t = sep;
                        while (t < end && *t != ' ')
                                t++;
                        size_t tlen = (size_t)(t - sep);
                        if (tlen == 7 && memcmp(sep, "cgroup2", 7) == 0) {
                                if (!found) {
                                        unescape_field(f[4], fl[4], h->mount, sizeof(h->mount));
                                        found = true;
                                }
                        } else if (tlen == 6 && memcmp(sep, "cgroup", 6) == 0) {
                                v1 = true;
                        }
                }
                line = eol ? eol + 1 : NULL;
        }
        if (!found)
                return berr_fail(
                    err, ENOENT,
                    "cgroup: no cgroup2 filesystem is mounted (berth needs cgroup v2;%s)",
                    v1 ? " this host has only cgroup v1" : " mount one");
        h->hybrid = v1;
        return 0;
}

int cgroup_hier_find(struct cgroup_hier *h, struct berr *err)
{
        _cleanup_close_ int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (fd < 0)
                return berr_sys(err, "cgroup: open /proc/self/mountinfo");
        if (read_fd_limited(fd, 16u << 20, &buf, &len, err) < 0)
                return berr_wrap(err, "cgroup: read /proc/self/mountinfo");
        return cgroup_hier_parse_mountinfo(buf, h, err);
}

const char *cgroup_hier_mode(const struct cgroup_hier *h)
{
        return h->hybrid ? "hybrid cgroup host" : "unified cgroup host";
}

int cgroup_parse_proc_cgroup(const char *text, char **out, struct berr *err)
{
        for (const char *line = text; line && *line;) {
                const char *eol = strchr(line, '\n');
                size_t llen = eol ? (size_t)(eol - line) : strlen(line);
                if (llen >= 3 && memcmp(line, "0::", 3) == 0) {
                        *out = strndup(line + 3, llen - 3);
                        if (!*out)
                                return berr_fail(err, ENOMEM, "cgroup: out of memory");
                        return 0;
                }
                line = eol ? eol + 1 : NULL;
        }
        return berr_fail(err, ENOENT, "cgroup: no cgroup v2 entry (0::) in /proc/self/cgroup");
}
