/* See safepath.h. The fallback walks one component at a time with
 * O_PATH|O_NOFOLLOW, expands symlinks itself (absolute targets restart at
 * the root, ".." never climbs above it) and gives up after 40 links. */
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"

#define MAX_SYMLINKS 40
#define MAX_DEPTH 256

bool safepath_force_fallback;

const char *fd_path(int fd, char buf[FD_PATH_MAX])
{
        snprintf(buf, FD_PATH_MAX, "/proc/self/fd/%d", fd);
        return buf;
}

static int openat2_in_root(int rootfd, const char *path, int flags, mode_t mode,
                           unsigned long long extra_resolve)
{
        struct open_how how = {
            .flags = (unsigned long long)(flags | O_CLOEXEC),
            .mode = (flags & (O_CREAT | __O_TMPFILE)) ? mode : 0,
            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra_resolve,
        };
        int fd;

        if (*path == '\0')
                path = ".";
        for (int tries = 0; tries < 32; tries++) {
                fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
                if (fd >= 0 || errno != EAGAIN)
                        return fd;
        }
        return -1;
}

/* The walk state of the fallback: a stack of O_PATH fds from the root
 * (not owned, index 0) down to the current directory. */
struct walk {
        int root;
        int stack[MAX_DEPTH];
        int depth;
};

static int walk_cur(const struct walk *w)
{
        return w->depth == 0 ? w->root : w->stack[w->depth - 1];
}

static void walk_reset(struct walk *w)
{
        while (w->depth > 0)
                close(w->stack[--w->depth]);
}

/* Replace the unwalked rest of the path with TARGET + "/" + REST (just
 * TARGET when REST is empty: a "/" there would demand a directory). */
static int splice_link(char **pending, const char *target, const char *rest)
{
        size_t tl = strlen(target), rl = strlen(rest);
        char *np = malloc(tl + rl + 2);

        if (!np)
                return -ENOMEM;
        memcpy(np, target, tl);
        if (rl == 0) {
                np[tl] = '\0';
        } else {
                np[tl] = '/';
                memcpy(np + tl + 1, rest, rl + 1);
        }
        free(*pending);
        *pending = np;
        return 0;
}

static int read_link_at(int fd, char *buf, size_t size)
{
        ssize_t n = readlinkat(fd, "", buf, size - 1);
        if (n < 0)
                return -errno;
        if ((size_t)n >= size - 1)
                return -ENAMETOOLONG;
        buf[n] = '\0';
        return 0;
}

static int fallback_open(int rootfd, const char *path, int flags, mode_t mode, bool no_symlinks)
{
        struct walk w = {.root = rootfd, .depth = 0};
        _cleanup_free_ char *pending = strdup(path);
        char target[4096];
        int links = 0;
        int r = -EINVAL;
        size_t pos = 0;

        if (!pending)
                return -ENOMEM;
        for (;;) {
                char *p = pending + pos;
                while (*p == '/')
                        p++;
                if (*p == '\0') {
                        /* The path names a directory we walked to (or the root). */
                        r = openat(walk_cur(&w), ".", flags | O_CLOEXEC, mode);
                        r = r < 0 ? -errno : r;
                        break;
                }
                char *slash = strchr(p, '/');
                size_t len = slash ? (size_t)(slash - p) : strlen(p);
                char comp[NAME_MAX + 1];
                if (len > NAME_MAX) {
                        r = -ENAMETOOLONG;
                        break;
                }
                memcpy(comp, p, len);
                comp[len] = '\0';
                const char *rest = p + len;
                while (*rest == '/')
                        rest++;
                bool last = *rest == '\0';
                bool trailing_slash = last && slash != NULL;
                pos = (size_t)(rest - pending);

                if (strcmp(comp, ".") == 0)
                        continue;
                if (strcmp(comp, "..") == 0) {
                        if (w.depth > 0)
                                close(w.stack[--w.depth]);
                        continue;
                }
                int fd = openat(walk_cur(&w), comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0 && errno == ENOENT && last && (flags & O_CREAT)) {
                        r = openat(walk_cur(&w), comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
                        r = r < 0 ? -errno : r;
                        break;
                }
                if (fd < 0) {
                        r = -errno;
                        break;
                }
                struct stat st;
                if (fstat(fd, &st) < 0) {
                        r = -errno;
                        close(fd);
                        break;
                }
                if (S_ISLNK(st.st_mode) && no_symlinks &&
                    !(last && !trailing_slash && (flags & O_NOFOLLOW) && (flags & O_PATH))) {
                        close(fd);
                        r = -ELOOP;
                        break;
                }
                if (S_ISLNK(st.st_mode) && (!last || trailing_slash || !(flags & O_NOFOLLOW))) {
                        r = read_link_at(fd, target, sizeof(target));
                        close(fd);
                        if (r < 0)
                                break;
                        if (++links > MAX_SYMLINKS) {
                                r = -ELOOP;
                                break;
                        }
                        if (target[0] == '/')
                                walk_reset(&w);
                        r = splice_link(&pending, target, trailing_slash ? "/" : rest);
                        if (r < 0)
                                break;
                        pos = 0;
                        continue;
                }
                if (!last || trailing_slash) {
                        if (!S_ISDIR(st.st_mode)) {
                                close(fd);
                                r = -ENOTDIR;
                                break;
                        }
                        if (w.depth == MAX_DEPTH) {
                                close(fd);
                                r = -ENAMETOOLONG;
                                break;
                        }
                        w.stack[w.depth++] = fd;
                        continue;
                }
                /* The last component, not a symlink to follow. */
                if ((flags & O_CREAT) && (flags & O_EXCL)) {
                        close(fd);
                        r = -EEXIST;
                        break;
                }
                if (flags & O_PATH) {
                        if ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode)) {
                                close(fd);
                                r = -ENOTDIR;
                                break;
                        }
                        r = fd;
                        break;
                }
                r = openat(walk_cur(&w), comp, (flags & ~O_CREAT) | O_NOFOLLOW | O_CLOEXEC);
                r = r < 0 ? -errno : r;
                close(fd);
                break;
        }
        walk_reset(&w);
        return r;
}

int safe_openat(int rootfd, const char *path, int flags, mode_t mode, struct berr *err)
{
        int fd;

        if (!safepath_force_fallback) {
                fd = openat2_in_root(rootfd, path, flags, mode, 0);
                if (fd >= 0)
                        return fd;
                if (errno != ENOSYS && errno != EPERM && errno != EINVAL && errno != EAGAIN)
                        return berr_sys(err, "open %s", path);
        }
        fd = fallback_open(rootfd, path, flags, mode, false);
        if (fd < 0) {
                errno = -fd;
                return berr_sys(err, "open %s", path);
        }
        return fd;
}

int safe_mkdir_p(int rootfd, const char *path, mode_t mode, struct berr *err)
{
        _cleanup_close_ int cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        _cleanup_free_ char *prefix = malloc(strlen(path) + 2);
        size_t plen = 0;

        if (cur < 0)
                return berr_sys(err, "open root for %s", path);
        if (!prefix)
                return berr_fail(err, ENOMEM, "mkdir %s", path);
        prefix[0] = '\0';
        for (const char *p = path; *p;) {
                while (*p == '/')
                        p++;
                if (*p == '\0')
                        break;
                const char *end = strchrnul(p, '/');
                size_t len = (size_t)(end - p);
                char comp[NAME_MAX + 1];
                if (len > NAME_MAX)
                        return berr_fail(err, ENAMETOOLONG, "mkdir %s: name too long", path);
                memcpy(comp, p, len);
                comp[len] = '\0';
                prefix[plen++] = '/';
                memcpy(prefix + plen, p, len);
                plen += len;
                prefix[plen] = '\0';
                p = end;

                int next = safe_openat(rootfd, prefix, O_PATH | O_DIRECTORY, 0, err);
                if (next < 0 && err->status == -ENOENT && strcmp(comp, "..") != 0 &&
                    strcmp(comp, ".") != 0) {
                        /* cur is the resolved parent: a plain name below it stays inside. */
                        if (mkdirat(cur, comp, mode) < 0 && errno != EEXIST)
                                return berr_sys(err, "mkdir %s", prefix);
                        next = safe_openat(rootfd, prefix, O_PATH | O_DIRECTORY, 0, err);
                }
                if (next < 0)
                        return next;
                safe_close(cur);
                cur = next;
        }
        berr_clear(err);
        return steal_fd(&cur);
}

int safe_open_parent(int rootfd, const char *path, char *name, size_t name_size, struct berr *err)
{
        size_t len = strlen(path);
        while (len > 1 && path[len - 1] == '/')
                len--;
        size_t start = len;
        while (start > 0 && path[start - 1] != '/')
                start--;
        size_t nlen = len - start;
        if (nlen == 0 || nlen >= name_size || (nlen == 1 && path[start] == '.') ||
            (nlen == 2 && path[start] == '.' && path[start + 1] == '.'))
                return berr_fail(err, EINVAL, "%s: not a usable file name", path);
        memcpy(name, path + start, nlen);
        name[nlen] = '\0';

        _cleanup_free_ char *dir = strndup(path, start);
        if (!dir)
                return berr_fail(err, ENOMEM, "%s", path);
        return safe_openat(rootfd, dir, O_PATH | O_DIRECTORY, 0, err);
}

int safe_openat_nolinks(int rootfd, const char *path, int flags, mode_t mode, struct berr *err)
{
        int fd;

        if (!safepath_force_fallback) {
                fd = openat2_in_root(rootfd, path, flags, mode, RESOLVE_NO_SYMLINKS);
                if (fd >= 0)
                        return fd;
                if (errno != ENOSYS && errno != EPERM && errno != EINVAL && errno != EAGAIN)
                        return berr_sys(err, "open %s", path);
        }
        fd = fallback_open(rootfd, path, flags, mode, true);
        if (fd < 0) {
                errno = -fd;
                return berr_sys(err, "open %s", path);
        }
        return fd;
}
